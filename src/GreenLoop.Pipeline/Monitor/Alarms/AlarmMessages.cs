using System.Globalization;
using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Time;
using GreenLoop.Notifications;

namespace GreenLoop.Pipeline.Monitor.Alarms;

/// <summary>
/// Builds the channel-neutral <see cref="NotificationMessage"/> of an alarm transition, in both languages, with the
/// words of <see cref="AlarmWording"/> and times in the site's zone.
/// </summary>
public static class AlarmMessages
{
    /// <summary>The site as a message names it: display names and the calendar its times are shown in.</summary>
    public sealed record SiteView(string Key, string Name, string? NameZh, SiteCalendar Calendar);

    public static NotificationMessage Build(Alarm alarm, AlarmTransition transition, string detailEn, string detailZh, SiteView site)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        ArgumentNullException.ThrowIfNull(site);
        return new NotificationMessage
        {
            AlarmId = alarm.Id.ToString(CultureInfo.InvariantCulture),
            Transition = transition,
            Severity = SeverityKey(alarm.Severity),
            Site = AlarmWording.SiteName(site.Name, site.NameZh),
            SiteKey = site.Key,
            RuleName = string.IsNullOrWhiteSpace(alarm.RuleNameZh) || alarm.RuleNameZh == alarm.RuleName ? alarm.RuleName : $"{alarm.RuleNameZh} / {alarm.RuleName}",
            Subject = alarm.Subject,
            TitleEn = TitleEn(alarm),
            TitleZh = TitleZh(alarm),
            DetailEn = detailEn,
            DetailZh = detailZh,
            At = site.Calendar.ToLocalOffset(TransitionAt(alarm, transition)),
        };
    }

    /// <summary>When the transition happened (Unix ms): see <see cref="NotificationMessage.At"/>.</summary>
    public static long TransitionAt(Alarm alarm, AlarmTransition transition)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        return transition switch
        {
            AlarmTransition.Acknowledged => alarm.AcknowledgedAt ?? alarm.CreatedAt,
            AlarmTransition.Escalated => alarm.EscalatedAt ?? alarm.CreatedAt,
            AlarmTransition.Cleared => alarm.ClearedAt ?? alarm.EndedAt ?? alarm.CreatedAt,
            _ => alarm.RaisedAt,
        };
    }

    /// <summary>"Line above 100 kWh in an hour — works.line.elec": no severity or transition word (the headline adds those).</summary>
    public static string TitleEn(Alarm alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        return AlarmWording.Title(alarm.RuleName, alarm.Subject);
    }

    /// <summary>"产线小时用电超过100 kWh — works.line.elec" (the English rule name when the rule has no Chinese one).</summary>
    public static string TitleZh(Alarm alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        return AlarmWording.Title(alarm.RuleNameZh ?? alarm.RuleName, alarm.Subject);
    }

    public static string SeverityKey(AlarmSeverity s) => s.ToString().ToLowerInvariant();

    public static string StateKey(AlarmState s) => s switch
    {
        AlarmState.Active => "active",
        AlarmState.Acknowledged => "acknowledged",
        AlarmState.ClearedUnack => "clearedUnack",
        _ => "cleared",
    };
}
