using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime;
using System.Text.Json;
using GreenLoop.Storage.Sqlite;

namespace GreenLoop.Cli.Bench;

/// <summary>
/// End-to-end ingest: the real server on Kestrel, C clients posting JSON batches through POST /api/v1/readings,
/// timed until every POST is answered (acknowledged) and until derivation is idle (derived); checked for correctness
/// against the known consumption; compared with a raw SQLite insert of the same rows measured in the same run.
/// </summary>
internal sealed class IngestBenchmark(BenchOptions options, TextWriter output, TimeProvider clock)
{
    public async Task<bool> RunAsync(string folder, CancellationToken ct)
    {
        var o = options;
        Directory.CreateDirectory(folder);
        // Whole days that end before today (UTC), so no reading is in the future.
        var today = clock.GetUtcNow().UtcDateTime.Date;
        var start = new DateTimeOffset(today.AddDays(-o.Days - 1), TimeSpan.Zero).ToUnixTimeMilliseconds();
        var workload = new BenchWorkload("bench", o.Meters, Math.Clamp(o.Meters / 50, 1, 8), mixedCarriers: false, start, o.StepsPerMeter, o.StepSeconds);
        var batches = workload.Batches(o.Batch);
        var total = batches.Sum(b => b.Count);
        await output.WriteLineAsync(Invariant($"== ingest: {o.Meters} cumulative electricity meters x {workload.Steps} readings ({o.Days} d at {o.StepSeconds} s) = {total:N0} readings"));
        await output.WriteLineAsync(Invariant($"   {batches.Count} batches of up to {o.Batch} readings ({Math.Min(o.Meters, BenchWorkload.MetersPerGateway)} meters per batch), {o.Clients} clients, synchronous={o.Synchronous}, server GC={GCSettings.IsServerGC}"));

        var watch = Stopwatch.StartNew();
        var bodies = batches.Select(workload.Body).ToArray();
        var rows = RawSqliteBaseline.Collect(workload, batches);
        await output.WriteLineAsync(Invariant($"   generated {bodies.Sum(b => (long)b.Length) / 1048576.0:0.0} MB of JSON in {watch.Elapsed.TotalSeconds:0.0} s (not timed)"));

        var receivedAt = clock.GetUtcNow().ToUnixTimeMilliseconds();
        double rawRate, rawBigRate;
        var second = $"raw with the store's {SqliteStore.WriterCacheKib / 1024} MB cache";
        PostgresBenchDatabase? serverDb = null;
        if (o.Postgres)
        {
            // Twice: the first run also pays for warming the server up (new WAL segments, cold caches).
            rawRate = 0;
            foreach (var run in new[] { "warm-up", "the baseline" })
            {
                await using var rawDb = await PostgresBenchDatabase.CreateAsync(o.Pg!, "raw", o.Keep, output, ct);
                var copy = await PostgresBaselines.RawCopyAsync(rawDb.ConnectionString, rows, o.Batch, o.Clients, receivedAt, ct);
                rawRate = total / copy.TotalSeconds;
                await output.WriteLineAsync(Invariant($"   raw PostgreSQL binary COPY into a bare reading table ({o.Clients} connections, a transaction per batch): {total:N0} rows in {copy.TotalSeconds:0.000} s = {rawRate:N0} rows/s  <- {run}"));
            }
            await using (var appendDb = await PostgresBenchDatabase.CreateAsync(o.Pg!, "append", o.Keep, output, ct))
            {
                var append = await PostgresBaselines.StoreAppendAsync(appendDb.ConnectionString, workload, batches, rows, o.Clients, receivedAt, ct);
                rawBigRate = total / append.TotalSeconds;
                second = "the store's append";
                await output.WriteLineAsync(Invariant($"   PostgresStore.AppendReadingsAsync without HTTP ({o.Clients} writers; binary COPY in key order, dirty marks): {append.TotalSeconds:0.000} s = {rawBigRate:N0} readings/s ({rawBigRate / rawRate:P1} of raw)"));
            }
            serverDb = await PostgresBenchDatabase.CreateAsync(o.Pg!, "server", o.Keep, output, ct);
        }
        else
        {
            var raw = RawSqliteBaseline.Run(Path.Combine(folder, "raw.db"), rows, o.Synchronous, o.Batch, receivedAt, cacheKib: null, ct);
            rawRate = total / raw.TotalSeconds;
            await output.WriteLineAsync(Invariant($"   raw SQLite insert (default 2 MB cache): {total:N0} rows in {raw.TotalSeconds:0.000} s = {rawRate:N0} rows/s  <- the baseline"));
            // The store runs with its own page cache size; the same insert with that cache shows how much of the gap is cache.
            var rawBig = RawSqliteBaseline.Run(Path.Combine(folder, "raw-store-cache.db"), rows, o.Synchronous, o.Batch, receivedAt, cacheKib: SqliteStore.WriterCacheKib, ct);
            rawBigRate = total / rawBig.TotalSeconds;
            await output.WriteLineAsync(Invariant($"   raw SQLite insert ({SqliteStore.WriterCacheKib / 1024} MB cache, as the store): {rawBig.TotalSeconds:0.000} s = {rawBigRate:N0} rows/s"));
        }

        await using var database = serverDb;
        await using var server = await BenchServer.StartAsync(Path.Combine(folder, "server"), o.Synchronous, ct, serverDb?.ServerArguments);
        await server.PutSiteAsync(workload.Site(), ct);
        var probe = await LiveAlarmProbe.SetUpAsync(server, ct);
        await server.WaitDerivedAsync(ct);

        var next = -1;
        long accepted = 0, rejected = 0, acked = 0;
        var maxPending = 0L;
        using var stopPolling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var probing = Task.Run(() => probe.RunAsync(server, stopPolling.Token), ct);
        watch.Restart();
        var clients = Enumerable.Range(0, o.Clients).Select(_ => Task.Run(async () =>
        {
            using var client = server.NewClient();
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Length)
            {
                using var content = new ByteArrayContent(bodies[i]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync("/api/v1/readings", content, ct);
                var answer = await response.Content.ReadAsByteArrayAsync(ct);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException(Invariant($"POST /api/v1/readings answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(answer)}"));
                using var doc = JsonDocument.Parse(answer);
                Interlocked.Add(ref accepted, doc.RootElement.GetProperty("accepted").GetInt32());
                Interlocked.Add(ref rejected, doc.RootElement.GetProperty("rejected").GetArrayLength());
                Interlocked.Add(ref acked, batches[i].Count);
            }
        }, ct)).ToArray();
        var poller = Task.Run(async () =>
        {
            while (!stopPolling.IsCancellationRequested)
            {
                maxPending = Math.Max(maxPending, await server.PendingDerivationAsync(stopPolling.Token));
                await Task.Delay(250, stopPolling.Token);
            }
        }, stopPolling.Token);

        try
        {
            await Task.WhenAll(clients);
        }
        catch (OperationCanceledException)
        {
            await output.WriteLineAsync(Invariant($"   TIME LIMIT reached after {watch.Elapsed.TotalSeconds:0.0} s: {Interlocked.Read(ref acked):N0} of {total:N0} readings acknowledged ({Interlocked.Read(ref acked) / watch.Elapsed.TotalSeconds:N0}/s); partial result"));
            return false;
        }
        var ackTime = watch.Elapsed;
        var pendingAtAck = await server.PendingDerivationAsync(ct);
        try
        {
            await server.WaitDerivedAsync(ct);
        }
        catch (OperationCanceledException)
        {
            await output.WriteLineAsync(Invariant($"   TIME LIMIT reached while deriving ({watch.Elapsed.TotalSeconds:0.0} s after the first POST); partial result"));
            return false;
        }
        var derivedTime = watch.Elapsed;
        await stopPolling.CancelAsync();
        await poller.ContinueWith(_ => { }, TaskScheduler.Default);
        await probing.ContinueWith(_ => { }, TaskScheduler.Default);

        var ackRate = total / ackTime.TotalSeconds;
        var derivedRate = total / derivedTime.TotalSeconds;
        await output.WriteLineAsync(Invariant($"   acknowledged: {total:N0} readings in {ackTime.TotalSeconds:0.000} s = {ackRate:N0} readings/s ({ackRate / rawRate:P1} of raw); {pendingAtAck} meters pending derivation at that moment (max seen {Math.Max(maxPending, pendingAtAck)})"));
        await output.WriteLineAsync(Invariant($"   derived:      {total:N0} readings in {derivedTime.TotalSeconds:0.000} s = {derivedRate:N0} readings/s ({derivedRate / rawRate:P1} of raw; {derivedRate / rawBigRate:P1} of {second})"));

        await output.WriteLineAsync("   " + probe.Summary());
        var ok = await VerifyAsync(server, workload, total, accepted, rejected, ct);
        var serverPeak = server.ServerPeakWorkingSetMb;
        using var self = Process.GetCurrentProcess();
        await output.WriteLineAsync(Invariant($"   peak working set of the server process alone: {serverPeak:0} MB (target < 300 MB -> {(serverPeak < 300 ? "met" : "NOT met")})"));
        await output.WriteLineAsync(Invariant($"   peak working set of the benchmark process (clients + {bodies.Sum(b => (long)b.Length) / 1048576.0:0} MB of request bodies): {self.PeakWorkingSet64 / 1048576.0:0} MB"));
        await output.WriteLineAsync(Invariant($"   targets: >= 250,000 readings/s derived -> {(derivedRate >= 250_000 ? "met" : "NOT met")}; >= 50 % of raw -> {(derivedRate / rawRate >= 0.5 ? "met" : "NOT met")}"));
        if (o.Postgres)
            await output.WriteLineAsync(Invariant($"   target (PostgreSQL): >= 500,000 readings/s into the store -> {(rawBigRate >= 500_000 ? "met" : "NOT met")} ({rawBigRate:N0}/s); raw COPY {rawRate:N0}/s"));
        return ok;
    }

    private async Task<bool> VerifyAsync(BenchServer server, BenchWorkload workload, long total, long accepted, long rejected, CancellationToken ct)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(workload.Site().TimeZone);
        DateOnly Local(long ms) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone).DateTime);
        var actual = await server.SiteTotalsAsync(workload.SiteKey, Local(workload.StartMs), Local(workload.LastMs).AddDays(1), ct);
        var ok = accepted == total && rejected == 0;
        await output.WriteLineAsync(Invariant($"   check: {accepted:N0} accepted, {rejected} rejected of {total:N0} posted -> {(ok ? "ok" : "WRONG")}"));
        foreach (var (carrier, expected) in workload.ExpectedTotals())
        {
            var got = actual.GetValueOrDefault(carrier, double.NaN);
            var rel = Math.Abs(got - expected) / Math.Abs(expected);
            var good = rel <= 1e-6;
            ok &= good;
            await output.WriteLineAsync(Invariant($"   check: site {carrier} total from /energy?grain=day = {got:0.000}, expected sum((last - first) x multiplier) = {expected:0.000}, relative error {rel:E1} -> {(good ? "ok" : "WRONG")}"));
        }
        return ok;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
