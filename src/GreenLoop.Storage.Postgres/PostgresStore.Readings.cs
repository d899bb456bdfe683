using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using Npgsql;

namespace GreenLoop.Storage.Postgres;

public sealed partial class PostgresStore
{
    public override Task MarkDirtyAsync(MeterId meter, Instant first, Instant last, CancellationToken ct) =>
        WriteAsync(async (c, tx) => { await MarkDirtyAsync(c, tx, meter.Value, first.UnixMs, last.UnixMs, ct); return 0; }, ct);

    internal static Task MarkDirtyAsync(NpgsqlConnection c, NpgsqlTransaction tx, long meterId, long from, long to, CancellationToken ct) =>
        ExecAsync(c, tx, """
            INSERT INTO dirty(meter_id, from_ts, to_ts, version) VALUES(@m, @f, @t, 1)
            ON CONFLICT(meter_id) DO UPDATE SET from_ts=least(dirty.from_ts, excluded.from_ts), to_ts=greatest(dirty.to_ts, excluded.to_ts), version=dirty.version+1;
            """, ct, ("m", meterId), ("f", from), ("t", to));

    internal static async Task MarkWholeMeterDirtyAsync(NpgsqlConnection c, NpgsqlTransaction tx, long meterId, CancellationToken ct)
    {
        var span = await ReadOneAsync(c, tx, "SELECT min(ts), max(ts) FROM reading WHERE meter_id=@m;",
            r => (From: NullableLong(r, 0), To: NullableLong(r, 1)), ct, ("m", meterId));
        if (span is { From: { } from, To: { } to }) await MarkDirtyAsync(c, tx, meterId, from, to, ct);
    }

    public override Task QuarantineAsync(IReadOnlyList<QuarantineEntry> entries, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0) return Task.CompletedTask;
        return WriteAsync((c, tx) => ExecAsync(c, tx, """
            INSERT INTO quarantine(tenant_id, received_at, source, meter, ts, value, field, reason, sender, scope, raw_length)
            SELECT t, r, s, m, ts, v, f, why, who, scope, len
            FROM unnest(@t::bigint[], @r::bigint[], @s::text[], @m::text[], @ts::text[], @v::text[], @f::text[], @why::text[], @who::text[], @scope::text[], @len::integer[])
                 WITH ORDINALITY AS x(t, r, s, m, ts, v, f, why, who, scope, len, n)
            ORDER BY n;
            """, ct,
            ("t", entries.Select(e => e.TenantId).ToArray()), ("r", entries.Select(e => e.ReceivedAt).ToArray()),
            ("s", entries.Select(e => e.Source).ToArray()), ("m", entries.Select(e => e.Meter).ToArray()),
            ("ts", entries.Select(e => e.Ts).ToArray()), ("v", entries.Select(e => e.Value).ToArray()),
            ("f", entries.Select(e => e.Field).ToArray()), ("why", entries.Select(e => e.Reason).ToArray()),
            ("who", entries.Select(e => e.Sender).ToArray()), ("scope", entries.Select(e => e.Scope).ToArray()),
            ("len", entries.Select(e => e.RawLength).ToArray())), ct);
    }

    private static (string Where, (string, object?)[] Args) QuarantineWhere(long tenantId, QuarantineQuery? query)
    {
        var (sql, parameters) = query is null ? ("", []) : SeriesRows.QuarantineFilter(query, '@');
        return ("tenant_id=@t" + sql, [("t", tenantId), .. parameters.Select(p => (p.Name, (object?)p.Value))]);
    }

    public override Task<IReadOnlyList<QuarantineEntry>> ListQuarantineAsync(long tenantId, QuarantineQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, args) = QuarantineWhere(tenantId, query);
        return ReadAsync<IReadOnlyList<QuarantineEntry>>(async c => await ReadAllAsync(c, null,
            $"SELECT {SeriesRows.QuarantineColumns} FROM quarantine WHERE {where} ORDER BY id DESC LIMIT @l;",
            SeriesRows.Quarantine, ct, [.. args, ("l", query.Limit)]), ct);
    }

    public override Task<int> CountQuarantineAsync(long tenantId, QuarantineQuery? query, CancellationToken ct)
    {
        var (where, args) = QuarantineWhere(tenantId, query is null ? null : query with { BeforeId = null });
        return ReadAsync(async c => (int)(long)(await ScalarAsync(c, null, $"SELECT count(*) FROM quarantine WHERE {where};", ct, args))!, ct);
    }

    public override Task<int> PurgeQuarantineAsync(long tenantId, QuarantineQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, args) = QuarantineWhere(tenantId, query);
        return WriteAsync((c, tx) => ExecAsync(c, tx, $"DELETE FROM quarantine WHERE {where};", ct, args), ct);
    }

    public override Task DeleteQuarantineAsync(long tenantId, IReadOnlyList<long> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return WriteAsync((c, tx) => ExecAsync(c, tx, "DELETE FROM quarantine WHERE tenant_id=@t AND id = ANY(@ids);", ct,
            ("t", tenantId), ("ids", ids.ToArray())), ct);
    }

    public override Task<IReadOnlyList<DirtyMeter>> GetDirtyAsync(int max, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<DirtyMeter>>(async c => await ReadAllAsync(c, null, "SELECT meter_id, from_ts, to_ts, version FROM dirty ORDER BY to_ts - from_ts, meter_id LIMIT @l;",
            r => new DirtyMeter(new MeterId(r.GetInt64(0)), new Instant(r.GetInt64(1)), new Instant(r.GetInt64(2)), r.GetInt64(3)), ct, ("l", max)), ct);

    public override Task<long> CountDirtyAsync(CancellationToken ct) =>
        ReadAsync(async c => (long)(await ScalarAsync(c, null, "SELECT count(*) FROM dirty;", ct))!, ct);

    public override Task<(Instant? Before, Instant? After)> NeighbourInstantsAsync(MeterId meter, Instant first, Instant last, int back, CancellationToken ct) =>
        ReadAsync(async c => (
            SeriesRows.InstantOrNull(await ScalarAsync(c, null, "SELECT min(ts) FROM (SELECT ts FROM reading WHERE meter_id=@m AND ts < @t ORDER BY ts DESC LIMIT @k) x;", ct,
                ("m", meter.Value), ("t", first.UnixMs), ("k", Math.Max(1, back)))),
            SeriesRows.InstantOrNull(await ScalarAsync(c, null, "SELECT min(ts) FROM reading WHERE meter_id=@m AND ts > @t;", ct, ("m", meter.Value), ("t", last.UnixMs)))), ct);

    public override Task<RawReading[]> ReadingsAsync(MeterId meter, Instant from, Instant to, bool withNeighbours, CancellationToken ct) =>
        ReadAsync(async c =>
        {
            var sql = withNeighbours
                ? """
                  (SELECT ts, value FROM reading WHERE meter_id=@m AND ts < @f ORDER BY ts DESC LIMIT 1)
                  UNION ALL (SELECT ts, value FROM reading WHERE meter_id=@m AND ts >= @f AND ts <= @t)
                  UNION ALL (SELECT ts, value FROM reading WHERE meter_id=@m AND ts > @t ORDER BY ts LIMIT 1)
                  ORDER BY ts;
                  """
                : "SELECT ts, value FROM reading WHERE meter_id=@m AND ts >= @f AND ts <= @t ORDER BY ts;";
            var list = await ReadAllAsync(c, null, sql, r => new RawReading(r.GetInt64(0), r.GetDouble(1)), ct, ("m", meter.Value), ("f", from.UnixMs), ("t", to.UnixMs));
            return list.ToArray();
        }, ct);

    public override Task<long> CountReadingsAsync(MeterId meter, CancellationToken ct) =>
        ReadAsync(async c => (long)(await ScalarAsync(c, null, "SELECT count(*) FROM reading WHERE meter_id=@m;", ct, ("m", meter.Value)))!, ct);
}
