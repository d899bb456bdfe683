using System.Text;
using System.Text.Json.Nodes;
using GreenLoop.Notifications.Channels;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Notifications.Tests;

public sealed class WeComChannelTests(HttpReceiver receiver) : IClassFixture<HttpReceiver>
{
    private readonly NotificationChannelFactory _factory = new(new HttpClient(), new FakeTimeProvider(Samples.Now));

    [Fact]
    public async Task SendAsync_Errcode0_PostsMarkdownMessageAsDocumented()
    {
        var path = receiver.Route(Reply.Json("""{"errcode":0,"errmsg":"ok"}"""));
        var channel = _factory.Create(Samples.Channel(ChannelKind.WeCom, receiver.Url(path, "?key=693a91f6-test")));

        var result = await channel.SendAsync(Samples.Kiln(), CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        var request = Assert.Single(receiver.RequestsTo(path));
        Assert.Equal("?key=693a91f6-test", request.Query);
        var expected = new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject
            {
                ["content"] = """
                    ### <font color="warning">【严重】</font>告警：1号窑 NOx 超过许可限值
                    **[Critical] Alarm: Kiln 1 NOx above permit limit**
                    > 站点 Site: 示范工厂 Demo plant
                    > 规则 Rule: 窑1 NOx 超限 / Kiln 1 NOx limit
                    > 对象 Subject: kiln1.nox
                    > 时间 Time: 2026-03-14 08:15:00 +08:00
                    > 告警编号 Alarm: A-1001

                    NOx 15分钟均值 412 mg/m³ > 限值 400 mg/m³，持续 15 分钟
                    NOx 15-min mean 412 mg/m³ > limit 400 mg/m³ for 15 min
                    [查看告警 View alarm](http://greenloop.local/alarms/A-1001)
                    """,
            },
        };
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(request.BodyText)), request.BodyText);
    }

    [Fact]
    public async Task SendAsync_ClearedInfo_UsesGreenFontAndClearedWording()
    {
        var path = receiver.Route(Reply.Json("""{"errcode":0,"errmsg":"ok"}"""));
        var channel = _factory.Create(Samples.Channel(ChannelKind.WeCom, receiver.Url(path)));

        await channel.SendAsync(Samples.Kiln("minor", transition: AlarmTransition.Cleared), CancellationToken.None);

        var content = JsonNode.Parse(Assert.Single(receiver.RequestsTo(path)).BodyText)!["markdown"]!["content"]!.GetValue<string>();
        Assert.StartsWith("### <font color=\"info\">【次要】</font>已恢复：1号窑 NOx 超过许可限值\n**[Minor] Cleared: Kiln 1 NOx above permit limit**\n", content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ErrcodeNonZero_FailsNotRetryableWithPlatformError()
    {
        var path = receiver.Route(Reply.Json("""{"errcode":93000,"errmsg":"invalid webhook url"}"""));
        var channel = _factory.Create(Samples.Channel(ChannelKind.WeCom, receiver.Url(path)));

        var result = await channel.SendAsync(Samples.Kiln(), CancellationToken.None);

        Assert.False(result.Ok);
        Assert.False(result.Retryable);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal("errcode 93000: invalid webhook url", result.Error);
    }

    [Fact]
    public async Task SendAsync_RateLimited45009_FailsRetryable()
    {
        var path = receiver.Route(Reply.Json("""{"errcode":45009,"errmsg":"api freq out of limit"}"""));
        var channel = _factory.Create(Samples.Channel(ChannelKind.WeCom, receiver.Url(path)));

        var result = await channel.SendAsync(Samples.Kiln(), CancellationToken.None);

        Assert.False(result.Ok);
        Assert.True(result.Retryable);
    }

    [Fact]
    public async Task SendAsync_AnswerWithoutErrcode_Fails()
    {
        var path = receiver.Route(Reply.Json("<html>proxy login</html>"));
        var channel = _factory.Create(Samples.Channel(ChannelKind.WeCom, receiver.Url(path)));

        var result = await channel.SendAsync(Samples.Kiln(), CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Equal("unexpected answer (no errcode): <html>proxy login</html>", result.Error);
    }

    [Fact]
    public void Content_LongDetail_CutTo4096Utf8Bytes()
    {
        var message = Samples.Kiln() with { DetailZh = new string('氮', 3000) };

        var content = WeComChannel.Content(message);

        Assert.InRange(Encoding.UTF8.GetByteCount(content), 4000, 4096);
        Assert.EndsWith("氮…", content, StringComparison.Ordinal);
    }
}
