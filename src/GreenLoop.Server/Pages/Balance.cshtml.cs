using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// A parent meter per day against the sum of its sub-meters: <c>/balance</c> (<c>?site=&amp;meter=&amp;from=&amp;to=</c>,
/// dates local and inclusive; default the first meter with sub-meters over the last 31 days). Read by the page script.
/// </summary>
public sealed class BalanceModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    public void OnGet(string? site) => Site = UiRoutes.SiteOrDefault(site);
}
