using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// The cleaner-production KPI board: <c>/kpis</c> (<c>?site=</c>, default site otherwise; <c>?period=2026</c>): every
/// KPI against baseline and target with its status, the trend and lineage of one, ready definitions, and recording
/// quantities with their evidence.
/// </summary>
public sealed class KpisModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    public void OnGet(string? site) => Site = UiRoutes.SiteOrDefault(site);
}
