using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using static GreenLoop.Domain.Tests.Utc;

namespace GreenLoop.Domain.Tests;

public sealed class InstantaneousDerivationTests
{
    private static readonly MeterConfig _gauge = new() { Kind = MeterKind.Instantaneous };
    private static readonly CounterEvent[] _noEvents = [];

    private static DerivationResult Derive(MeterConfig meter, RawReading[] readings, long from, long to) =>
        Deriver.Derive(meter, readings, _noEvents, from, to);

    private static BucketValue BucketAt(DerivationResult result, long start) => Assert.Single(result.Buckets, b => b.Start == start);

    [Fact]
    public void Derive_SampleAndHold_GivesTimeWeightedMean()
    {
        RawReading[] readings = [new(At(10, 0), 10), new(At(10, 5), 40), new(At(10, 15), 20)];

        var result = Derive(_gauge, readings, At(10, 0), At(10, 30));

        // 10 held 10:00-10:05, 40 held 10:05-10:15: (10 x 5 + 40 x 10) / 15 = 30, not the sample mean 25.
        var bucket = BucketAt(result, At(10, 0));
        Assert.Equal((10.0 * 5 + 40 * 10) / 15, bucket.Value!.Value, 9);
        Assert.Equal(10.0, bucket.Min);
        Assert.Equal(40.0, bucket.Max);
        Assert.Equal(15 * Minute, bucket.CoveredMs);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Derive_ValueHeldAcrossBucketBoundary_CountsTowardBothBuckets()
    {
        var meter = _gauge with { Multiplier = 2 };
        RawReading[] readings = [new(At(10, 10), 25), new(At(10, 20), 15), new(At(10, 30), 45), new(At(10, 45), 0)];

        var result = Derive(meter, readings, At(10, 0), At(11, 0));

        // With multiplier 2 the samples are 50, 30, 90 and 0.
        // 10:00: nothing before 10:10, then 50 for 5 minutes.
        var first = BucketAt(result, At(10, 0));
        Assert.Equal(50.0, first.Value!.Value, 9);
        Assert.Equal(5 * Minute, first.CoveredMs);
        Assert.Equal((50.0, 50.0), (first.Min, first.Max));
        // 10:15: 50 held on for 5 minutes, then 30 for 10: (50 x 5 + 30 x 10) / 15 = 36.67; min 30, max 50.
        var second = BucketAt(result, At(10, 15));
        Assert.Equal((50.0 * 5 + 30 * 10) / 15, second.Value!.Value, 9);
        Assert.Equal((30.0, 50.0), (second.Min, second.Max));
        Assert.Equal(15 * Minute, second.CoveredMs);
        // 10:30: 90 for the whole quarter hour.
        var third = BucketAt(result, At(10, 30));
        Assert.Equal(90.0, third.Value!.Value, 9);
        Assert.Equal((90.0, 90.0), (third.Min, third.Max));
    }

    [Fact]
    public void Derive_NewestSample_HoldsNoTimeButCountsTowardMinAndMax()
    {
        RawReading[] readings = [new(At(10, 0), 10), new(At(10, 10), 40)];

        var result = Derive(_gauge, readings, At(10, 0), At(10, 30));

        // 10 is held 10:00-10:10; 40 is the newest sample, so nothing says how long it lasts.
        var bucket = Assert.Single(result.Buckets);
        Assert.Equal(10.0, bucket.Value!.Value, 9);
        Assert.Equal(10 * Minute, bucket.CoveredMs);
        Assert.Equal(10.0, bucket.Min);
        Assert.Equal(40.0, bucket.Max);
    }

    [Fact]
    public void Derive_NewestSampleAloneInItsBucket_GivesItsValueWithNoCoverage()
    {
        RawReading[] readings = [new(At(10, 0), 10), new(At(10, 5), 40), new(At(10, 20), 20)];

        var result = Derive(_gauge, readings, At(10, 0), At(10, 30));

        // 40 is held 10:05-10:20, 5 minutes of them in bucket 10:15; 20 holds no time yet.
        // Bucket 10:15: mean over the held time is 40; min 20 (the newest sample), max 40.
        var bucket = BucketAt(result, At(10, 15));
        Assert.Equal(40.0, bucket.Value!.Value, 9);
        Assert.Equal(5 * Minute, bucket.CoveredMs);
        Assert.Equal((20.0, 40.0), (bucket.Min, bucket.Max));

        var onlyNewest = Derive(_gauge, [new(At(10, 20), 20)], At(10, 0), At(10, 30));

        var lone = Assert.Single(onlyNewest.Buckets);
        Assert.Equal(At(10, 15), lone.Start);
        Assert.Equal(20.0, lone.Value!.Value, 9);
        Assert.Equal(0, lone.CoveredMs);
        Assert.Equal((20.0, 20.0), (lone.Min, lone.Max));
    }

    [Fact]
    public void Derive_SampleOlderThanMaxGap_IsNotHeldBeyondMaxGap()
    {
        var meter = _gauge with { MaxGapMs = 10 * Minute };
        RawReading[] readings = [new(At(10, 0), 50), new(At(10, 40), 70)];

        var result = Derive(meter, readings, At(10, 0), At(11, 0));

        // 50 stands 10:00-10:10 only (the maximum gap), not until 10:40.
        var first = BucketAt(result, At(10, 0));
        Assert.Equal(50.0, first.Value!.Value, 9);
        Assert.Equal(10 * Minute, first.CoveredMs);
        // Nothing is known for 10:15-10:30, so that bucket is absent; 70 is the newest sample.
        Assert.Equal(new[] { At(10, 0), At(10, 30) }, result.Buckets.Select(b => b.Start));
        Assert.Equal(0, BucketAt(result, At(10, 30)).CoveredMs);
        Assert.Equal(70.0, BucketAt(result, At(10, 30)).Value!.Value, 9);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKind.Gap, finding.Kind);
        Assert.Equal(At(10, 0), finding.Ts);
    }

    [Fact]
    public void Derive_SampleBeforeTheSpan_HoldsIntoTheSpan()
    {
        RawReading[] readings = [new(At(9, 50), 80), new(At(10, 5), 20), new(At(10, 15), 0)];

        var result = Derive(_gauge, readings, At(10, 0), At(10, 15));

        // 80 sampled at 09:50 holds 10:00-10:05 inside the span, then 20 for 10 minutes: (80 x 5 + 20 x 10) / 15 = 40.
        var bucket = Assert.Single(result.Buckets);
        Assert.Equal((80.0 * 5 + 20 * 10) / 15, bucket.Value!.Value, 9);
        Assert.Equal((20.0, 80.0), (bucket.Min, bucket.Max));
        Assert.Equal(15 * Minute, bucket.CoveredMs);
    }

    [Fact]
    public void Derive_SubSpan_EqualsTheSameBucketsOfTheWholeDerivation()
    {
        var meter = _gauge with { MaxGapMs = 20 * Minute };
        var random = new Random(11);
        var readings = new RawReading[300];
        var ts = At(0, 0) + 3 * Minute;
        for (var i = 0; i < readings.Length; i++)
        {
            readings[i] = new RawReading(ts, Math.Round(random.NextDouble() * 500, 1));
            ts += random.Next(8) == 0 ? random.NextInt64(20 * Minute + 1, 2 * Hour) : random.NextInt64(1_000, 12 * Minute);
        }
        var wholeFrom = SiteCalendar.FloorBucket(readings[0].Ts);
        var wholeTo = SiteCalendar.FloorBucket(readings[^1].Ts) + Bucket;
        var whole = Derive(meter, readings, wholeFrom, wholeTo);
        Assert.Contains(whole.Findings, f => f.Kind == FindingKind.Gap);

        var bucketCount = (int)((wholeTo - wholeFrom) / Bucket);
        for (var trial = 0; trial < 50; trial++)
        {
            var a = random.Next(bucketCount + 1);
            var b = random.Next(bucketCount + 1);
            var from = wholeFrom + Math.Min(a, b) * Bucket;
            var to = wholeFrom + Math.Max(a, b) * Bucket;
            // What a caller passes: the last sample at or before from through the first at or after to.
            var first = Math.Max(0, Array.FindLastIndex(readings, r => r.Ts <= from));
            var last = Array.FindIndex(readings, r => r.Ts >= to);
            if (last < 0) last = readings.Length - 1;

            var part = Deriver.Derive(meter, readings.AsSpan(first, last - first + 1), _noEvents, from, to);

            Assert.Equal(whole.Buckets.Where(x => x.Start >= from && x.Start < to), part.Buckets);
            Assert.Equal(whole.Findings.Where(f => f.Ts >= from && f.Ts < to), part.Findings);
        }
    }
}
