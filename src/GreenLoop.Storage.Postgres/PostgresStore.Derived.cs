using Npgsql;
using NpgsqlTypes;

namespace GreenLoop.Storage.Postgres;

public sealed partial class PostgresStore
{
    private const string NodeRollupFromBucketsSql = """
        INSERT INTO node_rollup(node_id, carrier, direction, grain, ts, value, covered, meters)
        SELECT nm.node_id, m.carrier, m.direction, 0, b.ts, sum(b.value), sum(b.covered), count(*)
        FROM node_meter nm JOIN node n ON n.id = nm.node_id JOIN meter m ON m.id = nm.meter_id JOIN bucket b ON b.meter_id = nm.meter_id
        """;

    private const string NodeRollupFromRollupsSql = """
        INSERT INTO node_rollup(node_id, carrier, direction, grain, ts, value, covered, meters)
        SELECT nm.node_id, m.carrier, m.direction, r.grain, r.ts, sum(r.value), sum(r.covered), count(*)
        FROM node_meter nm JOIN node n ON n.id = nm.node_id JOIN meter m ON m.id = nm.meter_id JOIN rollup r ON r.meter_id = nm.meter_id
        """;

    private const string ClearSpansSql = """
        DELETE FROM bucket b USING unnest(@m::bigint[], @f::bigint[], @t::bigint[]) s(m, f, t) WHERE b.meter_id = s.m AND b.ts >= s.f AND b.ts < s.t;
        DELETE FROM rollup r USING unnest(@m::bigint[], @f::bigint[], @t::bigint[]) s(m, f, t) WHERE r.meter_id = s.m AND r.grain = 1 AND r.ts >= s.f AND r.ts < s.t;
        DELETE FROM finding x USING unnest(@m::bigint[], @f::bigint[], @t::bigint[]) s(m, f, t) WHERE x.meter_id = s.m AND x.ts >= s.f AND x.ts < s.t;
        """;

    // The joins from a list of keys to the rows they cover are LATERAL subqueries with OFFSET 0: that keeps the planner
    // from flattening them, so that each key's rows are one index range (meter, grain, instant) rather than all of a
    // meter's rows filtered afterwards (which it chose for a year of data, reading every bucket of every meter).
    private const string RollPeriodsSql = $"""
        DELETE FROM rollup r USING unnest(@m::bigint[], @ts::bigint[]) p(m, ts) WHERE r.meter_id = p.m AND r.grain = @g AND r.ts = p.ts;
        INSERT INTO rollup(meter_id, grain, ts, up_ts, value, min, max, covered, flags)
        SELECT p.m, @g, p.ts, p.up, {RollupRule.SqlColumns}
        FROM unnest(@m::bigint[], @ts::bigint[], @up::bigint[]) p(m, ts, up)
        CROSS JOIN LATERAL (SELECT r.value, r.min, r.max, r.covered, r.flags FROM rollup r
                            WHERE r.meter_id = p.m AND r.grain = @g - 1 AND r.up_ts = p.ts OFFSET 0) x
        GROUP BY p.m, p.ts, p.up;
        """;

    private const string FindingsSql = """
        INSERT INTO finding(meter_id, ts, kind, detail)
        SELECT * FROM unnest(@m::bigint[], @ts::bigint[], @k::text[], @d::text[])
        ON CONFLICT (meter_id, ts, kind) DO UPDATE SET detail = excluded.detail;
        DELETE FROM dirty d USING unnest(@dm::bigint[], @dv::bigint[]) x(m, v) WHERE d.meter_id = x.m AND d.version = x.v;
        """;

    /// <summary>
    /// Writes derived spans set by set rather than row by row: one DELETE per table over all spans, binary COPY of the
    /// buckets and hours, one INSERT … SELECT per grain for days and months, then the node totals they touch. A meter
    /// listed twice is written in a later wave, so the later span wins where they overlap, as in the SQLite store.
    /// </summary>
    public override Task SaveDerivedAsync(IReadOnlyList<DerivedSpan> spans, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0) return Task.CompletedTask;
        return WriteAsync(async (c, tx) =>
        {
            await LockDerivedAsync(c, tx, ct);
            foreach (var wave in Waves(spans)) await SaveWaveAsync(c, tx, wave, ct);
            var nodeWork = new NodeWork();
            await nodeWork.AddAsync(c, tx, spans, ct);
            await nodeWork.ApplyAsync(c, tx, ct);
            return 0;
        }, ct);
    }

    /// <summary>Splits the spans so that no meter appears twice in one wave, keeping their order.</summary>
    private static List<List<DerivedSpan>> Waves(IReadOnlyList<DerivedSpan> spans)
    {
        var waves = new List<List<DerivedSpan>>();
        var seen = new Dictionary<long, int>();
        foreach (var span in spans)
        {
            var wave = seen.TryGetValue(span.Meter.Value, out var w) ? w + 1 : 0;
            seen[span.Meter.Value] = wave;
            if (wave == waves.Count) waves.Add([]);
            waves[wave].Add(span);
        }
        return waves;
    }

    private static async Task SaveWaveAsync(NpgsqlConnection c, NpgsqlTransaction tx, List<DerivedSpan> spans, CancellationToken ct)
    {
        await ExecAsync(c, tx, ClearSpansSql, ct,
            ("m", spans.Select(s => s.Meter.Value).ToArray()), ("f", spans.Select(s => s.From.UnixMs).ToArray()), ("t", spans.Select(s => s.To.UnixMs).ToArray()));
        await CopyRowsAsync(c, "COPY bucket(meter_id, ts, up_ts, value, min, max, covered, flags) FROM STDIN (FORMAT BINARY)", null,
            spans.SelectMany(s => s.Buckets.Select(b => (MeterId: s.Meter.Value, b))), ct);
        await CopyRowsAsync(c, "COPY rollup(meter_id, grain, ts, up_ts, value, min, max, covered, flags) FROM STDIN (FORMAT BINARY)", 1,
            spans.SelectMany(s => s.Hours.Select(h => (MeterId: s.Meter.Value, h))), ct);

        var days = spans.SelectMany(s => s.Days.Select(d => (MeterId: s.Meter.Value, Ts: d.Day, Up: d.Month))).Distinct().ToList();
        var months = spans.SelectMany(s => s.Months.Select(m => (MeterId: s.Meter.Value, Ts: m, Up: m))).Distinct().ToList();
        foreach (var (grain, periods) in new[] { (2, days), (3, months) })
        {
            if (periods.Count == 0) continue;
            await ExecAsync(c, tx, RollPeriodsSql, ct, ("g", grain),
                ("m", periods.Select(p => p.MeterId).ToArray()), ("ts", periods.Select(p => p.Ts).ToArray()), ("up", periods.Select(p => p.Up).ToArray()));
        }

        // A finding repeated at the same instant and kind: the last one stands (INSERT OR REPLACE in SQLite).
        var findings = new Dictionary<(long, long, string), string>();
        foreach (var s in spans)
        {
            foreach (var f in s.Findings) findings[(s.Meter.Value, f.Ts, f.Kind.ToString())] = f.Detail;
        }
        var cleared = spans.Where(s => s.DirtyVersion is not null).ToList();
        await ExecAsync(c, tx, FindingsSql, ct,
            ("m", findings.Keys.Select(k => k.Item1).ToArray()), ("ts", findings.Keys.Select(k => k.Item2).ToArray()),
            ("k", findings.Keys.Select(k => k.Item3).ToArray()), ("d", findings.Values.ToArray()),
            ("dm", cleared.Select(s => s.Meter.Value).ToArray()), ("dv", cleared.Select(s => s.DirtyVersion!.Value).ToArray()));
    }

    /// <summary>Binary COPY of derived rows into <c>bucket</c> (no grain) or <c>rollup</c> (with <paramref name="grain"/>).</summary>
    private static async Task CopyRowsAsync(NpgsqlConnection c, string copy, int? grain, IEnumerable<(long MeterId, DerivedRow Row)> rows, CancellationToken ct)
    {
        await using var w = await c.BeginBinaryImportAsync(copy, ct);
        foreach (var (meter, row) in rows)
        {
            await w.StartRowAsync(ct);
            await w.WriteAsync(meter, NpgsqlDbType.Bigint, ct);
            if (grain is { } g) await w.WriteAsync(g, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(row.Ts, NpgsqlDbType.Bigint, ct);
            await w.WriteAsync(row.UpTs, NpgsqlDbType.Bigint, ct);
            await WriteNullableAsync(w, row.Value, ct);
            await WriteNullableAsync(w, row.Min, ct);
            await WriteNullableAsync(w, row.Max, ct);
            await w.WriteAsync(row.CoveredMs, NpgsqlDbType.Bigint, ct);
            await w.WriteAsync((long)row.Flags, NpgsqlDbType.Bigint, ct);
        }
        await w.CompleteAsync(ct);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter w, double? value, CancellationToken ct) =>
        value is { } v ? w.WriteAsync(v, NpgsqlDbType.Double, ct) : w.WriteNullAsync(ct);

    /// <summary>
    /// Collects the node totals a set of derived spans touches, so that each (node, carrier, period) is summed once
    /// per transaction however many of its meters changed; then rewrites them set by set.
    /// </summary>
    private sealed class NodeWork
    {
        private readonly Dictionary<(long Node, string Carrier, string Direction), List<(long From, long To)>> _ranges = [];
        private readonly HashSet<(long Node, string Carrier, string Direction, int Grain, long Ts)> _periods = [];

        public async Task AddAsync(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyList<DerivedSpan> spans, CancellationToken ct)
        {
            var nodesOf = (await ReadAllAsync(c, tx,
                "SELECT nm.meter_id, nm.node_id, m.carrier, m.direction FROM node_meter nm JOIN meter m ON m.id = nm.meter_id WHERE nm.meter_id = ANY(@m);",
                r => (Meter: r.GetInt64(0), Key: (r.GetInt64(1), r.GetString(2), r.GetString(3))), ct,
                ("m", spans.Select(s => s.Meter.Value).Distinct().ToArray())))
                .ToLookup(x => x.Meter, x => x.Key);
            foreach (var span in spans)
            {
                foreach (var key in nodesOf[span.Meter.Value])
                {
                    if (!_ranges.TryGetValue(key, out var list)) _ranges[key] = list = [];
                    list.Add((span.From.UnixMs, span.To.UnixMs));
                    foreach (var (day, _) in span.Days) _periods.Add((key.Item1, key.Item2, key.Item3, 2, day));
                    foreach (var month in span.Months) _periods.Add((key.Item1, key.Item2, key.Item3, 3, month));
                }
            }
        }

        public async Task ApplyAsync(NpgsqlConnection c, NpgsqlTransaction tx, CancellationToken ct)
        {
            var ranges = _ranges.SelectMany(kv => SeriesRows.Merge(kv.Value).Select(r => (kv.Key.Node, kv.Key.Carrier, kv.Key.Direction, r.From, r.To))).ToList();
            if (ranges.Count > 0)
            {
                await ExecAsync(c, tx, """
                    DELETE FROM node_rollup nr USING unnest(@n::bigint[], @c::text[], @d::text[], @f::bigint[], @t::bigint[]) k(n, c, d, f, t)
                    WHERE nr.node_id = k.n AND nr.carrier = k.c AND nr.direction = k.d AND nr.grain IN (0, 1) AND nr.ts >= k.f AND nr.ts < k.t;
                    INSERT INTO node_rollup(node_id, carrier, direction, grain, ts, value, covered, meters)
                    SELECT k.n, k.c, k.d, 0, b.ts, sum(b.value), sum(b.covered), count(*)
                    FROM unnest(@n::bigint[], @c::text[], @d::text[], @f::bigint[], @t::bigint[]) k(n, c, d, f, t)
                    JOIN node_meter nm ON nm.node_id = k.n JOIN meter m ON m.id = nm.meter_id AND m.carrier = k.c AND m.direction = k.d
                    CROSS JOIN LATERAL (SELECT x.ts, x.value, x.covered FROM bucket x WHERE x.meter_id = nm.meter_id AND x.ts >= k.f AND x.ts < k.t OFFSET 0) b
                    GROUP BY k.n, k.c, k.d, b.ts;
                    INSERT INTO node_rollup(node_id, carrier, direction, grain, ts, value, covered, meters)
                    SELECT k.n, k.c, k.d, 1, r.ts, sum(r.value), sum(r.covered), count(*)
                    FROM unnest(@n::bigint[], @c::text[], @d::text[], @f::bigint[], @t::bigint[]) k(n, c, d, f, t)
                    JOIN node_meter nm ON nm.node_id = k.n JOIN meter m ON m.id = nm.meter_id AND m.carrier = k.c AND m.direction = k.d
                    CROSS JOIN LATERAL (SELECT x.ts, x.value, x.covered FROM rollup x
                                        WHERE x.meter_id = nm.meter_id AND x.grain = 1 AND x.ts >= k.f AND x.ts < k.t OFFSET 0) r
                    GROUP BY k.n, k.c, k.d, r.ts;
                    """, ct,
                    ("n", ranges.Select(r => r.Node).ToArray()), ("c", ranges.Select(r => r.Carrier).ToArray()), ("d", ranges.Select(r => r.Direction).ToArray()),
                    ("f", ranges.Select(r => r.From).ToArray()), ("t", ranges.Select(r => r.To).ToArray()));
            }
            if (_periods.Count > 0)
            {
                var periods = _periods.ToList();
                await ExecAsync(c, tx, """
                    DELETE FROM node_rollup nr USING unnest(@n::bigint[], @c::text[], @d::text[], @g::integer[], @ts::bigint[]) k(n, c, d, g, ts)
                    WHERE nr.node_id = k.n AND nr.carrier = k.c AND nr.direction = k.d AND nr.grain = k.g AND nr.ts = k.ts;
                    INSERT INTO node_rollup(node_id, carrier, direction, grain, ts, value, covered, meters)
                    SELECT k.n, k.c, k.d, k.g, k.ts, sum(r.value), sum(r.covered), count(*)
                    FROM unnest(@n::bigint[], @c::text[], @d::text[], @g::integer[], @ts::bigint[]) k(n, c, d, g, ts)
                    JOIN node_meter nm ON nm.node_id = k.n JOIN meter m ON m.id = nm.meter_id AND m.carrier = k.c AND m.direction = k.d
                    CROSS JOIN LATERAL (SELECT x.value, x.covered FROM rollup x WHERE x.meter_id = nm.meter_id AND x.grain = k.g AND x.ts = k.ts OFFSET 0) r
                    GROUP BY k.n, k.c, k.d, k.g, k.ts;
                    """, ct,
                    ("n", periods.Select(p => p.Node).ToArray()), ("c", periods.Select(p => p.Carrier).ToArray()), ("d", periods.Select(p => p.Direction).ToArray()),
                    ("g", periods.Select(p => p.Grain).ToArray()), ("ts", periods.Select(p => p.Ts).ToArray()));
            }
        }
    }
}
