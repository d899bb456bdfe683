using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GreenLoop.Cli.Bench;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Pipeline.Monitor.Derivation;
using GreenLoop.Storage;
using GreenLoop.Storage.Sqlite;

namespace GreenLoop.Bench;

/// <summary>
/// Where the ingest time goes, stage by stage, on one thread without HTTP: JSON parsing, IngestService (validation and
/// append), and derivation split into its reads plus computation (DeriveAsync) and its writes (SaveDerivedAsync).
/// The batches are the e2e benchmark's, in the same order; derivation runs after every <c>deriveEvery</c> batches.
/// </summary>
internal static class PipelineProfile
{
    public static async Task<int> RunAsync(string[] args)
    {
        var meters = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var days = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var sync = args.Length > 2 ? args[2] : "FULL";
        var deriveEvery = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 4;
        var clock = TimeProvider.System;
        var folder = Path.Combine(Path.GetTempPath(), "greenloop-profile-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var start = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date.AddDays(-days - 1), TimeSpan.Zero).ToUnixTimeMilliseconds();
            var workload = new BenchWorkload("bench", meters, Math.Clamp(meters / 50, 1, 8), mixedCarriers: false, start, days * 1440, 60);
            var batches = workload.Batches(5000);
            var bodies = batches.Select(workload.Body).ToArray();
            var total = batches.Sum(b => b.Count);

            var rows = RawSqliteBaseline.Collect(workload, batches);
            var raw = RawSqliteBaseline.Run(Path.Combine(folder, "raw.db"), rows, sync, 5000, 0, cacheKib: null, CancellationToken.None);
            var storeAppend = await AppendOnlyAsync(Path.Combine(folder, "append.db"), workload, batches, rows, sync, clock);

            var store = new SqliteStore(new SqliteStoreOptions { Path = Path.Combine(folder, "greenloop.db"), Synchronous = sync });
            await using var _ = store;
            await store.MigrateAsync(CancellationToken.None);
            var tenant = await store.EnsureTenantAsync("default", "default", CancellationToken.None);
            var catalog = new MeterCatalog(store, clock);
            var signal = new DerivationSignal();
            var ingest = new IngestService(store, catalog, signal, clock);
            var derivation = new DerivationService(store, catalog, DerivedChangeHub.None);
            await new SiteService(store, catalog, signal, clock).ApplyAsync(tenant, workload.Site(), CancellationToken.None);

            Stopwatch parse = new(), append = new(), dirty = new(), derive = new(), save = new();
            var passes = 0;
            for (var i = 0; i < bodies.Length; i++)
            {
                parse.Start();
                ParsedBatch parsed;
                using (var doc = JsonDocument.Parse(bodies[i])) parsed = ReadingParsers.ParseJson(doc, "profile");
                parse.Stop();
                append.Start();
                await ingest.IngestAsync(tenant, parsed.Request, CancellationToken.None);
                append.Stop();
                if ((i + 1) % deriveEvery != 0 && i != bodies.Length - 1) continue;
                while (true)
                {
                    dirty.Start();
                    var pending = await store.GetDirtyAsync(500, CancellationToken.None);
                    dirty.Stop();
                    if (pending.Count == 0) break;
                    passes++;
                    derive.Start();
                    var spans = new List<DerivedSpan>();
                    foreach (var d in pending)
                        spans.Add(await derivation.DeriveAsync((await catalog.FindAsync(d.Meter.Value, CancellationToken.None))!, d.First, d.Last, d.Version, CancellationToken.None));
                    derive.Stop();
                    save.Start();
                    await store.SaveDerivedAsync(spans, CancellationToken.None);
                    save.Stop();
                }
            }
            var all = parse.Elapsed + append.Elapsed + dirty.Elapsed + derive.Elapsed + save.Elapsed;
            void Line(string what, TimeSpan t) =>
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-44} {t.TotalSeconds,7:0.000} s  {t / all,6:P1}  ({total / t.TotalSeconds,12:N0} readings/s alone)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pipeline profile: {total:N0} readings ({meters} meters x {days} d at 60 s), synchronous={sync}, derivation after every {deriveEvery} batches ({passes} passes)"));
            Line("raw SQLite insert of the same rows", raw);
            Line("store.AppendReadingsAsync alone (other file)", storeAppend);
            Line("JSON parse (JsonDocument + ParseJson)", parse.Elapsed);
            Line("IngestService.IngestAsync (validate+append)", append.Elapsed);
            Line("GetDirtyAsync", dirty.Elapsed);
            Line("DeriveAsync (reads + Deriver + BuildSpan)", derive.Elapsed);
            Line("SaveDerivedAsync (buckets, roll-ups, nodes)", save.Elapsed);
            Line("total pipeline, one thread", all);
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    
    }

    /// <summary>The store's append alone, with meter ids resolved beforehand: what IngestService adds is the rest.</summary>
    private static async Task<TimeSpan> AppendOnlyAsync(string path, BenchWorkload workload, IReadOnlyList<BatchSpec> batches, RawSqliteBaseline.Rows rows, string sync, TimeProvider clock)
    {
        var store = new SqliteStore(new SqliteStoreOptions { Path = path, Synchronous = sync });
        await using var _ = store;
        await store.MigrateAsync(CancellationToken.None);
        var tenant = await store.EnsureTenantAsync("default", "default", CancellationToken.None);
        var catalog = new MeterCatalog(store, clock);
        await new SiteService(store, catalog, new DerivationSignal(), clock).ApplyAsync(tenant, workload.Site(), CancellationToken.None);
        var lists = new List<StoredReading[]>();
        var i = 0;
        foreach (var b in batches)
        {
            lists.Add(Enumerable.Range(i, b.Count).Select(k => new StoredReading(new MeterId(rows.MeterIds[k]), new Instant(rows.Ts[k]), rows.Values[k])).ToArray());
            i += b.Count;
        }
        var watch = Stopwatch.StartNew();
        foreach (var list in lists) await store.AppendReadingsAsync(list, new Instant(0), CancellationToken.None);
        return watch.Elapsed;
    }
}
