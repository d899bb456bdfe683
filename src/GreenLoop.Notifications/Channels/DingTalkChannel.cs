using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GreenLoop.Notifications.Channels;

/// <summary>
/// DingTalk custom robot (钉钉自定义机器人), as documented in 自定义机器人接入 and 自定义机器人安全设置,
/// https://open.dingtalk.com/document/orgapp/custom-robot-access and
/// https://open.dingtalk.com/document/robots/customize-robot-security-settings :
/// POST <c>{"msgtype":"markdown","markdown":{"title":"...","text":"..."}}</c> to …/robot/send?access_token=…;
/// with a signing secret (加签), append <c>&amp;timestamp=&lt;ms&gt;&amp;sign=&lt;url-encoded Base64(HMAC-SHA256(key: secret,
/// data: timestamp + "\n" + secret))&gt;</c>. The answer <c>{"errcode":0,"errmsg":"ok"}</c> means sent.
/// DingTalk markdown needs a blank line between paragraphs.
/// </summary>
internal sealed class DingTalkChannel(ChannelDefinition definition, HttpClient http, TimeProvider timeProvider) : INotificationChannel
{
    /// <summary>130101: sending too fast (20 messages per minute per robot).</summary>
    private static readonly HashSet<long> _rateLimitCodes = [130101];

    public ChannelDefinition Definition { get; } = definition;

    public async Task<DeliveryResult> SendAsync(NotificationMessage message, CancellationToken ct)
    {
        var payload = new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["title"] = MessageText.HeadlineZh(message), ["text"] = Text(message) },
        };
        var answer = await HttpDelivery.PostAsync(http, SignedUrl(), HttpDelivery.Utf8(payload), null, ct);
        return HttpDelivery.ByPlatformCode(answer, ["errcode"], ["errmsg"], _rateLimitCodes);
    }

    private Uri SignedUrl()
    {
        var url = Definition.Url!;
        if (string.IsNullOrEmpty(Definition.Secret)) return new Uri(url);
        var timestamp = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return new Uri(string.Create(CultureInfo.InvariantCulture,
            $"{url}{separator}timestamp={timestamp}&sign={Uri.EscapeDataString(Sign(timestamp, Definition.Secret))}"));
    }

    /// <summary>Base64 of HMAC-SHA256 over "timestamp\nsecret" keyed with the secret (before URL encoding).</summary>
    internal static string Sign(long timestampMs, string secret)
    {
        var stringToSign = string.Create(CultureInfo.InvariantCulture, $"{timestampMs}\n{secret}");
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign)));
    }

    internal static string Text(NotificationMessage m)
    {
        var sb = new StringBuilder();
        sb.Append("### ").Append(MessageText.HeadlineZh(m)).Append("\n\n");
        sb.Append("**").Append(MessageText.HeadlineEn(m)).Append("**\n\n");
        foreach (var (label, value) in MessageText.Facts(m))
            sb.Append("- ").Append(label).Append(": ").Append(value).Append('\n');
        sb.Append('\n').Append(m.DetailZh).Append("\n\n").Append(m.DetailEn);
        if (m.Link is not null)
            sb.Append("\n\n[").Append(MessageText.ViewAlarm).Append("](").Append(m.Link).Append(')');
        return sb.ToString();
    }
}
