using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using Microsoft.Data.Sqlite;

namespace GreenLoop.Storage.Sqlite;

public sealed partial class SqliteStore
{
    public override Task<AppendOutcome[]> AppendReadingsAsync(IReadOnlyList<StoredReading> readings, Instant receivedAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(readings);
        return WriteAsync((c, tx) =>
        {
            var outcomes = new AppendOutcome[readings.Count];
            var spans = new Dictionary<long, (long From, long To)>();
            using var insert = Command(c, "INSERT INTO reading(meter_id, ts, value, received_at) VALUES($m,$ts,$v,$r) ON CONFLICT(meter_id, ts) DO NOTHING;", tx,
                ("$m", 0L), ("$ts", 0L), ("$v", 0d), ("$r", receivedAt.UnixMs));
            using var existing = Command(c, "SELECT value FROM reading WHERE meter_id=$m AND ts=$ts;", tx, ("$m", 0L), ("$ts", 0L));
            insert.Prepare();
            var pm = insert.Parameters["$m"];
            var pts = insert.Parameters["$ts"];
            var pv = insert.Parameters["$v"];
            for (var i = 0; i < readings.Count; i++)
            {
                var r = readings[i];
                pm.Value = r.Meter.Value;
                pts.Value = r.Ts.UnixMs;
                pv.Value = r.Value;
                if (insert.ExecuteNonQuery() == 1)
                {
                    outcomes[i] = new AppendOutcome(AppendStatus.Inserted, null);
                    spans[r.Meter.Value] = spans.TryGetValue(r.Meter.Value, out var s) ? (Math.Min(s.From, r.Ts.UnixMs), Math.Max(s.To, r.Ts.UnixMs)) : (r.Ts.UnixMs, r.Ts.UnixMs);
                    continue;
                }
                existing.Parameters["$m"].Value = r.Meter.Value;
                existing.Parameters["$ts"].Value = r.Ts.UnixMs;
                var stored = Convert.ToDouble(existing.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
                // Bit-equal: the same JSON or CSV text parses to the same double.
                outcomes[i] = stored.Equals(r.Value)
                    ? new AppendOutcome(AppendStatus.Duplicate, null)
                    : new AppendOutcome(AppendStatus.Conflict, stored);
            }
            foreach (var (meter, span) in spans) MarkDirty(c, tx, meter, span.From, span.To);
            return outcomes;
        }, ct);
    }

    public override Task MarkDirtyAsync(MeterId meter, Instant first, Instant last, CancellationToken ct) =>
        WriteAsync((c, tx) => { MarkDirty(c, tx, meter.Value, first.UnixMs, last.UnixMs); return 0; }, ct);

    internal static void MarkDirty(SqliteConnection c, SqliteTransaction tx, long meterId, long from, long to) =>
        Scalar(c, """
            INSERT INTO dirty(meter_id, from_ts, to_ts, version) VALUES($m, $f, $t, 1)
            ON CONFLICT(meter_id) DO UPDATE SET from_ts=min(from_ts, excluded.from_ts), to_ts=max(to_ts, excluded.to_ts), version=version+1;
            """, tx, ("$m", meterId), ("$f", from), ("$t", to));

    internal static void MarkWholeMeterDirty(SqliteConnection c, SqliteTransaction tx, long meterId)
    {
        var span = ReadOne(c, tx, "SELECT count(*), min(ts), max(ts) FROM reading WHERE meter_id=$m;",
            r => (Count: r.GetInt64(0), From: r.IsDBNull(1) ? 0 : r.GetInt64(1), To: r.IsDBNull(2) ? 0 : r.GetInt64(2)), ("$m", meterId));
        if (span is { Count: > 0 } s) MarkDirty(c, tx, meterId, s.From, s.To);
    }

    public override Task QuarantineAsync(IReadOnlyList<QuarantineEntry> entries, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0) return Task.CompletedTask;
        return WriteAsync((c, tx) =>
        {
            using var cmd = Command(c, "INSERT INTO quarantine(tenant_id, received_at, source, meter, ts, value, field, reason, sender, scope, raw_length) VALUES($t,$r,$s,$m,$ts,$v,$f,$why,$who,$scope,$len);", tx,
                ("$t", 0L), ("$r", 0L), ("$s", ""), ("$m", null), ("$ts", null), ("$v", null), ("$f", ""), ("$why", ""), ("$who", null), ("$scope", null), ("$len", null));
            foreach (var e in entries)
            {
                cmd.Parameters["$t"].Value = e.TenantId;
                cmd.Parameters["$r"].Value = e.ReceivedAt;
                cmd.Parameters["$s"].Value = e.Source;
                cmd.Parameters["$m"].Value = (object?)e.Meter ?? DBNull.Value;
                cmd.Parameters["$ts"].Value = (object?)e.Ts ?? DBNull.Value;
                cmd.Parameters["$v"].Value = (object?)e.Value ?? DBNull.Value;
                cmd.Parameters["$f"].Value = e.Field;
                cmd.Parameters["$why"].Value = e.Reason;
                cmd.Parameters["$who"].Value = (object?)e.Sender ?? DBNull.Value;
                cmd.Parameters["$scope"].Value = (object?)e.Scope ?? DBNull.Value;
                cmd.Parameters["$len"].Value = (object?)e.RawLength ?? DBNull.Value;
                cmd.ExecuteNonQuery();
            }
            return 0;
        }, ct);
    }

    private static (string Where, (string, object?)[] Args) QuarantineWhere(long tenantId, QuarantineQuery? query)
    {
        var (sql, parameters) = query is null ? ("", []) : SeriesRows.QuarantineFilter(query, '$');
        return ("tenant_id=$t" + sql, [("$t", tenantId), .. parameters.Select(p => ("$" + p.Name, (object?)p.Value))]);
    }

    public override Task<IReadOnlyList<QuarantineEntry>> ListQuarantineAsync(long tenantId, QuarantineQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, args) = QuarantineWhere(tenantId, query);
        return ReadAsync<IReadOnlyList<QuarantineEntry>>(c => ReadAll(c, null,
            $"SELECT {SeriesRows.QuarantineColumns} FROM quarantine WHERE {where} ORDER BY id DESC LIMIT $l;",
            SeriesRows.Quarantine, [.. args, ("$l", query.Limit)]), ct);
    }

    public override Task<int> CountQuarantineAsync(long tenantId, QuarantineQuery? query, CancellationToken ct)
    {
        var (where, args) = QuarantineWhere(tenantId, query is null ? null : query with { BeforeId = null });
        return ReadAsync(c => Convert.ToInt32(Scalar(c, $"SELECT count(*) FROM quarantine WHERE {where};", null, args), System.Globalization.CultureInfo.InvariantCulture), ct);
    }

    public override Task<int> PurgeQuarantineAsync(long tenantId, QuarantineQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, args) = QuarantineWhere(tenantId, query);
        return WriteAsync((c, tx) =>
        {
            using var cmd = Command(c, $"DELETE FROM quarantine WHERE {where};", tx, args);
            return cmd.ExecuteNonQuery();
        }, ct);
    }

    public override Task DeleteQuarantineAsync(long tenantId, IReadOnlyList<long> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return WriteAsync((c, tx) =>
        {
            using var cmd = Command(c, "DELETE FROM quarantine WHERE tenant_id=$t AND id=$id;", tx, ("$t", tenantId), ("$id", 0L));
            foreach (var id in ids)
            {
                cmd.Parameters["$id"].Value = id;
                cmd.ExecuteNonQuery();
            }
            return 0;
        }, ct);
    }

    public override Task<IReadOnlyList<DirtyMeter>> GetDirtyAsync(int max, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<DirtyMeter>>(c => ReadAll(c, null, "SELECT meter_id, from_ts, to_ts, version FROM dirty ORDER BY to_ts - from_ts, meter_id LIMIT $l;",
            r => new DirtyMeter(new MeterId(r.GetInt64(0)), new Instant(r.GetInt64(1)), new Instant(r.GetInt64(2)), r.GetInt64(3)), ("$l", max)), ct);

    public override Task<long> CountDirtyAsync(CancellationToken ct) =>
        ReadAsync(c => (long)Scalar(c, "SELECT count(*) FROM dirty;")!, ct);

    public override Task<(Instant? Before, Instant? After)> NeighbourInstantsAsync(MeterId meter, Instant first, Instant last, int back, CancellationToken ct) =>
        ReadAsync(c => (
            SeriesRows.InstantOrNull(Scalar(c, "SELECT min(ts) FROM (SELECT ts FROM reading WHERE meter_id=$m AND ts < $t ORDER BY ts DESC LIMIT $k);", null,
                ("$m", meter.Value), ("$t", first.UnixMs), ("$k", Math.Max(1, back)))),
            SeriesRows.InstantOrNull(Scalar(c, "SELECT min(ts) FROM reading WHERE meter_id=$m AND ts > $t;", null, ("$m", meter.Value), ("$t", last.UnixMs)))), ct);

    public override Task<RawReading[]> ReadingsAsync(MeterId meter, Instant from, Instant to, bool withNeighbours, CancellationToken ct) =>
        ReadAsync(c =>
        {
            var sql = withNeighbours
                ? """
                  SELECT ts, value FROM (SELECT ts, value FROM reading WHERE meter_id=$m AND ts < $f ORDER BY ts DESC LIMIT 1)
                  UNION ALL SELECT ts, value FROM reading WHERE meter_id=$m AND ts >= $f AND ts <= $t
                  UNION ALL SELECT ts, value FROM (SELECT ts, value FROM reading WHERE meter_id=$m AND ts > $t ORDER BY ts LIMIT 1)
                  """
                : "SELECT ts, value FROM reading WHERE meter_id=$m AND ts >= $f AND ts <= $t";
            var list = ReadAll(c, null, sql, r => new RawReading(r.GetInt64(0), r.GetDouble(1)), ("$m", meter.Value), ("$f", from.UnixMs), ("$t", to.UnixMs));
            list.Sort((a, b) => a.Ts.CompareTo(b.Ts));
            return list.ToArray();
        }, ct);

    public override Task<long> CountReadingsAsync(MeterId meter, CancellationToken ct) =>
        ReadAsync(c => (long)Scalar(c, "SELECT count(*) FROM reading WHERE meter_id=$m;", null, ("$m", meter.Value))!, ct);
}
