using System.Globalization;

namespace GreenLoop.Notifications;

/// <summary>
/// The one source of the words people read about alarms: severity labels, transition words, headlines and times, in
/// Chinese and English. Every channel, the alarm engine's titles and the web pages' labels use it, and
/// <c>docs/notifications.md</c> states the same table.
/// </summary>
public static class AlarmWording
{
    /// <summary>Severity keys, most severe first.</summary>
    public static readonly IReadOnlyList<string> Severities = ["critical", "major", "minor", "warning", "info"];

    /// <summary>critical 严重/Critical, major 重要/Major, minor 次要/Minor, warning 警告/Warning, info 提示/Info.</summary>
    public static (string Zh, string En) Severity(string severity) => severity.ToUpperInvariant() switch
    {
        "CRITICAL" => ("严重", "Critical"),
        "MAJOR" => ("重要", "Major"),
        "MINOR" => ("次要", "Minor"),
        "WARNING" => ("警告", "Warning"),
        "INFO" => ("提示", "Info"),
        _ => (severity, severity),
    };

    /// <summary>Raised 告警/Alarm, Escalated 告警升级/Escalated, Acknowledged 已确认/Acknowledged, Cleared 已恢复/Cleared, Test 测试/Test.</summary>
    public static (string Zh, string En) Transition(AlarmTransition transition) => transition switch
    {
        AlarmTransition.Raised => ("告警", "Alarm"),
        AlarmTransition.Escalated => ("告警升级", "Escalated"),
        AlarmTransition.Acknowledged => ("已确认", "Acknowledged"),
        AlarmTransition.Cleared => ("已恢复", "Cleared"),
        AlarmTransition.Test => ("测试", "Test"),
        _ => (transition.ToString(), transition.ToString()),
    };

    /// <summary>An alarm's title, the same for every transition (the headline adds severity and transition once): "rule — subject".</summary>
    public static string Title(string ruleName, string subject) => $"{ruleName} — {subject}";

    /// <summary>"【严重】告警：1号窑 NOx 超标 — kiln1.nox"</summary>
    public static string HeadlineZh(string severity, AlarmTransition transition, string titleZh) =>
        $"【{Severity(severity).Zh}】{Transition(transition).Zh}：{titleZh}";

    /// <summary>"[Critical] Alarm: Kiln 1 NOx above permit — kiln1.nox"</summary>
    public static string HeadlineEn(string severity, AlarmTransition transition, string titleEn) =>
        $"[{Severity(severity).En}] {Transition(transition).En}: {titleEn}";

    /// <summary>A site's name as messages show it: "示范工厂 Demo plant", or the one name when there is no Chinese one.</summary>
    public static string SiteName(string name, string? nameZh) => Both(name, nameZh);

    /// <summary>A name in both languages, Chinese first ("单位产品综合能耗 Unit-product energy"), or the one name when there is no other.</summary>
    public static string Both(string name, string? nameZh) =>
        string.IsNullOrWhiteSpace(nameZh) || nameZh == name ? name : $"{nameZh} {name}";

    /// <summary>A time as messages show it, in the offset it carries (the site's): "2026-03-14 08:15:00 +08:00".</summary>
    public static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
}
