using System.Globalization;
using GreenLoop.Domain.Alarms;
using GreenLoop.Notifications;

namespace GreenLoop.Pipeline.Monitor.Alarms;

/// <summary>Builds the channel-neutral <see cref="NotificationMessage"/> of an alarm transition, in both languages.</summary>
public static class AlarmMessages
{
    public static NotificationMessage Build(Alarm alarm, AlarmTransition transition, string detailEn, string detailZh)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        return new NotificationMessage
        {
            AlarmId = alarm.Id.ToString(CultureInfo.InvariantCulture),
            Transition = transition,
            Severity = SeverityKey(alarm.Severity),
            Site = alarm.Site,
            RuleName = alarm.RuleName,
            Subject = alarm.Subject,
            TitleEn = TitleEn(alarm, transition),
            TitleZh = TitleZh(alarm, transition),
            DetailEn = detailEn,
            DetailZh = detailZh,
            At = DateTimeOffset.FromUnixTimeMilliseconds(alarm.ClearedAt is { } c && transition == AlarmTransition.Cleared ? c : alarm.CreatedAt),
        };
    }

    public static string TitleEn(Alarm alarm, AlarmTransition transition)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var what = transition switch
        {
            AlarmTransition.Raised => "raised",
            AlarmTransition.Escalated => "escalated (unacknowledged)",
            AlarmTransition.Acknowledged => "acknowledged",
            AlarmTransition.Cleared => "cleared",
            _ => "test",
        };
        return $"[{SeverityEn(alarm.Severity)}] {alarm.RuleName} — {alarm.Subject} {what}";
    }

    public static string TitleZh(Alarm alarm, AlarmTransition transition)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        var what = transition switch
        {
            AlarmTransition.Raised => "告警",
            AlarmTransition.Escalated => "告警升级（未确认）",
            AlarmTransition.Acknowledged => "已确认",
            AlarmTransition.Cleared => "已恢复",
            _ => "测试",
        };
        return $"【{SeverityZh(alarm.Severity)}】{alarm.RuleNameZh ?? alarm.RuleName} — {alarm.Subject} {what}";
    }

    public static string SeverityKey(AlarmSeverity s) => s.ToString().ToLowerInvariant();

    public static string SeverityEn(AlarmSeverity s) => s switch
    {
        AlarmSeverity.Critical => "Critical",
        AlarmSeverity.Major => "Major",
        AlarmSeverity.Minor => "Minor",
        AlarmSeverity.Warning => "Warning",
        _ => "Info",
    };

    public static string SeverityZh(AlarmSeverity s) => s switch
    {
        AlarmSeverity.Critical => "紧急",
        AlarmSeverity.Major => "重要",
        AlarmSeverity.Minor => "次要",
        AlarmSeverity.Warning => "警告",
        _ => "提示",
    };

    public static string StateKey(AlarmState s) => s switch
    {
        AlarmState.Active => "active",
        AlarmState.Acknowledged => "acknowledged",
        AlarmState.ClearedUnack => "clearedUnack",
        _ => "cleared",
    };
}
