using System.Diagnostics;
using System.Globalization;
using GreenLoop.Accounting;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Pipeline.Model.Accounting;
using GreenLoop.Pipeline.Monitor.Derivation;
using GreenLoop.Storage.Sqlite;

namespace GreenLoop.Cli.Bench;

/// <summary>
/// <c>greenloop bench report</c>: how long the energy report, the GHG inventory and their Excel workbooks take for a
/// site-year. A plant of many hourly meters (electricity, natural gas, water) plus a tile-output meter is filled with one
/// calendar year through IngestService and DerivationService on SQLite, then each report is generated repeatedly
/// through <see cref="AccountingService"/> (the code behind the HTTP endpoints and the CLI). Interactive means well
/// under a second.
/// </summary>
internal static class ReportBenchmark
{
    public const string Usage = """
        greenloop bench report [--meters N] [--runs R] [--year YYYY] [--keep]

          --meters N   hourly meters of the plant (default 200, 1..2000), plus one tile-output meter
          --runs R     measured runs of each report after 3 warm-up runs (default 20, 5..1000)
          --year YYYY  the calendar year filled and reported (default: last year by the clock)
          --keep       keep the generated database (its folder is printed)
        """;

    private const int IngestBatch = 50_000;
    private const int ChunkDays = 30;
    private const string Zone = "Asia/Shanghai";
    private const double TargetMs = 1000;

    public static async Task<int> RunAsync(List<string> args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var clock = TimeProvider.System;
        if (args.Remove("-h") || args.Remove("--help"))
        {
            await output.WriteLineAsync(Usage);
            return 0;
        }
        var keep = args.Remove("--keep");
        int meters = 200, runs = 20, year = clock.GetUtcNow().Year - 1;
        string? problem = null;
        if (CliApp.TakeOption(args, "--meters") is { } m && !(int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out meters) && meters is >= 1 and <= 2000))
            problem = $"--meters must be a whole number from 1 to 2000, not '{m}'";
        if (CliApp.TakeOption(args, "--runs") is { } r && !(int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out runs) && runs is >= 5 and <= 1000))
            problem = $"--runs must be a whole number from 5 to 1000, not '{r}'";
        if (CliApp.TakeOption(args, "--year") is { } y && !(int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out year) && year >= 2000 && year < clock.GetUtcNow().Year))
            problem = $"--year must be a past year from 2000, not '{y}'";
        if (problem is null && args.Count > 0) problem = $"unknown option '{args[0]}'";
        if (problem is not null)
        {
            await error.WriteLineAsync($"error: {problem}\n\n{Usage}");
            return 1;
        }

        var folder = Path.Combine(Path.GetTempPath(), "greenloop-bench-report-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        await output.WriteLineAsync(Invariant($"greenloop bench report — {clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, data in {folder}"));
        try
        {
            return await RunInAsync(folder, meters, runs, year, output, clock, ct) ? 0 : 3;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (keep) await output.WriteLineAsync($"kept {folder}");
            else
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (IOException ex) { await error.WriteLineAsync($"warning: could not delete {folder}: {ex.Message}"); }
            }
        }
    }

    private static async Task<bool> RunInAsync(string folder, int meterCount, int runs, int year, TextWriter output, TimeProvider clock, CancellationToken ct)
    {
        var calendar = SiteCalendar.ForZone(Zone);
        var start = calendar.LocalToUtc(new DateTime(year, 1, 1));
        var end = calendar.LocalToUtc(new DateTime(year + 1, 1, 1));
        var hours = (int)((end - start) / 3_600_000);
        var workload = new BenchWorkload("benchr", meterCount, Math.Clamp(meterCount / 100, 1, 10), mixedCarriers: true, start, hours + 1, 3600);
        var outputMeter = workload.SiteKey + ".output";
        var site = workload.Site() with
        {
            GridRegion = "CN-Guangdong",
            Industry = "ceramics",
            Accounting = new AccountingProfile { LimitClass = "GB 21252-2023.tile_dry_pressed_abs_0.2_0.5" },
            Meters =
            [
                .. workload.Site().Meters,
                new MeterDefinition
                {
                    Key = outputMeter, Name = "Tile output", NameZh = "成品产量", Quantity = MeterQuantity.ProductOutput, Carrier = "tile_output",
                    Unit = "m2", Kind = MeterKind.Interval, IntervalMinutes = 60, Stamp = IntervalStamp.PeriodEnding,
                },
            ],
        };
        var path = Path.Combine(folder, "greenloop.db");
        await output.WriteLineAsync(Invariant($"== report: {meterCount} hourly meters + 1 output meter x {hours} h of {year} = {(long)meterCount * (hours + 1) + hours:N0} readings, site '{site.Key}'"));

        await using var store = new SqliteStore(new SqliteStoreOptions { Path = path });
        await store.MigrateAsync(ct);
        var tenant = await store.EnsureTenantAsync("default", "default", ct);
        var catalog = new MeterCatalog(store, clock);
        var signal = new DerivationSignal();
        var ingest = new IngestService(store, catalog, signal, clock);
        var derivation = new DerivationService(store, catalog, DerivedChangeHub.None);
        var applied = await new SiteService(store, catalog, signal, clock).ApplyAsync(tenant, site, ct);
        if (applied.Result is null) throw new InvalidOperationException("the benchmark site does not validate: " + string.Join("; ", applied.Errors.Select(e => e.Path + ": " + e.Reason)));

        var fill = Stopwatch.StartNew();
        var keys = Enumerable.Range(0, meterCount).Select(workload.MeterKey).ToArray();
        var batch = new List<ReadingInput>(IngestBatch);
        long readings = 0;
        for (var first = 0; first < workload.Steps; first += ChunkDays * 24)
        {
            for (var s = first; s < Math.Min(workload.Steps, first + ChunkDays * 24); s++)
            {
                var ts = DateTimeOffset.FromUnixTimeMilliseconds(workload.Ts(s));
                for (var m = 0; m < meterCount; m++)
                {
                    batch.Add(new ReadingInput(keys[m], ts, workload.Register(m, s)));
                    if (batch.Count == IngestBatch) await FlushAsync();
                }
                if (s > 0) batch.Add(new ReadingInput(outputMeter, ts, 50));
            }
            await FlushAsync();
            await derivation.RunUntilIdleAsync(ct, 500);
        }
        await output.WriteLineAsync(Invariant($"   filled through IngestService + DerivationService: {readings:N0} readings in {fill.Elapsed.TotalSeconds:0.0} s (not part of the figures below); database {new FileInfo(path).Length / 1048576.0:0} MB"));

        var accounting = new AccountingService(store, store, store, catalog, clock);
        var period = year.ToString(CultureInfo.InvariantCulture);
        var month = $"{year}-06";
        EnergyReport? energy = null;
        CarbonReport? carbon = null;
        var ok = true;
        ok &= await MeasureAsync(output, $"energy report, year {period}", runs, async () => energy = await accounting.EnergyAsync(tenant, site.Key, period, ct));
        ok &= await MeasureAsync(output, $"carbon report, year {period}", runs, async () => carbon = await accounting.CarbonAsync(tenant, site.Key, period, ct));
        ok &= await MeasureAsync(output, $"energy report, month {month}", runs, () => accounting.EnergyAsync(tenant, site.Key, month, ct));
        ok &= await MeasureAsync(output, $"carbon report, month {month}", runs, () => accounting.CarbonAsync(tenant, site.Key, month, ct));
        var energyBytes = 0;
        var carbonBytes = 0;
        ok &= await MeasureAsync(output, "energy workbook (.xlsx) of the year's report", runs, () => Task.FromResult(energyBytes = ReportWorkbook.Energy(energy!).Length));
        ok &= await MeasureAsync(output, "carbon workbook (.xlsx) of the year's report", runs, () => Task.FromResult(carbonBytes = ReportWorkbook.Carbon(carbon!).Length));

        var expected = workload.ExpectedTotals();
        var electricity = energy!.Account.Lines.Single(l => l.Key == "energy.electricity").Activity[0].Quantity;
        var relative = Math.Abs(electricity - expected["electricity"]) / expected["electricity"];
        await output.WriteLineAsync(Invariant($"   check: electricity {electricity:N3} kWh vs workload {expected["electricity"]:N3} (rel. error {relative:0.#e+0}); total {energy.Account.Total.Value / 1000:N1} tce; Scope 1 + 2 (location) {carbon!.Inventory.TotalLocation.Value:N1} tCO2e; completeness {energy.Completeness:P1}; workbooks {energyBytes / 1024.0:0} KB and {carbonBytes / 1024.0:0} KB"));
        return ok && relative < 1e-9;

        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            var result = await ingest.IngestAsync(tenant, new IngestRequest(batch, "bench"), ct);
            if (result.Accepted != batch.Count) throw new InvalidOperationException(Invariant($"ingest accepted {result.Accepted} of {batch.Count}: {result.Rejected.FirstOrDefault()?.Reason}"));
            readings += batch.Count;
            batch = new List<ReadingInput>(IngestBatch);
        }
    }

    private static async Task<bool> MeasureAsync<T>(TextWriter output, string what, int runs, Func<Task<T>> run)
    {
        for (var i = 0; i < 3; i++) await run();
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await run();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        var median = times[times.Length / 2];
        var p95 = times[(int)Math.Ceiling(0.95 * times.Length) - 1];
        var met = p95 < TargetMs;
        await output.WriteLineAsync(Invariant($"   {what}: {runs} runs after 3 warm-up: median {median:0.0} ms, p95 {p95:0.0} ms, min {times[0]:0.0}, max {times[^1]:0.0} (target p95 < {TargetMs:0} ms -> {(met ? "met" : "NOT met")})"));
        return met;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
