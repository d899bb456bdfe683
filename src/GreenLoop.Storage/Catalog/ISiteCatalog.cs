using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;

namespace GreenLoop.Storage;

/// <summary>Tenants, sites, their trees and meters.</summary>
public interface ISiteCatalog
{
    Task<long> EnsureTenantAsync(string key, string name, CancellationToken ct);

    /// <summary>Every tenant of the platform, by key.</summary>
    Task<IReadOnlyList<StoredTenant>> ListTenantsAsync(CancellationToken ct);

    /// <summary>Renames and/or disables (or enables) a tenant; false when there is none with that key.</summary>
    Task<bool> UpdateTenantAsync(string key, string? name, bool? disabled, CancellationToken ct);

    /// <summary>Whether the tenant is disabled (an unknown tenant counts as disabled).</summary>
    Task<bool> TenantDisabledAsync(long tenantId, CancellationToken ct);

    /// <summary>Applies a validated site document; idempotent.</summary>
    Task<ApplyResult> ApplySiteAsync(long tenantId, SiteDefinition site, long now, CancellationToken ct);

    Task<SiteModel?> GetSiteAsync(long tenantId, string siteKey, CancellationToken ct);

    Task<IReadOnlyList<SiteModel>> ListSitesAsync(long tenantId, CancellationToken ct);

    /// <summary>All meters of a tenant by key (the ingest cache).</summary>
    Task<IReadOnlyDictionary<string, MeterRef>> LoadMetersAsync(long tenantId, CancellationToken ct);

    /// <summary>Every meter of every tenant (for the derivation worker, which serves all tenants).</summary>
    Task<IReadOnlyList<MeterRef>> LoadAllMetersAsync(CancellationToken ct);

    /// <summary>A meter's recorded replacements and resets, oldest first (what derivation needs of them).</summary>
    Task<IReadOnlyList<CounterEvent>> EventsAsync(long meterId, CancellationToken ct);
}
