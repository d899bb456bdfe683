using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Time;

namespace GreenLoop.Domain.Alarms;

/// <summary>One derived period of a subject: consumption or mean, the gauge's min and max, and measured time.</summary>
/// <param name="Start">UTC start, Unix ms.</param>
/// <param name="Value">Consumption (energy meters, node totals) or time-weighted mean (gauges); null when nothing countable.</param>
/// <param name="Min">Gauges: lowest value held in the period.</param>
/// <param name="Max">Gauges: highest value held in the period.</param>
/// <param name="CoveredMs">Milliseconds backed by measured data, summed over the subject's meters.</param>
/// <param name="Meters">Meters that reported in the period.</param>
public readonly record struct PeriodSample(long Start, double? Value, double? Min, double? Max, long CoveredMs, int Meters);

/// <summary>
/// Everything the evaluation of one subject may look at, read from the derived store beforehand so that evaluation
/// itself is pure: its periods at the rule's grain (and one day back or a week back for difference rates), findings,
/// day totals per carrier (unit-product energy).
/// </summary>
public sealed class AlarmInput
{
    private readonly Dictionary<long, PeriodSample> _periods;

    public AlarmInput(SiteCalendar calendar, string unit, int expectedMeters, IEnumerable<PeriodSample> periods)
    {
        ArgumentNullException.ThrowIfNull(periods);
        Calendar = calendar ?? throw new ArgumentNullException(nameof(calendar));
        Unit = unit ?? "";
        ExpectedMeters = Math.Max(1, expectedMeters);
        _periods = periods.ToDictionary(p => p.Start);
    }

    public SiteCalendar Calendar { get; }

    /// <summary>The subject's engineering unit (kWh, m3, mg/m3...).</summary>
    public string Unit { get; }

    /// <summary>Meters the subject should have reporting (for completeness).</summary>
    public int ExpectedMeters { get; }

    /// <summary>Findings of the subject's meters, any order.</summary>
    public IReadOnlyList<MeterFinding> Findings { get; init; } = [];

    /// <summary>Local-day totals per carrier (UTC day start -> carrier -> quantity), for unit-product energy.</summary>
    public IReadOnlyDictionary<long, IReadOnlyDictionary<string, double>> DayTotals { get; init; } = new Dictionary<long, IReadOnlyDictionary<string, double>>();

    /// <summary>Unit of each carrier in <see cref="DayTotals"/>, for messages.</summary>
    public IReadOnlyDictionary<string, string> CarrierUnits { get; init; } = new Dictionary<string, string>();

    public PeriodSample? At(long start) => _periods.TryGetValue(start, out var p) ? p : null;
}
