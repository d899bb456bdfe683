using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using GreenLoop.Connectors.Import;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Web;
using GreenLoop.Storage;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// File import: <c>/import</c> (<c>?site=</c> keeps the top bar's links and picks the default time zone). Upload, preview,
/// column mapping, dry-run report, commit with progress; the page script is <c>wwwroot/js/import.js</c>.
/// </summary>
public sealed class ImportModel(ISiteCatalog store, TenantContext tenant, ImportSessions imports) : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    /// <summary>The tenant's meters, for the mapping selects.</summary>
    public IReadOnlyList<DataEntryMeter> Meters { get; private set; } = [];

    /// <summary>The zone offered for stamps without an offset: the site's, else the first meter's site's, else Asia/Shanghai.</summary>
    public string TimeZone { get; private set; } = "Asia/Shanghai";

    public double MaxUploadMegabytes => imports.Options.MaxUploadBytes / (1024.0 * 1024.0);

    /// <summary><c>~/import</c>, with <c>?site=</c> for a site other than the default.</summary>
    public static string Link(string site) => site == UiRoutes.DefaultSite ? "~/import" : "~/import?site=" + Uri.EscapeDataString(site);

    public async Task OnGetAsync(string? site, CancellationToken ct)
    {
        Site = UiRoutes.SiteOrDefault(site);
        Meters = await DataEntryMeter.LoadAsync(store, tenant.TenantId, ct);
        TimeZone = DataEntryMeter.ZoneFor(Meters, Site) ?? TimeZone;
    }
}

/// <summary>A meter as the data-entry pages offer it: key, names, unit, kind, site and the site's time zone.</summary>
public sealed record DataEntryMeter(string Key, string Name, string? NameZh, string Unit, string Kind, double Multiplier, string Site, string TimeZone)
{
    /// <summary>The unit as written on screen (m3 -> m³, degC -> °C), as the page scripts write it.</summary>
    public string UnitLabel => Unit switch
    {
        "m3" => "m³",
        "m2" => "m²",
        "Nm3" => "Nm³",
        "degC" => "°C",
        "mg/m3" => "mg/m³",
        _ => Unit,
    };

    // Escapes HTML-sensitive characters (the JSON sits in a <script> element) but keeps CJK readable.
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>Every meter of the tenant, by site and key.</summary>
    public static async Task<IReadOnlyList<DataEntryMeter>> LoadAsync(ISiteCatalog store, long tenantId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var meters = await store.LoadMetersAsync(tenantId, ct);
        return [.. meters.Values
            .Select(m => new DataEntryMeter(m.Definition.Key, m.Definition.Name, m.Definition.NameZh, m.Definition.Unit, m.Definition.Kind.ToString(),
                m.Definition.Multiplier, m.SiteKey, m.TimeZone))
            .OrderBy(m => m.Site, StringComparer.Ordinal).ThenBy(m => m.Key, StringComparer.Ordinal)];
    }

    /// <summary>The time zone of <paramref name="site"/>, else of the first meter's site; null without meters.</summary>
    public static string? ZoneFor(IReadOnlyList<DataEntryMeter> meters, string site)
    {
        ArgumentNullException.ThrowIfNull(meters);
        return (meters.FirstOrDefault(m => m.Site == site) ?? meters.FirstOrDefault())?.TimeZone;
    }

    /// <summary>The list as JSON safe to embed in a script element.</summary>
    public static string ToJson(IReadOnlyList<DataEntryMeter> meters) => JsonSerializer.Serialize(meters, _json);
}
