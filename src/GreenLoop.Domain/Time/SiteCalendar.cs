using System.Diagnostics.CodeAnalysis;

namespace GreenLoop.Domain.Time;

/// <summary>
/// Maps 15-minute UTC buckets to a site's local hours, days and months. Every real UTC offset is a multiple of
/// 15 minutes, so each bucket lies inside exactly one local hour, and local periods are whole runs of buckets,
/// also across daylight-saving changes (a local day may be 23, 24 or 25 hours long).
/// All instants are Unix milliseconds (UTC).
/// </summary>
public sealed class SiteCalendar
{
    /// <summary>Length of the base grain.</summary>
    public const long BucketMs = 15 * 60 * 1000;
    private const long HourMs = 3_600_000;

    public SiteCalendar(TimeZoneInfo zone) => Zone = zone ?? throw new ArgumentNullException(nameof(zone));

    public TimeZoneInfo Zone { get; }

    /// <summary>Looks up an IANA zone id; false when the id is unknown on this machine.</summary>
    public static bool TryFindZone(string? id, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        if (string.IsNullOrWhiteSpace(id)) return false;
        try { zone = TimeZoneInfo.FindSystemTimeZoneById(id); return true; }
        catch (TimeZoneNotFoundException) { return false; }
        catch (InvalidTimeZoneException) { return false; }
    }

    public static SiteCalendar ForZone(string id) =>
        TryFindZone(id, out var zone) ? new SiteCalendar(zone) : throw new ArgumentException($"Unknown time zone '{id}'.", nameof(id));

    public static long FloorBucket(long utcMs) => utcMs - Mod(utcMs, BucketMs);
    public static long CeilBucket(long utcMs) => Mod(utcMs, BucketMs) == 0 ? utcMs : FloorBucket(utcMs) + BucketMs;

    /// <summary>The UTC offset in force at an instant.</summary>
    public TimeSpan OffsetAt(long utcMs) => Zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(utcMs));

    /// <summary>Local wall-clock time of an instant.</summary>
    public DateTime ToLocal(long utcMs) =>
        DateTime.SpecifyKind(DateTimeOffset.FromUnixTimeMilliseconds(utcMs).UtcDateTime + OffsetAt(utcMs), DateTimeKind.Unspecified);

    public DateTimeOffset ToLocalOffset(long utcMs) =>
        new(ToLocal(utcMs), OffsetAt(utcMs));

    /// <summary>UTC start of the local hour containing the instant (the two 02:00 hours of a DST fall-back are distinct).</summary>
    public long HourStart(long utcMs)
    {
        var offsetMs = (long)OffsetAt(utcMs).TotalMilliseconds;
        return utcMs - Mod(utcMs + offsetMs, HourMs);
    }

    /// <summary>Local date of the instant.</summary>
    public DateOnly LocalDate(long utcMs) => DateOnly.FromDateTime(ToLocal(utcMs));

    /// <summary>First day of the local month of the instant.</summary>
    public DateOnly LocalMonth(long utcMs)
    {
        var d = LocalDate(utcMs);
        return new DateOnly(d.Year, d.Month, 1);
    }

    /// <summary>UTC instant of local midnight starting the date (if midnight is skipped by DST, the first valid instant).</summary>
    public long DayStart(DateOnly date) => LocalToUtc(date.ToDateTime(TimeOnly.MinValue));

    /// <summary>UTC [start, end) of a local day.</summary>
    public (long Start, long End) DayBounds(DateOnly date) => (DayStart(date), DayStart(date.AddDays(1)));

    /// <summary>UTC [start, end) of the local month that contains the date.</summary>
    public (long Start, long End) MonthBounds(DateOnly anyDayInMonth)
    {
        var first = new DateOnly(anyDayInMonth.Year, anyDayInMonth.Month, 1);
        return (DayStart(first), DayStart(first.AddMonths(1)));
    }

    /// <summary>
    /// Converts a local wall-clock time to UTC. A time that does not exist (spring-forward gap) becomes the first instant
    /// after the gap; an ambiguous time (fall-back) takes the earlier instant, i.e. the daylight offset.
    /// </summary>
    public long LocalToUtc(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(local))
        {
            // Step forward in 15-minute steps until the wall clock exists again; gaps are whole quarters.
            var probe = local;
            while (Zone.IsInvalidTime(probe)) probe = probe.AddMinutes(15);
            return LocalToUtc(probe);
        }
        TimeSpan offset;
        if (Zone.IsAmbiguousTime(local))
        {
            var offsets = Zone.GetAmbiguousTimeOffsets(local);
            offset = offsets.Max();
        }
        else
        {
            offset = Zone.GetUtcOffset(local);
        }
        return new DateTimeOffset(local, offset).ToUnixTimeMilliseconds();
    }

    private static long Mod(long a, long m) => ((a % m) + m) % m;
}
