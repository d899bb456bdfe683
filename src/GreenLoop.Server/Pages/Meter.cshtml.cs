using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// One meter's series, flags and events: <c>/sites/{site}/meters/{meter}</c>. The grain and date range live in the
/// query string (<c>?grain=hour&amp;from=2026-11-22&amp;to=2026-11-23</c>, dates inclusive) and are read by the page script.
/// </summary>
public sealed class MeterModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    public string Meter { get; private set; } = "";

    public void OnGet(string site, string meter)
    {
        Site = UiRoutes.SiteOrDefault(site);
        Meter = meter;
    }
}
