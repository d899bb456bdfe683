using System.Runtime.InteropServices;
using GreenLoop.Domain.Time;
using Npgsql;
using NpgsqlTypes;

namespace GreenLoop.Storage.Postgres;

public sealed partial class PostgresStore
{
    private const string CopyReadingsSql = "COPY reading(meter_id, ts, value, received_at) FROM STDIN (FORMAT BINARY)";

    /// <summary>
    /// The session's staging table for appends that meet stored readings. Created once per pooled connection
    /// (connections are not reset) and emptied by every commit, so a batch costs no catalog change.
    /// </summary>
    private const string StageSql = """
        DO $$BEGIN
          IF to_regclass('pg_temp.reading_stage') IS NULL THEN
            CREATE TEMP TABLE reading_stage(ord integer NOT NULL, meter_id bigint NOT NULL, ts bigint NOT NULL, value double precision NOT NULL)
              ON COMMIT DELETE ROWS;
          END IF;
        END$$;
        """;

    /// <summary>
    /// One statement: insert what is new (in key order, so two concurrent batches lock keys in the same order), mark
    /// the meters of the inserted rows dirty over their span, and return every staged row that was not inserted with the
    /// value stored before this statement. The main query's snapshot does not see the rows the INSERT adds, so a row
    /// missing from both (a concurrent writer committed it in between) comes back with a NULL value.
    /// </summary>
    private const string AppendSql = """
        WITH ins AS (
            INSERT INTO reading(meter_id, ts, value, received_at)
            SELECT meter_id, ts, value, @r FROM reading_stage ORDER BY meter_id, ts
            ON CONFLICT (meter_id, ts) DO NOTHING
            RETURNING meter_id, ts),
        marks AS (
            INSERT INTO dirty(meter_id, from_ts, to_ts, version)
            SELECT meter_id, min(ts), max(ts), 1 FROM ins GROUP BY meter_id ORDER BY meter_id
            ON CONFLICT (meter_id) DO UPDATE SET from_ts = least(dirty.from_ts, excluded.from_ts),
                to_ts = greatest(dirty.to_ts, excluded.to_ts), version = dirty.version + 1)
        SELECT s.ord, (SELECT r.value FROM reading r WHERE r.meter_id = s.meter_id AND r.ts = s.ts)
        FROM reading_stage s
        WHERE NOT EXISTS (SELECT 1 FROM ins WHERE ins.meter_id = s.meter_id AND ins.ts = s.ts);
        """;

    private const string MarkSpansSql = """
        INSERT INTO dirty(meter_id, from_ts, to_ts, version)
        SELECT m, f, t, 1 FROM unnest(@m::bigint[], @f::bigint[], @t::bigint[]) x(m, f, t) ORDER BY m
        ON CONFLICT (meter_id) DO UPDATE SET from_ts = least(dirty.from_ts, excluded.from_ts),
            to_ts = greatest(dirty.to_ts, excluded.to_ts), version = dirty.version + 1;
        """;

    /// <summary>
    /// Appends by binary COPY, with the outcomes of the SQLite store, which inserts row by row: Inserted, Duplicate
    /// (the same value is stored) or Conflict (another value is stored; it stays). Most batches are all new, so the
    /// first try copies them straight into <c>reading</c> in key order under a savepoint and marks the meters dirty over
    /// the batch's spans; if an instant is already stored (the unique key refuses the COPY) that is rolled back and the
    /// batch goes through the staging table instead (<see cref="AppendSql"/>). A batch that repeats an instant goes
    /// there directly: each instant is staged once and the repeats are decided in memory against the first.
    /// </summary>
    public override Task<AppendOutcome[]> AppendReadingsAsync(IReadOnlyList<StoredReading> readings, Instant receivedAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Count == 0) return Task.FromResult(Array.Empty<AppendOutcome>());
        var firstOf = new int[readings.Count];
        var seen = new Dictionary<(long, long), int>(readings.Count);
        for (var i = 0; i < readings.Count; i++)
        {
            ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(seen, (readings[i].Meter.Value, readings[i].Ts.UnixMs), out var exists);
            if (!exists) first = i;
            firstOf[i] = first;
        }
        // Key order: concurrent writers of overlapping batches then wait for each other instead of deadlocking.
        var order = Enumerable.Range(0, readings.Count).Where(i => firstOf[i] == i).ToArray();
        Array.Sort(order.Select(i => (readings[i].Meter.Value, readings[i].Ts.UnixMs)).ToArray(), order);
        return WriteAsync(async (c, tx) =>
            order.Length == readings.Count && await TryCopyAllNewAsync(c, tx, readings, order, receivedAt.UnixMs, ct)
                ? new AppendOutcome[readings.Count] // default: Inserted
                : await AppendThroughStageAsync(c, tx, readings, order, firstOf, receivedAt.UnixMs, ct), ct);
    }

    /// <summary>COPY straight into <c>reading</c>; false (and nothing written) if any instant is stored already.</summary>
    private static async Task<bool> TryCopyAllNewAsync(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyList<StoredReading> readings, int[] order, long receivedAt,
        CancellationToken ct)
    {
        await tx.SaveAsync("append", ct);
        try
        {
            await using var copy = await c.BeginBinaryImportAsync(CopyReadingsSql, ct);
            foreach (var i in order)
            {
                var r = readings[i];
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(r.Meter.Value, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(r.Ts.UnixMs, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(r.Value, NpgsqlDbType.Double, ct);
                await copy.WriteAsync(receivedAt, NpgsqlDbType.Bigint, ct);
            }
            await copy.CompleteAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await tx.RollbackAsync("append", ct);
            return false;
        }
        var spans = new SortedDictionary<long, (long From, long To)>();
        foreach (var r in readings)
            spans[r.Meter.Value] = spans.TryGetValue(r.Meter.Value, out var s) ? (Math.Min(s.From, r.Ts.UnixMs), Math.Max(s.To, r.Ts.UnixMs)) : (r.Ts.UnixMs, r.Ts.UnixMs);
        await ExecAsync(c, tx, MarkSpansSql, ct,
            ("m", spans.Keys.ToArray()), ("f", spans.Values.Select(s => s.From).ToArray()), ("t", spans.Values.Select(s => s.To).ToArray()));
        return true;
    }

    private static async Task<AppendOutcome[]> AppendThroughStageAsync(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyList<StoredReading> readings, int[] order,
        int[] firstOf, long receivedAt, CancellationToken ct)
    {
        var outcomes = new AppendOutcome[readings.Count];
        await ExecAsync(c, tx, StageSql, ct);
        await using (var copy = await c.BeginBinaryImportAsync("COPY reading_stage(ord, meter_id, ts, value) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var i in order)
            {
                var r = readings[i];
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(i, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(r.Meter.Value, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(r.Ts.UnixMs, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(r.Value, NpgsqlDbType.Double, ct);
            }
            await copy.CompleteAsync(ct);
        }
        var notInserted = await ReadAllAsync(c, tx, AppendSql, r => (Ord: r.GetInt32(0), Stored: NullableDouble(r, 1)), ct, ("r", receivedAt));
        foreach (var (ord, stored) in notInserted)
        {
            var value = stored ?? await StoredValueAsync(c, tx, readings[ord], ct);
            outcomes[ord] = Classify(readings[ord].Value, value);
        }
        for (var i = 0; i < readings.Count; i++)
        {
            var first = firstOf[i];
            if (first == i) continue;
            // After the first of its instant was decided, the stored value is that row's if it went in, else what was there.
            var stored = outcomes[first] is { Status: AppendStatus.Conflict, Existing: { } existing } ? existing : readings[first].Value;
            outcomes[i] = Classify(readings[i].Value, stored);
        }
        return outcomes;
    }

    // Bit-equal: the same JSON or CSV text parses to the same double.
    private static AppendOutcome Classify(double value, double stored) =>
        stored.Equals(value) ? new AppendOutcome(AppendStatus.Duplicate, null) : new AppendOutcome(AppendStatus.Conflict, stored);

    private static async Task<double> StoredValueAsync(NpgsqlConnection c, NpgsqlTransaction tx, StoredReading r, CancellationToken ct) =>
        await ScalarAsync(c, tx, "SELECT value FROM reading WHERE meter_id=@m AND ts=@t;", ct, ("m", r.Meter.Value), ("t", r.Ts.UnixMs)) as double?
        ?? throw new InvalidOperationException($"Reading of meter {r.Meter.Value} at {r.Ts.UnixMs} was neither inserted nor found.");
}
