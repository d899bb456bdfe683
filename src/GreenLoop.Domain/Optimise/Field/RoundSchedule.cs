using System.Globalization;
using System.Text.Json.Serialization;

namespace GreenLoop.Domain.Optimise.Field;

/// <summary>How often a round is due.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScheduleKind>))]
public enum ScheduleKind
{
    /// <summary>At the start of every shift (the times given, e.g. 08:00, 16:00, 00:00).</summary>
    Shift,
    /// <summary>Every day at the times given.</summary>
    Daily,
    /// <summary>On the weekdays given, at the times given.</summary>
    Weekly,
    /// <summary>Only when an event asks for it (an alarm, a start-up): no fixed occurrences.</summary>
    OnEvent,
}

/// <summary>
/// A round's schedule in the site's local time: its kind, the local times (HH:mm) it is due at, the weekdays of a
/// weekly round, and the window after the due time within which it counts as on time (then it is overdue; a round
/// not done by the next occurrence, or by the end of its day for the last one, is missed).
/// </summary>
public sealed record RoundSchedule
{
    public ScheduleKind Kind { get; init; } = ScheduleKind.Daily;
    public IReadOnlyList<string> Times { get; init; } = ["09:00"];
    public IReadOnlyList<string> Weekdays { get; init; } = [];
    public int WindowMinutes { get; init; } = 120;

    private static readonly string[] _days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>Every problem with the schedule, by field.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (!Enum.IsDefined(Kind)) errors["schedule.kind"] = ["Shift, Daily, Weekly or OnEvent"];
        // A JSON null binds as null: refused here, or reading the schedule's occurrences would fail later.
        if (Times is null) errors["schedule.times"] = ["a list of local times HH:mm (empty for an on-event round)"];
        else if (Kind != ScheduleKind.OnEvent && (Times.Count is 0 or > 24 || Times.Any(t => !TimeOnly.TryParseExact(t, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                || Times.Distinct().Count() != Times.Count))
            errors["schedule.times"] = ["1 to 24 different local times HH:mm"];
        if (Weekdays is null) errors["schedule.weekdays"] = ["a list of days (empty unless the round is weekly)"];
        else if (Kind == ScheduleKind.Weekly && (Weekdays.Count == 0 || Weekdays.Any(d => !_days.Contains(d))))
            errors["schedule.weekdays"] = ["a weekly round names its days: sun, mon, tue, wed, thu, fri, sat"];
        if (WindowMinutes is < 5 or > 24 * 60) errors["schedule.windowMinutes"] = ["5 to 1440 minutes"];
        return errors;
    }

    /// <summary>The local due times of the round on the days from <paramref name="first"/> to <paramref name="last"/> (both included), in order.</summary>
    public IReadOnlyList<DateTime> Occurrences(DateOnly first, DateOnly last)
    {
        var list = new List<DateTime>();
        if (Kind == ScheduleKind.OnEvent) return list;
        var times = Times.Select(t => TimeOnly.ParseExact(t, "HH:mm", CultureInfo.InvariantCulture)).Order().ToList();
        var weekdays = Weekdays.Select(d => (DayOfWeek)Array.IndexOf(_days, d)).ToHashSet();
        for (var d = first; d <= last; d = d.AddDays(1))
        {
            if (Kind == ScheduleKind.Weekly && !weekdays.Contains(d.DayOfWeek)) continue;
            foreach (var t in times) list.Add(d.ToDateTime(t));
        }
        return list;
    }
}

/// <summary>The state of one occurrence of a round.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OccurrenceState>))]
public enum OccurrenceState
{
    /// <summary>Not yet due.</summary>
    Upcoming,
    /// <summary>Due now, inside its window.</summary>
    Due,
    /// <summary>Past its window and not done, the next occurrence not yet come.</summary>
    Overdue,
    /// <summary>Not done before the next occurrence came (or its day ended).</summary>
    Missed,
    /// <summary>Done inside its window.</summary>
    DoneOnTime,
    /// <summary>Done after its window.</summary>
    DoneLate,
}

/// <summary>Judging occurrences against the inspections done.</summary>
public static class Occurrences
{
    /// <summary>
    /// The state of the occurrence due at <paramref name="due"/> (local), with <paramref name="next"/> the following
    /// occurrence (null for the last one: its day's end bounds it), given when it was submitted (if it was) and now.
    /// </summary>
    public static OccurrenceState StateOf(DateTime due, DateTime? next, int windowMinutes, DateTime? submitted, DateTime now)
    {
        var windowEnd = due.AddMinutes(windowMinutes);
        if (submitted is { } s) return s <= windowEnd ? OccurrenceState.DoneOnTime : OccurrenceState.DoneLate;
        if (now < due) return OccurrenceState.Upcoming;
        if (now <= windowEnd) return OccurrenceState.Due;
        var limit = next ?? due.Date.AddDays(1);
        if (limit < windowEnd) limit = windowEnd;
        return now < limit ? OccurrenceState.Overdue : OccurrenceState.Missed;
    }
}
