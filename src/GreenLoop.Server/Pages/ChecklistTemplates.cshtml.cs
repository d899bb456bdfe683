using GreenLoop.Server.Security;
using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// Checklist templates of a site: <c>/checklist-templates</c> (<c>?site=</c>; <c>?key=</c> opens one, <c>&amp;version=</c>
/// shows an earlier version read-only): the list with export links and versions, and a builder for ordered items of
/// every type with their SOP step, limits, choices, photos, meter and what a failure means; a template file can be
/// loaded into the builder for review before it is saved. Below, the site's inspection rounds (template, node, schedule,
/// window, assignee, channels told of a late round) and a form to make or change one. Only the <c>improve</c> permission
/// sees the builder's controls and the round form.
/// </summary>
public sealed class ChecklistTemplatesModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    /// <summary>Whether the user may build and import templates (the API checks again).</summary>
    public bool CanImprove { get; private set; }

    /// <summary>
    /// Whether the user may list the tenant's notification channels (<c>configure</c> for every site, as the API asks):
    /// then a round's recipients are checkboxes of the channels, else a field of channel keys.
    /// </summary>
    public bool CanReadChannels { get; private set; }

    public void OnGet(string? site)
    {
        Site = UiRoutes.SiteOrDefault(site);
        CanImprove = Permissions.Has(User, Permissions.Improve, Site);
        CanReadChannels = Permissions.Has(User, Permissions.Configure, null);
    }
}
