using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GreenLoop.Notifications.Channels;

/// <summary>
/// Feishu custom bot (飞书自定义机器人), as documented in 自定义机器人使用指南,
/// https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot , and for cards in
/// https://open.feishu.cn/document/common-capabilities/message-card/getting-started/send-message-cards-with-a-custom-bot :
/// POST <c>{"msg_type":"interactive","card":{"header":{...},"elements":[...]}}</c> to …/open-apis/bot/v2/hook/…;
/// with signature verification (签名校验) the body also carries <c>"timestamp"</c> (seconds, as a string) and
/// <c>"sign"</c> = Base64(HMAC-SHA256 keyed with timestamp + "\n" + secret over an empty message). The answer
/// <c>{"code":0,"msg":"success"}</c> (older bots: <c>"StatusCode":0</c>) means sent; the body may be at most 20 KB.
/// </summary>
internal sealed class FeishuChannel(ChannelDefinition definition, HttpClient http, TimeProvider timeProvider) : INotificationChannel
{
    /// <summary>11232: throttled (100 per minute, 5 per second per bot).</summary>
    private static readonly HashSet<long> _rateLimitCodes = [11232];

    private readonly Uri _url = new(definition.Url!);

    public ChannelDefinition Definition { get; } = definition;

    public async Task<DeliveryResult> SendAsync(NotificationMessage message, CancellationToken ct)
    {
        var payload = new JsonObject();
        if (!string.IsNullOrEmpty(Definition.Secret))
        {
            var timestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds();
            payload["timestamp"] = timestamp.ToString(CultureInfo.InvariantCulture);
            payload["sign"] = Sign(timestamp, Definition.Secret);
        }
        payload["msg_type"] = "interactive";
        payload["card"] = Card(message);
        var answer = await HttpDelivery.PostAsync(http, _url, HttpDelivery.Utf8(payload), null, ct);
        return HttpDelivery.ByPlatformCode(answer, ["code", "StatusCode"], ["msg", "StatusMessage"], _rateLimitCodes);
    }

    /// <summary>Base64 of HMAC-SHA256 with key "timestamp\nsecret" over no data.</summary>
    internal static string Sign(long timestampSeconds, string secret)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"{timestampSeconds}\n{secret}");
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Array.Empty<byte>()));
    }

    internal static JsonObject Card(NotificationMessage m)
    {
        var template = m.Transition == AlarmTransition.Cleared ? "green" : MessageText.SeverityLabel(m.Severity).En switch
        {
            "Critical" => "red",
            "Major" => "orange",
            "Minor" or "Warning" => "yellow",
            _ => "blue",
        };
        var elements = new JsonArray
        {
            new JsonObject
            {
                ["tag"] = "div",
                ["text"] = new JsonObject { ["tag"] = "lark_md", ["content"] = Markdown(m) },
            },
        };
        if (m.Link is not null)
        {
            elements.Add(new JsonObject
            {
                ["tag"] = "action",
                ["actions"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["tag"] = "button",
                        ["text"] = new JsonObject { ["tag"] = "plain_text", ["content"] = MessageText.ViewAlarm },
                        ["type"] = "primary",
                        ["url"] = m.Link,
                    },
                },
            });
        }
        return new JsonObject
        {
            ["header"] = new JsonObject
            {
                ["template"] = template,
                ["title"] = new JsonObject { ["tag"] = "plain_text", ["content"] = MessageText.HeadlineZh(m) },
            },
            ["elements"] = elements,
        };
    }

    internal static string Markdown(NotificationMessage m)
    {
        var sb = new StringBuilder();
        sb.Append("**").Append(MessageText.HeadlineEn(m)).Append("**\n");
        foreach (var (label, value) in MessageText.Facts(m))
            sb.Append("**").Append(label).Append("**: ").Append(value).Append('\n');
        sb.Append(m.DetailZh).Append('\n').Append(m.DetailEn);
        return sb.ToString();
    }
}
