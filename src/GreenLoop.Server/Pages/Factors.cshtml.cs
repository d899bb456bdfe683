using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// The reference data set and a site's overrides of it: <c>/factors</c> (<c>?site=</c>, default site otherwise).
/// The kind filter and search text live in the query string (<c>?kind=grid_ef&amp;q=guangdong</c>).
/// </summary>
public sealed class FactorsModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    public void OnGet(string? site) => Site = UiRoutes.SiteOrDefault(site);
}
