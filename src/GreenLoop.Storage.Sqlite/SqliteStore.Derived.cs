using System.Buffers;
using System.Text;
using System.Text.Json;
using GreenLoop.Domain.Derivation;
using Microsoft.Data.Sqlite;

namespace GreenLoop.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private const string NodeRollupFromBucketsSql = """
        INSERT OR REPLACE INTO node_rollup(node_id, carrier, direction, grain, ts, value, covered, meters, flags)
        SELECT nm.node_id, m.carrier, m.direction, 0, b.ts, sum(b.value), sum(b.covered), count(*), bit_or(b.flags)
        FROM node_meter nm JOIN node n ON n.id = nm.node_id JOIN meter m ON m.id = nm.meter_id JOIN bucket b ON b.meter_id = nm.meter_id
        """;

    private const string NodeRollupFromRollupsSql = """
        INSERT OR REPLACE INTO node_rollup(node_id, carrier, direction, grain, ts, value, covered, meters, flags)
        SELECT nm.node_id, m.carrier, m.direction, r.grain, r.ts, sum(r.value), sum(r.covered), count(*), bit_or(r.flags)
        FROM node_meter nm JOIN node n ON n.id = nm.node_id JOIN meter m ON m.id = nm.meter_id JOIN rollup r ON r.meter_id = nm.meter_id
        """;

    private readonly NodeDeltas _nodeDeltas = new();

    private const string RowColumns = "ts, up_ts, value, min, max, covered, flags";

    /// <summary>
    /// Writes derived spans in one transaction with prepared statements, touching only what changed: a bucket or hour
    /// equal to the stored one is not written, a day is re-rolled from its hours only if one of them changed, a month
    /// from its days only if one of them changed; node totals are adjusted by the difference (<see cref="NodeDeltas"/>).
    /// </summary>
    public override Task SaveDerivedAsync(IReadOnlyList<DerivedSpan> spans, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0) return Task.CompletedTask;
        return WriteAsync((c, tx) =>
        {
            using var w = new DerivedWriter(c, tx);
            // One set of node changes, reused pass after pass under the write lock.
            var deltas = _nodeDeltas;
            deltas.Clear();
            foreach (var span in spans) w.Save(span, deltas);
            w.Apply(deltas);
            return 0;
        }, ct);
    }

    /// <summary>The prepared statements of one <see cref="SaveDerivedAsync"/> transaction.</summary>
    private sealed class DerivedWriter(SqliteConnection c, SqliteTransaction tx) : IDisposable
    {
        private readonly SqliteCommand _nodesOf = Command(c, "SELECT nm.node_id, m.carrier, m.direction FROM node_meter nm JOIN meter m ON m.id = nm.meter_id WHERE nm.meter_id=$m;", tx, ("$m", 0L));
        private readonly SqliteCommand _oldBuckets = Command(c, $"SELECT {RowColumns} FROM bucket WHERE meter_id=$m AND ts >= $f AND ts < $t;", tx, ("$m", 0L), ("$f", 0L), ("$t", 0L));
        private readonly SqliteCommand _oldHours = Command(c, $"SELECT {RowColumns} FROM rollup WHERE meter_id=$m AND grain=1 AND ts >= $f AND ts < $t;", tx, ("$m", 0L), ("$f", 0L), ("$t", 0L));
        // Rows travel as one JSON array per statement ([ts, up_ts, value, min, max, covered, flags] each), read by json_each
        // in SQLite's C code: one parameter per span instead of eight per row (parameter binding was most of the time).
        // Doubles are written shortest-round-trip and SQLite reads them back bit for bit (checked by the storage tests).
        private readonly SqliteCommand _putBuckets = Command(c, $"INSERT OR REPLACE INTO bucket(meter_id, ts, up_ts, value, min, max, covered, flags) SELECT $m, {JsonRowColumns} FROM json_each($rows) j;", tx,
            ("$m", 0L), ("$rows", "[]"));
        private readonly SqliteCommand _putHours = Command(c, $"INSERT OR REPLACE INTO rollup(meter_id, grain, ts, up_ts, value, min, max, covered, flags) SELECT $m, 1, {JsonRowColumns} FROM json_each($rows) j;", tx,
            ("$m", 0L), ("$rows", "[]"));
        private readonly SqliteCommand _delBuckets = Command(c, "DELETE FROM bucket WHERE meter_id=$m AND ts IN (SELECT value FROM json_each($rows));", tx, ("$m", 0L), ("$rows", "[]"));
        private readonly SqliteCommand _delHours = Command(c, "DELETE FROM rollup WHERE meter_id=$m AND grain=1 AND ts IN (SELECT value FROM json_each($rows));", tx, ("$m", 0L), ("$rows", "[]"));
        private readonly SqliteCommand _period = Command(c, $"SELECT {RowColumns} FROM rollup WHERE meter_id=$m AND grain=$g AND ts=$ts;", tx, ("$m", 0L), ("$g", 0L), ("$ts", 0L));
        private readonly SqliteCommand _delPeriod = Command(c, "DELETE FROM rollup WHERE meter_id=$m AND grain=$g AND ts=$ts;", tx, ("$m", 0L), ("$g", 0L), ("$ts", 0L));
        private readonly SqliteCommand _rollPeriod = Command(c, $"""
            INSERT INTO rollup(meter_id, grain, ts, up_ts, value, min, max, covered, flags)
            SELECT $m, $g, $ts, $up, {RollupRule.SqlColumns}
            FROM rollup x WHERE x.meter_id=$m AND x.grain=$g - 1 AND x.up_ts=$ts HAVING count(*) > 0;
            """, tx, ("$m", 0L), ("$g", 0L), ("$ts", 0L), ("$up", 0L));
        private readonly SqliteCommand _delFindings = Command(c, "DELETE FROM finding WHERE meter_id=$m AND ts >= $f AND ts < $t;", tx, ("$m", 0L), ("$f", 0L), ("$t", 0L));
        private readonly SqliteCommand _insFinding = Command(c, "INSERT OR REPLACE INTO finding(meter_id, ts, kind, detail) VALUES($m,$ts,$k,$d);", tx, ("$m", 0L), ("$ts", 0L), ("$k", ""), ("$d", ""));
        private readonly SqliteCommand _clearDirty = Command(c, "DELETE FROM dirty WHERE meter_id=$m AND version=$v;", tx, ("$m", 0L), ("$v", 0L));

        public void Save(DerivedSpan span, NodeDeltas deltas)
        {
            var meter = span.Meter.Value;
            var keys = NodesOf(meter);
            var (from, to) = (span.From.UnixMs, span.To.UnixMs);

            // Buckets and hours: write what differs from the stored row, delete what is gone.
            WriteChanged(meter, from, to, span.Buckets, _oldBuckets, _putBuckets, _delBuckets, keys, 0, deltas, changedUp: null);
            var changedDays = new HashSet<long>();
            WriteChanged(meter, from, to, span.Hours, _oldHours, _putHours, _delHours, keys, 1, deltas, changedDays);

            // Days whose hours changed, then months whose days changed.
            var monthOf = span.Days.ToDictionary(d => d.Day, d => d.Month);
            var changedMonths = new HashSet<long>();
            foreach (var day in changedDays.Order())
            {
                // A day outside the span's calendar (hours stored under another time zone) keeps its stored month.
                if (!monthOf.TryGetValue(day, out var month))
                {
                    if (Period(meter, 2, day) is not { } stored) continue;
                    month = stored.UpTs;
                }
                if (RollPeriod(meter, 2, day, month, keys, deltas)) changedMonths.Add(month);
            }
            foreach (var month in changedMonths.Order()) RollPeriod(meter, 3, month, month, keys, deltas);

            SetRange(_delFindings, meter, from, to);
            _delFindings.ExecuteNonQuery();
            _insFinding.Parameters["$m"].Value = meter;
            foreach (var f in span.Findings)
            {
                _insFinding.Parameters["$ts"].Value = f.Ts;
                _insFinding.Parameters["$k"].Value = f.Kind.ToString();
                _insFinding.Parameters["$d"].Value = f.Detail;
                _insFinding.ExecuteNonQuery();
            }

            if (span.DirtyVersion is { } version)
            {
                _clearDirty.Parameters["$m"].Value = meter;
                _clearDirty.Parameters["$v"].Value = version;
                _clearDirty.ExecuteNonQuery();
            }
        }

        private List<NodeKey> NodesOf(long meter)
        {
            _nodesOf.Parameters["$m"].Value = meter;
            var keys = new List<NodeKey>();
            using var r = _nodesOf.ExecuteReader();
            while (r.Read()) keys.Add(new NodeKey(r.GetInt64(0), r.GetString(1), r.GetString(2)));
            return keys;
        }

        private static void WriteChanged(long meter, long from, long to, IReadOnlyList<DerivedRow> rows, SqliteCommand read, SqliteCommand put, SqliteCommand del,
            List<NodeKey> keys, int grain, NodeDeltas deltas, HashSet<long>? changedUp)
        {
            SetRange(read, meter, from, to);
            var stored = new Dictionary<long, DerivedRow>();
            using (var r = read.ExecuteReader())
            {
                while (r.Read()) stored[r.GetInt64(0)] = ReadRow(r);
            }
            var (write, delete) = deltas.Compare(keys, grain, stored, rows, changedUp);
            // In chunks whose JSON text stays off the large-object heap (a long span would otherwise make megabytes of it).
            put.Parameters["$m"].Value = meter;
            foreach (var chunk in write.Chunk(JsonChunk))
            {
                put.Parameters["$rows"].Value = JsonRows(chunk);
                put.ExecuteNonQuery();
            }
            del.Parameters["$m"].Value = meter;
            foreach (var chunk in delete.Chunk(JsonChunk))
            {
                del.Parameters["$rows"].Value = JsonArray(chunk);
                del.ExecuteNonQuery();
            }
        }

        /// <summary>Re-rolls one day or month from the grain below; true if it changed.</summary>
        private bool RollPeriod(long meter, int grain, long ts, long up, List<NodeKey> keys, NodeDeltas deltas)
        {
            var before = Period(meter, grain, ts);
            _delPeriod.Parameters["$m"].Value = meter;
            _delPeriod.Parameters["$g"].Value = grain;
            _delPeriod.Parameters["$ts"].Value = ts;
            _delPeriod.ExecuteNonQuery();
            _rollPeriod.Parameters["$m"].Value = meter;
            _rollPeriod.Parameters["$g"].Value = grain;
            _rollPeriod.Parameters["$ts"].Value = ts;
            _rollPeriod.Parameters["$up"].Value = up;
            _rollPeriod.ExecuteNonQuery();
            var after = Period(meter, grain, ts);
            if (before is { } b && after is { } a && NodeDeltas.Same(b, a)) return false;
            if (before is null && after is null) return false;
            deltas.Add(keys, grain, ts, before, after);
            return true;
        }

        private DerivedRow? Period(long meter, int grain, long ts)
        {
            _period.Parameters["$m"].Value = meter;
            _period.Parameters["$g"].Value = grain;
            _period.Parameters["$ts"].Value = ts;
            using var r = _period.ExecuteReader();
            return r.Read() ? ReadRow(r) : null;
        }

        /// <summary>Adds the node changes in one upsert each, then recomputes the totals a difference cannot keep.</summary>
        public void Apply(NodeDeltas deltas)
        {
            if (deltas.IsEmpty) return;
            using var add = Command(c, """
                INSERT INTO node_rollup(node_id, carrier, direction, grain, ts, value, covered, meters, flags)
                SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5, j.value->>6, j.value->>7, j.value->>8
                FROM json_each($rows) j WHERE true
                ON CONFLICT(node_id, grain, ts, carrier, direction) DO UPDATE SET
                    value = CASE WHEN excluded.value IS NULL THEN node_rollup.value ELSE coalesce(node_rollup.value, 0) + excluded.value END,
                    covered = node_rollup.covered + excluded.covered,
                    meters = node_rollup.meters + excluded.meters,
                    flags = node_rollup.flags | excluded.flags;
                """, tx, ("$rows", "[]"));
            foreach (var chunk in deltas.Additions.Chunk(JsonChunk))
            {
                add.Parameters["$rows"].Value = JsonText(w =>
                {
                    foreach (var (cell, change) in chunk)
                    {
                        w.WriteStartArray();
                        w.WriteNumberValue(cell.Node);
                        w.WriteStringValue(cell.Carrier);
                        w.WriteStringValue(cell.Direction);
                        w.WriteNumberValue(cell.Grain);
                        w.WriteNumberValue(cell.Ts);
                        if (change.HasValue) w.WriteNumberValue(change.Value);
                        else w.WriteNullValue();
                        w.WriteNumberValue(change.Covered);
                        w.WriteNumberValue(change.Meters);
                        w.WriteNumberValue((long)change.Flags);
                        w.WriteEndArray();
                    }
                });
                add.ExecuteNonQuery();
            }
            if (deltas.Recompute.Count == 0) return;
            const string Filter = " WHERE nm.node_id=$n AND m.carrier=$c AND m.direction=$d";
            using var delCell = Command(c, "DELETE FROM node_rollup WHERE node_id=$n AND carrier=$c AND direction=$d AND grain=$g AND ts=$ts;", tx,
                ("$n", 0L), ("$c", ""), ("$d", ""), ("$g", 0L), ("$ts", 0L));
            using var fromBuckets = Command(c, NodeRollupFromBucketsSql + Filter + " AND b.ts=$ts AND $g = 0 GROUP BY b.ts;", tx,
                ("$n", 0L), ("$c", ""), ("$d", ""), ("$g", 0L), ("$ts", 0L));
            using var fromRollups = Command(c, NodeRollupFromRollupsSql + Filter + " AND r.grain=$g AND r.ts=$ts GROUP BY r.ts;", tx,
                ("$n", 0L), ("$c", ""), ("$d", ""), ("$g", 0L), ("$ts", 0L));
            foreach (var cell in deltas.Recompute)
            {
                foreach (var cmd in new[] { delCell, cell.Grain == 0 ? fromBuckets : fromRollups })
                {
                    Cell(cmd, cell);
                    cmd.ExecuteNonQuery();
                }
            }
        }

        private static void Cell(SqliteCommand cmd, NodeCell cell)
        {
            cmd.Parameters["$n"].Value = cell.Node;
            cmd.Parameters["$c"].Value = cell.Carrier;
            cmd.Parameters["$d"].Value = cell.Direction;
            cmd.Parameters["$g"].Value = cell.Grain;
            cmd.Parameters["$ts"].Value = cell.Ts;
        }

        public void Dispose()
        {
            foreach (var cmd in new[] { _nodesOf, _oldBuckets, _oldHours, _putBuckets, _putHours, _delBuckets, _delHours, _period, _delPeriod, _rollPeriod, _delFindings, _insFinding, _clearDirty })
                cmd.Dispose();
        }
    }

    private static DerivedRow ReadRow(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetDouble(2), r.IsDBNull(3) ? null : r.GetDouble(3),
            r.IsDBNull(4) ? null : r.GetDouble(4), r.GetInt64(5), (QualityFlags)r.GetInt64(6));

    private static void SetRange(SqliteCommand cmd, long meter, long from, long to)
    {
        cmd.Parameters["$m"].Value = meter;
        cmd.Parameters["$f"].Value = from;
        cmd.Parameters["$t"].Value = to;
    }

    /// <summary>Rows per JSON statement: about 30 KB of text, so neither the string nor its UTF-8 copy is a large object.</summary>
    private const int JsonChunk = 400;

    private const string JsonRowColumns = "j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5, j.value->>6";

    /// <summary>Derived rows as a JSON array of [ts, up_ts, value, min, max, covered, flags].</summary>
    private static string JsonRows(IReadOnlyList<DerivedRow> rows) => JsonText(w =>
    {
        foreach (var r in rows)
        {
            w.WriteStartArray();
            w.WriteNumberValue(r.Ts);
            w.WriteNumberValue(r.UpTs);
            WriteNullable(w, r.Value);
            WriteNullable(w, r.Min);
            WriteNullable(w, r.Max);
            w.WriteNumberValue(r.CoveredMs);
            w.WriteNumberValue((long)r.Flags);
            w.WriteEndArray();
        }
    });

    private static string JsonArray(IReadOnlyList<long> values) => JsonText(w =>
    {
        foreach (var v in values) w.WriteNumberValue(v);
    });

    private static void WriteNullable(Utf8JsonWriter w, double? value)
    {
        if (value is { } v) w.WriteNumberValue(v);
        else w.WriteNullValue();
    }

    /// <summary>A JSON array written by <paramref name="items"/>; doubles in their shortest round-trip form.</summary>
    private static string JsonText(Action<Utf8JsonWriter> items)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            items(w);
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
