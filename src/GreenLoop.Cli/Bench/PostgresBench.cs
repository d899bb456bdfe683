using System.Diagnostics;
using System.Globalization;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Storage;
using GreenLoop.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace GreenLoop.Cli.Bench;

/// <summary>
/// A fresh database for one benchmark stage on the server that <c>--pg</c> names (its role needs CREATEDB), dropped
/// at the end unless <c>--keep</c>. Benchmarks never write into the database of the connection string itself.
/// </summary>
internal sealed class PostgresBenchDatabase : IAsyncDisposable
{
    private readonly string _admin;
    private readonly bool _keep;
    private readonly TextWriter _output;

    private PostgresBenchDatabase(string admin, string name, bool keep, TextWriter output)
    {
        _admin = admin;
        Name = name;
        _keep = keep;
        _output = output;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
    }

    public string Name { get; }
    public string ConnectionString { get; }

    /// <summary>The server settings (GreenLoop:Storage:*) that point the real server at this database.</summary>
    public IReadOnlyList<string> ServerArguments => ["--GreenLoop:Storage:Provider=postgres", $"--GreenLoop:Storage:ConnectionString={ConnectionString}"];

    public static async Task<PostgresBenchDatabase> CreateAsync(string admin, string stage, bool keep, TextWriter output, CancellationToken ct)
    {
        var name = $"greenloop_bench_{stage}_{Guid.NewGuid().ToString("N")[..8]}";
        await using var c = new NpgsqlConnection(admin);
        await c.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", c);
        await cmd.ExecuteNonQueryAsync(ct);
        return new PostgresBenchDatabase(admin, name, keep, output);
    }

    /// <summary>Size of the database on disk, in MB.</summary>
    public async Task<double> SizeMegabytesAsync(CancellationToken ct)
    {
        await using var c = new NpgsqlConnection(ConnectionString);
        await c.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT pg_database_size(current_database())", c);
        return (long)(await cmd.ExecuteScalarAsync(ct))! / 1048576.0;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_keep)
        {
            await _output.WriteLineAsync($"   kept database {Name}");
            return;
        }
        await using var c = new NpgsqlConnection(_admin);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", c);
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// The PostgreSQL yardstick: the same rows, batch by batch, by binary COPY into a bare table with the reading table's
/// columns and primary key, one transaction per batch; and the store's own append path without HTTP.
/// </summary>
internal static class PostgresBaselines
{
    /// <summary>
    /// Raw binary COPY of every row, one transaction per batch of <paramref name="rowsPerTransaction"/>, from
    /// <paramref name="clients"/> connections at once (PostgreSQL takes concurrent writers, so the yardstick uses as
    /// many as the store gets); the elapsed time from the first BEGIN to the last COMMIT.
    /// </summary>
    public static async Task<TimeSpan> RawCopyAsync(string connectionString, RawSqliteBaseline.Rows rows, int rowsPerTransaction, int clients, long receivedAt,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using (var create = db.CreateCommand(
            "CREATE TABLE reading(meter_id bigint NOT NULL, ts bigint NOT NULL, value double precision NOT NULL, received_at bigint NOT NULL, PRIMARY KEY(meter_id, ts))"))
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        var connections = new List<NpgsqlConnection>();
        for (var i = 0; i < clients; i++) connections.Add(await db.OpenConnectionAsync(ct));
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(connections.Select(c => Task.Run(async () =>
        {
            int batch;
            while ((batch = Interlocked.Increment(ref next)) * (long)rowsPerTransaction < rows.Ts.Length)
            {
                var start = batch * rowsPerTransaction;
                await using var tx = await c.BeginTransactionAsync(ct);
                await using (var copy = await c.BeginBinaryImportAsync("COPY reading(meter_id, ts, value, received_at) FROM STDIN (FORMAT BINARY)", ct))
                {
                    var end = Math.Min(rows.Ts.Length, start + rowsPerTransaction);
                    for (var i = start; i < end; i++)
                    {
                        await copy.StartRowAsync(ct);
                        await copy.WriteAsync(rows.MeterIds[i], NpgsqlDbType.Bigint, ct);
                        await copy.WriteAsync(rows.Ts[i], NpgsqlDbType.Bigint, ct);
                        await copy.WriteAsync(rows.Values[i], NpgsqlDbType.Double, ct);
                        await copy.WriteAsync(receivedAt, NpgsqlDbType.Bigint, ct);
                    }
                    await copy.CompleteAsync(ct);
                }
                await tx.CommitAsync(ct);
            }
        }, ct)));
        var elapsed = watch.Elapsed;
        foreach (var c in connections) await c.DisposeAsync();
        return elapsed;
    }

    /// <summary>
    /// <see cref="PostgresStore.AppendReadingsAsync"/> with the same batches from <paramref name="clients"/> concurrent
    /// writers (as the server's request handlers would call it), on a migrated database with the benchmark site.
    /// </summary>
    public static async Task<TimeSpan> StoreAppendAsync(string connectionString, BenchWorkload workload, IReadOnlyList<BatchSpec> batches, RawSqliteBaseline.Rows rows,
        int clients, long receivedAt, CancellationToken ct)
    {
        await using var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = connectionString });
        await store.MigrateAsync(ct);
        var tenant = await store.EnsureTenantAsync("default", "default", ct);
        await store.ApplySiteAsync(tenant, workload.Site(), receivedAt, ct);
        var offsets = new int[batches.Count + 1];
        for (var i = 0; i < batches.Count; i++) offsets[i + 1] = offsets[i] + batches[i].Count;
        var payloads = batches.Select((_, i) => Enumerable.Range(offsets[i], offsets[i + 1] - offsets[i])
            .Select(k => new StoredReading(new MeterId(rows.MeterIds[k]), new Instant(rows.Ts[k]), rows.Values[k])).ToArray()).ToArray();
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < payloads.Length)
            {
                var outcomes = await store.AppendReadingsAsync(payloads[i], new Instant(receivedAt), ct);
                if (outcomes.Any(o => o.Status != AppendStatus.Inserted))
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"batch {i}: not every reading was inserted"));
            }
        }, ct)));
        return watch.Elapsed;
    }
}
