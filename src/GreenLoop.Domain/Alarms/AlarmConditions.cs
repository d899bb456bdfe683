using System.Text.Json.Serialization;
using GreenLoop.Domain.Derivation;

namespace GreenLoop.Domain.Alarms;

/// <summary>
/// A condition of an alarm rule: a leaf judged on one period of the rule's grain, or an AND / OR of conditions.
/// Every leaf has two thresholds, the one that raises and the one that clears (see <see cref="AlarmRule.ClearRatio"/>);
/// between them an open alarm stays open and no new one is raised.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ConsumptionAbove), "consumption")]
[JsonDerivedType(typeof(ChangeRateAbove), "changeRate")]
[JsonDerivedType(typeof(ValueOutOfRange), "range")]
[JsonDerivedType(typeof(NoData), "noData")]
[JsonDerivedType(typeof(CounterAnomaly), "anomaly")]
[JsonDerivedType(typeof(UnitEnergyAbove), "unitEnergy")]
[JsonDerivedType(typeof(CompletenessBelow), "completeness")]
[JsonDerivedType(typeof(AllOf), "all")]
[JsonDerivedType(typeof(AnyOf), "any")]
public abstract record AlarmCondition
{
    /// <summary>The period this condition is judged on.</summary>
    [JsonIgnore]
    public abstract AlarmGrain Grain { get; }

    /// <summary>Every leaf of the tree, depth first.</summary>
    public IEnumerable<AlarmCondition> Leaves() => this switch
    {
        AllOf a => a.Of.SelectMany(c => c.Leaves()),
        AnyOf o => o.Of.SelectMany(c => c.Leaves()),
        _ => [this],
    };
}

/// <summary>
/// Consumption in a period (15 minutes, local hour or local day) above a limit in the meter's unit: a fixed
/// <see cref="Limit"/>, or per weekday and local time of day (<see cref="Schedule"/>, e.g. a lower limit in TOU peak hours).
/// </summary>
public sealed record ConsumptionAbove : AlarmCondition
{
    public AlarmGrain Per { get; init; } = AlarmGrain.Hour;
    /// <summary>The limit outside every schedule band; null means no limit there.</summary>
    public double? Limit { get; init; }
    /// <summary>Bands matched on the period's local start; the first match wins.</summary>
    public IReadOnlyList<ScheduleBand> Schedule { get; init; } = [];

    public override AlarmGrain Grain => Per;
}

/// <summary>A limit in force on some weekdays between two local times of day (<see cref="To"/> exclusive; 00:00 = end of day).</summary>
public sealed record ScheduleBand
{
    /// <summary>Weekdays the band applies to; empty means every day.</summary>
    public IReadOnlyList<DayOfWeek> Days { get; init; } = [];
    public required TimeOnly From { get; init; }
    public required TimeOnly To { get; init; }
    public required double Limit { get; init; }

    public bool Covers(DateTime local)
    {
        if (Days.Count > 0 && !Days.Contains(local.DayOfWeek)) return false;
        var t = TimeOnly.FromDateTime(local);
        return To == TimeOnly.MinValue ? t >= From : t >= From && t < To;
    }
}

/// <summary>
/// Period-over-period difference rate, <c>(current − earlier) / earlier × 100</c>, above <see cref="ThresholdPercent"/>
/// (increases only). An earlier period below <see cref="MinReference"/> gives no verdict (a rate against almost nothing means nothing).
/// </summary>
public sealed record ChangeRateAbove : AlarmCondition
{
    public ChangeCompare Compare { get; init; } = ChangeCompare.DayOnDay;
    public required double ThresholdPercent { get; init; }
    public double MinReference { get; init; }

    public override AlarmGrain Grain => Compare == ChangeCompare.SameHourYesterday ? AlarmGrain.Hour : AlarmGrain.Day;
}

/// <summary>
/// An instantaneous value (its 15-minute time-weighted mean, the figure CEMS limits are stated on) above <see cref="Max"/>
/// or below <see cref="Min"/>. How long it must hold is the rule's <see cref="AlarmRule.ForMinutes"/>.
/// </summary>
public sealed record ValueOutOfRange : AlarmCondition
{
    public double? Min { get; init; }
    public double? Max { get; init; }

    public override AlarmGrain Grain => AlarmGrain.Minutes15;
}

/// <summary>
/// No reading for <see cref="Minutes"/> (meter or gateway offline). Judged on the clock, not on periods; the silence
/// is counted from the last reading or from when the server started watching, whichever is later. Must be a rule's only condition.
/// </summary>
public sealed record NoData : AlarmCondition
{
    public required int Minutes { get; init; }

    public override AlarmGrain Grain => AlarmGrain.Minutes15;
}

/// <summary>
/// A derivation finding of one of <see cref="Kinds"/> in the period (an unexplained counter drop, a reset, a spike, a
/// gap); clears after a period of the grain without one.
/// </summary>
public sealed record CounterAnomaly : AlarmCondition
{
    public IReadOnlyList<FindingKind> Kinds { get; init; } = [FindingKind.Drop, FindingKind.Reset, FindingKind.Spike];
    public AlarmGrain Per { get; init; } = AlarmGrain.Hour;

    public override AlarmGrain Grain => Per;
}

/// <summary>
/// Unit-product energy of a local day, kgce per unit of output, above <see cref="Limit"/>: the node's (or site's) day
/// totals of the carriers in <see cref="Coefficients"/> (kgce per metered unit) over its total of the <see cref="Output"/> carrier.
/// The coefficients are in the rule so the alarm is self-contained; the audited figure is the energy report's.
/// </summary>
public sealed record UnitEnergyAbove : AlarmCondition
{
    /// <summary>Carrier of the output meters, e.g. <c>tile_output</c>.</summary>
    public required string Output { get; init; }
    public required double Limit { get; init; }
    public required IReadOnlyDictionary<string, double> Coefficients { get; init; }

    public override AlarmGrain Grain => AlarmGrain.Day;
}

/// <summary>Data completeness (measured time over the period's length, per meter) below <see cref="BelowPercent"/>; clears at or above it.</summary>
public sealed record CompletenessBelow : AlarmCondition
{
    public required double BelowPercent { get; init; }
    public AlarmGrain Per { get; init; } = AlarmGrain.Day;

    public override AlarmGrain Grain => Per;
}

/// <summary>Raises when every condition breaches; clears when any clears.</summary>
public sealed record AllOf : AlarmCondition
{
    public required IReadOnlyList<AlarmCondition> Of { get; init; }

    public override AlarmGrain Grain => Of.Count > 0 ? Of[0].Grain : AlarmGrain.Hour;
}

/// <summary>Raises when any condition breaches; clears when every one clears.</summary>
public sealed record AnyOf : AlarmCondition
{
    public required IReadOnlyList<AlarmCondition> Of { get; init; }

    public override AlarmGrain Grain => Of.Count > 0 ? Of[0].Grain : AlarmGrain.Hour;
}
