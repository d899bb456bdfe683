using GreenLoop.Server.Security;
using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// A site's electricity cost: <c>/cost</c> (<c>?site=</c>, <c>&amp;month=yyyy-MM</c>, default the site's current month):
/// the month's two-part bill with every line (energy by tariff version and band, basic charge with the maximum demand,
/// power-factor adjustment, funds), completeness, sources and UNVERIFIED values, the tariff's bands as 24-hour strips,
/// and the site's electricity account, which only the <c>configure</c> permission can change. Under the Energy section.
/// </summary>
public sealed class CostModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    /// <summary>Whether the user may set the electricity account (the API checks again).</summary>
    public bool CanConfigure { get; private set; }

    public void OnGet(string? site)
    {
        Site = UiRoutes.SiteOrDefault(site);
        CanConfigure = Permissions.Has(User, Permissions.Configure, Site);
    }
}
