using static GreenLoop.Demo.Tests.DemoTestData;

namespace GreenLoop.Demo.Tests;

public sealed class DemoPlantEventsTests
{
    private readonly DemoPlant _plant = Shared;

    [Fact]
    public void PlantedEvents_All_ListedInTimeOrderOnKnownMeters()
    {
        var events = _plant.PlantedEvents;
        var meters = _plant.Definition.Meters.Select(m => m.Key).ToHashSet();

        Assert.Equal(
            [
                PlantedEventKind.Replacement, PlantedEventKind.Rollover, PlantedEventKind.Drop, PlantedEventKind.Gap,
                PlantedEventKind.Spike, PlantedEventKind.OverLimit, PlantedEventKind.LateBatch,
            ],
            events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Contains(e.Meter, meters));
        Assert.All(events, e => Assert.InRange(e.Start, Local(45, 0), Local(0, 0)));
    }

    [Fact]
    public void Readings_AroundTheReplacement_OldRegisterEndsAtOldValueAndNewStartsFromZero()
    {
        var e = Assert.Single(_plant.Definition.Events);
        var readings = _plant.Readings(Local(40, 10), Local(40, 11), Quarter).Of(DemoMeterKeys.DryerGas);
        var before = readings.Single(r => r.Ts == Local(40, 10, 30)).Value;
        var after = readings.Single(r => r.Ts == Local(40, 10, 45)).Value;

        // The dryer burns about 360 m3/h: 6 m3 a minute. 10:30 -> 10:37:25 is 7.4 min; 10:37:25 -> 10:45 is 7.6 min.
        Assert.InRange(e.OldValue!.Value - before, 30, 60);
        Assert.InRange(after - e.NewValue, 30, 60);
    }

    [Fact]
    public void Readings_AcrossTheRollover_FreshWaterWrapsAtOneMillion()
    {
        var readings = _plant.Readings(Local(25, 12, 45), Local(25, 13, 15), Quarter).Of(DemoMeterKeys.FreshWater);
        var before = readings.Single(r => r.Ts == Local(25, 13)).Value;
        var after = readings.Single(r => r.Ts == Local(25, 13, 15)).Value;

        // Fresh water runs at about 125 m3/h: 15 minutes is about 31 m3, split around the wrap at 13:07:30.
        Assert.InRange(before, 999_950, 999_999.99);
        Assert.InRange(after, 5, 50);
        Assert.InRange(after + 1_000_000 - before, 15, 50);
    }

    [Fact]
    public void Readings_DuringTheGap_GlazingMeterSendsNothingForThreeHours()
    {
        var day = Day(_plant, 10);
        var glazing = day.Of(DemoMeterKeys.Glazing).Select(r => r.Ts).ToList();

        Assert.Contains(Local(10, 9), glazing);
        Assert.Contains(Local(10, 12), glazing);
        Assert.DoesNotContain(glazing, ts => ts > Local(10, 9) && ts < Local(10, 12));
        Assert.Equal(97 - 11, glazing.Count);
        Assert.Contains(day, r => r.Meter == DemoMeterKeys.Presses && r.Ts == Local(10, 10, 30));
    }

    [Fact]
    public void IsLate_Over90Days_OnlyKiln2GasFrom10To12TwoDaysBefore()
    {
        var late = _plant.Readings(Local(90, 0), Local(0, 0), Quarter).Where(_plant.IsLate).ToList();

        Assert.Equal(8, late.Count);
        Assert.All(late, r => Assert.Equal(DemoMeterKeys.Kiln2Gas, r.Meter));
        Assert.Equal(Local(2, 10), late[0].Ts);
        Assert.Equal(Local(2, 11, 45), late[^1].Ts);
    }

    [Fact]
    public void Readings_DuringTheNoxSpike_About250ForTwentyMinutes()
    {
        var nox = _plant.Readings(Local(5, 14), Local(5, 15), TimeSpan.FromMinutes(5)).Of(DemoMeterKeys.StackNox);

        // 5-minute samples: 14:10, 14:15, 14:20, 14:25 and 14:30 are in the spike; 14:05 and 14:35 are not.
        Assert.Equal(5, nox.Count(r => r.Value > 180));
        Assert.All(nox.Where(r => r.Value > 180), r => Assert.InRange(r.Value, 240, 260));
        Assert.All(nox.Where(r => r.Value > 180), r => Assert.InRange(r.Ts, Local(5, 14, 10), Local(5, 14, 30)));
    }

    [Fact]
    public void Readings_OverLimitHour_AirCompressorsExceedTheirMaxRateOnlyThen()
    {
        var air = Day(_plant, 5).Of(DemoMeterKeys.AirCompressors);
        var limit = _plant.Definition.Meters.Single(m => m.Key == DemoMeterKeys.AirCompressors).MaxRatePerHour!.Value;
        // Raw register x 10 = kWh; air[h * 4] is the reading at local hour h.
        var hourly = Enumerable.Range(0, 24).Select(h => (air[(h + 1) * 4].Value - air[h * 4].Value) * 10).ToList();

        Assert.Equal(600, limit);
        Assert.InRange(hourly[21], 900, 1000);
        Assert.All(hourly.Where((_, h) => h != 21), kwh => Assert.InRange(kwh, 200, 450));
    }

    [Fact]
    public void Readings_AtTheDrop_PackingMeterReportsOneSmallValueThenRecovers()
    {
        var packing = _plant.Readings(Local(20, 13, 45), Local(20, 14, 30), Quarter).Of(DemoMeterKeys.Packing);

        Assert.Equal([Local(20, 14), Local(20, 14, 15), Local(20, 14, 30)], packing.Select(r => r.Ts));
        Assert.True(packing[0].Value > 100_000);
        Assert.Equal(DemoPlant.DropValue, packing[1].Value);
        // Packing draws about 75 kW: 30 minutes is about 38 kWh, 7.5 raw units at x 5.
        Assert.InRange(packing[2].Value - packing[0].Value, 3, 15);
    }
}
