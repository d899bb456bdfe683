using GreenLoop.Domain.Model;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Meter;

/// <summary>The outcome of applying a site document: what changed, or every problem found (nothing applied then).</summary>
public sealed record SiteApplyOutcome(ApplyResult? Result, IReadOnlyList<DefinitionError> Errors);

/// <summary>Applies and exports site documents; the single path for the API, the CLI and the demo plant.</summary>
public sealed class SiteService(ISiteCatalog store, MeterCatalog catalog, DerivationSignal signal, TimeProvider clock)
{
    public async Task<SiteApplyOutcome> ApplyAsync(long tenantId, SiteDefinition site, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(site);
        var errors = SiteDefinitionValidator.Validate(site, clock.GetUtcNow()).ToList();
        if (errors.Count == 0)
        {
            // A meter key is unique per tenant: refuse a key that another site of this tenant already uses.
            var existing = await store.LoadMetersAsync(tenantId, ct);
            for (var i = 0; i < site.Meters.Count; i++)
            {
                if (existing.TryGetValue(site.Meters[i].Key, out var other) && other.SiteKey != site.Key)
                    errors.Add(new DefinitionError($"meters[{i}].key", $"meter '{site.Meters[i].Key}' already belongs to site '{other.SiteKey}'"));
            }
        }
        if (errors.Count > 0) return new SiteApplyOutcome(null, errors);
        var result = await store.ApplySiteAsync(tenantId, site, clock.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        catalog.Invalidate();
        signal.Notify();
        return new SiteApplyOutcome(result, []);
    }

    public async Task<SiteDefinition?> ExportAsync(long tenantId, string siteKey, CancellationToken ct) =>
        (await store.GetSiteAsync(tenantId, siteKey, ct))?.Definition;
}
