using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace GreenLoop.Cli.Bench;

/// <summary>
/// The yardstick: the same rows inserted straight into a fresh SQLite file with the reading table's schema, WAL, the
/// same synchronous mode, one prepared INSERT, one transaction per batch of rows, in the order they were posted.
/// </summary>
internal static class RawSqliteBaseline
{
    /// <summary>Rows in posted order, held in flat arrays so that producing them is not part of the measurement.</summary>
    public sealed record Rows(long[] MeterIds, long[] Ts, double[] Values);

    public static Rows Collect(BenchWorkload workload, IReadOnlyList<BatchSpec> batches)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(batches);
        var total = batches.Sum(b => b.Count);
        var rows = new Rows(new long[total], new long[total], new double[total]);
        var i = 0;
        foreach (var b in batches)
        {
            for (var s = b.FirstStep; s < b.FirstStep + b.Steps; s++)
            {
                for (var m = b.FirstMeter; m < b.FirstMeter + b.Meters; m++, i++)
                {
                    // Meter ids as the store assigns them to a freshly applied site: 1..N in document order.
                    rows.MeterIds[i] = m + 1;
                    rows.Ts[i] = workload.Ts(s);
                    rows.Values[i] = workload.Register(m, s);
                }
            }
        }
        return rows;
    }

    /// <summary>
    /// Inserts every row; returns the elapsed time from the first BEGIN to the last COMMIT. <c>cacheKib</c> is the page
    /// cache in KiB, or null for SQLite's default (2 MB); the store uses SqliteStore.WriterCacheKib.
    /// </summary>
    public static TimeSpan Run(string path, Rows rows, string synchronous, int rowsPerTransaction, long receivedAt, int? cacheKib, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        c.Open();
        Exec(c, $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous};");
        if (cacheKib is { } kib) Exec(c, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"PRAGMA cache_size=-{kib};"));
        Exec(c, "CREATE TABLE reading(meter_id INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL, received_at INTEGER NOT NULL, PRIMARY KEY(meter_id, ts)) WITHOUT ROWID;");
        using var insert = c.CreateCommand();
        insert.CommandText = "INSERT INTO reading(meter_id, ts, value, received_at) VALUES($m, $ts, $v, $r);";
        var pm = insert.Parameters.Add("$m", SqliteType.Integer);
        var pts = insert.Parameters.Add("$ts", SqliteType.Integer);
        var pv = insert.Parameters.Add("$v", SqliteType.Real);
        insert.Parameters.AddWithValue("$r", receivedAt);
        var watch = Stopwatch.StartNew();
        for (var start = 0; start < rows.Ts.Length; start += rowsPerTransaction)
        {
            ct.ThrowIfCancellationRequested();
            using var tx = c.BeginTransaction();
            insert.Transaction = tx;
            if (start == 0) insert.Prepare();
            var end = Math.Min(rows.Ts.Length, start + rowsPerTransaction);
            for (var i = start; i < end; i++)
            {
                pm.Value = rows.MeterIds[i];
                pts.Value = rows.Ts[i];
                pv.Value = rows.Values[i];
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }
        watch.Stop();
        Exec(c, "PRAGMA wal_checkpoint(TRUNCATE);");
        return watch.Elapsed;
    }

    private static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
