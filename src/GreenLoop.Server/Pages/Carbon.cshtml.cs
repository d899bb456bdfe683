using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// A site's GHG inventory with lineage: <c>/sites/{site}/carbon</c>. The period (<c>?period=2026-10</c> or
/// <c>?period=2026</c>, default the site's current local month) lives in the query string and is read by the page script.
/// </summary>
public sealed class CarbonModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    public void OnGet(string site) => Site = UiRoutes.SiteOrDefault(site);
}
