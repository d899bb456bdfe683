using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using static GreenLoop.Demo.DemoMeterKeys;

namespace GreenLoop.Demo;

/// <summary>
/// The alarm rules the demo plant ships with, each aimed at one of its planted events (and sensible on a real plant):
/// the packing meter's counter drop, the glazing meter's three-hour gap (completeness of its day), the air
/// compressors' over-limit hour and its jump against the same hour the day before, and the NOx excursion above the
/// 180 mg/m3 permit limit; plus meters going silent and unit-product energy above GB 21252-2023 level 3.
/// </summary>
public static class DemoAlarmRules
{
    /// <summary>Channel keys the rules notify: the shift's group chat, and the energy manager for escalations.</summary>
    public const string Operators = "ops";
    public const string Manager = "manager";

    public static IReadOnlyList<AlarmRule> All { get; } =
    [
        new AlarmRule
        {
            Key = "counter-drop",
            Name = "Counter dropped or was reset without a recorded event",
            NameZh = "表码异常回退或清零（无换表记录）",
            Subject = AlarmSubject.EachMeter(),
            Condition = new CounterAnomaly { Kinds = [FindingKind.Drop, FindingKind.Reset], Per = AlarmGrain.Hour },
            Severity = AlarmSeverity.Major,
            Recipients = [Operators],
        },
        new AlarmRule
        {
            Key = "electricity-completeness",
            Name = "Electricity meter data below 95 % complete in a day",
            NameZh = "电表日数据完整率低于95%",
            Subject = AlarmSubject.EachMeter("electricity"),
            Condition = new CompletenessBelow { BelowPercent = 95, Per = AlarmGrain.Day },
            Severity = AlarmSeverity.Minor,
            Recipients = [Operators],
        },
        new AlarmRule
        {
            Key = "air-hour-limit",
            Name = "Air compressors above 600 kWh in an hour",
            NameZh = "空压站小时用电超过600 kWh",
            Subject = AlarmSubject.Meter(AirCompressors),
            Condition = new ConsumptionAbove { Per = AlarmGrain.Hour, Limit = DemoPlant.AirMaxRatePerHour },
            Severity = AlarmSeverity.Major,
            Recipients = [Operators],
            Escalation = new AlarmEscalation { AfterMinutes = 30, Recipients = [Manager] },
        },
        new AlarmRule
        {
            Key = "air-jump",
            Name = "Air compressors up more than 50 % on the same hour yesterday",
            NameZh = "空压站小时用电较昨日同时段上升超过50%",
            Subject = AlarmSubject.Meter(AirCompressors),
            Condition = new ChangeRateAbove { Compare = ChangeCompare.SameHourYesterday, ThresholdPercent = 50, MinReference = 50 },
            Severity = AlarmSeverity.Warning,
            Recipients = [Operators],
        },
        new AlarmRule
        {
            Key = "nox-permit",
            Name = "Stack NOx above the 180 mg/m3 permit limit for 15 minutes",
            NameZh = "烟气氮氧化物超过许可限值180 mg/m3持续15分钟",
            Subject = AlarmSubject.Meter(StackNox),
            Condition = new ValueOutOfRange { Max = 180 },
            ForMinutes = 15,
            Severity = AlarmSeverity.Critical,
            Recipients = [Operators, Manager],
            Escalation = new AlarmEscalation { AfterMinutes = 15, Recipients = [Manager] },
        },
        new AlarmRule
        {
            Key = "meter-offline",
            Name = "Meter silent for 90 minutes",
            NameZh = "仪表90分钟无数据",
            Subject = AlarmSubject.EachMeter(),
            // The tile-output meter reports once an hour, so less than an hour would always fire.
            Condition = new NoData { Minutes = 90 },
            Severity = AlarmSeverity.Minor,
            Recipients = [Operators],
        },
        new AlarmRule
        {
            Key = "unit-energy",
            Name = "Unit-product energy above GB 21252-2023 level 3 (6.5 kgce/m2)",
            NameZh = "单位产品综合能耗超过GB 21252-2023三级限值（6.5 kgce/m²）",
            Subject = new AlarmSubject { Kind = AlarmSubjectKind.Site },
            Condition = new UnitEnergyAbove
            {
                Output = "tile_output",
                Limit = 6.5,
                // Electricity at its calorific equivalent; natural gas at the gas-field coefficient (GB/T 2589-2020 Annex A).
                Coefficients = new Dictionary<string, double> { ["electricity"] = 0.1229, ["natural_gas"] = 1.2143 },
            },
            Severity = AlarmSeverity.Warning,
            Recipients = [Manager],
        },
    ];
}
