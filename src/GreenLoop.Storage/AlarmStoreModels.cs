using GreenLoop.Domain.Alarms;

namespace GreenLoop.Storage;

/// <summary>An alarm rule as stored: its site and when it last changed.</summary>
public sealed record StoredAlarmRule(long Id, long TenantId, long SiteId, string SiteKey, AlarmRule Rule, long UpdatedAt);

/// <summary>
/// Filters of the alarm list. <see cref="From"/>/<see cref="To"/> select alarms whose span [started, ended or open)
/// overlaps the range (Unix ms). Null means any.
/// </summary>
public sealed record AlarmFilter
{
    public IReadOnlyList<AlarmState>? States { get; init; }
    public IReadOnlyList<AlarmSeverity>? Severities { get; init; }
    public long? SiteId { get; init; }
    public long? RuleId { get; init; }
    public string? Subject { get; init; }
    public long? From { get; init; }
    public long? To { get; init; }
    public int Limit { get; init; } = 500;
}

/// <summary>One alarm written with the history entries of what just happened to it; <c>Alarm.Id == 0</c> inserts.</summary>
public sealed record AlarmChange(Alarm Alarm, IReadOnlyList<AlarmHistoryEntry> Events);

/// <summary>What one evaluation or one action changed, written in one transaction.</summary>
public sealed record AlarmWork(IReadOnlyList<AlarmTrack> Tracks, IReadOnlyList<AlarmChange> Changes);
