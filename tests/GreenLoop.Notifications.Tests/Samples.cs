namespace GreenLoop.Notifications.Tests;

public static class Samples
{
    /// <summary>2026-03-14 00:15:00 UTC = 1773447300 s = 1773447300000 ms since the Unix epoch.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 14, 0, 15, 0, TimeSpan.Zero);

    public static NotificationMessage Kiln(string severity = "critical", string alarmId = "A-1001", AlarmTransition transition = AlarmTransition.Raised) => new()
    {
        AlarmId = alarmId,
        Transition = transition,
        Severity = severity,
        Site = "示范工厂 Demo plant",
        RuleName = "窑1 NOx 超限 / Kiln 1 NOx limit",
        Subject = "kiln1.nox",
        TitleEn = "Kiln 1 NOx above permit limit",
        TitleZh = "1号窑 NOx 超过许可限值",
        DetailEn = "NOx 15-min mean 412 mg/m³ > limit 400 mg/m³ for 15 min",
        DetailZh = "NOx 15分钟均值 412 mg/m³ > 限值 400 mg/m³，持续 15 分钟",
        At = new DateTimeOffset(2026, 3, 14, 8, 15, 0, TimeSpan.FromHours(8)),
        Link = "http://greenloop.local/alarms/A-1001",
    };

    public static ChannelDefinition Channel(ChannelKind kind, string url, string? secret = null, QuietHours? quiet = null) => new()
    {
        Key = "ch-" + ChannelDefinition.KindName(kind),
        Kind = kind,
        Name = "Test " + ChannelDefinition.KindName(kind),
        Url = url,
        Secret = secret,
        QuietHours = quiet,
    };
}
