using Microsoft.Data.Sqlite;

namespace GreenLoop.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private const string NodeRollupFromBucketsSql = """
        INSERT OR REPLACE INTO node_rollup(node_id, carrier, direction, grain, ts, value, covered, meters)
        SELECT nm.node_id, m.carrier, m.direction, 0, b.ts, sum(b.value), sum(b.covered), count(*)
        FROM node_meter nm JOIN node n ON n.id = nm.node_id JOIN meter m ON m.id = nm.meter_id JOIN bucket b ON b.meter_id = nm.meter_id
        """;

    private const string NodeRollupFromRollupsSql = """
        INSERT OR REPLACE INTO node_rollup(node_id, carrier, direction, grain, ts, value, covered, meters)
        SELECT nm.node_id, m.carrier, m.direction, r.grain, r.ts, sum(r.value), sum(r.covered), count(*)
        FROM node_meter nm JOIN node n ON n.id = nm.node_id JOIN meter m ON m.id = nm.meter_id JOIN rollup r ON r.meter_id = nm.meter_id
        """;

    public override Task SaveDerivedAsync(IReadOnlyList<DerivedSpan> spans, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0) return Task.CompletedTask;
        return WriteAsync((c, tx) =>
        {
            var nodeWork = new NodeWork();
            using var delBuckets = Command(c, "DELETE FROM bucket WHERE meter_id=$m AND ts >= $f AND ts < $t;", tx, ("$m", 0L), ("$f", 0L), ("$t", 0L));
            using var insBucket = Command(c, "INSERT INTO bucket(meter_id, ts, up_ts, value, min, max, covered, flags) VALUES($m,$ts,$up,$v,$min,$max,$cov,$fl);", tx,
                ("$m", 0L), ("$ts", 0L), ("$up", 0L), ("$v", null), ("$min", null), ("$max", null), ("$cov", 0L), ("$fl", 0L));
            using var delHours = Command(c, "DELETE FROM rollup WHERE meter_id=$m AND grain=1 AND ts >= $f AND ts < $t;", tx, ("$m", 0L), ("$f", 0L), ("$t", 0L));
            using var insHour = Command(c, "INSERT INTO rollup(meter_id, grain, ts, up_ts, value, min, max, covered, flags) VALUES($m,1,$ts,$up,$v,$min,$max,$cov,$fl);", tx,
                ("$m", 0L), ("$ts", 0L), ("$up", 0L), ("$v", null), ("$min", null), ("$max", null), ("$cov", 0L), ("$fl", 0L));
            using var delPeriod = Command(c, "DELETE FROM rollup WHERE meter_id=$m AND grain=$g AND ts=$ts;", tx, ("$m", 0L), ("$g", 0L), ("$ts", 0L));
            using var rollPeriod = Command(c, $"""
                INSERT INTO rollup(meter_id, grain, ts, up_ts, value, min, max, covered, flags)
                SELECT $m, $g, $ts, $up, {RollupRule.SqlColumns}
                FROM rollup x WHERE x.meter_id=$m AND x.grain=$g - 1 AND x.up_ts=$ts HAVING count(*) > 0;
                """, tx, ("$m", 0L), ("$g", 0L), ("$ts", 0L), ("$up", 0L));
            using var delFindings = Command(c, "DELETE FROM finding WHERE meter_id=$m AND ts >= $f AND ts < $t;", tx, ("$m", 0L), ("$f", 0L), ("$t", 0L));
            using var insFinding = Command(c, "INSERT OR REPLACE INTO finding(meter_id, ts, kind, detail) VALUES($m,$ts,$k,$d);", tx, ("$m", 0L), ("$ts", 0L), ("$k", ""), ("$d", ""));
            using var clearDirty = Command(c, "DELETE FROM dirty WHERE meter_id=$m AND version=$v;", tx, ("$m", 0L), ("$v", 0L));

            foreach (var span in spans)
            {
                SetRange(delBuckets, span.Meter.Value, span.From.UnixMs, span.To.UnixMs);
                delBuckets.ExecuteNonQuery();
                insBucket.Parameters["$m"].Value = span.Meter.Value;
                foreach (var b in span.Buckets) InsertRow(insBucket, b);

                SetRange(delHours, span.Meter.Value, span.From.UnixMs, span.To.UnixMs);
                delHours.ExecuteNonQuery();
                insHour.Parameters["$m"].Value = span.Meter.Value;
                foreach (var h in span.Hours) InsertRow(insHour, h);

                foreach (var (day, month) in span.Days) RollPeriod(delPeriod, rollPeriod, span.Meter.Value, 2, day, month);
                foreach (var month in span.Months) RollPeriod(delPeriod, rollPeriod, span.Meter.Value, 3, month, month);

                SetRange(delFindings, span.Meter.Value, span.From.UnixMs, span.To.UnixMs);
                delFindings.ExecuteNonQuery();
                insFinding.Parameters["$m"].Value = span.Meter.Value;
                foreach (var f in span.Findings)
                {
                    insFinding.Parameters["$ts"].Value = f.Ts;
                    insFinding.Parameters["$k"].Value = f.Kind.ToString();
                    insFinding.Parameters["$d"].Value = f.Detail;
                    insFinding.ExecuteNonQuery();
                }

                if (span.DirtyVersion is { } version)
                {
                    clearDirty.Parameters["$m"].Value = span.Meter.Value;
                    clearDirty.Parameters["$v"].Value = version;
                    clearDirty.ExecuteNonQuery();
                }
                nodeWork.Add(c, tx, span);
            }
            nodeWork.Apply(c, tx);
            return 0;
        }, ct);
    }

    private static void SetRange(SqliteCommand cmd, long meter, long from, long to)
    {
        cmd.Parameters["$m"].Value = meter;
        cmd.Parameters["$f"].Value = from;
        cmd.Parameters["$t"].Value = to;
    }

    private static void InsertRow(SqliteCommand cmd, DerivedRow row)
    {
        cmd.Parameters["$ts"].Value = row.Ts;
        cmd.Parameters["$up"].Value = row.UpTs;
        cmd.Parameters["$v"].Value = (object?)row.Value ?? DBNull.Value;
        cmd.Parameters["$min"].Value = (object?)row.Min ?? DBNull.Value;
        cmd.Parameters["$max"].Value = (object?)row.Max ?? DBNull.Value;
        cmd.Parameters["$cov"].Value = row.CoveredMs;
        cmd.Parameters["$fl"].Value = (long)row.Flags;
        cmd.ExecuteNonQuery();
    }

    private static void RollPeriod(SqliteCommand del, SqliteCommand roll, long meter, int grain, long ts, long up)
    {
        del.Parameters["$m"].Value = meter;
        del.Parameters["$g"].Value = grain;
        del.Parameters["$ts"].Value = ts;
        del.ExecuteNonQuery();
        roll.Parameters["$m"].Value = meter;
        roll.Parameters["$g"].Value = grain;
        roll.Parameters["$ts"].Value = ts;
        roll.Parameters["$up"].Value = up;
        roll.ExecuteNonQuery();
    }

    /// <summary>
    /// Collects the node totals a set of derived spans touches, so that each (node, carrier, period) is summed once
    /// per transaction however many of its meters changed.
    /// </summary>
    private sealed class NodeWork
    {
        private readonly Dictionary<(long Node, string Carrier, string Direction), List<(long From, long To)>> _ranges = [];
        private readonly HashSet<(long Node, string Carrier, string Direction, int Grain, long Ts)> _periods = [];

        private SqliteCommand? _nodesOf;

        public void Add(SqliteConnection c, SqliteTransaction tx, DerivedSpan span)
        {
            _nodesOf ??= Command(c, "SELECT nm.node_id, m.carrier, m.direction FROM node_meter nm JOIN meter m ON m.id = nm.meter_id WHERE nm.meter_id=$m;", tx, ("$m", 0L));
            _nodesOf.Parameters["$m"].Value = span.Meter.Value;
            var nodes = new List<(long, string, string)>();
            using (var r = _nodesOf.ExecuteReader())
            {
                while (r.Read()) nodes.Add((r.GetInt64(0), r.GetString(1), r.GetString(2)));
            }
            foreach (var key in nodes)
            {
                if (!_ranges.TryGetValue(key, out var list)) _ranges[key] = list = [];
                list.Add((span.From.UnixMs, span.To.UnixMs));
                foreach (var (day, _) in span.Days) _periods.Add((key.Item1, key.Item2, key.Item3, 2, day));
                foreach (var month in span.Months) _periods.Add((key.Item1, key.Item2, key.Item3, 3, month));
            }
        }

        public void Apply(SqliteConnection c, SqliteTransaction tx)
        {
            _nodesOf?.Dispose();
            const string Filter = " WHERE nm.node_id=$n AND m.carrier=$c AND m.direction=$d";
            using var delRange = Command(c, "DELETE FROM node_rollup WHERE node_id=$n AND carrier=$c AND direction=$d AND grain=$g AND ts >= $f AND ts < $t;", tx,
                ("$n", 0L), ("$c", ""), ("$d", ""), ("$g", 0L), ("$f", 0L), ("$t", 0L));
            using var buckets = Command(c, NodeRollupFromBucketsSql + Filter + " AND b.ts >= $f AND b.ts < $t GROUP BY b.ts;", tx,
                ("$n", 0L), ("$c", ""), ("$d", ""), ("$f", 0L), ("$t", 0L));
            using var hours = Command(c, NodeRollupFromRollupsSql + Filter + " AND r.grain=1 AND r.ts >= $f AND r.ts < $t GROUP BY r.ts;", tx,
                ("$n", 0L), ("$c", ""), ("$d", ""), ("$f", 0L), ("$t", 0L));
            using var period = Command(c, NodeRollupFromRollupsSql + Filter + " AND r.grain=$g AND r.ts=$ts GROUP BY r.ts;", tx,
                ("$n", 0L), ("$c", ""), ("$d", ""), ("$g", 0L), ("$ts", 0L));
            using var delPeriod = Command(c, "DELETE FROM node_rollup WHERE node_id=$n AND carrier=$c AND direction=$d AND grain=$g AND ts=$ts;", tx,
                ("$n", 0L), ("$c", ""), ("$d", ""), ("$g", 0L), ("$ts", 0L));

            static void Key(SqliteCommand cmd, (long Node, string Carrier, string Direction) k)
            {
                cmd.Parameters["$n"].Value = k.Node;
                cmd.Parameters["$c"].Value = k.Carrier;
                cmd.Parameters["$d"].Value = k.Direction;
            }

            foreach (var (key, ranges) in _ranges)
            {
                foreach (var (from, to) in SeriesRows.Merge(ranges))
                {
                    foreach (var (grain, cmd) in new[] { (0, buckets), (1, hours) })
                    {
                        Key(delRange, key);
                        delRange.Parameters["$g"].Value = grain;
                        delRange.Parameters["$f"].Value = from;
                        delRange.Parameters["$t"].Value = to;
                        delRange.ExecuteNonQuery();
                        Key(cmd, key);
                        cmd.Parameters["$f"].Value = from;
                        cmd.Parameters["$t"].Value = to;
                        cmd.ExecuteNonQuery();
                    }
                }
            }
            foreach (var p in _periods.OrderBy(p => p.Grain))
            {
                foreach (var cmd in new[] { delPeriod, period })
                {
                    Key(cmd, (p.Node, p.Carrier, p.Direction));
                    cmd.Parameters["$g"].Value = p.Grain;
                    cmd.Parameters["$ts"].Value = p.Ts;
                    cmd.ExecuteNonQuery();
                }
            }
        }
    }
}
