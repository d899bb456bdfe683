using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GreenLoop.Notifications.Channels;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Notifications.Tests;

public sealed class FeishuChannelTests(HttpReceiver receiver) : IClassFixture<HttpReceiver>
{
    private const string Secret = "feishu-secret-42";
    private readonly NotificationChannelFactory _factory = new(new HttpClient(), new FakeTimeProvider(Samples.Now));

    [Fact]
    public async Task SendAsync_WithSecret_PostsSignedInteractiveCardAsDocumented()
    {
        var path = receiver.Route(Reply.Json("""{"code":0,"msg":"success","data":{}}"""));
        var channel = _factory.Create(Samples.Channel(ChannelKind.Feishu, receiver.Url(path), Secret));

        var result = await channel.SendAsync(Samples.Kiln(), CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        var request = Assert.Single(receiver.RequestsTo(path));
        var body = JsonNode.Parse(request.BodyText)!;
        // Samples.Now is 1773447300 s. Sign computed independently (python3 hmac/base64):
        // Base64(HMAC-SHA256(key="1773447300\nfeishu-secret-42", msg=b"")).
        Assert.Equal("1773447300", body["timestamp"]!.GetValue<string>());
        Assert.Equal("zQHZEiV44BdS85X5DI0vz9SqlsaXRqiJyyDLcY1lpnA=", body["sign"]!.GetValue<string>());
        var timestamp = long.Parse(body["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var recomputed = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes($"{timestamp}\n{Secret}"), Array.Empty<byte>()));
        Assert.Equal(recomputed, body["sign"]!.GetValue<string>());

        var expected = JsonNode.Parse("""
            {
              "timestamp": "1773447300",
              "sign": "zQHZEiV44BdS85X5DI0vz9SqlsaXRqiJyyDLcY1lpnA=",
              "msg_type": "interactive",
              "card": {
                "header": {
                  "template": "red",
                  "title": { "tag": "plain_text", "content": "【严重】告警：1号窑 NOx 超过许可限值" }
                },
                "elements": [
                  {
                    "tag": "div",
                    "text": {
                      "tag": "lark_md",
                      "content": "**[Critical] Alarm: Kiln 1 NOx above permit limit**\n**站点 Site**: 示范工厂 Demo plant\n**规则 Rule**: 窑1 NOx 超限 / Kiln 1 NOx limit\n**对象 Subject**: kiln1.nox\n**时间 Time**: 2026-03-14 08:15:00 +08:00\n**告警编号 Alarm**: A-1001\nNOx 15分钟均值 412 mg/m³ > 限值 400 mg/m³，持续 15 分钟\nNOx 15-min mean 412 mg/m³ > limit 400 mg/m³ for 15 min"
                    }
                  },
                  {
                    "tag": "action",
                    "actions": [
                      {
                        "tag": "button",
                        "text": { "tag": "plain_text", "content": "查看告警 View alarm" },
                        "type": "primary",
                        "url": "http://greenloop.local/alarms/A-1001"
                      }
                    ]
                  }
                ]
              }
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, body), request.BodyText);
    }

    [Fact]
    public async Task SendAsync_WithoutSecretOrLink_SendsCardOnly()
    {
        var path = receiver.Route(Reply.Json("""{"StatusCode":0,"StatusMessage":"success"}"""));
        var channel = _factory.Create(Samples.Channel(ChannelKind.Feishu, receiver.Url(path)));

        var result = await channel.SendAsync(Samples.Kiln("major") with { Link = null }, CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        var body = JsonNode.Parse(Assert.Single(receiver.RequestsTo(path)).BodyText)!.AsObject();
        Assert.Equal(["msg_type", "card"], body.Select(p => p.Key));
        Assert.Equal("orange", body["card"]!["header"]!["template"]!.GetValue<string>());
        Assert.Single(body["card"]!["elements"]!.AsArray());
    }

    [Fact]
    public async Task SendAsync_SignatureRejected_FailsWithPlatformCode()
    {
        var path = receiver.Route(Reply.Json("""{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time","data":{}}"""));
        var channel = _factory.Create(Samples.Channel(ChannelKind.Feishu, receiver.Url(path), Secret));

        var result = await channel.SendAsync(Samples.Kiln(), CancellationToken.None);

        Assert.False(result.Ok);
        Assert.False(result.Retryable);
        Assert.Equal("code 19021: sign match fail or timestamp is not within one hour from current time", result.Error);
    }

    [Fact]
    public async Task SendAsync_BadRequestStatusWithCode_ReportsStatusAndCode()
    {
        var path = receiver.Route(Reply.Error(400, """{"code":9499,"msg":"Bad Request","data":{}}"""));
        var channel = _factory.Create(Samples.Channel(ChannelKind.Feishu, receiver.Url(path)));

        var result = await channel.SendAsync(Samples.Kiln(), CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("HTTP 400, code 9499: Bad Request", result.Error);
    }

    [Fact]
    public void Sign_KnownTimestampAndSecret_MatchesDocumentedAlgorithm()
    {
        Assert.Equal("zQHZEiV44BdS85X5DI0vz9SqlsaXRqiJyyDLcY1lpnA=", FeishuChannel.Sign(1773447300, Secret));
    }
}
