using Microsoft.Data.Sqlite;

namespace GreenLoop.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private const string DataSourceColumns = "key, kind, definition, enabled, updated_at, version, api_key_id";

    private static StoredDataSource MapDataSource(SqliteDataReader r, int at) =>
        new(r.GetString(at), r.GetString(at + 1), r.GetString(at + 2), r.GetInt64(at + 3) == 1, r.GetInt64(at + 4), r.GetInt64(at + 5))
        {
            ApiKeyId = r.IsDBNull(at + 6) ? null : r.GetInt64(at + 6),
        };

    public Task<IReadOnlyList<StoredDataSource>> DataSourcesAsync(long tenantId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredDataSource>>(c => ReadAll(c, null,
            $"SELECT {DataSourceColumns} FROM data_source WHERE tenant_id=$t ORDER BY key;", r => MapDataSource(r, 0), ("$t", tenantId)), ct);

    public Task<IReadOnlyList<TenantDataSource>> AllDataSourcesAsync(CancellationToken ct) =>
        ReadAsync<IReadOnlyList<TenantDataSource>>(c => ReadAll(c, null,
            $"SELECT tenant_id, {DataSourceColumns} FROM data_source ORDER BY tenant_id, key;",
            r => new TenantDataSource(r.GetInt64(0), MapDataSource(r, 1))), ct);

    public Task<StoredDataSource> SaveDataSourceAsync(long tenantId, StoredDataSource source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        return WriteAsync((c, tx) =>
        {
            Scalar(c, """
                INSERT INTO data_source(tenant_id, key, kind, definition, enabled, updated_at, version, api_key_id) VALUES($t,$k,$kind,$d,$e,$u,1,$key)
                ON CONFLICT(tenant_id, key) DO UPDATE SET kind=excluded.kind, definition=excluded.definition, enabled=excluded.enabled,
                    updated_at=excluded.updated_at, version=version+1, api_key_id=excluded.api_key_id;
                """, tx, ("$t", tenantId), ("$k", source.Key), ("$kind", source.Kind), ("$d", source.Definition),
                ("$e", source.Enabled ? 1 : 0), ("$u", source.UpdatedAt), ("$key", source.ApiKeyId));
            return ReadAll(c, tx, $"SELECT {DataSourceColumns} FROM data_source WHERE tenant_id=$t AND key=$k;",
                r => MapDataSource(r, 0), ("$t", tenantId), ("$k", source.Key))[0];
        }, ct);
    }

    public Task<bool> DeleteDataSourceAsync(long tenantId, string key, CancellationToken ct) =>
        WriteAsync((c, tx) =>
        {
            using var cmd = Command(c, "DELETE FROM data_source WHERE tenant_id=$t AND key=$k;", tx, ("$t", tenantId), ("$k", key));
            return cmd.ExecuteNonQuery() == 1;
        }, ct);

    private const string ManualColumns =
        "e.id, e.entry_id, e.version, e.tenant_id, e.meter_id, m.key, e.ts, e.value, e.entered_by, e.entered_at, e.document, e.note, e.reason";

    private static StoredManualEntry MapManual(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        EntryId = r.GetInt64(1),
        Version = r.GetInt32(2),
        TenantId = r.GetInt64(3),
        MeterId = r.GetInt64(4),
        MeterKey = r.GetString(5),
        Ts = r.GetInt64(6),
        Value = r.GetDouble(7),
        EnteredBy = r.GetString(8),
        EnteredAt = r.GetInt64(9),
        Document = r.IsDBNull(10) ? null : r.GetString(10),
        Note = r.IsDBNull(11) ? null : r.GetString(11),
        Reason = r.IsDBNull(12) ? null : r.GetString(12),
    };

    public Task<ManualEntryOutcome> SaveManualEntryAsync(long tenantId, ManualEntryDraft draft, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return WriteAsync((c, tx) =>
        {
            long meterId, ts, entryId;
            int version;
            if (draft.Corrects is { } corrects)
            {
                var latest = ReadAll(c, tx, $"""
                    SELECT {ManualColumns} FROM manual_entry e JOIN meter m ON m.id=e.meter_id
                    WHERE e.entry_id=$e AND e.tenant_id=$t ORDER BY e.version DESC LIMIT 1;
                    """, MapManual, ("$e", corrects), ("$t", tenantId));
                if (latest.Count == 0) return new ManualEntryOutcome(ManualEntryStatus.NotFound, null);
                (meterId, ts, entryId, version) = (latest[0].MeterId, latest[0].Ts, corrects, latest[0].Version + 1);
                Scalar(c, "UPDATE reading SET value=$v WHERE meter_id=$m AND ts=$ts;", tx, ("$v", draft.Value), ("$m", meterId), ("$ts", ts));
            }
            else
            {
                (meterId, ts, version) = (draft.MeterId, draft.Ts, 1);
                var owner = Scalar(c, "SELECT tenant_id FROM meter WHERE id=$m;", tx, ("$m", meterId));
                if (owner is not long o || o != tenantId) return new ManualEntryOutcome(ManualEntryStatus.NotFound, null);
                if (Scalar(c, "SELECT entry_id FROM manual_entry WHERE meter_id=$m AND ts=$ts LIMIT 1;", tx, ("$m", meterId), ("$ts", ts)) is long held)
                    return new ManualEntryOutcome(ManualEntryStatus.EntryExists, null, held);
                if (Scalar(c, "SELECT 1 FROM reading WHERE meter_id=$m AND ts=$ts;", tx, ("$m", meterId), ("$ts", ts)) is not null)
                    return new ManualEntryOutcome(ManualEntryStatus.ReadingExists, null);
                Scalar(c, "INSERT INTO reading(meter_id, ts, value, received_at) VALUES($m,$ts,$v,$r);", tx,
                    ("$m", meterId), ("$ts", ts), ("$v", draft.Value), ("$r", draft.EnteredAt));
                entryId = 0;
            }
            var id = (long)Scalar(c, """
                INSERT INTO manual_entry(entry_id, version, tenant_id, meter_id, ts, value, entered_by, entered_at, document, note, reason)
                VALUES($e,$ver,$t,$m,$ts,$v,$by,$at,$doc,$note,$why) RETURNING id;
                """, tx, ("$e", entryId), ("$ver", version), ("$t", tenantId), ("$m", meterId), ("$ts", ts), ("$v", draft.Value),
                ("$by", draft.EnteredBy), ("$at", draft.EnteredAt), ("$doc", draft.Document), ("$note", draft.Note), ("$why", draft.Reason))!;
            if (version == 1)
            {
                entryId = id;
                Scalar(c, "UPDATE manual_entry SET entry_id=$id WHERE id=$id;", tx, ("$id", id));
            }
            MarkDirty(c, tx, meterId, ts, ts);
            var written = ReadAll(c, tx, $"SELECT {ManualColumns} FROM manual_entry e JOIN meter m ON m.id=e.meter_id WHERE e.id=$id;", MapManual, ("$id", id))[0];
            return new ManualEntryOutcome(version == 1 ? ManualEntryStatus.Created : ManualEntryStatus.Corrected, written);
        }, ct);
    }

    public Task<IReadOnlyList<StoredManualEntry>> ManualEntriesAsync(long tenantId, long? meterId, int limit, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredManualEntry>>(c => ReadAll(c, null, $"""
            SELECT {ManualColumns} FROM manual_entry e JOIN meter m ON m.id=e.meter_id
            WHERE e.tenant_id=$t AND ($m IS NULL OR e.meter_id=$m)
              AND e.version=(SELECT max(version) FROM manual_entry x WHERE x.entry_id=e.entry_id)
            ORDER BY e.ts DESC, e.entry_id DESC LIMIT $l;
            """, MapManual, ("$t", tenantId), ("$m", meterId), ("$l", limit)), ct);

    public Task<IReadOnlyList<StoredManualEntry>> ManualEntryHistoryAsync(long tenantId, long entryId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredManualEntry>>(c => ReadAll(c, null, $"""
            SELECT {ManualColumns} FROM manual_entry e JOIN meter m ON m.id=e.meter_id
            WHERE e.tenant_id=$t AND e.entry_id=$e ORDER BY e.version;
            """, MapManual, ("$t", tenantId), ("$e", entryId)), ct);
}
