using GreenLoop.Server.Hosting;
using GreenLoop.Server.Web;
using GreenLoop.Storage;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// Manual entry for offline meters: <c>/manual-entry</c> (<c>?site=</c> keeps the top bar's links and preselects that
/// site's meters; <c>?meter=</c> preselects a meter). New readings, the list of entries with their current version, and
/// corrections with the version history; the page script is <c>wwwroot/js/manual-entry.js</c>.
/// </summary>
public sealed class ManualEntryModel(ISiteCatalog store, TenantContext tenant) : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    public string? Meter { get; private set; }

    /// <summary>The tenant's meters, grouped by site in the select.</summary>
    public IReadOnlyList<DataEntryMeter> Meters { get; private set; } = [];

    /// <summary><c>~/manual-entry</c>, with <c>?site=</c> for a site other than the default.</summary>
    public static string Link(string site) => site == UiRoutes.DefaultSite ? "~/manual-entry" : "~/manual-entry?site=" + Uri.EscapeDataString(site);

    public async Task OnGetAsync(string? site, string? meter, CancellationToken ct)
    {
        Site = UiRoutes.SiteOrDefault(site);
        Meters = await DataEntryMeter.LoadAsync(store, tenant.TenantId, ct);
        Meter = Meters.Any(m => m.Key == meter) ? meter : null;
    }
}
