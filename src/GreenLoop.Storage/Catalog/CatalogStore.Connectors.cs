using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Storage.Catalog;

public abstract partial class CatalogStore
{
    private static StoredDataSource Map(DataSourceRecord r) =>
        new(r.Key, r.Kind, r.Definition, r.Enabled, r.UpdatedAt, r.Version) { ApiKeyId = r.ApiKeyId };

    public Task<IReadOnlyList<StoredDataSource>> DataSourcesAsync(long tenantId, CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<StoredDataSource>>(tenantId, async db => (await db.DataSources.AsNoTracking().ToListAsync(ct))
            .OrderBy(s => s.Key, StringComparer.Ordinal).Select(Map).ToList());

    /// <summary>Every data source of every tenant (the connector supervisor serves all tenants).</summary>
    public Task<IReadOnlyList<TenantDataSource>> AllDataSourcesAsync(CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<TenantDataSource>>(0, async db => (await db.DataSources.IgnoreQueryFilters().AsNoTracking().ToListAsync(ct))
            .OrderBy(s => s.TenantId).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => new TenantDataSource(s.TenantId, Map(s))).ToList());

    /// <summary>Creates or replaces a data source by key; its version grows by one. Returns the stored row.</summary>
    public Task<StoredDataSource> SaveDataSourceAsync(long tenantId, StoredDataSource source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        return WriteDbAsync(tenantId, async (db, _) =>
        {
            var row = await db.DataSources.FirstOrDefaultAsync(s => s.Key == source.Key, ct);
            if (row is null) db.DataSources.Add(row = new DataSourceRecord { TenantId = tenantId, Key = source.Key, Kind = "", Definition = "" });
            (row.Kind, row.Definition, row.Enabled, row.UpdatedAt, row.ApiKeyId) = (source.Kind, source.Definition, source.Enabled, source.UpdatedAt, source.ApiKeyId);
            row.Version++;
            await db.SaveChangesAsync(ct);
            return Map(row);
        }, ct);
    }

    public Task<bool> DeleteDataSourceAsync(long tenantId, string key, CancellationToken ct) =>
        WriteDbAsync(tenantId, async (db, _) => await db.DataSources.Where(s => s.Key == key).ExecuteDeleteAsync(ct) == 1, ct);

    /// <summary>
    /// Records a manual entry or a correction and its reading in one transaction; a correction replaces the reading's
    /// value (the earlier versions stay in the entry's history) and marks the meter for derivation.
    /// </summary>
    public Task<ManualEntryOutcome> SaveManualEntryAsync(long tenantId, ManualEntryDraft draft, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return WriteDbAsync(tenantId, async (db, series) =>
        {
            long meterId, ts, entryId;
            int version;
            if (draft.Corrects is { } corrects)
            {
                var latest = await db.ManualEntries.Where(e => e.EntryId == corrects).OrderByDescending(e => e.Version).FirstOrDefaultAsync(ct);
                if (latest is null) return new ManualEntryOutcome(ManualEntryStatus.NotFound, null);
                (meterId, ts, entryId, version) = (latest.MeterId, latest.Ts, corrects, latest.Version + 1);
                await series.PutReadingAsync(new MeterId(meterId), new Instant(ts), draft.Value, new Instant(draft.EnteredAt), ct);
            }
            else
            {
                (meterId, ts, version, entryId) = (draft.MeterId, draft.Ts, 1, 0);
                if (!await db.Meters.AnyAsync(m => m.Id == meterId, ct)) return new ManualEntryOutcome(ManualEntryStatus.NotFound, null);
                var held = await db.ManualEntries.IgnoreQueryFilters().Where(e => e.MeterId == meterId && e.Ts == ts).Select(e => (long?)e.EntryId).FirstOrDefaultAsync(ct);
                if (held is { } h) return new ManualEntryOutcome(ManualEntryStatus.EntryExists, null, h);
                if (await series.ReadingExistsAsync(new MeterId(meterId), new Instant(ts), ct)) return new ManualEntryOutcome(ManualEntryStatus.ReadingExists, null);
                await series.PutReadingAsync(new MeterId(meterId), new Instant(ts), draft.Value, new Instant(draft.EnteredAt), ct);
            }
            var row = new ManualEntryRecord
            {
                EntryId = entryId, Version = version, TenantId = tenantId, MeterId = meterId, Ts = ts, Value = draft.Value,
                EnteredBy = draft.EnteredBy, EnteredAt = draft.EnteredAt, Document = draft.Document, Note = draft.Note, Reason = draft.Reason,
            };
            db.ManualEntries.Add(row);
            await db.SaveChangesAsync(ct);
            if (version == 1)
            {
                // The first version's id names the entry.
                row.EntryId = row.Id;
                await db.SaveChangesAsync(ct);
            }
            await series.MarkDirtyAsync(new MeterId(meterId), new Instant(ts), new Instant(ts), ct);
            var written = (await ManualQuery(db).Where(e => e.Id == row.Id).ToListAsync(ct))[0];
            return new ManualEntryOutcome(version == 1 ? ManualEntryStatus.Created : ManualEntryStatus.Corrected, written);
        }, ct);
    }

    /// <summary>The newest version of each entry of a tenant (optionally of one meter), newest instant first.</summary>
    public Task<IReadOnlyList<StoredManualEntry>> ManualEntriesAsync(long tenantId, long? meterId, int limit, CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<StoredManualEntry>>(tenantId, async db =>
        {
            var q = ManualQuery(db).Where(e => e.Version == db.ManualEntries.Where(x => x.EntryId == e.EntryId).Max(x => x.Version));
            if (meterId is { } m) q = q.Where(e => e.MeterId == m);
            return await q.OrderByDescending(e => e.Ts).ThenByDescending(e => e.EntryId).Take(limit).ToListAsync(ct);
        });

    /// <summary>Every version of one entry, oldest first; empty if the entry is not the tenant's.</summary>
    public Task<IReadOnlyList<StoredManualEntry>> ManualEntryHistoryAsync(long tenantId, long entryId, CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<StoredManualEntry>>(tenantId, async db =>
            await ManualQuery(db).Where(e => e.EntryId == entryId).OrderBy(e => e.Version).ToListAsync(ct));

    private static IQueryable<StoredManualEntry> ManualQuery(GreenLoopDb db) =>
        db.ManualEntries.AsNoTracking().Select(e => new StoredManualEntry
        {
            Id = e.Id,
            EntryId = e.EntryId,
            Version = e.Version,
            TenantId = e.TenantId,
            MeterId = e.MeterId,
            MeterKey = e.Meter!.Key,
            Ts = e.Ts,
            Value = e.Value,
            EnteredBy = e.EnteredBy,
            EnteredAt = e.EnteredAt,
            Document = e.Document,
            Note = e.Note,
            Reason = e.Reason,
        });
}
