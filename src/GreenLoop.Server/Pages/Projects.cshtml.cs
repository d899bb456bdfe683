using GreenLoop.Server.Security;
using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// Energy-saving and cleaner-production projects of a site: <c>/projects</c> (<c>?site=</c>, default site otherwise;
/// <c>?id=</c> opens one project): the register with each project's economics (planned, and verified once a baseline
/// model has verified its savings), totals by state, the marginal abatement cost curve, one project's detail (economics
/// planned against verified, carbon terms with their factors, state history and changes, documents, the linked model
/// and its M&amp;V workbook) and, for users with the <c>improve</c> permission, the forms that change them.
/// </summary>
public sealed class ProjectsModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    /// <summary>Whether the user may register projects and change them (the API checks again on every change).</summary>
    public bool CanImprove { get; private set; }

    public void OnGet(string? site)
    {
        Site = UiRoutes.SiteOrDefault(site);
        CanImprove = Permissions.Has(User, Permissions.Improve, Site);
    }
}
