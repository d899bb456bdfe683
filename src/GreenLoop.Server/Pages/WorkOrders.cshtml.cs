using GreenLoop.Server.Security;
using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// Work orders of a site: <c>/work-orders</c> (<c>?site=</c>, <c>?id=</c> opens one): my work, all open, all, by due date
/// with overdue marked; a work order's source (inspection item or alarm), history, photos before and after, state
/// changes, parts, hours and cost; and a form to open one by hand. Forms show only with the permission they need.
/// </summary>
public sealed class WorkOrdersModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    /// <summary>Whether the user may open and change work orders (the API checks again).</summary>
    public bool CanOperate { get; private set; }

    /// <summary>Whether the user may open work orders and work on their own (an inspector); the API checks again.</summary>
    public bool CanInspect { get; private set; }

    /// <summary>Whether the user may verify a done work order.</summary>
    public bool CanImprove { get; private set; }

    public void OnGet(string? site)
    {
        Site = UiRoutes.SiteOrDefault(site);
        CanOperate = Permissions.Has(User, Permissions.Operate, Site);
        CanImprove = Permissions.Has(User, Permissions.Improve, Site);
        CanInspect = Permissions.Has(User, Permissions.Inspect, Site);
    }
}
