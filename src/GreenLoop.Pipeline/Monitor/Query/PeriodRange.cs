using GreenLoop.Domain.Time;

namespace GreenLoop.Pipeline.Monitor.Query;

/// <summary>
/// One end of a requested range: a local date, meaning midnight at the site (which only the site's calendar can place),
/// or an instant.
/// </summary>
public sealed record RangeBound
{
    private RangeBound(DateOnly? date, DateTimeOffset? instant)
    {
        Date = date;
        Instant = instant;
    }

    public DateOnly? Date { get; }

    public DateTimeOffset? Instant { get; }

    public static RangeBound OnDate(DateOnly date) => new(date, null);

    public static RangeBound At(DateTimeOffset instant) => new(null, instant);

    /// <summary>The bound in Unix milliseconds: a date is local midnight in <paramref name="calendar"/>.</summary>
    public long Resolve(SiteCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return Date is { } date ? calendar.DayStart(date) : Instant!.Value.ToUnixTimeMilliseconds();
    }
}

/// <summary>The range a query asks for, in the site's terms; a missing end takes the grain's default (see <see cref="QueryService.Bounds"/>).</summary>
public sealed record PeriodRange(RangeBound? From = null, RangeBound? To = null)
{
    /// <summary>No ends given: the grain's default range.</summary>
    public static PeriodRange Default { get; } = new();

    /// <summary>Local midnight of <paramref name="from"/> to local midnight of <paramref name="to"/>.</summary>
    public static PeriodRange Dates(DateOnly from, DateOnly to) => new(RangeBound.OnDate(from), RangeBound.OnDate(to));
}
