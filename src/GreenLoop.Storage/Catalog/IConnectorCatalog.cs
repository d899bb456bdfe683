using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;

namespace GreenLoop.Storage;

/// <summary>Configured data sources and manual entries.</summary>
public interface IConnectorCatalog
{
    Task<IReadOnlyList<StoredDataSource>> DataSourcesAsync(long tenantId, CancellationToken ct);

    /// <summary>Every data source of every tenant (the connector supervisor serves all tenants).</summary>
    Task<IReadOnlyList<TenantDataSource>> AllDataSourcesAsync(CancellationToken ct);

    /// <summary>Creates or replaces a data source by key; its version grows by one. Returns the stored row.</summary>
    Task<StoredDataSource> SaveDataSourceAsync(long tenantId, StoredDataSource source, CancellationToken ct);

    Task<bool> DeleteDataSourceAsync(long tenantId, string key, CancellationToken ct);

    /// <summary>
    /// Records a manual entry or a correction and its reading in one transaction; a correction replaces the reading's
    /// value (the earlier versions stay in the entry's history) and marks the meter for derivation.
    /// </summary>
    Task<ManualEntryOutcome> SaveManualEntryAsync(long tenantId, ManualEntryDraft draft, CancellationToken ct);

    /// <summary>The newest version of each entry of a tenant (optionally of one meter), newest instant first.</summary>
    Task<IReadOnlyList<StoredManualEntry>> ManualEntriesAsync(long tenantId, long? meterId, int limit, CancellationToken ct);

    /// <summary>Every version of one entry, oldest first; empty if the entry is not the tenant's.</summary>
    Task<IReadOnlyList<StoredManualEntry>> ManualEntryHistoryAsync(long tenantId, long entryId, CancellationToken ct);
}
