namespace GreenLoop.Storage.Catalog;

/// <summary>An alarm rule of a site (definition JSON: the domain's <c>AlarmRule</c>).</summary>
public sealed class AlarmRuleRecord
{
    public long Id { get; set; }
    public long SiteId { get; set; }
    public SiteRecord? Site { get; set; }
    public required string Key { get; set; }
    public required string Definition { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>An alarm (body JSON: the domain's <c>Alarm</c>), with the columns the list filters on.</summary>
public sealed class AlarmRecord
{
    public long Id { get; set; }
    public long SiteId { get; set; }
    public SiteRecord? Site { get; set; }
    public long RuleId { get; set; }
    public required string Subject { get; set; }
    /// <summary><c>active</c>, <c>acknowledged</c>, <c>clearedUnack</c> or <c>cleared</c>.</summary>
    public required string State { get; set; }
    public required string Severity { get; set; }
    public long StartedAt { get; set; }
    public long? EndedAt { get; set; }
    public required string Body { get; set; }
}

/// <summary>One entry of an alarm's history.</summary>
public sealed class AlarmEventRecord
{
    public long Id { get; set; }
    public long AlarmId { get; set; }
    public AlarmRecord? Alarm { get; set; }
    public long At { get; set; }
    public required string Kind { get; set; }
    public required string By { get; set; }
    public string? Text { get; set; }

    /// <summary>The Chinese of a text the system wrote; null for people's notes.</summary>
    public string? TextZh { get; set; }
}

/// <summary>A rule's evaluation state for one subject (a duration in progress survives a restart).</summary>
public sealed class AlarmTrackRecord
{
    public long RuleId { get; set; }
    public required string Subject { get; set; }
    public long? PendingSince { get; set; }
    public long? Cursor { get; set; }
    public bool Suppressed { get; set; }
}

/// <summary>A notification channel of a tenant (definition JSON, owned by the Notifications project).</summary>
public sealed class ChannelRecord
{
    public long TenantId { get; set; }
    public required string Key { get; set; }
    public required string Definition { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>One delivery attempt of a notification (attempt 0: held for quiet hours).</summary>
public sealed class DeliveryRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public required string AlarmId { get; set; }
    public required string Transition { get; set; }
    public required string Channel { get; set; }
    public int Attempt { get; set; }
    public long At { get; set; }
    public bool Ok { get; set; }
    public int? Status { get; set; }
    public string? Error { get; set; }
    public long? HeldUntil { get; set; }
}
