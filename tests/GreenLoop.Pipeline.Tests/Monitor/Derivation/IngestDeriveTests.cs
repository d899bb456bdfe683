using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Pipeline.Monitor.Query;
using GreenLoop.Storage;
using GreenLoop.Testing;
using static GreenLoop.Testing.TestSites;

namespace GreenLoop.Pipeline.Tests.Monitor.Derivation;

/// <summary>Ingest, derivation and queries on a real SQLite file: one local day in Asia/Shanghai (UTC+8, no DST).</summary>
public sealed class IngestDeriveTests
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan _cst = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset _midnight = new(2026, 11, 23, 0, 0, 0, _cst);

    /// <summary>
    /// Main incomer (cumulative, multiplier 2): a reading every 30 minutes, raw 1000 + 20k at 00:00 + 30k min, except that
    /// the 02:30 reading is taken at 02:40 instead (still 1100).
    /// </summary>
    private static IEnumerable<ReadingInput> MainReadings() =>
        Enumerable.Range(0, 49).Select(k => k == 5
            ? new ReadingInput(MainMeter, _midnight.AddMinutes(160), 1100)
            : new ReadingInput(MainMeter, _midnight.AddMinutes(30 * k), 1000 + 20 * k));

    /// <summary>Kiln gas (interval, period ending): 1.5 m3 per 15 minutes, 3.0 during local hour 12.</summary>
    private static IEnumerable<ReadingInput> GasReadings() =>
        Enumerable.Range(1, 96).Select(q => new ReadingInput(GasMeter, _midnight.AddMinutes(15 * q), (q - 1) / 4 == 12 ? 3.0 : 1.5));

    /// <summary>Kiln temperature: 800 on the hour, 820 on the half hour (00:00 through 24:00), plus 900 at 10:10.</summary>
    private static IEnumerable<ReadingInput> TempReadings() =>
        Enumerable.Range(0, 49).Select(k => new ReadingInput(TempMeter, _midnight.AddMinutes(30 * k), k % 2 == 0 ? 800 : 820))
            .Append(new ReadingInput(TempMeter, _midnight.AddMinutes(610), 900));

    private static List<ReadingInput> AllReadings() => [.. MainReadings(), .. GasReadings(), .. TempReadings()];

    private static string At(int minutes) => _midnight.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task IngestAndDerive_ShanghaiDayOfThreeMeterKinds_BucketsHoursDayAndMonthMatchHandCalculation()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        await h.ApplyAsync(Plant());
        var readings = AllReadings();

        var result = await h.IngestAsync(readings);
        await h.DeriveAsync();

        Assert.Equal(new IngestResult(49 + 96 + 50, 49 + 96 + 50, 0, []), result with { Rejected = [] });
        Assert.Empty(result.Rejected);
        Assert.Equal(0, await h.Store.CountDirtyAsync(CancellationToken.None));

        // Main: raw 20 per 30 min = 10 per bucket, x2 = 20 kWh. 02:00-02:40 raw 20 over 40 min (0.5/min) and
        // 02:40-03:00 raw 20 over 20 min (1/min): buckets 02:00 7.5, 02:15 7.5, 02:30 5+5, 02:45 15 -> x2 = 15, 15, 20, 30.
        var main15 = await h.SeriesAsync("plant", MainMeter, Grain.Minutes15, "2026-11-23", "2026-11-24");
        Assert.Equal("kWh", main15.Unit);
        Assert.Equal(96, main15.Points.Count);
        for (var q = 0; q < 96; q++)
        {
            var expected = q switch { 8 => 15.0, 9 => 15.0, 10 => 20.0, 11 => 30.0, _ => 20.0 };
            AssertPoint(main15.Points[q], At(15 * q), expected, 1.0);
        }
        var mainHours = await h.SeriesAsync("plant", MainMeter, Grain.Hour, "2026-11-23", "2026-11-24");
        Assert.Equal(24, mainHours.Points.Count);
        for (var hour = 0; hour < 24; hour++) AssertPoint(mainHours.Points[hour], At(60 * hour), 80.0, 1.0);
        // Day: (1960 - 1000) x 2 = 1920 kWh. Month: only this day, 1 of November's 30 days measured.
        var mainDay = Assert.Single((await h.SeriesAsync("plant", MainMeter, Grain.Day, "2026-11-23", "2026-11-24")).Points);
        AssertPoint(mainDay, "2026-11-23T00:00:00+08:00", 1920.0, 1.0);
        var mainMonth = Assert.Single((await h.SeriesAsync("plant", MainMeter, Grain.Month, "2026-11-01", "2026-12-01")).Points);
        AssertPoint(mainMonth, "2026-11-01T00:00:00+08:00", 1920.0, 0.0333);

        // Gas: 1.5 m3 per bucket, 3.0 in hour 12: hours 6.0 (hour 12: 12.0), day 23 x 6 + 12 = 150 m3.
        var gas15 = await h.SeriesAsync("plant", GasMeter, Grain.Minutes15, "2026-11-23", "2026-11-24");
        Assert.Equal(96, gas15.Points.Count);
        for (var q = 0; q < 96; q++) AssertPoint(gas15.Points[q], At(15 * q), q / 4 == 12 ? 3.0 : 1.5, 1.0);
        var gasHours = await h.SeriesAsync("plant", GasMeter, Grain.Hour, "2026-11-23", "2026-11-24");
        Assert.Equal(24, gasHours.Points.Count);
        for (var hour = 0; hour < 24; hour++) AssertPoint(gasHours.Points[hour], At(60 * hour), hour == 12 ? 12.0 : 6.0, 1.0);
        AssertPoint(Assert.Single((await h.SeriesAsync("plant", GasMeter, Grain.Day, "2026-11-23", "2026-11-24")).Points), "2026-11-23T00:00:00+08:00", 150.0, 1.0);
        AssertPoint(Assert.Single((await h.SeriesAsync("plant", GasMeter, Grain.Month, "2026-11-01", "2026-12-01")).Points), "2026-11-01T00:00:00+08:00", 150.0, 0.0333);

        // Temperature, sample-and-hold: buckets at :00 and :15 hold 800, :30 and :45 hold 820, hour mean 810.
        // 10:00 bucket: 800 for 10 min, 900 for 5 min -> 12500/15 = 833.333...; 10:15: 900.
        // Hour 10: (833.333 x 15 + 900 x 15 + 820 x 30) / 60 = 50600/60 = 843.333...; day: (23 x 810 + 843.333) / 24 = 58420/72.
        var temp15 = await h.SeriesAsync("plant", TempMeter, Grain.Minutes15, "2026-11-23", "2026-11-24");
        Assert.Equal(96, temp15.Points.Count);
        for (var q = 0; q < 96; q++)
        {
            var (mean, min, max) = q switch
            {
                40 => (12500.0 / 15, 800.0, 900.0),
                41 => (900.0, 900.0, 900.0),
                _ when q % 4 < 2 => (800.0, 800.0, 800.0),
                _ => (820.0, 820.0, 820.0),
            };
            AssertGauge(temp15.Points[q], At(15 * q), mean, min, max, 1.0);
        }
        var tempHours = await h.SeriesAsync("plant", TempMeter, Grain.Hour, "2026-11-23", "2026-11-24");
        Assert.Equal(24, tempHours.Points.Count);
        for (var hour = 0; hour < 24; hour++)
        {
            if (hour == 10) AssertGauge(tempHours.Points[hour], At(600), 50600.0 / 60, 800, 900, 1.0);
            else AssertGauge(tempHours.Points[hour], At(60 * hour), 810, 800, 820, 1.0);
        }
        AssertGauge(Assert.Single((await h.SeriesAsync("plant", TempMeter, Grain.Day, "2026-11-23", "2026-11-24")).Points), "2026-11-23T00:00:00+08:00", 58420.0 / 72, 800, 900, 1.0);
        AssertGauge(Assert.Single((await h.SeriesAsync("plant", TempMeter, Grain.Month, "2026-11-01", "2026-12-01")).Points), "2026-11-01T00:00:00+08:00", 58420.0 / 72, 800, 900, 0.0333);

        // The site's electricity is the main incomer; the kiln's natural gas is its gas meter (gauges are never totals).
        var siteDay = Assert.Single((await h.Query.NodeSeriesAsync(h.TenantId, "plant", "_site", "electricity", Grain.Day, Ranges.Dates("2026-11-23", "2026-11-24"), CancellationToken.None))!.Points);
        AssertPoint(siteDay, "2026-11-23T00:00:00+08:00", 1920.0, 1.0);
        var kilnGas = Assert.Single((await h.Query.NodeSeriesAsync(h.TenantId, "plant", "kiln", "natural_gas", Grain.Day, Ranges.Dates("2026-11-23", "2026-11-24"), CancellationToken.None))!.Points);
        AssertPoint(kilnGas, "2026-11-23T00:00:00+08:00", 150.0, 1.0);
    }

    [Fact]
    public async Task Ingest_SameBatchTwice_SecondTimeAllDuplicatesAndNothingChanges()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        await h.ApplyAsync(Plant());
        var readings = AllReadings();
        await h.IngestAsync(readings);
        await h.DeriveAsync();

        var again = await h.IngestAsync(readings);
        var repeatedInBatch = await h.IngestAsync([readings[0], readings[0]]);

        Assert.Equal(195, again.Received);
        Assert.Equal(0, again.Accepted);
        Assert.Equal(195, again.Duplicates);
        Assert.Empty(again.Rejected);
        Assert.Equal(0, repeatedInBatch.Accepted);
        Assert.Equal(2, repeatedInBatch.Duplicates);
        Assert.Empty(repeatedInBatch.Rejected);
        Assert.Equal(0, await h.Store.CountDirtyAsync(CancellationToken.None));
        Assert.Equal(0, await h.Store.CountQuarantineAsync(h.TenantId, null, CancellationToken.None));
        Assert.Equal(49, await h.Store.CountReadingsAsync(new MeterId((await h.MeterAsync(MainMeter)).Id), CancellationToken.None));
    }

    [Fact]
    public async Task Ingest_DifferentValueAtStoredInstant_RejectedOnValueQuarantinedAndStoredValueKept()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        await h.ApplyAsync(Plant());
        await h.IngestAsync(AllReadings());
        await h.DeriveAsync();
        var conflicting = new ReadingInput(MainMeter, _midnight.AddMinutes(60), 1234.5);
        var fine = new ReadingInput(GasMeter, _midnight.AddDays(1).AddMinutes(15), 1.5);

        var result = await h.IngestAsync([fine, conflicting], "gateway-7");
        await h.DeriveAsync();

        Assert.Equal(2, result.Received);
        Assert.Equal(1, result.Accepted);
        var rejection = Assert.Single(result.Rejected);
        Assert.Equal(1, rejection.Index);
        Assert.Equal("value", rejection.Field);
        Assert.Contains("conflict", rejection.Reason, StringComparison.Ordinal);
        Assert.Contains("1040", rejection.Reason, StringComparison.Ordinal);
        var quarantined = Assert.Single(await h.Store.ListQuarantineAsync(h.TenantId, new GreenLoop.Storage.QuarantineQuery { Limit = 10 }, CancellationToken.None));
        Assert.Equal(("gateway-7", MainMeter, "value", "1234.5"), (quarantined.Source, quarantined.Meter, quarantined.Field, quarantined.Value));
        var main = await h.MeterAsync(MainMeter);
        var stored = Assert.Single(await h.Store.ReadingsAsync(new MeterId(main.Id), new Instant(_midnight.AddMinutes(60).ToUnixTimeMilliseconds()), new Instant(_midnight.AddMinutes(60).ToUnixTimeMilliseconds()), withNeighbours: false, CancellationToken.None));
        Assert.Equal(1040, stored.Value);
        AssertPoint(Assert.Single((await h.SeriesAsync("plant", MainMeter, Grain.Day, "2026-11-23", "2026-11-24")).Points), "2026-11-23T00:00:00+08:00", 1920.0, 1.0);
    }

    [Fact]
    public async Task Ingest_UnknownMeter_RejectedAndQuarantinedThenReplayAcceptsItOnceTheMeterIsDefined()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        await h.ApplyAsync(Plant());
        const string Steam = "plant.boiler.steam";

        var result = await h.IngestAsync(
        [
            new ReadingInput(GasMeter, _midnight.AddMinutes(15), 1.5),
            new ReadingInput(Steam, _midnight.AddMinutes(15), 0.75),
            new ReadingInput(Steam, _midnight.AddMinutes(30), 0.5),
        ]);

        Assert.Equal(1, result.Accepted);
        Assert.Equal([1, 2], result.Rejected.Select(r => r.Index));
        Assert.All(result.Rejected, r => Assert.Equal("meter", r.Field));
        Assert.All(result.Rejected, r => Assert.Contains($"unknown meter '{Steam}'", r.Reason, StringComparison.Ordinal));
        var quarantine = await h.Store.ListQuarantineAsync(h.TenantId, new GreenLoop.Storage.QuarantineQuery { Limit = 10 }, CancellationToken.None);
        Assert.Equal([Steam, Steam], quarantine.Select(q => q.Meter));

        await h.ApplyAsync(Plant(new Domain.Model.MeterDefinition
        {
            Key = Steam, Name = "Boiler steam", Node = "kiln", Carrier = "steam", Unit = "t", Kind = Domain.Model.MeterKind.Interval,
        }));
        var (replayed, accepted, stillRejected) = await h.Ingest.ReplayQuarantineAsync(h.TenantId, null, CancellationToken.None);
        await h.DeriveAsync();

        Assert.Equal((2, 2, 0), (replayed, accepted, stillRejected));
        Assert.Equal(0, await h.Store.CountQuarantineAsync(h.TenantId, null, CancellationToken.None));
        var steam15 = await h.SeriesAsync("plant", Steam, Grain.Minutes15, "2026-11-23", "2026-11-24");
        Assert.Equal([0.75, 0.5], steam15.Points.Select(p => p.Value!.Value));
    }

    [Fact]
    public async Task ReplayQuarantine_StampWithoutOffset_StaysQuarantined()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        await h.ApplyAsync(Plant());
        using var body = System.Text.Json.JsonDocument.Parse($$"""{"readings":[{"meter":"{{GasMeter}}","ts":"2026-11-23T00:15:00","value":1.5}]}""");
        var result = await h.Ingest.IngestAsync(h.TenantId, ReadingParsers.ParseJson(body, "test").Request, CancellationToken.None);
        Assert.Equal("ts", Assert.Single(result.Rejected).Field);

        var replay = await h.Ingest.ReplayQuarantineAsync(h.TenantId, null, CancellationToken.None);

        // Read in the machine's zone it would be accepted at some arbitrary instant; it must stay where it is.
        Assert.Equal((0, 0, 1), replay);
        var row = Assert.Single(await h.Store.ListQuarantineAsync(h.TenantId, new GreenLoop.Storage.QuarantineQuery { Limit = 10 }, CancellationToken.None));
        Assert.Equal(("2026-11-23T00:15:00", "ts"), (row.Ts, row.Field));
        Assert.Equal(0, await h.Store.CountReadingsAsync(new MeterId((await h.MeterAsync(GasMeter)).Id), CancellationToken.None));
    }

    [Fact]
    public async Task Ingest_NaNAndInfinities_RejectedOnValue()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        await h.ApplyAsync(Plant());

        var result = await h.IngestAsync(
        [
            new ReadingInput(MainMeter, _midnight, double.NaN),
            new ReadingInput(MainMeter, _midnight.AddMinutes(15), double.PositiveInfinity),
            new ReadingInput(TempMeter, _midnight, double.NegativeInfinity),
            new ReadingInput(TempMeter, _midnight.AddMinutes(15), 800),
        ]);

        Assert.Equal(1, result.Accepted);
        Assert.Equal([(0, "value"), (1, "value"), (2, "value")], result.Rejected.Select(r => (r.Index, r.Field)));
        Assert.All(result.Rejected, r => Assert.Contains("finite", r.Reason, StringComparison.Ordinal));
        Assert.Equal(3, await h.Store.CountQuarantineAsync(h.TenantId, null, CancellationToken.None));
        Assert.Equal(0, await h.Store.CountReadingsAsync(new MeterId((await h.MeterAsync(MainMeter)).Id), CancellationToken.None));
    }

    [Fact]
    public async Task Ingest_ValueNoMeterCanShow_QuarantinedWithTheLimitOthersStored()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        await h.ApplyAsync(Plant());

        // 1.7e308 is finite, but a cumulative difference of it times a multiplier overflows to infinity.
        var result = await h.IngestAsync(
        [
            new ReadingInput(MainMeter, _midnight, 1.7e308),
            new ReadingInput(MainMeter, _midnight.AddMinutes(15), -2e15),
            new ReadingInput(MainMeter, _midnight.AddMinutes(30), 1e15),
        ]);

        Assert.Equal(1, result.Accepted);
        Assert.Equal([(0, "value"), (1, "value")], result.Rejected.Select(r => (r.Index, r.Field)));
        Assert.All(result.Rejected, r => Assert.Contains("larger than any meter shows (at most 1e15", r.Reason, StringComparison.Ordinal));
        var quarantined = await h.Store.ListQuarantineAsync(h.TenantId, new GreenLoop.Storage.QuarantineQuery { Limit = 10 }, CancellationToken.None);
        Assert.Equal(["-2000000000000000", "1.7E+308"], quarantined.Select(q => q.Value));
        Assert.Equal(1, await h.Store.CountReadingsAsync(new MeterId((await h.MeterAsync(MainMeter)).Id), CancellationToken.None));
    }

    [Fact]
    public async Task Ingest_ValueBeyondTheMetersOwnMaxAbsValue_RejectedOnValueAndQuarantinedTheRestAccepted()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        var site = Plant();
        await h.ApplyAsync(site with { Meters = [.. site.Meters.Select(m => m.Key == MainMeter ? m with { MaxAbsValue = 99_999_999 } : m)] });

        var result = await h.IngestAsync(
        [
            new ReadingInput(MainMeter, _midnight, 99_999_999),
            new ReadingInput(MainMeter, _midnight.AddMinutes(15), 100_000_000),
            new ReadingInput(GasMeter, _midnight.AddMinutes(15), 100_000_000),
        ]);

        // The bound is the main meter's own: the gas meter (no maxAbsValue) takes the same value under the global 1e15.
        Assert.Equal(2, result.Accepted);
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal((1, "value"), (rejected.Index, rejected.Field));
        Assert.Contains("maxAbsValue 99999999", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(["100000000"], (await h.Store.ListQuarantineAsync(h.TenantId, new GreenLoop.Storage.QuarantineQuery { Limit = 10 }, CancellationToken.None)).Select(q => q.Value));
    }

    [Fact]
    public async Task ApplySite_MaxAbsValueNotPositiveOrAboveTheGlobalBound_RefusedWithThePath()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        var site = Plant();
        foreach (var bad in new[] { 0, -5, 2e15, double.PositiveInfinity })
        {
            var outcome = await h.Sites.ApplyAsync(h.TenantId, site with { Meters = [.. site.Meters.Select(m => m.Key == MainMeter ? m with { MaxAbsValue = bad } : m)] }, CancellationToken.None);
            Assert.Null(outcome.Result);
            Assert.Contains(outcome.Errors, e => e.Path == "meters[0].maxAbsValue");
        }
    }

    [Fact]
    public async Task Ingest_ReadingTwoDaysInTheFuture_RejectedOnTs()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        await h.ApplyAsync(Plant());

        var result = await h.IngestAsync(
        [
            new ReadingInput(GasMeter, _now.AddDays(2), 1.5),
            new ReadingInput(GasMeter, _now.AddHours(1), 1.5),
        ]);

        Assert.Equal(1, result.Accepted);
        var rejection = Assert.Single(result.Rejected);
        Assert.Equal((0, "ts"), (rejection.Index, rejection.Field));
        Assert.Contains("in the future", rejection.Reason, StringComparison.Ordinal);
        Assert.Equal("ts", Assert.Single(await h.Store.ListQuarantineAsync(h.TenantId, new GreenLoop.Storage.QuarantineQuery { Limit = 10 }, CancellationToken.None)).Field);
    }

    [Fact]
    public async Task ApplySite_MultiplierChanged_StoredHistoryRederived()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        var site = Plant();
        await h.ApplyAsync(site);
        await h.IngestAsync(AllReadings());
        await h.DeriveAsync();
        var tripled = site with { Meters = [.. site.Meters.Select(m => m.Key == MainMeter ? m with { Multiplier = 3 } : m)] };

        var result = await h.ApplyAsync(tripled);
        await h.DeriveAsync();

        Assert.Equal(new GreenLoop.Storage.ApplyResult(0, 1, 4), result);
        // Raw 1960 - 1000 = 960, now x 3 = 2880 kWh, for the meter and for the site's electricity.
        AssertPoint(Assert.Single((await h.SeriesAsync("plant", MainMeter, Grain.Day, "2026-11-23", "2026-11-24")).Points), "2026-11-23T00:00:00+08:00", 2880.0, 1.0);
        var siteDay = Assert.Single((await h.Query.NodeSeriesAsync(h.TenantId, "plant", "_site", "electricity", Grain.Day, Ranges.Dates("2026-11-23", "2026-11-24"), CancellationToken.None))!.Points);
        AssertPoint(siteDay, "2026-11-23T00:00:00+08:00", 2880.0, 1.0);
    }

    internal static void AssertPoint(SeriesPoint point, string start, double value, double completeness)
    {
        Assert.Equal(start, point.Start);
        Assert.NotNull(point.Value);
        Assert.Equal(value, point.Value.Value, 9);
        Assert.Null(point.Min);
        Assert.Null(point.Max);
        Assert.Equal(completeness, point.Completeness);
        Assert.Empty(point.Flags);
    }

    internal static void AssertGauge(SeriesPoint point, string start, double mean, double min, double max, double completeness)
    {
        Assert.Equal(start, point.Start);
        Assert.NotNull(point.Value);
        Assert.Equal(mean, point.Value.Value, 9);
        Assert.Equal(min, point.Min);
        Assert.Equal(max, point.Max);
        Assert.Equal(completeness, point.Completeness);
        Assert.Empty(point.Flags);
    }
}
