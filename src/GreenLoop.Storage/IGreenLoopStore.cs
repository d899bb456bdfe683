using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;

namespace GreenLoop.Storage;

/// <summary>
/// The storage seam: everything GreenLoop keeps goes through here, so that SQLite (embedded default) and PostgreSQL
/// (production) can be swapped by configuration. Every query that can leak data across tenants takes the tenant id.
/// Raw readings are append-only; derived rows (buckets, roll-ups, findings) are replaced span by span.
/// </summary>
public interface IGreenLoopStore : IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema.</summary>
    Task MigrateAsync(CancellationToken ct);

    Task<long> EnsureTenantAsync(string key, string name, CancellationToken ct);

    /// <summary>Applies a validated site document; idempotent.</summary>
    Task<ApplyResult> ApplySiteAsync(long tenantId, SiteDefinition site, long now, CancellationToken ct);

    Task<SiteModel?> GetSiteAsync(long tenantId, string siteKey, CancellationToken ct);

    Task<IReadOnlyList<SiteModel>> ListSitesAsync(long tenantId, CancellationToken ct);

    /// <summary>All meters of a tenant by key (the ingest cache).</summary>
    Task<IReadOnlyDictionary<string, MeterRef>> LoadMetersAsync(long tenantId, CancellationToken ct);

    /// <summary>Every meter of every tenant (for the derivation worker, which serves all tenants).</summary>
    Task<IReadOnlyList<MeterRef>> LoadAllMetersAsync(CancellationToken ct);

    /// <summary>Appends readings durably and marks their meters for derivation, in one transaction.</summary>
    Task<AppendOutcome[]> AppendReadingsAsync(IReadOnlyList<StoredReading> readings, long receivedAt, CancellationToken ct);

    Task QuarantineAsync(IReadOnlyList<QuarantineEntry> entries, CancellationToken ct);

    Task<IReadOnlyList<QuarantineEntry>> ListQuarantineAsync(long tenantId, int limit, CancellationToken ct);

    Task<int> CountQuarantineAsync(long tenantId, CancellationToken ct);

    Task DeleteQuarantineAsync(long tenantId, IReadOnlyList<long> ids, CancellationToken ct);

    // Derivation.

    Task<IReadOnlyList<DirtyMeter>> GetDirtyAsync(int max, CancellationToken ct);

    Task<long> CountDirtyAsync(CancellationToken ct);

    /// <summary>
    /// The instant of the <paramref name="back"/>-th reading before <paramref name="minTs"/> (1 = the one just before;
    /// if there are fewer, the earliest) and of the first reading after <paramref name="maxTs"/>.
    /// </summary>
    Task<(long? Before, long? After)> NeighbourInstantsAsync(long meterId, long minTs, long maxTs, int back, CancellationToken ct);

    /// <summary>Readings in [from, to] plus, if asked, the last reading before from and the first after to.</summary>
    Task<RawReading[]> ReadingsAsync(long meterId, long from, long to, bool withNeighbours, CancellationToken ct);

    Task<IReadOnlyList<CounterEvent>> EventsAsync(long meterId, CancellationToken ct);

    /// <summary>Writes derived spans, rolls them up to days, months and nodes, and clears their dirty marks.</summary>
    Task SaveDerivedAsync(IReadOnlyList<DerivedSpan> spans, CancellationToken ct);

    /// <summary>Marks a meter for derivation over [from, to] (e.g. after a meter event was recorded).</summary>
    Task MarkDirtyAsync(long meterId, long from, long to, CancellationToken ct);

    // Queries (read roll-ups, never raw readings).

    Task<IReadOnlyList<PeriodRow>> MeterSeriesAsync(long meterId, Grain grain, long from, long to, CancellationToken ct);

    Task<IReadOnlyList<NodeCarrierRow>> NodeTotalsAsync(IReadOnlyList<long> nodeIds, Grain grain, long from, long to, CancellationToken ct);

    Task<IReadOnlyList<StoredFinding>> FindingsAsync(long meterId, long from, long to, CancellationToken ct);

    /// <summary>Instant of each meter's newest reading, for a site.</summary>
    Task<IReadOnlyDictionary<long, long>> LastReadingsAsync(long siteId, CancellationToken ct);

    Task<long> CountReadingsAsync(long meterId, CancellationToken ct);

    // Accounting.

    Task<long> AddOverrideAsync(long siteId, StoredOverride value, CancellationToken ct);

    Task<IReadOnlyList<StoredOverride>> OverridesAsync(long siteId, CancellationToken ct);

    /// <summary>Locks a period; false if it is locked already (a lock is never replaced).</summary>
    Task<bool> LockPeriodAsync(long siteId, StoredLock value, CancellationToken ct);

    Task<IReadOnlyList<StoredLock>> LocksAsync(long siteId, CancellationToken ct);

    // Alarms.

    /// <summary>Rules of one site, or of every site when <paramref name="siteId"/> is null (the evaluator serves all tenants).</summary>
    Task<IReadOnlyList<StoredAlarmRule>> AlarmRulesAsync(long? siteId, CancellationToken ct);

    /// <summary>Creates or replaces the site's rule with the same key.</summary>
    Task<StoredAlarmRule> SaveAlarmRuleAsync(long siteId, AlarmRule rule, long now, CancellationToken ct);

    /// <summary>Deletes a rule and its evaluation state (its alarms stay, with their history); false if there is none.</summary>
    Task<bool> DeleteAlarmRuleAsync(long siteId, string key, CancellationToken ct);

    Task<IReadOnlyList<AlarmTrack>> AlarmTracksAsync(CancellationToken ct);

    /// <summary>Writes tracks, new and changed alarms and their history in one transaction; returns the alarms with their ids.</summary>
    Task<IReadOnlyList<Alarm>> SaveAlarmWorkAsync(AlarmWork work, CancellationToken ct);

    Task<Alarm?> GetAlarmAsync(long tenantId, long id, CancellationToken ct);

    /// <summary>Alarms of a tenant, newest first.</summary>
    Task<IReadOnlyList<Alarm>> ListAlarmsAsync(long tenantId, AlarmFilter filter, CancellationToken ct);

    /// <summary>Active and acknowledged alarms of every tenant.</summary>
    Task<IReadOnlyList<Alarm>> OpenAlarmsAsync(CancellationToken ct);

    Task<IReadOnlyList<AlarmHistoryEntry>> AlarmHistoryAsync(long alarmId, CancellationToken ct);

    // Notification channels and deliveries.

    /// <summary>Channel definitions (JSON) of a tenant by key.</summary>
    Task<IReadOnlyList<StoredChannel>> ChannelsAsync(long tenantId, CancellationToken ct);

    Task SaveChannelAsync(long tenantId, StoredChannel channel, CancellationToken ct);

    Task<bool> DeleteChannelAsync(long tenantId, string key, CancellationToken ct);

    Task AppendDeliveryAsync(long tenantId, StoredDelivery delivery, CancellationToken ct);

    Task<IReadOnlyList<StoredDelivery>> DeliveriesAsync(long tenantId, int limit, CancellationToken ct);

    // Data sources (connector configuration).

    Task<IReadOnlyList<StoredDataSource>> DataSourcesAsync(long tenantId, CancellationToken ct);

    /// <summary>Every data source of every tenant (the connector supervisor serves all tenants).</summary>
    Task<IReadOnlyList<TenantDataSource>> AllDataSourcesAsync(CancellationToken ct);

    /// <summary>Creates or replaces a data source by key; its version grows by one. Returns the stored row.</summary>
    Task<StoredDataSource> SaveDataSourceAsync(long tenantId, StoredDataSource source, CancellationToken ct);

    Task<bool> DeleteDataSourceAsync(long tenantId, string key, CancellationToken ct);

    // Manual entries.

    /// <summary>
    /// Records a manual entry or a correction and its reading in one transaction; a correction replaces the reading's
    /// value (the earlier versions stay in the entry's history) and marks the meter for derivation.
    /// </summary>
    Task<ManualEntryOutcome> SaveManualEntryAsync(long tenantId, ManualEntryDraft draft, CancellationToken ct);

    /// <summary>The newest version of each entry of a tenant (optionally of one meter), newest instant first.</summary>
    Task<IReadOnlyList<StoredManualEntry>> ManualEntriesAsync(long tenantId, long? meterId, int limit, CancellationToken ct);

    /// <summary>Every version of one entry, oldest first; empty if the entry is not the tenant's.</summary>
    Task<IReadOnlyList<StoredManualEntry>> ManualEntryHistoryAsync(long tenantId, long entryId, CancellationToken ct);

    // Audit trail (append-only, hash-chained; see AuditChain).

    /// <summary>Chains and appends an entry after the tenant's newest one, atomically; returns it with its sequence number and hash.</summary>
    Task<AuditEntry> AppendAuditAsync(AuditDraft draft, CancellationToken ct);

    /// <summary>Entries of one tenant, newest first, before <paramref name="beforeSeq"/> if given.</summary>
    Task<IReadOnlyList<AuditEntry>> AuditEntriesAsync(long tenantId, long? beforeSeq, int limit, CancellationToken ct);

    /// <summary>A tenant's entries in chain order, after <paramref name="afterSeq"/>, at most <paramref name="limit"/> (for verification).</summary>
    Task<IReadOnlyList<AuditEntry>> AuditChainAsync(long tenantId, long afterSeq, int limit, CancellationToken ct);

    /// <summary>The tenants that have an audit trail.</summary>
    Task<IReadOnlyList<long>> AuditTenantsAsync(CancellationToken ct);

    // Users and API keys.

    Task<long> CountUsersAsync(CancellationToken ct);

    /// <summary>Creates a user with its roles; null if the user name is taken (by any tenant).</summary>
    Task<StoredUser?> CreateUserAsync(StoredUser user, CancellationToken ct);

    /// <summary>The user with this sign-in name (case-insensitive), of any tenant: sign-in finds the tenant from it.</summary>
    Task<StoredUser?> FindUserAsync(string userName, CancellationToken ct);

    Task<StoredUser?> GetUserAsync(long tenantId, long id, CancellationToken ct);

    Task<IReadOnlyList<StoredUser>> ListUsersAsync(long tenantId, CancellationToken ct);

    /// <summary>Replaces a user's password hash, display name, disabled flag and roles; false if not the tenant's.</summary>
    Task<bool> UpdateUserAsync(StoredUser user, CancellationToken ct);

    /// <summary>Records a sign-in attempt's outcome: the failure count and lock-out.</summary>
    Task RecordSignInAsync(long userId, int failedCount, long? lockedUntil, CancellationToken ct);

    Task<StoredApiKey> CreateApiKeyAsync(StoredApiKey key, CancellationToken ct);

    /// <summary>The key with this public prefix, of any tenant (the prefix says which key a request presents).</summary>
    Task<StoredApiKey?> FindApiKeyAsync(string prefix, CancellationToken ct);

    Task<IReadOnlyList<StoredApiKey>> ListApiKeysAsync(long tenantId, CancellationToken ct);

    /// <summary>Revokes a key of the tenant; false if there is none (or it was revoked already).</summary>
    Task<bool> RevokeApiKeyAsync(long tenantId, long id, long at, CancellationToken ct);

    Task TouchApiKeyAsync(long id, long at, CancellationToken ct);
}
