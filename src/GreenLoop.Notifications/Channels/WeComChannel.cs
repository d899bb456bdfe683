using System.Text;
using System.Text.Json.Nodes;

namespace GreenLoop.Notifications.Channels;

/// <summary>
/// WeCom group robot (企业微信群机器人). Payload and answer as documented in 群机器人配置说明,
/// https://developer.work.weixin.qq.com/document/path/91770 : POST
/// <c>{"msgtype":"markdown","markdown":{"content":"..."}}</c> to the robot's webhook address (…/cgi-bin/webhook/send?key=…);
/// the answer <c>{"errcode":0,"errmsg":"ok"}</c> means sent. Markdown content is at most 4096 bytes (UTF-8) and supports
/// headings, bold, links, quotes and <c>&lt;font color="info|comment|warning"&gt;</c>.
/// </summary>
internal sealed class WeComChannel(ChannelDefinition definition, HttpClient http) : INotificationChannel
{
    /// <summary>Documented limit of markdown.content.</summary>
    internal const int MaxContentBytes = 4096;

    /// <summary>45009: API call frequency over the limit (20 messages per minute per robot).</summary>
    private static readonly HashSet<long> _rateLimitCodes = [45009];

    private readonly Uri _url = new(definition.Url!);

    public ChannelDefinition Definition { get; } = definition;

    public async Task<DeliveryResult> SendAsync(NotificationMessage message, CancellationToken ct)
    {
        var payload = new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["content"] = Content(message) },
        };
        var answer = await HttpDelivery.PostAsync(http, _url, HttpDelivery.Utf8(payload), null, ct);
        return HttpDelivery.ByPlatformCode(answer, ["errcode"], ["errmsg"], _rateLimitCodes);
    }

    internal static string Content(NotificationMessage m)
    {
        var color = m.Transition == AlarmTransition.Cleared ? "info" : MessageText.SeverityLabel(m.Severity).En switch
        {
            "Critical" or "Major" => "warning",
            "Info" => "info",
            _ => "comment",
        };
        var (sevZh, _) = MessageText.SeverityLabel(m.Severity);
        var (trZh, _) = MessageText.TransitionLabel(m.Transition);
        var sb = new StringBuilder();
        sb.Append("### <font color=\"").Append(color).Append("\">【").Append(sevZh).Append("】</font>")
            .Append(trZh).Append('：').Append(m.TitleZh).Append('\n');
        sb.Append("**").Append(MessageText.HeadlineEn(m)).Append("**\n");
        foreach (var (label, value) in MessageText.Facts(m))
            sb.Append("> ").Append(label).Append(": ").Append(value).Append('\n');
        // A blank line ends the quote block, so the details are not rendered as part of it.
        sb.Append('\n').Append(m.DetailZh).Append('\n').Append(m.DetailEn);
        if (m.Link is not null)
            sb.Append('\n').Append('[').Append(MessageText.ViewAlarm).Append("](").Append(m.Link).Append(')');
        return MessageText.TruncateUtf8(sb.ToString(), MaxContentBytes);
    }
}
