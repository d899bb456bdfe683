using System.Globalization;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Monitor.Query;
using GreenLoop.Storage;
using GreenLoop.Testing;

namespace GreenLoop.Pipeline.Tests.Monitor.Query;

/// <summary>A query's range in the site's calendar: local dates placed in its time zone, missing ends by the grain's default.</summary>
public sealed class QueryBoundsTests
{
    // 11:00 on 25 November 2026 in Shanghai (UTC+8).
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);
    private static readonly SiteCalendar _shanghai = SiteCalendar.ForZone("Asia/Shanghai");

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static long Ms(string instant) => Instant(instant).ToUnixTimeMilliseconds();

    [Theory]
    [InlineData(Grain.Minutes15, "2026-11-25T00:00:00+08:00")]
    [InlineData(Grain.Hour, "2026-11-24T00:00:00+08:00")]
    [InlineData(Grain.Day, "2026-10-26T00:00:00+08:00")]
    [InlineData(Grain.Month, "2025-12-01T00:00:00+08:00")]
    public async Task Bounds_NoEnds_TheGrainsDefaultUpToLocalMidnightTonight(Grain grain, string start)
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);

        var (from, to) = h.Query.Bounds(_shanghai, grain, PeriodRange.Default);

        Assert.Equal(Ms(start), from);
        Assert.Equal(Ms("2026-11-26T00:00:00+08:00"), to);
    }

    [Fact]
    public async Task Bounds_LocalDates_MidnightsInTheSitesTimeZoneAcrossADaylightSavingChange()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);

        var (from, to) = h.Query.Bounds(SiteCalendar.ForZone("Europe/Berlin"), Grain.Hour, PeriodRange.Dates(new(2026, 10, 25), new(2026, 10, 26)));

        Assert.Equal(Ms("2026-10-25T00:00:00+02:00"), from);
        Assert.Equal(Ms("2026-10-26T00:00:00+01:00"), to);
        Assert.Equal(25 * 3_600_000L, to - from);
    }

    [Fact]
    public async Task Bounds_InstantFromAndNoTo_TheInstantToTheDefaultEnd()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);

        var (from, to) = h.Query.Bounds(_shanghai, Grain.Hour, new PeriodRange(RangeBound.At(Instant("2026-11-25T01:30:00Z")), null));

        Assert.Equal(Ms("2026-11-25T01:30:00Z"), from);
        Assert.Equal(Ms("2026-11-26T00:00:00+08:00"), to);
    }

    [Theory]
    [InlineData("2026-11-24", "2026-11-24")]
    [InlineData("2026-11-24", "2026-11-23")]
    public async Task Bounds_ToNotAfterFrom_BadInputException(string from, string to)
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);

        var ex = Assert.Throws<BadInputException>(() => h.Query.Bounds(_shanghai, Grain.Day, Ranges.Dates(from, to)));

        Assert.Equal("'to' must be after 'from'", ex.Message);
    }

    [Fact]
    public async Task Bounds_DateFromAndInstantTo_ComparedInTheSitesTimeZone()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        // Local midnight of 24 November is 16:00 UTC the day before in Shanghai, 23:00 UTC in Berlin.
        var range = new PeriodRange(RangeBound.OnDate(new(2026, 11, 24)), RangeBound.At(Instant("2026-11-23T20:00:00Z")));

        Assert.Equal((Ms("2026-11-24T00:00:00+08:00"), Ms("2026-11-23T20:00:00Z")), h.Query.Bounds(_shanghai, Grain.Day, range));
        Assert.Throws<BadInputException>(() => h.Query.Bounds(SiteCalendar.ForZone("Europe/Berlin"), Grain.Day, range));
    }
}
