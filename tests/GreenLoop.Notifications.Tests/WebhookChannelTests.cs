using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GreenLoop.Notifications.Channels;
using GreenLoop.Testing;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Notifications.Tests;

public sealed class WebhookChannelTests(HttpReceiver receiver) : IClassFixture<HttpReceiver>
{
    private readonly NotificationChannelFactory _factory = new(new HttpClient(), new FakeTimeProvider(Samples.Now));

    [Fact]
    public async Task SendAsync_WithSecret_PostsCamelCaseMessageSignedWithHmacSha256()
    {
        var path = receiver.Route(Reply.Json("{}"));
        var channel = _factory.Create(Samples.Channel(ChannelKind.Webhook, receiver.Url(path), secret: "whsec-test"));

        var result = await channel.SendAsync(Samples.Kiln(), CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(200, result.StatusCode);
        var request = Assert.Single(receiver.RequestsTo(path));
        Assert.Equal("POST", request.Method);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        var expected = JsonNode.Parse("""
            {
              "alarmId": "A-1001",
              "transition": "raised",
              "severity": "critical",
              "site": "示范工厂 Demo plant",
              "ruleName": "窑1 NOx 超限 / Kiln 1 NOx limit",
              "subject": "kiln1.nox",
              "titleEn": "Kiln 1 NOx above permit limit",
              "titleZh": "1号窑 NOx 超过许可限值",
              "detailEn": "NOx 15-min mean 412 mg/m³ > limit 400 mg/m³ for 15 min",
              "detailZh": "NOx 15分钟均值 412 mg/m³ > 限值 400 mg/m³，持续 15 分钟",
              "at": "2026-03-14T08:15:00+08:00",
              "link": "http://greenloop.local/alarms/A-1001"
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(request.BodyText)), request.BodyText);
        var hmac = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("whsec-test"), request.Body));
        Assert.Equal("sha256=" + hmac, request.Headers["X-GreenLoop-Signature"]);
    }

    [Fact]
    public async Task SendAsync_WithoutSecret_SendsNoSignatureHeader()
    {
        var path = receiver.Route(Reply.Error(204));
        var channel = _factory.Create(Samples.Channel(ChannelKind.Webhook, receiver.Url(path)));

        var result = await channel.SendAsync(Samples.Kiln(), CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(204, result.StatusCode);
        Assert.False(Assert.Single(receiver.RequestsTo(path)).Headers.ContainsKey("X-GreenLoop-Signature"));
    }

    [Fact]
    public void Sign_KnownBody_MatchesHmacSha256Hex()
    {
        // Computed independently: python3 -c "import hmac,hashlib; print(hmac.new(b'whsec', b'{\"a\":1}', hashlib.sha256).hexdigest())"
        Assert.Equal("19373ef0e8c66f206e49d251e4402291615bbce6ef00922e94a47a213fb76ee1",
            WebhookChannel.Sign(Encoding.UTF8.GetBytes("{\"a\":1}"), "whsec"));
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(429, true)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    public async Task SendAsync_ErrorStatus_FailsWithStatusAndRetryability(int status, bool retryable)
    {
        var path = receiver.Route(Reply.Error(status, "nope"));
        var channel = _factory.Create(Samples.Channel(ChannelKind.Webhook, receiver.Url(path)));

        var result = await channel.SendAsync(Samples.Kiln(), CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(retryable, result.Retryable);
        Assert.Equal($"HTTP {status}: nope", result.Error);
    }

    [Fact]
    public async Task SendAsync_NobodyListening_FailsRetryableWithoutStatus()
    {
        var channel = _factory.Create(Samples.Channel(ChannelKind.Webhook, $"http://127.0.0.1:{Ports.Free()}/hook"));

        var result = await channel.SendAsync(Samples.Kiln(), CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Null(result.StatusCode);
        Assert.True(result.Retryable);
        Assert.StartsWith("HTTP request failed: ", result.Error, StringComparison.Ordinal);
    }
}

/// <summary>The send-time check: every address a host name resolves to must be public (unless allowed).</summary>
public sealed class NotificationTargetsTests(HttpReceiver receiver) : IClassFixture<HttpReceiver>
{
    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task Handler_PrivateNotAllowed_RefusesToConnectToALoopbackReceiver(string host)
    {
        var path = receiver.Route(Reply.Json("{}"));
        var url = new UriBuilder(receiver.Url(path)) { Host = host }.Uri;
        using var strict = new HttpClient(new NotificationTargets(allowPrivate: false).CreateHandler());
        using var open = new HttpClient(new NotificationTargets(allowPrivate: true).CreateHandler());

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => strict.PostAsync(url, new StringContent("{}")));
        using var allowed = await open.PostAsync(url, new StringContent("{}"));

        Assert.Contains("is a loopback address", refused.Message, StringComparison.Ordinal);
        Assert.True(allowed.IsSuccessStatusCode);
        Assert.Single(receiver.RequestsTo(path));
    }

    [Theory]
    [InlineData("8.8.8.8", null)]
    [InlineData("203.0.113.10", null)]
    [InlineData("10.0.0.1", "a private address")]
    [InlineData("172.31.255.255", "a private address")]
    [InlineData("172.32.0.1", null)]
    [InlineData("192.168.0.1", "a private address")]
    [InlineData("100.64.0.1", "a shared (carrier-grade NAT) address")]
    [InlineData("169.254.169.254", "a link-local address")]
    [InlineData("127.8.8.8", "a loopback address")]
    [InlineData("0.0.0.0", "an unspecified address")]
    [InlineData("::ffff:127.0.0.1", "a loopback address")]
    [InlineData("fe80::1", "a link-local address")]
    [InlineData("2001:db8::1", null)]
    public void Classify_KnownRanges(string address, string? expected) =>
        Assert.Equal(expected, NotificationTargets.Classify(System.Net.IPAddress.Parse(address)));
}
