namespace GreenLoop.Notifications;

/// <summary>What happened to an alarm, as a notification tells it.</summary>
public enum AlarmTransition
{
    Raised,
    Escalated,
    Acknowledged,
    Cleared,
    /// <summary>A "send test" from the channel settings.</summary>
    Test,
}

/// <summary>
/// One message to people about an alarm: channel-neutral. Each channel formats it the way its platform documents
/// (WeCom/DingTalk/Feishu robot JSON, generic webhook JSON, e-mail). Texts come in both languages; channels to
/// Chinese platforms lead with Chinese.
/// </summary>
public sealed record NotificationMessage
{
    public required string AlarmId { get; init; }
    public required AlarmTransition Transition { get; init; }
    /// <summary>critical, major, minor, warning, info.</summary>
    public required string Severity { get; init; }
    /// <summary>The site's display name ("示范工厂 Demo plant", see <see cref="AlarmWording.SiteName"/>).</summary>
    public required string Site { get; init; }
    /// <summary>The site's key as used in URLs and the API (<c>demo</c>); null for a channel test.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? SiteKey { get; init; }
    public required string RuleName { get; init; }
    /// <summary>Meter, node or site key the alarm is about.</summary>
    public required string Subject { get; init; }
    public required string TitleEn { get; init; }
    public required string TitleZh { get; init; }
    /// <summary>What was measured against what (value with unit, limit with unit, period), English.</summary>
    public required string DetailEn { get; init; }
    public required string DetailZh { get; init; }
    /// <summary>
    /// The instant of the transition this message reports, in the site's local offset (raised: when the condition had
    /// held for the rule's duration; acknowledged, escalated, cleared: when that happened).
    /// </summary>
    public required DateTimeOffset At { get; init; }
    /// <summary>Link to the alarm in the web UI, if the server knows its public address.</summary>
    public string? Link { get; init; }
}
