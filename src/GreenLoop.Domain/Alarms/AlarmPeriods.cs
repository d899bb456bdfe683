using GreenLoop.Domain.Time;

namespace GreenLoop.Domain.Alarms;

/// <summary>Period arithmetic per grain: 15-minute UTC buckets, local hours, local days (DST-correct through <see cref="SiteCalendar"/>).</summary>
public static class AlarmPeriods
{
    private const long HourMs = 3_600_000;

    /// <summary>Start of the period containing the instant.</summary>
    public static long Start(AlarmGrain grain, SiteCalendar calendar, long utcMs)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return grain switch
        {
            AlarmGrain.Minutes15 => SiteCalendar.FloorBucket(utcMs),
            AlarmGrain.Hour => calendar.HourStart(utcMs),
            _ => calendar.DayStart(calendar.LocalDate(utcMs)),
        };
    }

    /// <summary>Start of the period after the one starting at <paramref name="start"/>.</summary>
    public static long Next(AlarmGrain grain, SiteCalendar calendar, long start)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return grain switch
        {
            AlarmGrain.Minutes15 => start + SiteCalendar.BucketMs,
            AlarmGrain.Hour => start + HourMs,
            _ => calendar.DayStart(calendar.LocalDate(start).AddDays(1)),
        };
    }

    /// <summary>The earlier period a difference rate compares the period starting at <paramref name="start"/> with.</summary>
    public static long Reference(ChangeCompare compare, SiteCalendar calendar, long start)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return compare switch
        {
            ChangeCompare.DayOnDay => calendar.DayStart(calendar.LocalDate(start).AddDays(-1)),
            ChangeCompare.WeekOnWeek => calendar.DayStart(calendar.LocalDate(start).AddDays(-7)),
            _ => calendar.HourStart(calendar.LocalToUtc(calendar.ToLocal(start).AddDays(-1))),
        };
    }

    /// <summary>
    /// How far after a changed span the periods that compare with it lie (a day-on-day rate of tomorrow uses today):
    /// late or back-filled data re-judges them too.
    /// </summary>
    public static long Lookahead(AlarmCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        long ahead = 0;
        foreach (var leaf in condition.Leaves())
        {
            if (leaf is ChangeRateAbove c)
                ahead = Math.Max(ahead, (c.Compare == ChangeCompare.WeekOnWeek ? 8 : 2) * 24 * HourMs);
        }
        return ahead;
    }

    /// <summary>
    /// Whether a period still in progress may raise this condition: only when no later data of the period can undo a
    /// breach. Consumption only grows (so does a period's difference rate against a fixed earlier period), and a
    /// derivation finding stays found. A mean (<see cref="ValueOutOfRange"/>) can fall again, and completeness and
    /// unit-product energy are only known once the period is over: those wait for the period to end. An AND or OR is
    /// judged early only when every part is.
    /// </summary>
    public static bool JudgedInProgress(AlarmCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return condition.Leaves().All(l => l is ConsumptionAbove or ChangeRateAbove or CounterAnomaly);
    }

    /// <summary>How far before a period the evaluation reads data (reference periods of difference rates).</summary>
    public static long Lookback(AlarmCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        long back = 0;
        foreach (var leaf in condition.Leaves())
        {
            if (leaf is ChangeRateAbove c)
                back = Math.Max(back, (c.Compare == ChangeCompare.WeekOnWeek ? 8 : 2) * 24 * HourMs);
            // Completeness looks at the period before (see AlarmEvaluator).
            if (leaf is CompletenessBelow)
                back = Math.Max(back, 2 * 24 * HourMs);
        }
        return back;
    }
}
