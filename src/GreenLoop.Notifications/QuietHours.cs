namespace GreenLoop.Notifications;

/// <summary>
/// A daily local time window [<see cref="Start"/>, <see cref="End"/>) in an IANA time zone during which only critical
/// messages are sent. A window whose start is after its end runs over midnight (22:00-07:00).
/// </summary>
public sealed record QuietHours
{
    public required TimeOnly Start { get; init; }
    public required TimeOnly End { get; init; }
    /// <summary>IANA zone id, e.g. <c>Asia/Shanghai</c>.</summary>
    public required string TimeZone { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Start == End)
            errors.Add($"QuietHours start and end are both {Start:HH\\:mm}; the window would be empty.");
        if (!TryFindZone(TimeZone, out _))
            errors.Add($"QuietHours time zone '{TimeZone}' is not a known IANA zone.");
        return errors;
    }

    /// <summary>Whether the instant falls inside the window, in the window's time zone.</summary>
    public bool Contains(DateTimeOffset at)
    {
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone()).DateTime);
        return Start < End ? local >= Start && local < End : local >= Start || local < End;
    }

    /// <summary>The first instant after <paramref name="at"/> at which the local clock shows <see cref="End"/>.</summary>
    public DateTimeOffset NextEnd(DateTimeOffset at)
    {
        var zone = Zone();
        var local = TimeZoneInfo.ConvertTime(at, zone).DateTime;
        var date = DateOnly.FromDateTime(local);
        for (var i = 0; i < 3; i++)
        {
            var candidate = LocalToInstant(date.AddDays(i).ToDateTime(End), zone);
            if (candidate > at) return candidate;
        }
        throw new InvalidOperationException($"No end of quiet hours found after {at:O}.");
    }

    private TimeZoneInfo Zone() =>
        TryFindZone(TimeZone, out var zone) ? zone : throw new InvalidOperationException($"Unknown time zone '{TimeZone}'.");

    // A wall-clock time skipped by a daylight-saving jump becomes the first instant after the gap; an ambiguous one
    // takes the earlier instant, so held messages go out at the first moment the clock shows the end time.
    private static DateTimeOffset LocalToInstant(DateTime local, TimeZoneInfo zone)
    {
        while (zone.IsInvalidTime(local))
            local = local.AddMinutes(15);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    private static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id)) return false;
        try { zone = TimeZoneInfo.FindSystemTimeZoneById(id); return true; }
        catch (TimeZoneNotFoundException) { return false; }
        catch (InvalidTimeZoneException) { return false; }
    }
}
