namespace GreenLoop.Domain.Alarms;

/// <summary>
/// One alarm: raised by a rule for a subject, then acknowledged, commented, assigned, escalated and cleared.
/// Instants are Unix ms. <see cref="StartedAt"/>, <see cref="RaisedAt"/> and <see cref="EndedAt"/> are data time (when
/// the condition began, held long enough, stopped); the other instants are when people or the server acted.
/// </summary>
public sealed record Alarm
{
    public long Id { get; init; }
    public required long SiteId { get; init; }
    public required string Site { get; init; }
    public required long RuleId { get; init; }
    public required string RuleKey { get; init; }
    public required string RuleName { get; init; }
    public string? RuleNameZh { get; init; }
    /// <summary>Meter, node or site key.</summary>
    public required string Subject { get; init; }
    public required AlarmSeverity Severity { get; init; }
    public AlarmState State { get; init; } = AlarmState.Active;
    public required long StartedAt { get; init; }
    public required long RaisedAt { get; init; }
    /// <summary>When the server recorded it (escalation counts from here).</summary>
    public required long CreatedAt { get; init; }
    public long? EndedAt { get; init; }
    public long? AcknowledgedAt { get; init; }
    public string? AcknowledgedBy { get; init; }
    public long? ClearedAt { get; init; }
    public string? ClearedBy { get; init; }
    public string? Assignee { get; init; }
    public long? EscalatedAt { get; init; }
    /// <summary>The measured value and the limit it was judged against, in <see cref="Unit"/>.</summary>
    public double? Value { get; init; }
    public double? Limit { get; init; }
    public string Unit { get; init; } = "";
    public required string DetailEn { get; init; }
    public required string DetailZh { get; init; }
    /// <summary>Raised from history (back-fill or late data) rather than live: recorded, not notified.</summary>
    public bool Historical { get; init; }

    public bool IsOpen => State is AlarmState.Active or AlarmState.Acknowledged;
}

/// <summary>One entry of an alarm's history: every transition, comment and assignment, with who, when and why.</summary>
/// <summary>One event in an alarm's history; <paramref name="TextZh"/> is the Chinese of a text the system wrote (people's notes have none).</summary>
public sealed record AlarmHistoryEntry(long AlarmId, long At, AlarmEventKind Kind, string By, string? Text, string? TextZh = null);

/// <summary>A transition that the alarm's state does not allow (e.g. acknowledging a closed alarm).</summary>
public sealed class AlarmTransitionException(string message) : Exception(message);

/// <summary>The lifecycle: Active → Acknowledged → Cleared, and Active → ClearedUnack → (acknowledge) → Cleared. Pure.</summary>
public static class AlarmLifecycle
{
    public const string System = "system";

    public static (Alarm Alarm, AlarmHistoryEntry Event) Acknowledge(Alarm alarm, string by, long at, string? comment)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var next = alarm.State switch
        {
            AlarmState.Active => AlarmState.Acknowledged,
            AlarmState.ClearedUnack => AlarmState.Cleared,
            _ => throw new AlarmTransitionException($"alarm {alarm.Id} is {Name(alarm.State)}; only active or cleared-unacknowledged alarms can be acknowledged"),
        };
        return (alarm with { State = next, AcknowledgedAt = at, AcknowledgedBy = by }, new AlarmHistoryEntry(alarm.Id, at, AlarmEventKind.Acknowledged, by, comment));
    }

    /// <summary>Clears an open alarm; <paramref name="endedAt"/> is the data instant the condition stopped (now for a manual clear).</summary>
    public static (Alarm Alarm, AlarmHistoryEntry Event) Clear(Alarm alarm, string by, long at, long endedAt, string? reason, string? reasonZh = null)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var next = alarm.State switch
        {
            AlarmState.Active => AlarmState.ClearedUnack,
            AlarmState.Acknowledged => AlarmState.Cleared,
            _ => throw new AlarmTransitionException($"alarm {alarm.Id} is {Name(alarm.State)} already"),
        };
        return (alarm with { State = next, ClearedAt = at, ClearedBy = by, EndedAt = endedAt }, new AlarmHistoryEntry(alarm.Id, at, AlarmEventKind.Cleared, by, reason, reasonZh));
    }

    public static (Alarm Alarm, AlarmHistoryEntry Event) Comment(Alarm alarm, string by, long at, string text)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        if (string.IsNullOrWhiteSpace(text)) throw new AlarmTransitionException("a comment needs text");
        return (alarm, new AlarmHistoryEntry(alarm.Id, at, AlarmEventKind.Commented, by, text));
    }

    public static (Alarm Alarm, AlarmHistoryEntry Event) Assign(Alarm alarm, string by, long at, string? assignee)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var who = string.IsNullOrWhiteSpace(assignee) ? null : assignee.Trim();
        return (alarm with { Assignee = who }, new AlarmHistoryEntry(alarm.Id, at, AlarmEventKind.Assigned, by, who ?? "(unassigned)", who ?? "（未指派）"));
    }

    /// <summary>Marks an active, unacknowledged alarm as escalated; null when it is not due (acknowledged, cleared, escalated already, or too young).</summary>
    public static (Alarm Alarm, AlarmHistoryEntry Event)? EscalateIfDue(Alarm alarm, AlarmEscalation? escalation, long now)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        if (escalation is null || alarm.State != AlarmState.Active || alarm.EscalatedAt is not null) return null;
        if (now - alarm.CreatedAt < escalation.AfterMinutes * 60_000L) return null;
        return (alarm with { EscalatedAt = now },
            new AlarmHistoryEntry(alarm.Id, now, AlarmEventKind.Escalated, System, $"unacknowledged for {escalation.AfterMinutes} min; told {string.Join(", ", escalation.Recipients)}",
                $"{escalation.AfterMinutes} 分钟未确认；已通知 {string.Join("、", escalation.Recipients)}"));
    }

    public static string Name(AlarmState s) => s switch
    {
        AlarmState.Active => "active",
        AlarmState.Acknowledged => "acknowledged",
        AlarmState.ClearedUnack => "cleared (unacknowledged)",
        _ => "cleared",
    };
}
