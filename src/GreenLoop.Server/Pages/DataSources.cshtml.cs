using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// Data sources (MQTT brokers, Modbus TCP devices) with their live health and their configuration: <c>/data-sources</c>.
/// Sources belong to the tenant; <c>?site=</c> only keeps the top bar's links on that site.
/// </summary>
public sealed class DataSourcesModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    public void OnGet(string? site) => Site = UiRoutes.SiteOrDefault(site);
}
