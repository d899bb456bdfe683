using GreenLoop.Server.Security;
using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// Inspection rounds on a phone: <c>/rounds</c> (<c>?site=</c>): today's occurrences (the user's, or all), and one round
/// done item by item with photos and the live values of meters; the draft is kept on the phone, and a submission that
/// cannot be sent stays in an outbox and is retried with the same submission id (never lost, never stored twice).
/// </summary>
public sealed class RoundsModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    /// <summary>Whether the user may submit inspections (permission <c>inspect</c>; the API checks again).</summary>
    public bool CanInspect { get; private set; }

    /// <summary>Whether the user may make rounds (permission <c>improve</c>): the page then says where.</summary>
    public bool CanImprove { get; private set; }

    public void OnGet(string? site)
    {
        Site = UiRoutes.SiteOrDefault(site);
        CanInspect = Permissions.Has(User, Permissions.Inspect, Site);
        CanImprove = Permissions.Has(User, Permissions.Improve, Site);
    }
}
