using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// A site's alarms: <c>/sites/{site}/alarms</c> (<c>/alarms</c> redirects here). The filters live in the query string
/// (<c>?state=open&amp;severity=critical,major&amp;rule=air-hour-limit&amp;from=2026-11-19&amp;to=2026-11-23</c>, dates
/// inclusive and site-local) and are read by the page script.
/// </summary>
public sealed class AlarmsModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    public void OnGet(string site) => Site = UiRoutes.SiteOrDefault(site);
}
