using GreenLoop.Domain.Time;
using static GreenLoop.Domain.Tests.Utc;

namespace GreenLoop.Domain.Tests;

/// <summary>
/// Transition instants from the IANA tz database: Europe/Berlin switches at 01:00 UTC on the last Sundays of March
/// (CET +01:00 -> CEST +02:00) and October (back); Asia/Shanghai is +08:00 and Asia/Kolkata +05:30 all year;
/// America/Santiago skipped local midnight on 2026-09-06 (-04:00 -> -03:00 at 04:00 UTC).
/// </summary>
public sealed class SiteCalendarTests
{
    private static readonly SiteCalendar _berlin = SiteCalendar.ForZone("Europe/Berlin");
    private static readonly SiteCalendar _shanghai = SiteCalendar.ForZone("Asia/Shanghai");
    private static readonly SiteCalendar _kolkata = SiteCalendar.ForZone("Asia/Kolkata");

    [Fact]
    public void DayBounds_BerlinSpringForward_Has23HoursOf92Buckets()
    {
        var (start, end) = _berlin.DayBounds(new DateOnly(2026, 3, 29));

        // 00:00 CET = 23:00Z the day before; 24:00 CEST = 22:00Z.
        Assert.Equal(On(2026, 3, 28, 23, 0), start);
        Assert.Equal(On(2026, 3, 29, 22, 0), end);
        Assert.Equal(23 * Hour, end - start);
        Assert.Equal(23 * 4, (end - start) / SiteCalendar.BucketMs);
    }

    [Fact]
    public void DayBounds_BerlinFallBack_Has25HoursOf100Buckets()
    {
        var (start, end) = _berlin.DayBounds(new DateOnly(2026, 10, 25));

        // 00:00 CEST = 22:00Z the day before; 24:00 CET = 23:00Z.
        Assert.Equal(On(2026, 10, 24, 22, 0), start);
        Assert.Equal(On(2026, 10, 25, 23, 0), end);
        Assert.Equal(25 * Hour, end - start);
        Assert.Equal(25 * 4, (end - start) / SiteCalendar.BucketMs);
    }

    [Fact]
    public void HourStart_BerlinFallBack_TwoLocal0200HoursHaveDistinctUtcStarts()
    {
        var firstTwoFifteen = On(2026, 10, 25, 0, 15);
        var secondTwoFifteen = On(2026, 10, 25, 1, 15);

        // 00:15Z is 02:15 CEST, in the hour 02:00 CEST = 00:00Z; 01:15Z is 02:15 CET, in the hour 02:00 CET = 01:00Z.
        Assert.Equal(new DateTime(2026, 10, 25, 2, 15, 0), _berlin.ToLocal(firstTwoFifteen));
        Assert.Equal(new DateTime(2026, 10, 25, 2, 15, 0), _berlin.ToLocal(secondTwoFifteen));
        Assert.Equal(On(2026, 10, 25, 0, 0), _berlin.HourStart(firstTwoFifteen));
        Assert.Equal(On(2026, 10, 25, 1, 0), _berlin.HourStart(secondTwoFifteen));
        Assert.Equal(TimeSpan.FromHours(2), _berlin.OffsetAt(firstTwoFifteen));
        Assert.Equal(TimeSpan.FromHours(1), _berlin.OffsetAt(secondTwoFifteen));
    }

    [Fact]
    public void HourStart_BerlinSpringForward_HoursAroundTheGap()
    {
        // 00:45Z is 01:45 CET, in the hour 01:00 CET = 00:00Z; 01:00Z is already 03:00 CEST, an hour starting at 01:00Z.
        Assert.Equal(On(2026, 3, 29, 0, 0), _berlin.HourStart(On(2026, 3, 29, 0, 45)));
        Assert.Equal(On(2026, 3, 29, 1, 0), _berlin.HourStart(On(2026, 3, 29, 1, 0)));
        Assert.Equal(On(2026, 3, 29, 1, 0), _berlin.HourStart(On(2026, 3, 29, 1, 45)));
        Assert.Equal(new DateTime(2026, 3, 29, 3, 0, 0), _berlin.ToLocal(On(2026, 3, 29, 1, 0)));
    }

    [Fact]
    public void HourStart_EveryBucketOfBerlinFallBackDay_FallsInOneOf25HoursOfFourBuckets()
    {
        var (start, end) = _berlin.DayBounds(new DateOnly(2026, 10, 25));
        var hours = new Dictionary<long, int>();
        for (var bucket = start; bucket < end; bucket += SiteCalendar.BucketMs)
        {
            var hour = _berlin.HourStart(bucket);
            Assert.InRange(bucket - hour, 0, 45 * Minute);
            hours[hour] = hours.GetValueOrDefault(hour) + 1;
            Assert.Equal(new DateOnly(2026, 10, 25), _berlin.LocalDate(bucket));
        }

        Assert.Equal(25, hours.Count);
        Assert.All(hours.Values, n => Assert.Equal(4, n));
    }

    [Fact]
    public void DayBounds_Shanghai_RunsFrom1600UtcTheDayBefore()
    {
        var (start, end) = _shanghai.DayBounds(new DateOnly(2026, 3, 2));

        // +08:00: local midnight is 16:00Z of the previous day.
        Assert.Equal(On(2026, 3, 1, 16, 0), start);
        Assert.Equal(On(2026, 3, 2, 16, 0), end);
        Assert.Equal(new DateOnly(2026, 3, 2), _shanghai.LocalDate(On(2026, 3, 1, 16, 0)));
        Assert.Equal(new DateOnly(2026, 3, 1), _shanghai.LocalDate(On(2026, 3, 1, 15, 45)));
    }

    [Fact]
    public void HourStart_Kolkata_LocalHoursStartAtHalfPastUtc()
    {
        // +05:30: 10:45Z is 16:15 IST, in the hour 16:00 IST = 10:30Z; 10:15Z is 15:45 IST, in the hour 15:00 IST = 09:30Z.
        Assert.Equal(At(10, 30), _kolkata.HourStart(At(10, 45)));
        Assert.Equal(At(10, 30), _kolkata.HourStart(At(10, 30)));
        Assert.Equal(At(9, 30), _kolkata.HourStart(At(10, 15)));
    }

    [Fact]
    public void DayBounds_Kolkata_RunsFrom1830UtcTheDayBeforeWith96Buckets()
    {
        var (start, end) = _kolkata.DayBounds(new DateOnly(2026, 3, 2));

        Assert.Equal(On(2026, 3, 1, 18, 30), start);
        Assert.Equal(On(2026, 3, 2, 18, 30), end);
        Assert.Equal(24 * 4, (end - start) / SiteCalendar.BucketMs);
    }

    [Fact]
    public void LocalToUtc_BerlinTimeInSpringForwardGap_ReturnsFirstInstantAfterTheGap()
    {
        // 02:30 does not exist on 2026-03-29: the clock jumps from 02:00 CET to 03:00 CEST = 01:00Z.
        Assert.Equal(On(2026, 3, 29, 1, 0), _berlin.LocalToUtc(new DateTime(2026, 3, 29, 2, 30, 0)));
        Assert.Equal(On(2026, 3, 29, 1, 0), _berlin.LocalToUtc(new DateTime(2026, 3, 29, 2, 0, 0)));
        Assert.Equal(On(2026, 3, 29, 1, 0), _berlin.LocalToUtc(new DateTime(2026, 3, 29, 3, 0, 0)));
    }

    [Fact]
    public void LocalToUtc_BerlinAmbiguousFallBackTime_ReturnsTheEarlierInstant()
    {
        // 02:30 happens twice on 2026-10-25: at 00:30Z (CEST, +02:00) and at 01:30Z (CET, +01:00).
        Assert.Equal(On(2026, 10, 25, 0, 30), _berlin.LocalToUtc(new DateTime(2026, 10, 25, 2, 30, 0)));
        Assert.Equal(On(2026, 10, 25, 0, 0), _berlin.LocalToUtc(new DateTime(2026, 10, 25, 2, 0, 0)));
        Assert.Equal(On(2026, 10, 25, 2, 0), _berlin.LocalToUtc(new DateTime(2026, 10, 25, 3, 0, 0)));
    }

    [Fact]
    public void MonthBounds_BerlinMarch2026_HasOneHourLessThan31Days()
    {
        var (start, end) = _berlin.MonthBounds(new DateOnly(2026, 3, 17));

        // 2026-03-01 00:00 CET = 2026-02-28 23:00Z; 2026-04-01 00:00 CEST = 2026-03-31 22:00Z.
        Assert.Equal(On(2026, 2, 28, 23, 0), start);
        Assert.Equal(On(2026, 3, 31, 22, 0), end);
        Assert.Equal((31 * 24 - 1) * Hour, end - start);
    }

    [Fact]
    public void MonthBounds_BerlinOctober2026_HasOneHourMoreThan31Days()
    {
        var (start, end) = _berlin.MonthBounds(new DateOnly(2026, 10, 1));

        // 2026-10-01 00:00 CEST = 2026-09-30 22:00Z; 2026-11-01 00:00 CET = 2026-10-31 23:00Z.
        Assert.Equal(On(2026, 9, 30, 22, 0), start);
        Assert.Equal(On(2026, 10, 31, 23, 0), end);
        Assert.Equal((31 * 24 + 1) * Hour, end - start);
    }

    [Fact]
    public void DayStart_MidnightSkippedByDaylightSaving_IsTheFirstValidInstant()
    {
        var santiago = SiteCalendar.ForZone("America/Santiago");

        // Santiago went from 2026-09-05 23:59:59 -04:00 straight to 2026-09-06 01:00 -03:00 = 04:00Z.
        Assert.Equal(On(2026, 9, 6, 4, 0), santiago.DayStart(new DateOnly(2026, 9, 6)));
        var (start, end) = santiago.DayBounds(new DateOnly(2026, 9, 6));
        Assert.Equal(23 * Hour, end - start);
    }

    [Fact]
    public void LocalMonth_LastLocalHourOfMonth_BelongsToThatMonth()
    {
        // 2026-03-31 21:45Z is 23:45 CEST on 31 March, still March in Berlin though 1 April in Shanghai (05:45 +08:00).
        Assert.Equal(new DateOnly(2026, 3, 1), _berlin.LocalMonth(On(2026, 3, 31, 21, 45)));
        Assert.Equal(new DateOnly(2026, 4, 1), _shanghai.LocalMonth(On(2026, 3, 31, 21, 45)));
    }

    [Fact]
    public void FloorAndCeilBucket_BeforeAndAfterTheEpoch_RoundToQuarterHours()
    {
        Assert.Equal(At(10, 0), SiteCalendar.FloorBucket(At(10, 14, 59)));
        Assert.Equal(At(10, 15), SiteCalendar.CeilBucket(At(10, 0, 1)));
        Assert.Equal(At(10, 15), SiteCalendar.CeilBucket(At(10, 15)));
        // One millisecond before 1970-01-01T00:00Z lies in the bucket 23:45-00:00 of 1969-12-31.
        Assert.Equal(-15 * Minute, SiteCalendar.FloorBucket(-1));
        Assert.Equal(0, SiteCalendar.CeilBucket(-1));
    }

    [Fact]
    public void TryFindZone_UnknownId_ReturnsFalse()
    {
        Assert.False(SiteCalendar.TryFindZone("Mars/Olympus_Mons", out _));
        Assert.False(SiteCalendar.TryFindZone(" ", out _));
        Assert.True(SiteCalendar.TryFindZone("Asia/Shanghai", out var zone));
        Assert.NotNull(zone);
    }
}
