using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GreenLoop.Pipeline;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Pipeline.Monitor.Derivation;
using GreenLoop.Storage;
using GreenLoop.Storage.Postgres;
using GreenLoop.Storage.Sqlite;

namespace GreenLoop.Cli.Bench;

/// <summary>
/// Query latency over a year of history: hourly readings for many meters are written through the real pipeline
/// (IngestService and DerivationService on the SQLite store, as the CLI's import does, because the HTTP path would take
/// too long to fill a year here), then the real server answers the series and energy queries over HTTP.
/// </summary>
internal sealed class QueryBenchmark(BenchOptions options, TextWriter output, TimeProvider clock)
{
    private const int ChunkDays = 30;
    private const int IngestBatch = 50_000;

    public async Task<bool> RunAsync(string folder, CancellationToken ct)
    {
        var o = options;
        var today = clock.GetUtcNow().UtcDateTime.Date;
        var start = new DateTimeOffset(today.AddDays(-o.QueryDays - 1), TimeSpan.Zero).ToUnixTimeMilliseconds();
        var steps = o.QueryDays * 24;
        var workload = new BenchWorkload("benchq", o.QueryMeters, Math.Clamp(o.QueryMeters / 100, 1, 10), mixedCarriers: true, start, steps, 3600);
        var data = Path.Combine(folder, "query");
        await output.WriteLineAsync(Invariant($"== query: {o.QueryMeters} meters (electricity, natural gas, water) x {o.QueryDays} d of hourly readings = {(long)o.QueryMeters * steps:N0} readings"));
        await using var database = o.Postgres ? await PostgresBenchDatabase.CreateAsync(o.Pg!, "query", o.Keep, output, ct) : null;
        if (!await PopulateAsync(workload, Path.Combine(data, "greenloop.db"), database, ct)) return false;

        await using var server = await BenchServer.StartAsync(data, o.Synchronous, ct, database?.ServerArguments);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        string Local(long ms) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // Whole local days inside the data, so the series is complete and both queries span the same days.
        string from = Local(workload.StartMs + 86_400_000), to = Local(workload.LastMs);
        var meter = workload.MeterKey(o.QueryMeters / 2);
        var series = await MeasureAsync(server, $"one meter's hourly series {from}..{to}",
            $"/api/v1/sites/{workload.SiteKey}/meters/{meter}/series?grain=hour&from={from}&to={to}", 50, doc => doc.RootElement.GetProperty("points").GetArrayLength(), ct);
        var energy = await MeasureAsync(server, $"site daily totals by carrier {from}..{to}",
            $"/api/v1/sites/{workload.SiteKey}/energy?grain=day&from={from}&to={to}", 200, doc => doc.RootElement.GetProperty("rows").GetArrayLength(), ct);
        return series && energy;
    }

    private async Task<bool> PopulateAsync(BenchWorkload workload, string path, PostgresBenchDatabase? database, CancellationToken ct)
    {
        GreenLoopStore store = database is null
            ? new SqliteStore(new SqliteStoreOptions { Path = path, Synchronous = options.Synchronous })
            : new PostgresStore(new PostgresStoreOptions { ConnectionString = database.ConnectionString });
        await using (store)
        {
            await store.MigrateAsync(ct);
            var tenant = await store.EnsureTenantAsync("default", "default", ct);
            var catalog = new MeterCatalog(store, clock);
            var signal = new DerivationSignal();
            var ingest = new IngestService(store, catalog, signal, clock);
            var derivation = new DerivationService(store, catalog, DerivedChangeHub.None);
            var sites = new SiteService(store, catalog, signal, clock);
            var applied = await sites.ApplyAsync(tenant, workload.Site(), ct);
            if (applied.Result is null) throw new InvalidOperationException("the benchmark site does not validate: " + string.Join("; ", applied.Errors.Select(e => e.Path + ": " + e.Reason)));

            var keys = Enumerable.Range(0, workload.Meters).Select(workload.MeterKey).ToArray();
            TimeSpan ingestTime = default, deriveTime = default;
            var total = Stopwatch.StartNew();
            long readings = 0;
            var batch = new List<ReadingInput>(IngestBatch);
            try
            {
                for (var first = 0; first < workload.Steps; first += ChunkDays * 24)
                {
                    var end = Math.Min(workload.Steps, first + ChunkDays * 24);
                    var watch = Stopwatch.StartNew();
                    for (var s = first; s < end; s++)
                    {
                        var ts = DateTimeOffset.FromUnixTimeMilliseconds(workload.Ts(s));
                        for (var m = 0; m < workload.Meters; m++)
                        {
                            batch.Add(new ReadingInput(keys[m], ts, workload.Register(m, s)));
                            if (batch.Count == IngestBatch) await Flush();
                        }
                    }
                    await Flush();
                    ingestTime += watch.Elapsed;
                    watch.Restart();
                    await derivation.RunUntilIdleAsync(ct, 500);
                    deriveTime += watch.Elapsed;
                    await output.WriteLineAsync(Invariant($"   populated days {first / 24}..{end / 24}: {readings:N0} readings so far, ingest {ingestTime.TotalSeconds:0} s, derivation {deriveTime.TotalSeconds:0} s"));
                }
            }
            catch (OperationCanceledException)
            {
                await output.WriteLineAsync(Invariant($"   TIME LIMIT reached while populating after {total.Elapsed.TotalSeconds:0} s ({readings:N0} readings stored); no queries measured"));
                return false;
            }
            await output.WriteLineAsync(Invariant($"   populated through IngestService + DerivationService: {readings:N0} readings in {total.Elapsed.TotalSeconds:0.0} s ({readings / total.Elapsed.TotalSeconds:N0}/s; ingest {ingestTime.TotalSeconds:0.0} s, derivation {deriveTime.TotalSeconds:0.0} s); database {(database is null ? new FileInfo(path).Length / 1048576.0 : await database.SizeMegabytesAsync(ct)):0} MB"));
            return true;

            async Task Flush()
            {
                if (batch.Count == 0) return;
                var result = await ingest.IngestAsync(tenant, new IngestRequest(batch, "bench"), ct);
                if (result.Accepted != batch.Count) throw new InvalidOperationException(Invariant($"ingest accepted {result.Accepted} of {batch.Count}: {result.Rejected.FirstOrDefault()?.Reason}"));
                readings += batch.Count;
                batch = new List<ReadingInput>(IngestBatch);
            }
        }
    }

    private async Task<bool> MeasureAsync(BenchServer server, string what, string url, double targetMs, Func<JsonDocument, int> count, CancellationToken ct)
    {
        var client = server.Client;
        int items = 0, bytes = 0;
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync(url, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException(Invariant($"GET {url} answered {(int)response.StatusCode}"));
            using var doc = JsonDocument.Parse(body);
            (items, bytes) = (count(doc), body.Length);
        }
        var times = new double[options.QueryRuns];
        for (var i = 0; i < times.Length; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead, ct);
            _ = await response.Content.ReadAsByteArrayAsync(ct);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        var median = times[times.Length / 2];
        var p95 = times[(int)Math.Ceiling(0.95 * times.Length) - 1];
        var ok = items > 0 && median < targetMs && p95 < targetMs;
        await output.WriteLineAsync(Invariant($"   {what}: {items} items, {bytes / 1024.0:0} KB; {times.Length} runs after 5 warm-up: median {median:0.0} ms, p95 {p95:0.0} ms, min {times[0]:0.0}, max {times[^1]:0.0} (target < {targetMs} ms -> {(ok ? "met" : "NOT met")})"));
        await output.WriteLineAsync(Invariant($"     GET {url}"));
        return items > 0;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
