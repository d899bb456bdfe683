using System.Net;
using System.Text;

namespace GreenLoop.Notifications.Channels;

/// <summary>The wording shared by all channels: labels in Chinese and English, Chinese first.</summary>
internal static class MessageText
{
    public const string ViewAlarm = "查看告警 View alarm";

    public static bool IsCritical(string severity) => string.Equals(severity, "critical", StringComparison.OrdinalIgnoreCase);

    public static (string Zh, string En) SeverityLabel(string severity) => AlarmWording.Severity(severity);

    public static (string Zh, string En) TransitionLabel(AlarmTransition transition) => AlarmWording.Transition(transition);

    public static string HeadlineZh(NotificationMessage m) => AlarmWording.HeadlineZh(m.Severity, m.Transition, m.TitleZh);

    public static string HeadlineEn(NotificationMessage m) => AlarmWording.HeadlineEn(m.Severity, m.Transition, m.TitleEn);

    /// <summary>"[严重 Critical] 告警：1号窑 NOx 超标 | Alarm: Kiln 1 NOx above permit"</summary>
    public static string EmailSubject(NotificationMessage m)
    {
        var (sevZh, sevEn) = SeverityLabel(m.Severity);
        var (trZh, trEn) = TransitionLabel(m.Transition);
        return $"[{sevZh} {sevEn}] {trZh}：{m.TitleZh} | {trEn}: {m.TitleEn}";
    }

    public static string Time(DateTimeOffset at) => AlarmWording.Time(at);

    /// <summary>Label/value rows common to every format.</summary>
    public static IReadOnlyList<(string Label, string Value)> Facts(NotificationMessage m) =>
    [
        ("站点 Site", m.Site),
        ("规则 Rule", m.RuleName),
        ("对象 Subject", m.Subject),
        ("时间 Time", Time(m.At)),
        ("告警编号 Alarm", m.AlarmId),
    ];

    public static string PlainText(NotificationMessage m)
    {
        var sb = new StringBuilder();
        sb.Append(HeadlineZh(m)).Append('\n').Append(HeadlineEn(m)).Append("\n\n");
        foreach (var (label, value) in Facts(m))
            sb.Append(label).Append(": ").Append(value).Append('\n');
        sb.Append('\n').Append(m.DetailZh).Append('\n').Append(m.DetailEn).Append('\n');
        if (m.Link is not null)
            sb.Append('\n').Append(ViewAlarm).Append(": ").Append(m.Link).Append('\n');
        return sb.ToString();
    }

    public static string Html(NotificationMessage m)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append("<html><body>\n");
        sb.Append("<h2>").Append(E(HeadlineZh(m))).Append("</h2>\n");
        sb.Append("<p><strong>").Append(E(HeadlineEn(m))).Append("</strong></p>\n");
        sb.Append("<table>\n");
        foreach (var (label, value) in Facts(m))
            sb.Append("<tr><th align=\"left\">").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");
        sb.Append("</table>\n");
        sb.Append("<p>").Append(E(m.DetailZh)).Append("</p>\n");
        sb.Append("<p>").Append(E(m.DetailEn)).Append("</p>\n");
        if (m.Link is not null)
            sb.Append("<p><a href=\"").Append(E(m.Link)).Append("\">").Append(E(ViewAlarm)).Append("</a></p>\n");
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    /// <summary>Cuts a text to at most <paramref name="maxBytes"/> UTF-8 bytes at a character boundary, marking the cut.</summary>
    public static string TruncateUtf8(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes) return text;
        const string Mark = "…";
        var budget = maxBytes - Encoding.UTF8.GetByteCount(Mark);
        var sb = new StringBuilder();
        var used = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > budget) break;
            sb.Append(rune.ToString());
            used += rune.Utf8SequenceLength;
        }
        return sb.Append(Mark).ToString();
    }
}
