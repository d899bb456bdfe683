using GreenLoop.Domain.Model;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Storage;
using GreenLoop.Testing;

namespace GreenLoop.Pipeline.Tests.Monitor.Derivation;

/// <summary>
/// Local days across daylight-saving changes and half-hour offsets, with an interval meter of 1 kWh per 15 minutes:
/// a local day's total is 4 kWh times its length in hours.
/// </summary>
public sealed class LocalTimeTests
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private static SiteDefinition Site(string key, string zone) => new()
    {
        Key = key,
        Name = key,
        TimeZone = zone,
        Meters = [new MeterDefinition { Key = key + ".main", Name = "Main", Carrier = "electricity", Unit = "kWh", Kind = MeterKind.Interval, IntervalMinutes = 15 }],
    };

    /// <summary>1 kWh stamped at the end of every 15 minutes in (from, to].</summary>
    private static List<ReadingInput> OnePerQuarter(string meter, DateTimeOffset from, DateTimeOffset to) =>
        PipelineHarness.Every(TimeSpan.FromMinutes(15), from.AddMinutes(15), to).Select(t => new ReadingInput(meter, t, 1.0)).ToList();

    [Fact]
    public async Task DaySeries_BerlinAutumnChange_TwentyFiveHourDayIs100KilowattHours()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        await h.ApplyAsync(Site("berlin", "Europe/Berlin"));
        // Local 2026-10-24 00:00 (+02:00) to 2026-10-27 00:00 (+01:00): clocks go back at 03:00 CEST on 25 October.
        var readings = OnePerQuarter("berlin.main", new DateTimeOffset(2026, 10, 23, 22, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 26, 23, 0, 0, TimeSpan.Zero));
        Assert.Equal((24 + 25 + 24) * 4, readings.Count);

        await h.IngestAsync(readings);
        await h.DeriveAsync();

        var days = (await h.SeriesAsync("berlin", "berlin.main", Grain.Day, "2026-10-24", "2026-10-27")).Points;
        Assert.Equal(["2026-10-24T00:00:00+02:00", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00"], days.Select(d => d.Start));
        Assert.Equal([96.0, 100.0, 96.0], days.Select(d => d.Value!.Value));
        Assert.All(days, d => Assert.Equal(1.0, d.Completeness));
        var hours = (await h.SeriesAsync("berlin", "berlin.main", Grain.Hour, "2026-10-25", "2026-10-26")).Points;
        Assert.Equal(25, hours.Count);
        Assert.All(hours, p => Assert.Equal(4.0, p.Value));
        Assert.Equal(["2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00"], hours.Where(p => p.Start.StartsWith("2026-10-25T02", StringComparison.Ordinal)).Select(p => p.Start));
        var month = Assert.Single((await h.SeriesAsync("berlin", "berlin.main", Grain.Month, "2026-10-01", "2026-11-01")).Points);
        Assert.Equal(292.0, month.Value);
    }

    [Fact]
    public async Task DaySeries_BerlinSpringChange_TwentyThreeHourDayIs92KilowattHours()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        await h.ApplyAsync(Site("berlin", "Europe/Berlin"));
        // Local 2026-03-28 00:00 (+01:00) to 2026-03-30 00:00 (+02:00): clocks go forward at 02:00 CET on 29 March.
        await h.IngestAsync(OnePerQuarter("berlin.main", new DateTimeOffset(2026, 3, 27, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 29, 22, 0, 0, TimeSpan.Zero)));
        await h.DeriveAsync();

        var days = (await h.SeriesAsync("berlin", "berlin.main", Grain.Day, "2026-03-28", "2026-03-30")).Points;
        Assert.Equal(["2026-03-28T00:00:00+01:00", "2026-03-29T00:00:00+01:00"], days.Select(d => d.Start));
        Assert.Equal([96.0, 92.0], days.Select(d => d.Value!.Value));
        Assert.All(days, d => Assert.Equal(1.0, d.Completeness));
        var hours = (await h.SeriesAsync("berlin", "berlin.main", Grain.Hour, "2026-03-29", "2026-03-30")).Points;
        Assert.Equal(23, hours.Count);
        Assert.Equal(["2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00"], hours.Skip(1).Take(2).Select(p => p.Start));
    }

    [Fact]
    public async Task DaySeries_KolkataHalfHourOffset_DayIs96KilowattHoursFromLocalMidnight()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        await h.ApplyAsync(Site("pune", "Asia/Kolkata"));
        // Local 2026-11-22 12:00 to 2026-11-24 12:00 (+05:30); local midnight is 18:30 UTC.
        await h.IngestAsync(OnePerQuarter("pune.main", new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.FromHours(5.5)), new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.FromHours(5.5))));
        await h.DeriveAsync();

        var days = (await h.SeriesAsync("pune", "pune.main", Grain.Day, "2026-11-22", "2026-11-25")).Points;
        Assert.Equal(["2026-11-22T00:00:00+05:30", "2026-11-23T00:00:00+05:30", "2026-11-24T00:00:00+05:30"], days.Select(d => d.Start));
        // Half days either side: 12 h = 48 kWh at 0.5 completeness; the whole day between is 96 kWh.
        Assert.Equal([48.0, 96.0, 48.0], days.Select(d => d.Value!.Value));
        Assert.Equal([0.5, 1.0, 0.5], days.Select(d => d.Completeness));
        var hours = (await h.SeriesAsync("pune", "pune.main", Grain.Hour, "2026-11-23", "2026-11-24")).Points;
        Assert.Equal(24, hours.Count);
        Assert.Equal("2026-11-23T00:00:00+05:30", hours[0].Start);
        Assert.All(hours, p => Assert.Equal(4.0, p.Value));
    }
}
