namespace GreenLoop.Domain.Alarms;

/// <summary>
/// An alarm rule of a site: what it watches, the condition that raises it, how bad it is, who hears about it.
/// The JSON of <c>PUT /api/v1/sites/{site}/alarm-rules/{key}</c>.
/// </summary>
public sealed record AlarmRule
{
    /// <summary>Key unique within the site, used in URLs.</summary>
    public required string Key { get; init; }
    public required string Name { get; init; }
    public string? NameZh { get; init; }
    public required AlarmSubject Subject { get; init; }
    public required AlarmCondition Condition { get; init; }
    public AlarmSeverity Severity { get; init; } = AlarmSeverity.Major;

    /// <summary>
    /// Hysteresis: an upper limit clears only below <c>limit × ClearRatio</c> (a lower limit above
    /// <c>limit + (1 − ClearRatio) × |limit|</c>), so a value hovering at the limit does not raise and clear in turn.
    /// Default 0.9; 1 means no band.
    /// </summary>
    public double ClearRatio { get; init; } = 0.9;

    /// <summary>Minutes the condition must hold, counted from the start of the first breaching period, before an alarm is raised. Default 0.</summary>
    public int ForMinutes { get; init; }

    /// <summary>Notification channel keys told when the alarm is raised and cleared.</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>Further channels told when the alarm stays unacknowledged; null for none.</summary>
    public AlarmEscalation? Escalation { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>Open a work order for every alarm this rule raises (one per alarm; see docs/field-work.md).</summary>
    public bool OpenWorkOrder { get; init; }
}

/// <summary>Who else hears about an alarm nobody acknowledged within <see cref="AfterMinutes"/>.</summary>
public sealed record AlarmEscalation
{
    public required int AfterMinutes { get; init; }
    public required IReadOnlyList<string> Recipients { get; init; }
}

/// <summary>What a rule watches: a meter, a node or site total of one carrier, or each meter of a site.</summary>
public sealed record AlarmSubject
{
    public required AlarmSubjectKind Kind { get; init; }
    /// <summary>Meter key (<see cref="AlarmSubjectKind.Meter"/>) or node key (<see cref="AlarmSubjectKind.Node"/>).</summary>
    public string? Key { get; init; }
    /// <summary>The carrier of a node or site total; optional filter for <see cref="AlarmSubjectKind.EachMeter"/>.</summary>
    public string? Carrier { get; init; }

    public static AlarmSubject Meter(string key) => new() { Kind = AlarmSubjectKind.Meter, Key = key };
    public static AlarmSubject Node(string key, string carrier) => new() { Kind = AlarmSubjectKind.Node, Key = key, Carrier = carrier };
    public static AlarmSubject Site(string carrier) => new() { Kind = AlarmSubjectKind.Site, Carrier = carrier };
    public static AlarmSubject EachMeter(string? carrier = null) => new() { Kind = AlarmSubjectKind.EachMeter, Carrier = carrier };
}
