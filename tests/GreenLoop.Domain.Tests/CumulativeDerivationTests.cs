using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using static GreenLoop.Domain.Tests.Utc;

namespace GreenLoop.Domain.Tests;

public sealed class CumulativeDerivationTests
{
    private static readonly MeterConfig _meter = new() { Kind = MeterKind.Cumulative };
    private static readonly CounterEvent[] _noEvents = [];

    private static DerivationResult Derive(MeterConfig meter, RawReading[] readings, long from, long to, params CounterEvent[] events) =>
        Deriver.Derive(meter, readings, events, from, to);

    private static BucketValue BucketAt(DerivationResult result, long start) => Assert.Single(result.Buckets, b => b.Start == start);

    [Fact]
    public void Derive_OneDeltaOverThreeBuckets_SpreadsInProportionToTime()
    {
        RawReading[] readings = [new(At(10, 5), 100), new(At(10, 35), 130)];

        var result = Derive(_meter, readings, At(10, 0), At(11, 0));

        Assert.Equal(new[] { At(10, 0), At(10, 15), At(10, 30) }, result.Buckets.Select(b => b.Start));
        // 30 units over the 30 minutes 10:05-10:35: 10 of them fall in 10:00-10:15, 15 in 10:15-10:30, 5 in 10:30-10:45.
        Assert.Equal(30.0 * 10 / 30, BucketAt(result, At(10, 0)).Value!.Value, 9);
        Assert.Equal(30.0 * 15 / 30, BucketAt(result, At(10, 15)).Value!.Value, 9);
        Assert.Equal(30.0 * 5 / 30, BucketAt(result, At(10, 30)).Value!.Value, 9);
        Assert.All(result.Buckets, b => Assert.Equal(QualityFlags.None, b.Flags));
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Derive_CtRatio40_MultipliesRegisterDelta()
    {
        var meter = _meter with { Multiplier = 40 };
        RawReading[] readings = [new(At(10, 0), 1000), new(At(10, 30), 1001.5)];

        var result = Derive(meter, readings, At(10, 0), At(11, 0));

        // (1001.5 - 1000) register units x CT ratio 40 = 60 kWh over 30 minutes: 30 kWh in each bucket.
        Assert.Equal(2, result.Buckets.Count);
        Assert.Equal(1.5 * 40 * 15 / 30, BucketAt(result, At(10, 0)).Value!.Value, 9);
        Assert.Equal(1.5 * 40 * 15 / 30, BucketAt(result, At(10, 15)).Value!.Value, 9);
    }

    [Fact]
    public void Derive_MeasuredSpans_CoverOnlyTheTimeBetweenReadings()
    {
        RawReading[] readings = [new(At(10, 2), 0), new(At(10, 11), 9), new(At(10, 20), 18)];

        var result = Derive(_meter, readings, At(10, 0), At(10, 30));

        // Readings span 10:02-10:20: 13 minutes of bucket 10:00 (10:02-10:15) and 5 of bucket 10:15 (10:15-10:20).
        var first = BucketAt(result, At(10, 0));
        var second = BucketAt(result, At(10, 15));
        Assert.Equal(13 * Minute, first.CoveredMs);
        Assert.Equal(5 * Minute, second.CoveredMs);
        // One unit per minute: 9 (10:02-10:11) + 4 (10:11-10:15) = 13, then 5.
        Assert.Equal(13.0, first.Value!.Value, 9);
        Assert.Equal(5.0, second.Value!.Value, 9);
    }

    [Fact]
    public void Derive_RegisterWrapsAtRolloverAt_CountsThroughTheWrapAndFlagsRollover()
    {
        var meter = _meter with { RolloverAt = 1_000_000 };
        RawReading[] readings = [new(At(10, 0), 999_990), new(At(10, 15), 15)];

        var result = Derive(meter, readings, At(10, 0), At(10, 30));

        var bucket = Assert.Single(result.Buckets);
        // 999,990 -> 1,000,000 (= 0) is 10, then 0 -> 15 is 15: 25 in total.
        Assert.Equal(1_000_000.0 - 999_990 + 15, bucket.Value!.Value, 9);
        Assert.Equal(QualityFlags.Rollover, bucket.Flags);
        Assert.Equal(15 * Minute, bucket.CoveredMs);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKind.Rollover, finding.Kind);
        Assert.Equal(At(10, 15), finding.Ts);
    }

    [Fact]
    public void Derive_FallOfMoreThanHalfTheRolloverRange_IsADropNotARollover()
    {
        var meter = _meter with { RolloverAt = 1_000_000 };
        RawReading[] readings = [new(At(10, 0), 500_000), new(At(10, 15), 400_000)];

        var result = Derive(meter, readings, At(10, 0), At(10, 30));

        // A wrap would mean 1,000,000 - 500,000 + 400,000 = 900,000 units in 15 minutes, more than half the range:
        // far likelier an unexplained drop than a rollover.
        var bucket = Assert.Single(result.Buckets);
        Assert.Null(bucket.Value);
        Assert.Equal(QualityFlags.Drop, bucket.Flags);
        Assert.Equal(FindingKind.Drop, Assert.Single(result.Findings).Kind);
    }

    [Fact]
    public void Derive_RecordedReplacementWithOldAndNewValue_CountsBothRegisters()
    {
        RawReading[] readings = [new(At(10, 0), 5000), new(At(10, 30), 20)];
        var replacement = new CounterEvent(At(10, 10), MeterEventKind.Replacement, OldValue: 5012, NewValue: 0);

        var result = Derive(_meter, readings, At(10, 0), At(11, 0), replacement);

        // (old - before) + (after - new) = (5012 - 5000) + (20 - 0) = 32 over 30 minutes: 16 per bucket.
        Assert.Equal(2, result.Buckets.Count);
        foreach (var bucket in result.Buckets)
        {
            Assert.Equal(((5012.0 - 5000) + (20 - 0)) * 15 / 30, bucket.Value!.Value, 9);
            Assert.Equal(QualityFlags.Replacement, bucket.Flags);
            Assert.Equal(15 * Minute, bucket.CoveredMs);
        }
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKind.Replacement, finding.Kind);
        Assert.Equal(At(10, 10), finding.Ts);
    }

    [Fact]
    public void Derive_ReplacementAtAReadingInstant_ReadingBelongsToTheNewRegister()
    {
        RawReading[] readings = [new(At(10, 0), 5000), new(At(10, 15), 3), new(At(10, 30), 8)];
        var replacement = new CounterEvent(At(10, 15), MeterEventKind.Replacement, OldValue: 5010, NewValue: 0);

        var result = Derive(_meter, readings, At(10, 0), At(11, 0), replacement);

        // 10:00-10:15: (5010 - 5000) + (3 - 0) = 13. 10:15-10:30: 8 - 3 = 5 on the new register, no event in that span.
        Assert.Equal(13.0, BucketAt(result, At(10, 0)).Value!.Value, 9);
        Assert.Equal(QualityFlags.Replacement, BucketAt(result, At(10, 0)).Flags);
        Assert.Equal(5.0, BucketAt(result, At(10, 15)).Value!.Value, 9);
        Assert.Equal(QualityFlags.None, BucketAt(result, At(10, 15)).Flags);
        Assert.Single(result.Findings);
    }

    [Fact]
    public void Derive_ResetWithUnknownOldValue_CountsOnlyThePostResetPartAsEstimated()
    {
        RawReading[] readings = [new(At(10, 0), 5000), new(At(10, 30), 20)];
        var reset = new CounterEvent(At(10, 10), MeterEventKind.Reset, OldValue: null, NewValue: 0);

        var result = Derive(_meter, readings, At(10, 0), At(11, 0), reset);

        // What ran between 5000 and the reset is unknown; after it the register went 0 -> 20: 20 over 30 minutes.
        Assert.Equal(2, result.Buckets.Count);
        foreach (var bucket in result.Buckets)
        {
            Assert.Equal((20.0 - 0) * 15 / 30, bucket.Value!.Value, 9);
            Assert.Equal(QualityFlags.Reset | QualityFlags.Estimated, bucket.Flags);
            Assert.Equal(0, bucket.CoveredMs);
        }
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKind.Reset, finding.Kind);
        Assert.Equal(At(10, 10), finding.Ts);
    }

    [Fact]
    public void Derive_UnexplainedDrop_CountsNothingForThatSpanAndResumesFromTheLowerValue()
    {
        RawReading[] readings = [new(At(10, 0), 100), new(At(10, 15), 50), new(At(10, 30), 60)];

        var result = Derive(_meter, readings, At(10, 0), At(11, 0));

        var drop = BucketAt(result, At(10, 0));
        Assert.Null(drop.Value);
        Assert.Equal(QualityFlags.Drop, drop.Flags);
        Assert.Equal(0, drop.CoveredMs);
        // The next pair counts normally from the lower value: 60 - 50 = 10, never 60 - 100 = -40.
        var next = BucketAt(result, At(10, 15));
        Assert.Equal(60.0 - 50, next.Value!.Value, 9);
        Assert.Equal(QualityFlags.None, next.Flags);
        Assert.Equal(15 * Minute, next.CoveredMs);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKind.Drop, finding.Kind);
        Assert.Equal(At(10, 15), finding.Ts);
        Assert.All(result.Buckets, b => Assert.True(b.Value is null or >= 0));
    }

    [Fact]
    public void Derive_GapLongerThanMaxGap_SpreadsEvenlyAsEstimatedAndUncovered()
    {
        // MaxGapMs defaults to 60 minutes; 10:15 -> 12:15 is 120 minutes.
        RawReading[] readings = [new(At(10, 0), 100), new(At(10, 15), 110), new(At(12, 15), 150), new(At(12, 30), 155)];

        var result = Derive(_meter, readings, At(10, 0), At(13, 0));

        Assert.Equal(10, result.Buckets.Count);
        Assert.Equal(110.0 - 100, BucketAt(result, At(10, 0)).Value!.Value, 9);
        Assert.Equal(15 * Minute, BucketAt(result, At(10, 0)).CoveredMs);
        // 40 units over the eight buckets 10:15 ... 12:00: 5 each, none of them measured.
        for (var start = At(10, 15); start < At(12, 15); start += Bucket)
        {
            var bucket = BucketAt(result, start);
            Assert.Equal((150.0 - 110) / 8, bucket.Value!.Value, 9);
            Assert.Equal(QualityFlags.Gap | QualityFlags.Estimated, bucket.Flags);
            Assert.Equal(0, bucket.CoveredMs);
        }
        Assert.Equal(155.0 - 150, BucketAt(result, At(12, 15)).Value!.Value, 9);
        Assert.Equal(QualityFlags.None, BucketAt(result, At(12, 15)).Flags);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKind.Gap, finding.Kind);
        Assert.Equal(At(10, 15), finding.Ts);
    }

    [Fact]
    public void Derive_SpanOfExactlyMaxGap_IsMeasured()
    {
        RawReading[] readings = [new(At(10, 0), 0), new(At(11, 0), 60)];

        var result = Derive(_meter, readings, At(10, 0), At(11, 0));

        // 60 minutes is not longer than the 60-minute maximum gap: four measured buckets of 15 each.
        Assert.Equal(4, result.Buckets.Count);
        Assert.All(result.Buckets, b => Assert.Equal(60.0 / 4, b.Value!.Value, 9));
        Assert.All(result.Buckets, b => Assert.Equal(QualityFlags.None, b.Flags));
        Assert.All(result.Buckets, b => Assert.Equal(15 * Minute, b.CoveredMs));
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Derive_RateAboveMaxRatePerHour_FlagsSpikeAndStillCounts()
    {
        var meter = _meter with { MaxRatePerHour = 100 };
        RawReading[] readings = [new(At(10, 0), 0), new(At(10, 15), 30), new(At(10, 30), 50)];

        var result = Derive(meter, readings, At(10, 0), At(11, 0));

        // 30 in a quarter hour is 120/h, above 100/h; 20 in the next quarter hour is 80/h, plausible.
        var spike = BucketAt(result, At(10, 0));
        Assert.Equal(30.0, spike.Value!.Value, 9);
        Assert.Equal(QualityFlags.Spike, spike.Flags);
        Assert.Equal(15 * Minute, spike.CoveredMs);
        Assert.Equal(20.0, BucketAt(result, At(10, 15)).Value!.Value, 9);
        Assert.Equal(QualityFlags.None, BucketAt(result, At(10, 15)).Flags);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKind.Spike, finding.Kind);
        Assert.Equal(At(10, 15), finding.Ts);
    }

    [Fact]
    public void Derive_FindingsOutsideTheSpan_AreLeftOut()
    {
        // The drop is found at 10:15; the span asked for is 10:30-11:00.
        RawReading[] readings = [new(At(10, 0), 100), new(At(10, 15), 50), new(At(10, 30), 60), new(At(10, 45), 70)];

        var result = Derive(_meter, readings, At(10, 30), At(11, 0));

        Assert.Equal(new[] { At(10, 30) }, result.Buckets.Select(b => b.Start));
        Assert.Equal(70.0 - 60, result.Buckets[0].Value!.Value, 9);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Derive_ManyIrregularReadings_TotalEqualsRegisterDifferenceTimesMultiplier()
    {
        const double multiplier = 40;
        var meter = _meter with { Multiplier = multiplier };
        var random = new Random(20260302);
        var readings = new RawReading[300];
        var ts = At(0, 0) + random.Next(0, (int)Bucket);
        var value = 12_345.678;
        long expectedCovered = 0;
        for (var i = 0; i < readings.Length; i++)
        {
            readings[i] = new RawReading(ts, value);
            // Mostly 10 s to 40 min apart, now and then a gap of 1 to 5 hours; some spans consume nothing.
            var step = random.Next(10) == 0 ? random.NextInt64(Hour + 1, 5 * Hour) : random.NextInt64(10_000, 40 * Minute);
            if (i + 1 < readings.Length && step <= meter.MaxGapMs) expectedCovered += step;
            ts += step;
            value += random.Next(5) == 0 ? 0 : random.NextDouble() * 3;
        }
        var from = SiteCalendar.FloorBucket(readings[0].Ts);
        var to = SiteCalendar.FloorBucket(readings[^1].Ts) + Bucket;

        var result = Derive(meter, readings, from, to);

        var total = result.Buckets.Sum(b => b.Value!.Value);
        Assert.Equal((readings[^1].Value - readings[0].Value) * multiplier, total, 1e-9);
        Assert.Equal(expectedCovered, result.Buckets.Sum(b => b.CoveredMs));
        Assert.All(result.Buckets, b => Assert.True(b.Value >= 0));
    }

    [Fact]
    public void Derive_SubSpan_EqualsTheSameBucketsOfTheWholeDerivation()
    {
        var meter = _meter with { RolloverAt = 100_000, Multiplier = 2.5, MaxRatePerHour = 60 };
        var random = new Random(7);
        var readings = new List<RawReading>();
        var events = new List<CounterEvent>();
        var ts = At(0, 0) + 7 * Minute;
        var value = 99_500.0;
        for (var i = 0; i < 400; i++)
        {
            readings.Add(new RawReading(ts, value));
            var step = random.Next(12) == 0 ? random.NextInt64(Hour + 1, 3 * Hour) : random.NextInt64(30_000, 25 * Minute);
            var next = value + random.NextDouble() * 8;
            if (i == 120)
            {
                // An unexplained drop.
                next = value - 40;
            }
            else if (i == 250)
            {
                // A replacement between two readings: the old register ends 3 higher, the new one starts at 0.
                events.Add(new CounterEvent(ts + step / 2, MeterEventKind.Replacement, value + 3, 0));
                next = 1;
            }
            else if (i == 320)
            {
                events.Add(new CounterEvent(ts + step / 3, MeterEventKind.Reset, null, 0));
                next = 2;
            }
            ts += step;
            value = next >= 100_000 ? next - 100_000 : next;
        }
        var all = readings.ToArray();
        var wholeFrom = SiteCalendar.FloorBucket(all[0].Ts);
        var wholeTo = SiteCalendar.FloorBucket(all[^1].Ts) + Bucket;
        var whole = Deriver.Derive(meter, all, events, wholeFrom, wholeTo);
        Assert.Contains(whole.Buckets, b => b.Flags.HasFlag(QualityFlags.Rollover));
        Assert.Contains(whole.Buckets, b => b.Flags.HasFlag(QualityFlags.Drop));
        Assert.Contains(whole.Buckets, b => b.Flags.HasFlag(QualityFlags.Gap));
        Assert.Contains(whole.Buckets, b => b.Flags.HasFlag(QualityFlags.Spike));
        Assert.Contains(whole.Buckets, b => b.Flags.HasFlag(QualityFlags.Replacement));
        Assert.Contains(whole.Buckets, b => b.Flags.HasFlag(QualityFlags.Reset));

        var bucketCount = (int)((wholeTo - wholeFrom) / Bucket);
        for (var trial = 0; trial < 50; trial++)
        {
            var a = random.Next(bucketCount + 1);
            var b = random.Next(bucketCount + 1);
            var from = wholeFrom + Math.Min(a, b) * Bucket;
            var to = wholeFrom + Math.Max(a, b) * Bucket;
            // What a caller passes: the last reading at or before from through the first at or after to.
            var first = Math.Max(0, Array.FindLastIndex(all, r => r.Ts <= from));
            var last = Array.FindIndex(all, r => r.Ts >= to);
            if (last < 0) last = all.Length - 1;

            var part = Deriver.Derive(meter, all.AsSpan(first, last - first + 1), events, from, to);

            Assert.Equal(whole.Buckets.Where(x => x.Start >= from && x.Start < to), part.Buckets);
            Assert.Equal(whole.Findings.Where(f => f.Ts >= from && f.Ts < to), part.Findings);
        }
    }

    [Fact]
    public void Derive_SpanNotOnBucketBoundaries_Throws()
    {
        RawReading[] readings = [new(At(10, 0), 0), new(At(10, 15), 1)];

        Assert.Throws<ArgumentException>(() => Derive(_meter, readings, At(10, 5), At(11, 0)));
        Assert.Throws<ArgumentException>(() => Derive(_meter, readings, At(11, 0), At(10, 0)));
        Assert.Empty(Deriver.Derive(_meter, readings, _noEvents, At(10, 0), At(10, 0)).Buckets);
    }

    [Fact]
    public void Derive_OneLowReadingBetweenTwoThatContinue_SkipsTheBadReadingAndCountsAcrossIt()
    {
        // 100 @10:00, 110 @10:10, 5 @10:20 (a misread), 130 @10:30. The register went 100 -> 130: 30 in all.
        // The 5 is skipped, so the pairs are 10:00-10:10 (10) and 10:10-10:30 (20 over 20 minutes):
        // bucket 10:00 = 10 + 20 * 5/20 = 15; bucket 10:15 = 20 * 15/20 = 15.
        RawReading[] readings = [new(At(10, 0), 100), new(At(10, 10), 110), new(At(10, 20), 5), new(At(10, 30), 130)];

        var result = Derive(_meter, readings, At(10, 0), At(10, 30));

        Assert.Equal(15, BucketAt(result, At(10, 0)).Value!.Value, 9);
        Assert.Equal(15, BucketAt(result, At(10, 15)).Value!.Value, 9);
        Assert.True(BucketAt(result, At(10, 15)).Flags.HasFlag(QualityFlags.Drop));
        Assert.Equal(30, result.Buckets.Sum(b => b.Value ?? 0), 9);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKind.Drop, finding.Kind);
        Assert.Equal(At(10, 20), finding.Ts);
    }
}
