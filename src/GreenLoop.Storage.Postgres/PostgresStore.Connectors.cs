using Npgsql;

namespace GreenLoop.Storage.Postgres;

public sealed partial class PostgresStore
{
    private const string DataSourceColumns = "key, kind, definition, enabled, updated_at, version";

    private static StoredDataSource MapDataSource(NpgsqlDataReader r, int at) =>
        new(r.GetString(at), r.GetString(at + 1), r.GetString(at + 2), r.GetBoolean(at + 3), r.GetInt64(at + 4), r.GetInt64(at + 5));

    public Task<IReadOnlyList<StoredDataSource>> DataSourcesAsync(long tenantId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredDataSource>>(async c => await ReadAllAsync(c, null,
            $"SELECT {DataSourceColumns} FROM data_source WHERE tenant_id=@t ORDER BY key COLLATE \"C\";", r => MapDataSource(r, 0), ct, ("t", tenantId)), ct);

    public Task<IReadOnlyList<TenantDataSource>> AllDataSourcesAsync(CancellationToken ct) =>
        ReadAsync<IReadOnlyList<TenantDataSource>>(async c => await ReadAllAsync(c, null,
            $"SELECT tenant_id, {DataSourceColumns} FROM data_source ORDER BY tenant_id, key COLLATE \"C\";",
            r => new TenantDataSource(r.GetInt64(0), MapDataSource(r, 1)), ct), ct);

    public Task<StoredDataSource> SaveDataSourceAsync(long tenantId, StoredDataSource source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        return WriteAsync(async (c, tx) => (await ReadAllAsync(c, tx, $"""
            INSERT INTO data_source(tenant_id, key, kind, definition, enabled, updated_at, version) VALUES(@t,@k,@kind,@d,@e,@u,1)
            ON CONFLICT(tenant_id, key) DO UPDATE SET kind=excluded.kind, definition=excluded.definition, enabled=excluded.enabled,
                updated_at=excluded.updated_at, version=data_source.version+1
            RETURNING {DataSourceColumns};
            """, r => MapDataSource(r, 0), ct, ("t", tenantId), ("k", source.Key), ("kind", source.Kind), ("d", source.Definition),
            ("e", source.Enabled), ("u", source.UpdatedAt)))[0], ct);
    }

    public Task<bool> DeleteDataSourceAsync(long tenantId, string key, CancellationToken ct) =>
        WriteAsync(async (c, tx) => await ExecAsync(c, tx, "DELETE FROM data_source WHERE tenant_id=@t AND key=@k;", ct, ("t", tenantId), ("k", key)) == 1, ct);

    private const string ManualColumns =
        "e.id, e.entry_id, e.version, e.tenant_id, e.meter_id, m.key, e.ts, e.value, e.entered_by, e.entered_at, e.document, e.note, e.reason";

    private static StoredManualEntry MapManual(NpgsqlDataReader r) => new()
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
        Document = NullableString(r, 10),
        Note = NullableString(r, 11),
        Reason = NullableString(r, 12),
    };

    /// <summary>
    /// As in the SQLite store; writers of one meter's manual entries queue on the meter's row (the SQLite store has a
    /// single writer), so two corrections of one entry get versions n+1 and n+2, never the same one.
    /// </summary>
    public Task<ManualEntryOutcome> SaveManualEntryAsync(long tenantId, ManualEntryDraft draft, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return WriteAsync(async (c, tx) =>
        {
            long meterId, ts, entryId;
            int version;
            var id = (long)(await ScalarAsync(c, tx, "SELECT nextval(pg_get_serial_sequence('manual_entry', 'id'));", ct))!;
            if (draft.Corrects is { } corrects)
            {
                if (await ScalarAsync(c, tx, "SELECT meter_id FROM manual_entry WHERE entry_id=@e AND tenant_id=@t LIMIT 1;", ct,
                    ("e", corrects), ("t", tenantId)) is not long entryMeter)
                    return new ManualEntryOutcome(ManualEntryStatus.NotFound, null);
                await ExecAsync(c, tx, "SELECT 1 FROM meter WHERE id=@m FOR NO KEY UPDATE;", ct, ("m", entryMeter));
                var latest = (await ReadAllAsync(c, tx, $"""
                    SELECT {ManualColumns} FROM manual_entry e JOIN meter m ON m.id=e.meter_id
                    WHERE e.entry_id=@e AND e.tenant_id=@t ORDER BY e.version DESC LIMIT 1;
                    """, MapManual, ct, ("e", corrects), ("t", tenantId)))[0];
                (meterId, ts, entryId, version) = (latest.MeterId, latest.Ts, corrects, latest.Version + 1);
                await ExecAsync(c, tx, "UPDATE reading SET value=@v WHERE meter_id=@m AND ts=@ts;", ct, ("v", draft.Value), ("m", meterId), ("ts", ts));
            }
            else
            {
                (meterId, ts, entryId, version) = (draft.MeterId, draft.Ts, id, 1);
                var owner = await ScalarAsync(c, tx, "SELECT tenant_id FROM meter WHERE id=@m FOR NO KEY UPDATE;", ct, ("m", meterId));
                if (owner is not long o || o != tenantId) return new ManualEntryOutcome(ManualEntryStatus.NotFound, null);
                if (await ScalarAsync(c, tx, "SELECT entry_id FROM manual_entry WHERE meter_id=@m AND ts=@ts LIMIT 1;", ct, ("m", meterId), ("ts", ts)) is long held)
                    return new ManualEntryOutcome(ManualEntryStatus.EntryExists, null, held);
                // ON CONFLICT: a device's reading that arrives concurrently wins, as if it had come first.
                if (await ExecAsync(c, tx, "INSERT INTO reading(meter_id, ts, value, received_at) VALUES(@m,@ts,@v,@r) ON CONFLICT (meter_id, ts) DO NOTHING;", ct,
                    ("m", meterId), ("ts", ts), ("v", draft.Value), ("r", draft.EnteredAt)) == 0)
                    return new ManualEntryOutcome(ManualEntryStatus.ReadingExists, null);
            }
            await ExecAsync(c, tx, """
                INSERT INTO manual_entry(id, entry_id, version, tenant_id, meter_id, ts, value, entered_by, entered_at, document, note, reason)
                VALUES(@id,@e,@ver,@t,@m,@ts,@v,@by,@at,@doc,@note,@why);
                """, ct, ("id", id), ("e", entryId), ("ver", version), ("t", tenantId), ("m", meterId), ("ts", ts), ("v", draft.Value),
                ("by", draft.EnteredBy), ("at", draft.EnteredAt), ("doc", draft.Document), ("note", draft.Note), ("why", draft.Reason));
            await MarkDirtyAsync(c, tx, meterId, ts, ts, ct);
            var written = (await ReadAllAsync(c, tx, $"SELECT {ManualColumns} FROM manual_entry e JOIN meter m ON m.id=e.meter_id WHERE e.id=@id;", MapManual, ct, ("id", id)))[0];
            return new ManualEntryOutcome(version == 1 ? ManualEntryStatus.Created : ManualEntryStatus.Corrected, written);
        }, ct);
    }

    public Task<IReadOnlyList<StoredManualEntry>> ManualEntriesAsync(long tenantId, long? meterId, int limit, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredManualEntry>>(async c => await ReadAllAsync(c, null, $"""
            SELECT {ManualColumns} FROM manual_entry e JOIN meter m ON m.id=e.meter_id
            WHERE e.tenant_id=@t AND (@m::bigint IS NULL OR e.meter_id=@m)
              AND e.version=(SELECT max(version) FROM manual_entry x WHERE x.entry_id=e.entry_id)
            ORDER BY e.ts DESC, e.entry_id DESC LIMIT @l;
            """, MapManual, ct, ("t", tenantId), ("m", meterId), ("l", limit)), ct);

    public Task<IReadOnlyList<StoredManualEntry>> ManualEntryHistoryAsync(long tenantId, long entryId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredManualEntry>>(async c => await ReadAllAsync(c, null, $"""
            SELECT {ManualColumns} FROM manual_entry e JOIN meter m ON m.id=e.meter_id
            WHERE e.tenant_id=@t AND e.entry_id=@e ORDER BY e.version;
            """, MapManual, ct, ("t", tenantId), ("e", entryId)), ct);
}
