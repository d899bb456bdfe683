using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using GreenLoop.Notifications.Channels;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Notifications.Tests;

public sealed class DingTalkChannelTests(HttpReceiver receiver) : IClassFixture<HttpReceiver>
{
    private const string Secret = "SEC0123456789abcdef";
    private readonly NotificationChannelFactory _factory = new(new HttpClient(), new FakeTimeProvider(Samples.Now));

    [Fact]
    public async Task SendAsync_WithSecret_SignsUrlAndPostsMarkdownAsDocumented()
    {
        var path = receiver.Route(Reply.Json("""{"errcode":0,"errmsg":"ok"}"""));
        var channel = _factory.Create(Samples.Channel(ChannelKind.DingTalk, receiver.Url(path, "?access_token=tok123"), Secret));

        var result = await channel.SendAsync(Samples.Kiln(), CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        var request = Assert.Single(receiver.RequestsTo(path));
        // Samples.Now is 1773447300000 ms. Sign computed independently (python3 hmac/base64/urllib.parse.quote_plus):
        // Base64(HMAC-SHA256(key=secret, msg="1773447300000\nSEC0123456789abcdef")), then URL-encoded.
        Assert.Equal("?access_token=tok123&timestamp=1773447300000&sign=%2F83kIe0AfFx2TRZmdxCDvfWA90OkvDAS%2BEu0%2F9DilAI%3D", request.Query);
        var query = HttpUtility.ParseQueryString(request.Query);
        var recomputed = Convert.ToBase64String(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(query["timestamp"] + "\n" + Secret)));
        Assert.Equal(recomputed, query["sign"]);

        var expected = new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject
            {
                ["title"] = "【严重】告警：1号窑 NOx 超过许可限值",
                ["text"] = """
                    ### 【严重】告警：1号窑 NOx 超过许可限值

                    **[Critical] Alarm: Kiln 1 NOx above permit limit**

                    - 站点 Site: 示范工厂 Demo plant
                    - 规则 Rule: 窑1 NOx 超限 / Kiln 1 NOx limit
                    - 对象 Subject: kiln1.nox
                    - 时间 Time: 2026-03-14 08:15:00 +08:00
                    - 告警编号 Alarm: A-1001

                    NOx 15分钟均值 412 mg/m³ > 限值 400 mg/m³，持续 15 分钟

                    NOx 15-min mean 412 mg/m³ > limit 400 mg/m³ for 15 min

                    [查看告警 View alarm](http://greenloop.local/alarms/A-1001)
                    """,
            },
        };
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(request.BodyText)), request.BodyText);
    }

    [Fact]
    public async Task SendAsync_WithoutSecret_LeavesUrlUnsigned()
    {
        var path = receiver.Route(Reply.Json("""{"errcode":0,"errmsg":"ok"}"""));
        var channel = _factory.Create(Samples.Channel(ChannelKind.DingTalk, receiver.Url(path, "?access_token=tok123")));

        var result = await channel.SendAsync(Samples.Kiln(), CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        Assert.Equal("?access_token=tok123", Assert.Single(receiver.RequestsTo(path)).Query);
    }

    [Fact]
    public async Task SendAsync_SignRejected_FailsNotRetryable()
    {
        var path = receiver.Route(Reply.Json("""{"errcode":310000,"errmsg":"sign not match"}"""));
        var channel = _factory.Create(Samples.Channel(ChannelKind.DingTalk, receiver.Url(path, "?access_token=tok123"), Secret));

        var result = await channel.SendAsync(Samples.Kiln(), CancellationToken.None);

        Assert.False(result.Ok);
        Assert.False(result.Retryable);
        Assert.Equal("errcode 310000: sign not match", result.Error);
    }

    [Fact]
    public async Task SendAsync_SendTooFast_FailsRetryable()
    {
        var path = receiver.Route(Reply.Json("""{"errcode":130101,"errmsg":"send too fast"}"""));
        var channel = _factory.Create(Samples.Channel(ChannelKind.DingTalk, receiver.Url(path, "?access_token=tok123"), Secret));

        var result = await channel.SendAsync(Samples.Kiln(), CancellationToken.None);

        Assert.False(result.Ok);
        Assert.True(result.Retryable);
    }

    [Fact]
    public void Sign_KnownTimestampAndSecret_MatchesDocumentedAlgorithm()
    {
        Assert.Equal("/83kIe0AfFx2TRZmdxCDvfWA90OkvDAS+Eu0/9DilAI=", DingTalkChannel.Sign(1773447300000, Secret));
    }
}
