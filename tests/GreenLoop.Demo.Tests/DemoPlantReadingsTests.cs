using GreenLoop.Domain.Model;
using GreenLoop.Pipeline.Meter.Ingest;
using static GreenLoop.Demo.Tests.DemoTestData;

namespace GreenLoop.Demo.Tests;

public sealed class DemoPlantReadingsTests
{
    // 2026-11-19, a Thursday with no planted event.
    private const int QuietDay = 4;

    private readonly DemoPlant _plant = Shared;

    [Fact]
    public void Readings_SameRangeTwice_SameOutput()
    {
        var from = Local(3, 6);
        var first = _plant.Readings(from, from.AddDays(1), Quarter).ToList();
        var second = Plant().Readings(from, from.AddDays(1), Quarter).ToList();

        Assert.Equal(first, second);
        Assert.All(first, r => Assert.Equal(TimeSpan.FromHours(8), r.Ts.Offset));
    }

    [Fact]
    public void Readings_StartedOneOrTenDaysEarlier_SameValuesAtAnInstant()
    {
        var t = Local(3, 13, 45);
        var fromOneDay = Plant().Readings(t.AddDays(-1), t, Quarter).Where(r => r.Ts == t).ToList();
        var fromTenDays = Plant().Readings(t.AddDays(-10), t, Quarter).Where(r => r.Ts == t).ToList();

        Assert.Equal(26, fromOneDay.Count);
        Assert.Equal(fromOneDay, fromTenDays);
    }

    [Fact]
    public void Readings_LiveTenSecondGrid_AgreesWithTheQuarterHourGrid()
    {
        var t = Local(-1, 9, 30);
        var quarter = _plant.Readings(t - Quarter, t, Quarter).Where(r => r.Ts == t);
        var live = Plant().Readings(t.AddMinutes(-1), t, TimeSpan.FromSeconds(10)).Where(r => r.Ts == t);

        Assert.Equal(quarter, live);
    }

    [Fact]
    public void Readings_OneQuietDay_InTimeOrderWithEveryMeterEachQuarterAndOutputEachHour()
    {
        var day = Day(_plant, QuietDay);

        // 97 instants (midnight to midnight) x 26 cumulative and instantaneous meters + 2 hourly interval meters
        // (tile output and body raw material) x 25 whole hours (24 + the opening midnight).
        Assert.Equal((97 * 26) + (2 * 25), day.Count);
        Assert.True(day.Zip(day.Skip(1)).All(p => p.First.Ts <= p.Second.Ts));
        Assert.Equal(25, day.Of(DemoMeterKeys.TileOutput).Count);
        Assert.Equal(25, day.Of(DemoMeterKeys.BodyRawMaterial).Count);
    }

    [Fact]
    public void Readings_InvalidStep_Throws()
    {
        var t = Local(1, 0);

        Assert.Throws<ArgumentOutOfRangeException>(() => _plant.Readings(t, t.AddHours(1), TimeSpan.FromMinutes(7)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _plant.Readings(t, t.AddHours(1), TimeSpan.FromMilliseconds(500)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _plant.Readings(_plant.Earliest.AddDays(-1), t, Quarter));
    }

    [Fact]
    public void Readings_ElectricityFeedersOverADay_SumToTheIncomerLessTwoToFivePercent()
    {
        var day = Day(_plant, QuietDay);
        var main = day.Consumption(_plant, DemoMeterKeys.MainElectricity);
        var feeders = _plant.Definition.Meters.Where(m => m.Parent == DemoMeterKeys.MainElectricity).Sum(m => day.Consumption(_plant, m.Key));

        var lossShare = (main - feeders) / main;

        Assert.InRange(lossShare, 0.02, 0.05);
    }

    [Fact]
    public void Readings_GasSubMetersOverADay_SumToTheGasMainLessUnderOnePercent()
    {
        var day = Day(_plant, QuietDay);
        var main = day.Consumption(_plant, DemoMeterKeys.MainGas);
        var subs = _plant.Definition.Meters.Where(m => m.Parent == DemoMeterKeys.MainGas).Sum(m => day.Consumption(_plant, m.Key));

        // Designed: main = 1.008 x subs, so the unmetered share is 0.008 / 1.008 = 0.79 %.
        Assert.Equal(0.0079, (main - subs) / main, 0.0005);
    }

    [Fact]
    public void Readings_UnitEnergyOverADay_ThreeToFiveKgcePerSquareMetre()
    {
        // Standard-coal coefficients, GB/T 2589-2020 reference table (see shared/reference/factors.csv):
        // natural gas (gas-field) 1.2143 kgce/m3 (8500 kcal/m3 / 7000 kcal/kgce; flagged UNVERIFIED against the 2020 text),
        // electricity, equivalent (calorific) value 0.1229 kgce/kWh (860 kcal/kWh / 7000 kcal/kgce).
        const double gasKgcePerM3 = 1.2143;
        const double electricityKgcePerKwh = 0.1229;
        var day = Day(_plant, QuietDay);
        var gas = day.Consumption(_plant, DemoMeterKeys.MainGas);
        var electricity = day.Consumption(_plant, DemoMeterKeys.MainElectricity);
        var output = day.Of(DemoMeterKeys.TileOutput).Skip(1).Sum(r => r.Value);

        var unitEnergy = ((gas * gasKgcePerM3) + (electricity * electricityKgcePerKwh)) / output;

        Assert.InRange(unitEnergy, 3.0, 5.0);
        // Design point: 2.92 m3/m2 x 1.2143 + 3.07 kWh/m2 x 0.1229 = 3.546 + 0.377 = 3.92 kgce/m2, +/- daily variation.
        Assert.InRange(unitEnergy, 3.75, 4.1);
    }

    [Fact]
    public void Readings_EachDayOfAWeek_PlausibleForA30000SquareMetrePlant()
    {
        for (var daysBefore = 13; daysBefore >= 7; daysBefore--)
        {
            if (daysBefore == 10) continue; // the planted gap day: the glazing meter is checked by its own test
            var day = Day(_plant, daysBefore);
            var output = day.Of(DemoMeterKeys.TileOutput).Skip(1).Sum(r => r.Value);

            Assert.InRange(output, 28_000, 32_000);
            Assert.InRange(day.Consumption(_plant, DemoMeterKeys.MainGas) / output, 2.5, 3.3);
            Assert.InRange(day.Consumption(_plant, DemoMeterKeys.MainElectricity) / output, 2.5, 3.5);
            Assert.InRange(day.Consumption(_plant, DemoMeterKeys.FreshWater) / output, 0.08, 0.12);
            Assert.All(day.Of(DemoMeterKeys.Kiln1Temperature).Concat(day.Of(DemoMeterKeys.Kiln2Temperature)), r => Assert.InRange(r.Value, 1150, 1200));
            Assert.All(day.Of(DemoMeterKeys.StackNox), r => Assert.InRange(r.Value, 80, 150));
            Assert.All(day.Of(DemoMeterKeys.StackSo2), r => Assert.InRange(r.Value, 10, 30));
            Assert.All(day.Of(DemoMeterKeys.StackParticulates), r => Assert.InRange(r.Value, 5, 15));
        }
    }

    [Fact]
    public void Readings_GasSplitOverADay_SprayDryerKilnsDryerAbout35_55_10Percent()
    {
        var day = Day(_plant, QuietDay);
        var spray = day.Consumption(_plant, DemoMeterKeys.SprayGas);
        var kilns = day.Consumption(_plant, DemoMeterKeys.Kiln1Gas) + day.Consumption(_plant, DemoMeterKeys.Kiln2Gas);
        var dryer = day.Consumption(_plant, DemoMeterKeys.DryerGas);
        var total = spray + kilns + dryer;

        Assert.Equal(0.35, spray / total, 0.02);
        Assert.Equal(0.55, kilns / total, 0.02);
        Assert.Equal(0.10, dryer / total, 0.02);
    }

    [Fact]
    public void Readings_Pv_ZeroAtNightAndProducingAtNoon()
    {
        var pv = Day(_plant, QuietDay).Of(DemoMeterKeys.PvGeneration);

        // pv[i] is at local i x 15 min; in November 19:00-05:00 is dark in Foshan.
        Assert.All(Enumerable.Range(0, 20).Concat(Enumerable.Range(76, 20)), i => Assert.Equal(pv[i].Value, pv[i + 1].Value));
        Assert.True(pv[49].Value - pv[48].Value > 10, "PV produces at noon");
    }

    [Fact]
    public void Readings_Presses_LowerAtNightThanByDay()
    {
        var presses = Day(_plant, QuietDay).Of(DemoMeterKeys.Presses);
        double Hours(int from, int to) => presses[to * 4].Value - presses[from * 4].Value;

        Assert.True(Hours(1, 7) / 6 < Hours(9, 15) / 6 * 0.9);
    }

    [Fact]
    public void Readings_CumulativeRegistersOver45Days_OnlyFallAtThePlantedEvents()
    {
        var readings = _plant.Readings(Local(45, 0), Local(0, 0), Quarter);
        var cumulative = _plant.Definition.Meters.Where(m => m.Kind == MeterKind.Cumulative).Select(m => m.Key).ToHashSet();
        var last = new Dictionary<string, ReadingInput>();
        var falls = new List<(string Meter, DateTimeOffset Ts)>();
        foreach (var r in readings.Where(r => cumulative.Contains(r.Meter)))
        {
            if (last.TryGetValue(r.Meter, out var previous) && r.Value < previous.Value) falls.Add((r.Meter, r.Ts));
            last[r.Meter] = r;
        }

        Assert.Equal(
            [
                (DemoMeterKeys.DryerGas, Local(40, 10, 45)),
                (DemoMeterKeys.FreshWater, Local(25, 13, 15)),
                (DemoMeterKeys.Packing, Local(20, 14, 15)),
            ],
            falls);
    }
}
