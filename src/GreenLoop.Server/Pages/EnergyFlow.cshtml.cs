using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// The energy-flow Sankey of a site: <c>/energy-flow</c> (<c>?site=</c>). The period (<c>from</c>, <c>to</c>: local
/// dates, inclusive; default this month so far), the unit (<c>unit=energy|tce</c>), the node drilled into (<c>node=</c>)
/// and the carrier shown (<c>carrier=</c>) live in the query string and are read by the page script.
/// </summary>
public sealed class EnergyFlowModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    public void OnGet(string? site) => Site = UiRoutes.SiteOrDefault(site);
}
