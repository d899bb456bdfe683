using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using static GreenLoop.Domain.Tests.Utc;

namespace GreenLoop.Domain.Tests;

public sealed class IntervalDerivationTests
{
    private static readonly MeterConfig _quarterHourEnding = new() { Kind = MeterKind.Interval };
    private static readonly CounterEvent[] _noEvents = [];

    private static DerivationResult Derive(MeterConfig meter, RawReading[] readings, long from, long to) =>
        Deriver.Derive(meter, readings, _noEvents, from, to);

    private static BucketValue BucketAt(DerivationResult result, long start) => Assert.Single(result.Buckets, b => b.Start == start);

    [Fact]
    public void Derive_PeriodEnding_ReadingCoversThePeriodBeforeItsStamp()
    {
        RawReading[] readings = [new(At(10, 15), 7)];

        var result = Derive(_quarterHourEnding, readings, At(10, 0), At(11, 0));

        // Stamped 10:15, period ending: the consumption of 10:00-10:15.
        var bucket = Assert.Single(result.Buckets);
        Assert.Equal(At(10, 0), bucket.Start);
        Assert.Equal(7.0, bucket.Value!.Value, 9);
        Assert.Equal(15 * Minute, bucket.CoveredMs);
        Assert.Equal(QualityFlags.None, bucket.Flags);
    }

    [Fact]
    public void Derive_PeriodBeginning_ReadingCoversThePeriodAfterItsStamp()
    {
        var meter = _quarterHourEnding with { Stamp = IntervalStamp.PeriodBeginning };
        RawReading[] readings = [new(At(10, 15), 7)];

        var result = Derive(meter, readings, At(10, 0), At(11, 0));

        // Stamped 10:15, period beginning: the consumption of 10:15-10:30.
        var bucket = Assert.Single(result.Buckets);
        Assert.Equal(At(10, 15), bucket.Start);
        Assert.Equal(7.0, bucket.Value!.Value, 9);
    }

    [Fact]
    public void Derive_SixtyMinuteInterval_SpreadsOverFourBuckets()
    {
        var meter = _quarterHourEnding with { IntervalMs = 60 * Minute, Multiplier = 2 };
        RawReading[] readings = [new(At(11, 0), 20)];

        var result = Derive(meter, readings, At(10, 0), At(12, 0));

        // 20 x multiplier 2 = 40 for 10:00-11:00, a quarter of it in each 15-minute bucket.
        Assert.Equal(new[] { At(10, 0), At(10, 15), At(10, 30), At(10, 45) }, result.Buckets.Select(b => b.Start));
        Assert.All(result.Buckets, b => Assert.Equal(20.0 * 2 / 4, b.Value!.Value, 9));
        Assert.All(result.Buckets, b => Assert.Equal(15 * Minute, b.CoveredMs));
    }

    [Fact]
    public void Derive_FiveMinuteInterval_SumsIntoBuckets()
    {
        var meter = _quarterHourEnding with { IntervalMs = 5 * Minute };
        RawReading[] readings = [new(At(10, 5), 1), new(At(10, 10), 2), new(At(10, 15), 3), new(At(10, 20), 4)];

        var result = Derive(meter, readings, At(10, 0), At(11, 0));

        // 10:00-10:15 holds the periods ending 10:05, 10:10 and 10:15: 1 + 2 + 3 = 6.
        // 10:15-10:30 holds only the period ending 10:20: 4, measured for 5 of its 15 minutes.
        Assert.Equal(1.0 + 2 + 3, BucketAt(result, At(10, 0)).Value!.Value, 9);
        Assert.Equal(15 * Minute, BucketAt(result, At(10, 0)).CoveredMs);
        Assert.Equal(4.0, BucketAt(result, At(10, 15)).Value!.Value, 9);
        Assert.Equal(5 * Minute, BucketAt(result, At(10, 15)).CoveredMs);
    }

    [Fact]
    public void Derive_MissingInterval_LeavesTheBucketAbsentNotZero()
    {
        RawReading[] readings = [new(At(10, 15), 7), new(At(10, 45), 9)];

        var result = Derive(_quarterHourEnding, readings, At(10, 0), At(11, 0));

        // Periods 10:00-10:15 and 10:30-10:45 are reported; 10:15-10:30 has no reading and so no bucket at all.
        Assert.Equal(new[] { At(10, 0), At(10, 30) }, result.Buckets.Select(b => b.Start));
        Assert.DoesNotContain(result.Buckets, b => b.Start == At(10, 15));
        // 15 minutes missing is within the 60-minute maximum gap: no finding.
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Derive_IntervalsFurtherApartThanMaxGap_ReportsGapAtTheEndOfTheLastPeriod()
    {
        RawReading[] readings = [new(At(10, 15), 7), new(At(11, 45), 9)];

        var result = Derive(_quarterHourEnding, readings, At(10, 0), At(12, 0));

        // The first period ends 10:15, the next starts 11:30: 75 minutes without data, more than 60.
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKind.Gap, finding.Kind);
        Assert.Equal(At(10, 15), finding.Ts);
        Assert.Equal(new[] { At(10, 0), At(11, 30) }, result.Buckets.Select(b => b.Start));
    }

    [Fact]
    public void Derive_IntervalsExactlyMaxGapApart_ReportNoGap()
    {
        RawReading[] readings = [new(At(10, 15), 7), new(At(11, 30), 9)];

        var result = Derive(_quarterHourEnding, readings, At(10, 0), At(12, 0));

        // The first period ends 10:15, the next starts 11:15: 60 minutes, not more than the maximum gap.
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Derive_IntervalAboveMaxRatePerHour_FlagsSpikeAndStillCounts()
    {
        var meter = _quarterHourEnding with { MaxRatePerHour = 100 };
        RawReading[] readings = [new(At(10, 15), 30), new(At(10, 30), 20)];

        var result = Derive(meter, readings, At(10, 0), At(11, 0));

        // 30 in a quarter hour is 120/h, above 100/h; 20 is 80/h.
        Assert.Equal(30.0, BucketAt(result, At(10, 0)).Value!.Value, 9);
        Assert.Equal(QualityFlags.Spike, BucketAt(result, At(10, 0)).Flags);
        Assert.Equal(QualityFlags.None, BucketAt(result, At(10, 15)).Flags);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKind.Spike, finding.Kind);
        Assert.Equal(At(10, 15), finding.Ts);
    }
}
