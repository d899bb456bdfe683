using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Testing;

namespace GreenLoop.Storage.Tests;

/// <summary>
/// Derived data written by <see cref="GreenLoopStore.SaveDerivedAsync"/>: buckets and hours as given, days and months
/// rolled up in SQL, node totals over the counted meters, findings, and the dirty mark cleared only at its version.
/// </summary>
public abstract class DerivedContract : StoreContract
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private const long Hour = 3_600_000, Quarter = 900_000;

    // Instants are what the store is given; it does no calendar arithmetic of its own. Day D and month M as a Shanghai
    // site would have them: 2026-11-23 00:00 +08:00 and 2026-11-01 00:00 +08:00.
    private static readonly long _day = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
    private static readonly long _month = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    private static DerivedRow Energy(long ts, long up, double? value, long covered, QualityFlags flags = QualityFlags.None) => new(ts, up, value, null, null, covered, flags);

    /// <summary>Two hours of one meter from the first hour of day D, with their four buckets each (values split evenly).</summary>
    private static DerivedSpan TwoHours(long meter, double first, double second, long? version = null, QualityFlags secondFlags = QualityFlags.None) => new()
    {
        Meter = new MeterId(meter),
        From = new Instant(_day),
        To = new Instant(_day + 2 * Hour),
        Buckets = [.. Enumerable.Range(0, 8).Select(q => Energy(_day + q * Quarter, _day + q / 4 * Hour, (q < 4 ? first : second) / 4, Quarter, q < 4 ? QualityFlags.None : secondFlags))],
        Hours = [Energy(_day, _day, first, Hour), Energy(_day + Hour, _day, second, Hour, secondFlags)],
        Findings = [],
        Days = [(_day, _month)],
        Months = [_month],
        DirtyVersion = version,
    };

    private static async Task<(PipelineHarness H, SiteModel Site)> StartWithPlantAsync(Func<DateTimeOffset, Task<PipelineHarness>> start)
    {
        var h = await start(_now);
        await h.Store.ApplySiteAsync(h.TenantId, TestSites.PlantWithKilnElec(), 1, Ct);
        return (h, (await h.Store.GetSiteAsync(h.TenantId, "plant", Ct))!);
    }

    private static long MeterId(SiteModel site, string key) => site.Meters.Single(m => m.Definition.Key == key).Id;

    private static long NodeId(SiteModel site, string key) => site.Nodes.Single(n => n.Key == key).Id;

    [Fact]
    public async Task SaveDerived_EnergyHours_DayAndMonthAreTheirSumWithCoverageAndFlagsCombined()
    {
        var (h, site) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        var main = MeterId(site, TestSites.MainMeter);

        await h.Store.SaveDerivedAsync([TwoHours(main, 10, 20, secondFlags: QualityFlags.Gap | QualityFlags.Estimated)], Ct);

        // Day = 10 + 20 = 30 over 2 h covered (7,200,000 ms), flags Gap|Estimated from the second hour; month = the day.
        var quarters = await h.Store.MeterSeriesAsync(new MeterId(main), Grain.Minutes15, new Instant(_day), new Instant(_day + 2 * Hour), Ct);
        Assert.Equal([2.5, 2.5, 2.5, 2.5, 5, 5, 5, 5], quarters.Select(p => p.Value!.Value));
        Assert.Equal([new PeriodRow(_day, 10, null, null, Hour, QualityFlags.None, 1), new PeriodRow(_day + Hour, 20, null, null, Hour, QualityFlags.Gap | QualityFlags.Estimated, 1)],
            await h.Store.MeterSeriesAsync(new MeterId(main), Grain.Hour, new Instant(_day), new Instant(_day + 86_400_000), Ct));
        Assert.Equal([new PeriodRow(_day, 30, null, null, 2 * Hour, QualityFlags.Gap | QualityFlags.Estimated, 1)],
            await h.Store.MeterSeriesAsync(new MeterId(main), Grain.Day, new Instant(_month), new Instant(_day + 86_400_000), Ct));
        Assert.Equal([new PeriodRow(_month, 30, null, null, 2 * Hour, QualityFlags.Gap | QualityFlags.Estimated, 1)],
            await h.Store.MeterSeriesAsync(new MeterId(main), Grain.Month, new Instant(_month), new Instant(_day + 86_400_000), Ct));
        Assert.Empty(await h.Store.MeterSeriesAsync(new MeterId(main), Grain.Hour, new Instant(_day + 2 * Hour), new Instant(_day + 86_400_000), Ct));
    }

    [Fact]
    public async Task SaveDerived_ArbitraryDoubles_ReadBackBitForBit()
    {
        var (h, site) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        var temp = MeterId(site, TestSites.TempMeter);
        // Values whose shortest decimal form is long, tiny, huge or negative: the store must not round them on the way
        // (the SQLite store sends derived rows as JSON text).
        var random = new Random(11);
        var values = Enumerable.Range(0, 96).Select(q => (q % 4) switch
        {
            0 => random.NextDouble() * Math.Pow(10, random.Next(-12, 15)),
            1 => -random.NextDouble() / 3,
            2 => 0.1 + 0.2 + q,
            _ => BitConverter.Int64BitsToDouble(random.NextInt64(0x0010_0000_0000_0000, 0x4330_0000_0000_0000)),
        }).ToArray();
        var buckets = values.Select((v, q) => new DerivedRow(_day + q * Quarter, _day + q / 4 * Hour, v, v - 1, v + 1, Quarter, QualityFlags.None)).ToList();
        await h.Store.SaveDerivedAsync([new DerivedSpan
        {
            Meter = new MeterId(temp), From = new Instant(_day), To = new Instant(_day + 24 * Hour),
            Buckets = buckets, Hours = [], Findings = [], Days = [], Months = [],
        }], Ct);

        var stored = await h.Store.MeterSeriesAsync(new MeterId(temp), Grain.Minutes15, new Instant(_day), new Instant(_day + 24 * Hour), Ct);
        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), stored.Select(p => BitConverter.DoubleToInt64Bits(p.Value!.Value)));
        Assert.Equal(values.Select(v => BitConverter.DoubleToInt64Bits(v - 1)), stored.Select(p => BitConverter.DoubleToInt64Bits(p.Min!.Value)));
        Assert.Equal(values.Select(v => BitConverter.DoubleToInt64Bits(v + 1)), stored.Select(p => BitConverter.DoubleToInt64Bits(p.Max!.Value)));
    }

    [Fact]
    public async Task SaveDerived_GaugeHours_DayIsTheCoverageWeightedMeanWithExtremes()
    {
        var (h, site) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        var temp = MeterId(site, TestSites.TempMeter);
        var span = new DerivedSpan
        {
            Meter = new MeterId(temp),
            From = new Instant(_day),
            To = new Instant(_day + 3 * Hour),
            Buckets = [],
            // 800 over a full hour, 900 over half an hour, and an hour with no coverage at all (ignored by the weights).
            Hours = [new(_day, _day, 800, 790, 810, Hour, QualityFlags.None), new(_day + Hour, _day, 900, 850, 950, Hour / 2, QualityFlags.Gap), new(_day + 2 * Hour, _day, null, null, null, 0, QualityFlags.Gap)],
            Findings = [],
            Days = [(_day, _month)],
            Months = [_month],
        };

        await h.Store.SaveDerivedAsync([span], Ct);

        // (800 x 3,600,000 + 900 x 1,800,000) / 5,400,000 = 833.33...; min 790, max 950.
        var day = Assert.Single(await h.Store.MeterSeriesAsync(new MeterId(temp), Grain.Day, new Instant(_day), new Instant(_day + 1), Ct));
        Assert.Equal(2500.0 / 3, day.Value!.Value, 9);
        Assert.Equal((790.0, 950.0, Hour * 3 / 2, QualityFlags.Gap), (day.Min, day.Max, day.CoveredMs, day.Flags));
        var month = Assert.Single(await h.Store.MeterSeriesAsync(new MeterId(temp), Grain.Month, new Instant(_month), new Instant(_month + 1), Ct));
        Assert.Equal(2500.0 / 3, month.Value!.Value, 9);
    }

    [Fact]
    public async Task SaveDerived_OnlyUncountableHours_DayStaysNullNotZero()
    {
        var (h, site) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        var main = MeterId(site, TestSites.MainMeter);
        var span = TwoHours(main, 0, 0) with { Buckets = [], Hours = [Energy(_day, _day, null, 0, QualityFlags.Drop)] };

        await h.Store.SaveDerivedAsync([span], Ct);

        Assert.Equal([new PeriodRow(_day, null, null, null, 0, QualityFlags.Drop, 1)], await h.Store.MeterSeriesAsync(new MeterId(main), Grain.Day, new Instant(_day), new Instant(_day + 1), Ct));
    }

    [Fact]
    public async Task SaveDerived_SameSpanAgain_ReplacesEverythingInsideTheSpanAndKeepsWhatIsOutside()
    {
        var (h, site) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        var main = MeterId(site, TestSites.MainMeter);
        // A third hour saved on its own, outside the later re-derivation of the first two.
        var third = new DerivedSpan
        {
            Meter = new MeterId(main), From = new Instant(_day + 2 * Hour), To = new Instant(_day + 3 * Hour), Buckets = [Energy(_day + 2 * Hour, _day + 2 * Hour, 7, Quarter)],
            Hours = [Energy(_day + 2 * Hour, _day, 7, Hour)], Findings = [new MeterFinding(_day + 2 * Hour + 5, FindingKind.Gap, "outside")],
            Days = [(_day, _month)], Months = [_month],
        };
        var first = TwoHours(main, 10, 20) with { Findings = [new MeterFinding(_day + 10, FindingKind.Drop, "drop of 5")] };
        await h.Store.SaveDerivedAsync([first, third], Ct);

        // Re-derived: the second hour has no bucket any more and the first hour's finding is gone.
        var again = TwoHours(main, 12, 0) with { Buckets = [Energy(_day, _day, 12, Quarter)], Hours = [Energy(_day, _day, 12, Hour)] };
        await h.Store.SaveDerivedAsync([again], Ct);

        Assert.Equal([(_day, 12.0), (_day + 2 * Hour, 7.0)], (await h.Store.MeterSeriesAsync(new MeterId(main), Grain.Minutes15, new Instant(_day), new Instant(_day + 86_400_000), Ct)).Select(p => (p.Ts, p.Value!.Value)));
        Assert.Equal([(_day, 12.0), (_day + 2 * Hour, 7.0)], (await h.Store.MeterSeriesAsync(new MeterId(main), Grain.Hour, new Instant(_day), new Instant(_day + 86_400_000), Ct)).Select(p => (p.Ts, p.Value!.Value)));
        Assert.Equal(19, Assert.Single(await h.Store.MeterSeriesAsync(new MeterId(main), Grain.Day, new Instant(_day), new Instant(_day + 1), Ct)).Value);
        Assert.Equal(19, Assert.Single(await h.Store.MeterSeriesAsync(new MeterId(main), Grain.Month, new Instant(_month), new Instant(_month + 1), Ct)).Value);
        Assert.Equal([new StoredFinding(_day + 2 * Hour + 5, FindingKind.Gap, "outside")], await h.Store.FindingsAsync(new MeterId(main), new Instant(0), new Instant(long.MaxValue), Ct));
    }

    [Fact]
    public async Task SaveDerived_Findings_StoredInInstantOrderAndTheLastOfARepeatWins()
    {
        var (h, site) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        var main = MeterId(site, TestSites.MainMeter);
        var span = TwoHours(main, 1, 1) with
        {
            Findings = [new MeterFinding(_day + 50, FindingKind.Spike, "fast"), new MeterFinding(_day + 10, FindingKind.Rollover, "wrapped"), new MeterFinding(_day + 50, FindingKind.Spike, "faster")],
        };

        await h.Store.SaveDerivedAsync([span], Ct);

        Assert.Equal([new StoredFinding(_day + 10, FindingKind.Rollover, "wrapped"), new StoredFinding(_day + 50, FindingKind.Spike, "faster")],
            await h.Store.FindingsAsync(new MeterId(main), new Instant(_day), new Instant(_day + Hour), Ct));
        Assert.Empty(await h.Store.FindingsAsync(new MeterId(main), new Instant(_day + 51), new Instant(_day + Hour), Ct));
    }

    [Fact]
    public async Task SaveDerived_DirtyVersion_ClearsTheMarkOnlyIfNoNewReadingArrivedMeanwhile()
    {
        var (h, site) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        var main = MeterId(site, TestSites.MainMeter);
        var gas = MeterId(site, TestSites.GasMeter);
        await h.Store.AppendReadingsAsync([new(new MeterId(main), new Instant(_day), 1), new(new MeterId(gas), new Instant(_day), 1)], new Instant(1), Ct);
        var taken = await h.Store.GetDirtyAsync(10, Ct);
        // A reading of the gas meter arrives while derivation works on version 1.
        await h.Store.AppendReadingsAsync([new(new MeterId(gas), new Instant(_day + Hour), 2)], new Instant(2), Ct);

        await h.Store.SaveDerivedAsync([.. taken.Select(d => TwoHours(d.Meter.Value, 1, 1, d.Version))], Ct);

        Assert.Equal([new DirtyMeter(new MeterId(gas), new Instant(_day), new Instant(_day + Hour), 2)], await h.Store.GetDirtyAsync(10, Ct));
    }

    [Fact]
    public async Task SaveDerived_CountedMeters_NodeTotalsPerCarrierAtEveryGrain()
    {
        var (h, site) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        long main = MeterId(site, TestSites.MainMeter), gas = MeterId(site, TestSites.GasMeter), kilnElec = MeterId(site, TestSites.KilnElec);
        long root = NodeId(site, "_site"), kiln = NodeId(site, "kiln");

        await h.Store.SaveDerivedAsync([TwoHours(main, 10, 20), TwoHours(gas, 1, 2), TwoHours(kilnElec, 3, 4)], Ct);

        // Site electricity is the main incomer alone (30); the kiln's is its sub-meter (7); gas counts toward both (3).
        var days = await h.Store.NodeTotalsAsync([root, kiln], Grain.Day, new Instant(_day), new Instant(_day + 1), Ct);
        Assert.Equal(
            [new NodeCarrierRow(root, "electricity", MeterDirection.Import, _day, 30, 2 * Hour, 1, QualityFlags.None), new NodeCarrierRow(root, "natural_gas", MeterDirection.Import, _day, 3, 2 * Hour, 1, QualityFlags.None),
             new NodeCarrierRow(kiln, "electricity", MeterDirection.Import, _day, 7, 2 * Hour, 1, QualityFlags.None), new NodeCarrierRow(kiln, "natural_gas", MeterDirection.Import, _day, 3, 2 * Hour, 1, QualityFlags.None)],
            days);
        Assert.Equal([10.0, 20.0], (await h.Store.NodeTotalsAsync([root], Grain.Hour, new Instant(_day), new Instant(_day + 2 * Hour), Ct)).Where(r => r.Carrier == "electricity").Select(r => r.Value!.Value));
        Assert.Equal([0.75, 0.75, 0.75, 0.75, 1, 1, 1, 1], (await h.Store.NodeTotalsAsync([kiln], Grain.Minutes15, new Instant(_day), new Instant(_day + 2 * Hour), Ct)).Where(r => r.Carrier == "electricity").Select(r => r.Value!.Value));
        Assert.Equal([("electricity", 30.0), ("natural_gas", 3.0)], (await h.Store.NodeTotalsAsync([root], Grain.Month, new Instant(_month), new Instant(_month + 1), Ct)).Select(r => (r.Carrier, r.Value!.Value)));
    }

    [Fact]
    public async Task ApplySite_MeterMovedToAnotherNode_NodeTotalsAreRebuiltFromTheDerivedRows()
    {
        var (h, site) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        var kilnElec = MeterId(site, TestSites.KilnElec);
        await h.Store.SaveDerivedAsync([TwoHours(kilnElec, 3, 4)], Ct);
        var plant = TestSites.PlantWithKilnElec();
        var moved = plant with
        {
            Nodes = [.. plant.Nodes, new NodeDefinition { Key = "press", Name = "Press shop" }],
            Meters = [.. plant.Meters.Select(m => m.Key == TestSites.KilnElec ? m with { Node = "press" } : m)],
        };

        await h.Store.ApplySiteAsync(h.TenantId, moved, 2, Ct);

        var after = (await h.Store.GetSiteAsync(h.TenantId, "plant", Ct))!;
        long kiln = NodeId(after, "kiln"), press = NodeId(after, "press");
        Assert.DoesNotContain(await h.Store.NodeTotalsAsync([kiln], Grain.Day, new Instant(_day), new Instant(_day + 1), Ct), r => r.Carrier == "electricity");
        Assert.Equal([new NodeCarrierRow(press, "electricity", MeterDirection.Import, _day, 7, 2 * Hour, 1, QualityFlags.None)], await h.Store.NodeTotalsAsync([press], Grain.Day, new Instant(_day), new Instant(_day + 1), Ct));
        Assert.Equal([3.0, 4.0], (await h.Store.NodeTotalsAsync([press], Grain.Hour, new Instant(_day), new Instant(_day + 86_400_000), Ct)).Select(r => r.Value!.Value));
    }
}
