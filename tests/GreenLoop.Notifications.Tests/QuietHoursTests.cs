namespace GreenLoop.Notifications.Tests;

public sealed class QuietHoursTests
{
    private static readonly QuietHours _night = new() { Start = new TimeOnly(22, 0), End = new TimeOnly(7, 0), TimeZone = "Asia/Shanghai" };
    private static readonly QuietHours _lunch = new() { Start = new TimeOnly(12, 0), End = new TimeOnly(13, 30), TimeZone = "Asia/Shanghai" };

    // Shanghai is UTC+8 all year: 14:00 UTC = 22:00 local, 23:00 UTC = 07:00 local.
    [Theory]
    [InlineData("2026-03-14T13:59:59Z", false)]
    [InlineData("2026-03-14T14:00:00Z", true)]
    [InlineData("2026-03-14T18:00:00Z", true)]
    [InlineData("2026-03-14T22:59:59Z", true)]
    [InlineData("2026-03-14T23:00:00Z", false)]
    [InlineData("2026-03-15T04:00:00Z", false)]
    public void Contains_WindowOverMidnight_StartInclusiveEndExclusive(string at, bool expected)
    {
        Assert.Equal(expected, _night.Contains(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));
    }

    // 04:00 UTC = 12:00 local, 05:30 UTC = 13:30 local.
    [Theory]
    [InlineData("2026-03-14T03:59:00Z", false)]
    [InlineData("2026-03-14T04:00:00Z", true)]
    [InlineData("2026-03-14T05:29:00Z", true)]
    [InlineData("2026-03-14T05:30:00Z", false)]
    public void Contains_WindowWithinDay_StartInclusiveEndExclusive(string at, bool expected)
    {
        Assert.Equal(expected, _lunch.Contains(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void NextEnd_BeforeMidnightLocal_IsSevenNextMorning()
    {
        // 23:00 local on the 14th -> 07:00 local on the 15th = 2026-03-14 23:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 23, 0, 0, TimeSpan.Zero), _night.NextEnd(new DateTimeOffset(2026, 3, 14, 15, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void NextEnd_AfterMidnightLocal_IsSevenSameMorning()
    {
        // 02:00 local on the 15th (18:00 UTC on the 14th) -> 07:00 local on the 15th.
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 23, 0, 0, TimeSpan.Zero), _night.NextEnd(new DateTimeOffset(2026, 3, 14, 18, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void NextEnd_EndSkippedBySpringForward_IsFirstInstantAfterTheGap()
    {
        // Berlin jumps from 02:00 CET to 03:00 CEST on 2026-03-29, so 02:30 local does not exist that night. At 01:30 CET
        // (00:30 UTC) the window 01:00-02:30 ends at 03:00 CEST = 01:00 UTC.
        var berlin = new QuietHours { Start = new TimeOnly(1, 0), End = new TimeOnly(2, 30), TimeZone = "Europe/Berlin" };

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), berlin.NextEnd(new DateTimeOffset(2026, 3, 29, 0, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Validate_EmptyWindowAndUnknownZone_ReportsBoth()
    {
        var bad = new QuietHours { Start = new TimeOnly(7, 0), End = new TimeOnly(7, 0), TimeZone = "Mars/Olympus" };

        Assert.Equal(
            ["QuietHours start and end are both 07:00; the window would be empty.", "QuietHours time zone 'Mars/Olympus' is not a known IANA zone."],
            bad.Validate());
    }
}
