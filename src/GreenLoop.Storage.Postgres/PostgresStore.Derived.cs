using GreenLoop.Domain.Derivation;
using Npgsql;
using NpgsqlTypes;

namespace GreenLoop.Storage.Postgres;

public sealed partial class PostgresStore
{
    private const string NodeRollupFromBucketsSql = """
        INSERT INTO node_rollup(node_id, carrier, direction, grain, ts, value, covered, meters, flags)
        SELECT nm.node_id, m.carrier, m.direction, 0, b.ts, sum(b.value), sum(b.covered), count(*), bit_or(b.flags)
        FROM node_meter nm JOIN node n ON n.id = nm.node_id JOIN meter m ON m.id = nm.meter_id JOIN bucket b ON b.meter_id = nm.meter_id
        """;

    private const string NodeRollupFromRollupsSql = """
        INSERT INTO node_rollup(node_id, carrier, direction, grain, ts, value, covered, meters, flags)
        SELECT nm.node_id, m.carrier, m.direction, r.grain, r.ts, sum(r.value), sum(r.covered), count(*), bit_or(r.flags)
        FROM node_meter nm JOIN node n ON n.id = nm.node_id JOIN meter m ON m.id = nm.meter_id JOIN rollup r ON r.meter_id = nm.meter_id
        """;

    // The joins from a list of keys to the rows they cover are LATERAL subqueries with OFFSET 0: that keeps the planner
    // from flattening them, so that each key's rows are one index range (meter, grain, instant) rather than all of a
    // meter's rows filtered afterwards (which it chose for a year of data, reading every bucket of every meter).
    private const string StoredRowsSql = """
        SELECT s.m, 0, x.ts, x.up_ts, x.value, x.min, x.max, x.covered, x.flags FROM unnest(@m::bigint[], @f::bigint[], @t::bigint[]) s(m, f, t)
        CROSS JOIN LATERAL (SELECT * FROM bucket x WHERE x.meter_id = s.m AND x.ts >= s.f AND x.ts < s.t OFFSET 0) x
        UNION ALL
        SELECT s.m, 1, x.ts, x.up_ts, x.value, x.min, x.max, x.covered, x.flags FROM unnest(@m::bigint[], @f::bigint[], @t::bigint[]) s(m, f, t)
        CROSS JOIN LATERAL (SELECT * FROM rollup x WHERE x.meter_id = s.m AND x.grain = 1 AND x.ts >= s.f AND x.ts < s.t OFFSET 0) x;
        """;

    private const string DeleteRowsSql = """
        DELETE FROM bucket b USING unnest(@bm::bigint[], @bts::bigint[]) k(m, ts) WHERE b.meter_id = k.m AND b.ts = k.ts;
        DELETE FROM rollup r USING unnest(@hm::bigint[], @hts::bigint[]) k(m, ts) WHERE r.meter_id = k.m AND r.grain = 1 AND r.ts = k.ts;
        DELETE FROM finding x USING unnest(@m::bigint[], @f::bigint[], @t::bigint[]) s(m, f, t) WHERE x.meter_id = s.m AND x.ts >= s.f AND x.ts < s.t;
        """;

    private const string StoredPeriodsSql = """
        SELECT p.m, x.ts, x.up_ts, x.value, x.min, x.max, x.covered, x.flags FROM unnest(@m::bigint[], @ts::bigint[]) p(m, ts)
        JOIN rollup x ON x.meter_id = p.m AND x.grain = @g AND x.ts = p.ts;
        """;

    private const string RollPeriodsSql = $"""
        DELETE FROM rollup r USING unnest(@m::bigint[], @ts::bigint[]) p(m, ts) WHERE r.meter_id = p.m AND r.grain = @g AND r.ts = p.ts;
        INSERT INTO rollup(meter_id, grain, ts, up_ts, value, min, max, covered, flags)
        SELECT p.m, @g, p.ts, p.up, {RollupRule.SqlColumns}
        FROM unnest(@m::bigint[], @ts::bigint[], @up::bigint[]) p(m, ts, up)
        CROSS JOIN LATERAL (SELECT r.value, r.min, r.max, r.covered, r.flags FROM rollup r
                            WHERE r.meter_id = p.m AND r.grain = @g - 1 AND r.up_ts = p.ts OFFSET 0) x
        GROUP BY p.m, p.ts, p.up
        RETURNING meter_id, ts, up_ts, value, min, max, covered, flags;
        """;

    private const string FindingsSql = """
        INSERT INTO finding(meter_id, ts, kind, detail)
        SELECT * FROM unnest(@m::bigint[], @ts::bigint[], @k::text[], @d::text[])
        ON CONFLICT (meter_id, ts, kind) DO UPDATE SET detail = excluded.detail;
        DELETE FROM dirty d USING unnest(@dm::bigint[], @dv::bigint[]) x(m, v) WHERE d.meter_id = x.m AND d.version = x.v;
        """;

    private const string AddNodeChangesSql = """
        INSERT INTO node_rollup(node_id, carrier, direction, grain, ts, value, covered, meters, flags)
        SELECT * FROM unnest(@n::bigint[], @c::text[], @d::text[], @g::integer[], @ts::bigint[], @v::double precision[], @cov::bigint[], @cnt::integer[], @fl::bigint[])
        ON CONFLICT (node_id, grain, ts, carrier, direction) DO UPDATE SET
            value = CASE WHEN excluded.value IS NULL THEN node_rollup.value ELSE coalesce(node_rollup.value, 0) + excluded.value END,
            covered = node_rollup.covered + excluded.covered,
            meters = node_rollup.meters + excluded.meters,
            flags = node_rollup.flags | excluded.flags;
        """;

    private const string RecomputeNodeCellsSql = """
        DELETE FROM node_rollup nr USING unnest(@n::bigint[], @c::text[], @d::text[], @g::integer[], @ts::bigint[]) k(n, c, d, g, ts)
        WHERE nr.node_id = k.n AND nr.carrier = k.c AND nr.direction = k.d AND nr.grain = k.g AND nr.ts = k.ts;
        INSERT INTO node_rollup(node_id, carrier, direction, grain, ts, value, covered, meters, flags)
        SELECT k.n, k.c, k.d, k.g, k.ts, sum(r.value), sum(r.covered), count(*), bit_or(r.flags)
        FROM unnest(@n::bigint[], @c::text[], @d::text[], @g::integer[], @ts::bigint[]) k(n, c, d, g, ts)
        JOIN node_meter nm ON nm.node_id = k.n JOIN meter m ON m.id = nm.meter_id AND m.carrier = k.c AND m.direction = k.d
        CROSS JOIN LATERAL (SELECT x.value, x.covered, x.flags FROM bucket x WHERE k.g = 0 AND x.meter_id = nm.meter_id AND x.ts = k.ts
                            UNION ALL
                            SELECT x.value, x.covered, x.flags FROM rollup x WHERE k.g > 0 AND x.meter_id = nm.meter_id AND x.grain = k.g AND x.ts = k.ts
                            OFFSET 0) r
        GROUP BY k.n, k.c, k.d, k.g, k.ts;
        """;

    /// <summary>
    /// Writes derived spans set by set, touching only what changed: the stored buckets and hours of every span are
    /// read in one query and compared with the derived ones; the rows that differ are deleted and copied in (binary
    /// COPY), days are re-rolled in one statement only where an hour changed, months only where a day changed, and node
    /// totals are adjusted by the differences in one upsert (<see cref="NodeDeltas"/>). A meter listed twice is written in
    /// a later wave, so the later span wins where they overlap, as in the SQLite store.
    /// </summary>
    public override Task SaveDerivedAsync(IReadOnlyList<DerivedSpan> spans, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0) return Task.CompletedTask;
        return WriteAsync(async (c, tx) =>
        {
            await LockDerivedAsync(c, tx, ct);
            var nodesOf = (await ReadAllAsync(c, tx,
                "SELECT nm.meter_id, nm.node_id, m.carrier, m.direction FROM node_meter nm JOIN meter m ON m.id = nm.meter_id WHERE nm.meter_id = ANY(@m);",
                r => (Meter: r.GetInt64(0), Key: new NodeKey(r.GetInt64(1), r.GetString(2), r.GetString(3))), ct,
                ("m", spans.Select(s => s.Meter.Value).Distinct().ToArray())))
                .GroupBy(x => x.Meter).ToDictionary(g => g.Key, g => (IReadOnlyList<NodeKey>)g.Select(x => x.Key).ToList());
            var deltas = new NodeDeltas();
            foreach (var wave in Waves(spans)) await SaveWaveAsync(c, tx, wave, nodesOf, deltas, ct);
            await ApplyNodeDeltasAsync(c, tx, deltas, ct);
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

    private static async Task SaveWaveAsync(NpgsqlConnection c, NpgsqlTransaction tx, List<DerivedSpan> spans,
        Dictionary<long, IReadOnlyList<NodeKey>> nodesOf, NodeDeltas deltas, CancellationToken ct)
    {
        var none = (IReadOnlyList<NodeKey>)[];
        IReadOnlyList<NodeKey> Keys(long meter) => nodesOf.GetValueOrDefault(meter, none);
        var spanArgs = new (string, object?)[]
        {
            ("m", spans.Select(s => s.Meter.Value).ToArray()), ("f", spans.Select(s => s.From.UnixMs).ToArray()), ("t", spans.Select(s => s.To.UnixMs).ToArray()),
        };
        var stored = (await ReadAllAsync(c, tx, StoredRowsSql, r => (Meter: r.GetInt64(0), Grain: r.GetInt32(1), Row: ReadRow(r, 2)), ct, spanArgs))
            .ToLookup(x => (x.Meter, x.Grain), x => x.Row);

        var buckets = new List<(long MeterId, DerivedRow Row)>();
        var hours = new List<(long MeterId, DerivedRow Row)>();
        var goneBuckets = new List<(long Meter, long Ts)>();
        var goneHours = new List<(long Meter, long Ts)>();
        var changedDays = new List<(long Meter, long Day, long? Month)>();
        foreach (var span in spans)
        {
            var meter = span.Meter.Value;
            var touchedDays = new HashSet<long>();
            foreach (var (grain, rows, write, gone, up) in new[] { (0, span.Buckets, buckets, goneBuckets, (HashSet<long>?)null), (1, span.Hours, hours, goneHours, touchedDays) })
            {
                var (changed, deleted) = deltas.Compare(Keys(meter), grain, stored[(meter, grain)].ToDictionary(r => r.Ts), rows, up);
                write.AddRange(changed.Select(r => (meter, r)));
                // A changed row is deleted and copied in again (COPY cannot replace).
                gone.AddRange(deleted.Concat(changed.Select(r => r.Ts)).Select(ts => (meter, ts)));
            }
            var monthOf = span.Days.ToDictionary(d => d.Day, d => d.Month);
            changedDays.AddRange(touchedDays.Order().Select(d => (meter, d, monthOf.TryGetValue(d, out var m) ? m : (long?)null)));
        }
        await ExecAsync(c, tx, DeleteRowsSql, ct,
            [("bm", goneBuckets.Select(x => x.Meter).ToArray()), ("bts", goneBuckets.Select(x => x.Ts).ToArray()),
             ("hm", goneHours.Select(x => x.Meter).ToArray()), ("hts", goneHours.Select(x => x.Ts).ToArray()), .. spanArgs]);
        await CopyRowsAsync(c, "COPY bucket(meter_id, ts, up_ts, value, min, max, covered, flags) FROM STDIN (FORMAT BINARY)", null, buckets, ct);
        await CopyRowsAsync(c, "COPY rollup(meter_id, grain, ts, up_ts, value, min, max, covered, flags) FROM STDIN (FORMAT BINARY)", 1, hours, ct);

        // Days whose hours changed, then months whose days changed; a day outside the span's calendar (hours stored
        // under another time zone) keeps its stored month.
        var storedDays = await StoredPeriodsAsync(c, tx, 2, changedDays.Select(d => (d.Meter, d.Day)).ToList(), ct);
        var days = changedDays.Select(d => (d.Meter, Ts: d.Day, Up: d.Month ?? storedDays.GetValueOrDefault((d.Meter, d.Day))?.UpTs))
            .Where(d => d.Up is not null).Select(d => (d.Meter, d.Ts, Up: d.Up!.Value)).ToList();
        var changedMonths = await RollPeriodsAsync(c, tx, 2, days, storedDays, Keys, deltas, ct);
        var months = changedMonths.Distinct().Select(m => (m.Meter, m.Ts, Up: m.Ts)).ToList();
        await RollPeriodsAsync(c, tx, 3, months, await StoredPeriodsAsync(c, tx, 3, months.Select(m => (m.Meter, m.Ts)).ToList(), ct), Keys, deltas, ct);

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

    private static async Task<Dictionary<(long Meter, long Ts), DerivedRow?>> StoredPeriodsAsync(NpgsqlConnection c, NpgsqlTransaction tx, int grain,
        List<(long Meter, long Ts)> periods, CancellationToken ct)
    {
        if (periods.Count == 0) return [];
        return (await ReadAllAsync(c, tx, StoredPeriodsSql, r => (Key: (r.GetInt64(0), r.GetInt64(1)), Row: ReadRow(r, 1)), ct,
            ("g", grain), ("m", periods.Select(p => p.Meter).ToArray()), ("ts", periods.Select(p => p.Ts).ToArray())))
            .ToDictionary(x => x.Key, x => (DerivedRow?)x.Row);
    }

    /// <summary>Re-rolls periods of <paramref name="grain"/> from the grain below; records their node changes; returns the changed ones' next-grain periods.</summary>
    private static async Task<List<(long Meter, long Ts)>> RollPeriodsAsync(NpgsqlConnection c, NpgsqlTransaction tx, int grain, List<(long Meter, long Ts, long Up)> periods,
        Dictionary<(long Meter, long Ts), DerivedRow?> before, Func<long, IReadOnlyList<NodeKey>> keys, NodeDeltas deltas, CancellationToken ct)
    {
        if (periods.Count == 0) return [];
        var after = (await ReadAllAsync(c, tx, RollPeriodsSql, r => (Key: (r.GetInt64(0), r.GetInt64(1)), Row: ReadRow(r, 1)), ct,
            ("g", grain), ("m", periods.Select(p => p.Meter).ToArray()), ("ts", periods.Select(p => p.Ts).ToArray()), ("up", periods.Select(p => p.Up).ToArray())))
            .ToDictionary(x => x.Key, x => x.Row);
        var changed = new List<(long Meter, long Ts)>();
        foreach (var (meter, ts, up) in periods)
        {
            var was = before.GetValueOrDefault((meter, ts));
            DerivedRow? now = after.TryGetValue((meter, ts), out var row) ? row : null;
            if (was is null && now is null || was is { } w && now is { } n && NodeDeltas.Same(w, n)) continue;
            deltas.Add(keys(meter), grain, ts, was, now);
            changed.Add((meter, was?.UpTs ?? up));
            if (now is { } x && x.UpTs != (was?.UpTs ?? up)) changed.Add((meter, x.UpTs));
        }
        return changed;
    }

    private static async Task ApplyNodeDeltasAsync(NpgsqlConnection c, NpgsqlTransaction tx, NodeDeltas deltas, CancellationToken ct)
    {
        var add = deltas.SortedAdditions();
        if (add.Count > 0)
        {
            await ExecAsync(c, tx, AddNodeChangesSql, ct,
                ("n", add.Select(a => a.Key.Node).ToArray()), ("c", add.Select(a => a.Key.Carrier).ToArray()), ("d", add.Select(a => a.Key.Direction).ToArray()),
                ("g", add.Select(a => a.Key.Grain).ToArray()), ("ts", add.Select(a => a.Key.Ts).ToArray()),
                ("v", add.Select(a => a.Value.HasValue ? a.Value.Value : (double?)null).ToArray()), ("cov", add.Select(a => a.Value.Covered).ToArray()),
                ("cnt", add.Select(a => a.Value.Meters).ToArray()), ("fl", add.Select(a => (long)a.Value.Flags).ToArray()));
        }
        var cells = deltas.Recompute.ToList();
        if (cells.Count == 0) return;
        await ExecAsync(c, tx, RecomputeNodeCellsSql, ct,
            ("n", cells.Select(x => x.Node).ToArray()), ("c", cells.Select(x => x.Carrier).ToArray()), ("d", cells.Select(x => x.Direction).ToArray()),
            ("g", cells.Select(x => x.Grain).ToArray()), ("ts", cells.Select(x => x.Ts).ToArray()));
    }

    private static DerivedRow ReadRow(NpgsqlDataReader r, int first) =>
        new(r.GetInt64(first), r.GetInt64(first + 1), NullableDouble(r, first + 2), NullableDouble(r, first + 3), NullableDouble(r, first + 4),
            r.GetInt64(first + 5), (QualityFlags)r.GetInt64(first + 6));

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
}
