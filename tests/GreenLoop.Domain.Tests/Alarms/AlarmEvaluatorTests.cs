using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Time;

namespace GreenLoop.Domain.Tests.Alarms;

public sealed class AlarmEvaluatorTests
{
    private const long Hour = 3_600_000;
    private const long Day = 24 * Hour;
    private static readonly SiteCalendar Shanghai = SiteCalendar.ForZone("Asia/Shanghai");

    // 2026-03-02 00:00 in Shanghai (UTC+8) is 2026-03-01T16:00Z, a Monday.
    private static readonly long Monday = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    private static AlarmInput Input(params (long Start, double Value)[] periods) =>
        new(Shanghai, "kWh", 1, periods.Select(p => new PeriodSample(p.Start, p.Value, null, null, Hour, 1)));

    [Theory]
    [InlineData(601, VerdictKind.Breach)]
    [InlineData(600, VerdictKind.Hold)]
    [InlineData(541, VerdictKind.Hold)]
    [InlineData(540, VerdictKind.Clear)]
    public void Consumption_AgainstLimitWithHysteresis_BreachesAboveAndClearsAtNinetyPercent(double value, VerdictKind expected)
    {
        // Limit 600 kWh, clear ratio 0.9: breach above 600, clear at or below 540, hold in between.
        var c = new ConsumptionAbove { Per = AlarmGrain.Hour, Limit = 600 };

        var v = AlarmEvaluator.Evaluate(c, Monday, Input((Monday, value)), 0.9);

        Assert.Equal(expected, v.Kind);
    }

    [Fact]
    public void Consumption_ScheduleBand_UsesBandLimitInsideAndFixedOutside()
    {
        // TOU peak 10:00-12:00 on weekdays: 400 kWh; otherwise 600 kWh. 500 kWh breaches at 10:00; at 13:00 it is at or below 90 % of 600 and clears.
        var c = new ConsumptionAbove
        {
            Per = AlarmGrain.Hour,
            Limit = 600,
            Schedule = [new ScheduleBand { Days = [DayOfWeek.Monday, DayOfWeek.Tuesday], From = new TimeOnly(10, 0), To = new TimeOnly(12, 0), Limit = 400 }],
        };
        var ten = Monday + (10 * Hour);
        var one = Monday + (13 * Hour);

        var peak = AlarmEvaluator.Evaluate(c, ten, Input((ten, 500), (one, 500)), 0.9);
        var offPeak = AlarmEvaluator.Evaluate(c, one, Input((ten, 500), (one, 500)), 0.9);

        Assert.Equal(VerdictKind.Breach, peak.Kind);
        Assert.Equal(400, peak.Limit);
        Assert.Equal("2026-03-02 10:00–11:00: 500 kWh, limit 400 kWh", peak.En);
        // Off peak the limit is 600: 500 kWh is at or below 540 (90 %), so it clears.
        Assert.Equal(VerdictKind.Clear, offPeak.Kind);
    }

    [Fact]
    public void Consumption_NoData_IsUnknown()
    {
        var v = AlarmEvaluator.Evaluate(new ConsumptionAbove { Limit = 1 }, Monday, Input(), 0.9);

        Assert.Equal(VerdictKind.Unknown, v.Kind);
    }

    [Fact]
    public void ChangeRate_DayOnDay_ComparesLocalDays()
    {
        // Sunday 1000 kWh, Monday 1300 kWh: +30 %; threshold 25 % breaches, 35 % holds (clear at or below 31.5 %).
        var input = Input((Monday - Day, 1000), (Monday, 1300));

        var breach = AlarmEvaluator.Evaluate(new ChangeRateAbove { Compare = ChangeCompare.DayOnDay, ThresholdPercent = 25 }, Monday, input, 0.9);
        var below = AlarmEvaluator.Evaluate(new ChangeRateAbove { Compare = ChangeCompare.DayOnDay, ThresholdPercent = 35 }, Monday, input, 0.9);

        Assert.Equal(VerdictKind.Breach, breach.Kind);
        Assert.Equal(30, breach.Value!.Value, 9);
        Assert.Equal(VerdictKind.Clear, below.Kind);
    }

    [Fact]
    public void ChangeRate_SameHourYesterday_ComparesTheHourOneDayBefore()
    {
        // 21:00 Monday 950 kWh against 21:00 Sunday 300 kWh: (950 - 300) / 300 = +216.7 %.
        var nine = Monday + (21 * Hour);
        var input = Input((nine - Day, 300), (nine, 950), (nine - Hour, 10));

        var v = AlarmEvaluator.Evaluate(new ChangeRateAbove { Compare = ChangeCompare.SameHourYesterday, ThresholdPercent = 50 }, nine, input, 0.9);

        Assert.Equal(VerdictKind.Breach, v.Kind);
        Assert.Equal(216.667, v.Value!.Value, 3);
    }

    [Fact]
    public void ChangeRate_WeekOnWeek_BelowMinimumReference_IsUnknown()
    {
        var input = Input((Monday - (7 * Day), 4), (Monday, 40));

        var v = AlarmEvaluator.Evaluate(new ChangeRateAbove { Compare = ChangeCompare.WeekOnWeek, ThresholdPercent = 10, MinReference = 5 }, Monday, input, 0.9);

        Assert.Equal(VerdictKind.Unknown, v.Kind);
    }

    [Theory]
    [InlineData(252, VerdictKind.Breach)]
    [InlineData(170, VerdictKind.Hold)]
    [InlineData(162, VerdictKind.Clear)]
    [InlineData(8, VerdictKind.Breach)]
    [InlineData(10.5, VerdictKind.Hold)]
    public void Range_MeanAgainstMinAndMax_WithHysteresis(double mean, VerdictKind expected)
    {
        // Max 180 clears at or below 162; min 10 breaches below 10 and clears at or above 10 + 0.1 x 10 = 11.
        var input = new AlarmInput(Shanghai, "mg/m3", 1, [new PeriodSample(Monday, mean, mean, mean, 900_000, 1)]);

        var v = AlarmEvaluator.Evaluate(new ValueOutOfRange { Min = 10, Max = 180 }, Monday, input, 0.9);

        Assert.Equal(expected, v.Kind);
    }

    [Fact]
    public void Anomaly_FindingOfAWatchedKindInThePeriod_Breaches()
    {
        var input = new AlarmInput(Shanghai, "kWh", 1, [])
        {
            Findings =
            [
                new MeterFinding(Monday + (14 * Hour) + 900_000, FindingKind.Drop, "reading fell from 100 to 12.34"),
                new MeterFinding(Monday + (15 * Hour), FindingKind.Rollover, "register wrapped"),
            ],
        };
        var c = new CounterAnomaly { Kinds = [FindingKind.Drop], Per = AlarmGrain.Hour };

        var at14 = AlarmEvaluator.Evaluate(c, Monday + (14 * Hour), input, 0.9);
        var at15 = AlarmEvaluator.Evaluate(c, Monday + (15 * Hour), input, 0.9);

        Assert.Equal(VerdictKind.Breach, at14.Kind);
        Assert.Contains("counter drop at 2026-03-02 14:15", at14.En, StringComparison.Ordinal);
        Assert.Equal(VerdictKind.Clear, at15.Kind);
    }

    [Fact]
    public void UnitEnergy_KgcePerOutput_AgainstLimit()
    {
        // 100,000 kWh x 0.1229 + 20,000 m3 x 1.2143 = 12,290 + 24,286 = 36,576 kgce over 6,000 m2 = 6.096 kgce/m2.
        var input = new AlarmInput(Shanghai, "", 1, [])
        {
            DayTotals = new Dictionary<long, IReadOnlyDictionary<string, double>>
            {
                [Monday] = new Dictionary<string, double> { ["electricity"] = 100_000, ["natural_gas"] = 20_000, ["tile_output"] = 6_000 },
            },
            CarrierUnits = new Dictionary<string, string> { ["tile_output"] = "m2" },
        };
        var c = new UnitEnergyAbove { Output = "tile_output", Limit = 6.0, Coefficients = new Dictionary<string, double> { ["electricity"] = 0.1229, ["natural_gas"] = 1.2143 } };

        var v = AlarmEvaluator.Evaluate(c, Monday, input, 0.9);

        Assert.Equal(VerdictKind.Breach, v.Kind);
        Assert.Equal(6.096, v.Value!.Value, 9);
        Assert.Equal("kgce/m2", v.Unit);
    }

    [Fact]
    public void Completeness_ThreeHourGapInADay_Is87Point5Percent()
    {
        // 21 of 24 hours measured: 87.5 % < 95 %.
        var input = new AlarmInput(Shanghai, "kWh", 1, [new PeriodSample(Monday - Day, 100, null, null, Day, 1), new PeriodSample(Monday, 100, null, null, 21 * Hour, 1)]);

        var v = AlarmEvaluator.Evaluate(new CompletenessBelow { BelowPercent = 95 }, Monday, input, 0.9);

        Assert.Equal(VerdictKind.Breach, v.Kind);
        Assert.Equal(87.5, v.Value);
    }

    [Fact]
    public void Completeness_FirstPeriodWithData_IsNotJudged()
    {
        // Nothing at all the day before: the meter began reporting during this day (a new meter, a back-fill's first day).
        var input = new AlarmInput(Shanghai, "kWh", 1, [new PeriodSample(Monday, 100, null, null, 16 * Hour, 1)]);

        var v = AlarmEvaluator.Evaluate(new CompletenessBelow { BelowPercent = 95 }, Monday, input, 0.9);

        Assert.Equal(VerdictKind.Unknown, v.Kind);
    }

    [Fact]
    public void AllOf_BreachesOnlyWhenEveryPartBreaches_ClearsWhenAnyClears()
    {
        var breach = new Verdict(VerdictKind.Breach, "a", "a");
        var hold = new Verdict(VerdictKind.Hold, "b", "b");
        var clear = new Verdict(VerdictKind.Clear, "c", "c");

        Assert.Equal(VerdictKind.Breach, AlarmEvaluator.Combine([breach, breach], all: true).Kind);
        Assert.Equal(VerdictKind.Hold, AlarmEvaluator.Combine([breach, hold], all: true).Kind);
        Assert.Equal(VerdictKind.Clear, AlarmEvaluator.Combine([breach, clear], all: true).Kind);
    }

    [Fact]
    public void AnyOf_BreachesWhenAnyPartBreaches_ClearsOnlyWhenEveryPartClears()
    {
        var breach = new Verdict(VerdictKind.Breach, "a", "a");
        var hold = new Verdict(VerdictKind.Hold, "b", "b");
        var clear = new Verdict(VerdictKind.Clear, "c", "c");

        Assert.Equal(VerdictKind.Breach, AlarmEvaluator.Combine([clear, breach], all: false).Kind);
        Assert.Equal(VerdictKind.Hold, AlarmEvaluator.Combine([clear, hold], all: false).Kind);
        Assert.Equal(VerdictKind.Clear, AlarmEvaluator.Combine([clear, clear], all: false).Kind);
    }

    [Fact]
    public void Evaluate_AndOfConsumptionAndChangeRate_OnRealData()
    {
        // Monday 1300 kWh (limit 1200: breach) and +30 % day on day (threshold 50 %: clear at or below 45 %): AND clears, OR breaches.
        var input = Input((Monday - Day, 1000), (Monday, 1300));
        AlarmCondition limit = new ConsumptionAbove { Per = AlarmGrain.Day, Limit = 1200 };
        AlarmCondition rate = new ChangeRateAbove { Compare = ChangeCompare.DayOnDay, ThresholdPercent = 50 };

        Assert.Equal(VerdictKind.Clear, AlarmEvaluator.Evaluate(new AllOf { Of = [limit, rate] }, Monday, input, 0.9).Kind);
        Assert.Equal(VerdictKind.Breach, AlarmEvaluator.Evaluate(new AnyOf { Of = [limit, rate] }, Monday, input, 0.9).Kind);
    }
}
