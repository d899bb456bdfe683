using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace GreenLoop.Server.Tests;

/// <summary>Channels through the HTTP API, delivered to a real HTTP receiver on 127.0.0.1.</summary>
public sealed class NotificationsApiTests : IAsyncLifetime
{
    private readonly GreenLoopAppFactory _factory = new();
    private WebApplication? _receiver;
    private readonly ConcurrentQueue<(string Body, string? Signature)> _received = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _receiver = builder.Build();
        _receiver.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            _received.Enqueue((await reader.ReadToEndAsync(), request.Headers["X-GreenLoop-Signature"].FirstOrDefault()));
            return Results.Ok();
        });
        await _receiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_receiver is not null) await _receiver.DisposeAsync();
        await _factory.DisposeAsync();
    }

    private string HookUrl => _receiver!.Urls.First() + "/hook";

    [Fact]
    public async Task PutChannel_ThenTest_DeliversSignedJsonAndLogsTheDelivery()
    {
        var client = _factory.CreateClient();
        var channel = new { key = "ops", kind = "webhook", name = "Ops webhook", url = HookUrl, secret = "s3cret" };

        var put = await client.PutAsJsonAsync("/api/v1/notification-channels/ops", channel);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/notification-channels");
        var stored = Assert.Single(list.EnumerateArray());
        Assert.Equal("********", stored.GetProperty("secret").GetString());

        var test = await client.PostAsync("/api/v1/notification-channels/ops/test", null);
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        var deliveries = await test.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Delivered", Assert.Single(deliveries.EnumerateArray()).GetProperty("outcome").GetString(), ignoreCase: true);

        Assert.True(_received.TryDequeue(out var got));
        // The generic webhook signs the exact body: sha256=<hex HMAC-SHA256(body, secret)>.
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret"), Encoding.UTF8.GetBytes(got.Body)));
        Assert.Equal(expected, got.Signature);
        Assert.Equal("test", JsonDocument.Parse(got.Body).RootElement.GetProperty("transition").GetString(), ignoreCase: true);

        var log = await client.GetFromJsonAsync<JsonElement>("/api/v1/notification-deliveries");
        var entry = Assert.Single(log.EnumerateArray());
        Assert.True(entry.GetProperty("ok").GetBoolean());
        Assert.Equal("ops", entry.GetProperty("channel").GetString());
    }

    [Theory]
    [InlineData("webhook", "http://127.0.0.1:9/hook", "a loopback address")]
    [InlineData("webhook", "http://localhost:8080/hook", "a loopback name")]
    [InlineData("wecom", "http://169.254.169.254/latest/meta-data", "a link-local address")]
    [InlineData("dingtalk", "https://10.1.2.3/robot/send?access_token=x", "a private address")]
    [InlineData("feishu", "https://192.168.1.20/hook", "a private address")]
    [InlineData("webhook", "http://[::1]:8080/hook", "a loopback address")]
    [InlineData("webhook", "http://[fd00::1]/hook", "a private (unique local) address")]
    public async Task PutChannel_InsideAddress_RefusedUnlessAllowed(string kind, string url, string what)
    {
        // The server as shipped: private targets not allowed.
        await using var strict = _factory.WithWebHostBuilder(b => b.UseSetting("GreenLoop:Notifications:AllowPrivateTargets", "false"));
        var client = strict.CreateClient();

        using var put = await client.PutAsJsonAsync("/api/v1/notification-channels/inside", new { key = "inside", kind, name = "Inside", url });

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var body = await put.Content.ReadAsStringAsync();
        Assert.Contains(what, body, StringComparison.Ordinal);
        Assert.Contains("GreenLoop:Notifications:AllowPrivateTargets", body, StringComparison.Ordinal);
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/v1/notification-channels")).GetArrayLength());
        // A public address is fine.
        using var ok = await client.PutAsJsonAsync("/api/v1/notification-channels/outside", new { key = "outside", kind, name = "Outside", url = "https://203.0.113.10/hook" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task PutChannel_SendingTheMask_KeepsTheStoredSecret()
    {
        var client = _factory.CreateClient();
        await client.PutAsJsonAsync("/api/v1/notification-channels/ops", new { key = "ops", kind = "webhook", name = "Ops", url = HookUrl, secret = "first" });
        await client.PutAsJsonAsync("/api/v1/notification-channels/ops", new { key = "ops", kind = "webhook", name = "Ops renamed", url = HookUrl, secret = "********" });

        await client.PostAsync("/api/v1/notification-channels/ops/test", null);

        Assert.True(_received.TryDequeue(out var got));
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("first"), Encoding.UTF8.GetBytes(got.Body)));
        Assert.Equal(expected, got.Signature);
    }

    [Fact]
    public async Task PutChannel_Invalid_AnswersValidationProblemAndStoresNothing()
    {
        var client = _factory.CreateClient();

        var put = await client.PutAsJsonAsync("/api/v1/notification-channels/bad", new { key = "bad", kind = "webhook", name = "No URL" });

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/notification-channels");
        Assert.Empty(list.EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/v1/notification-channels/bad/test", null)).StatusCode);
    }

    [Fact]
    public async Task PutChannel_KeyDiffersFromUrl_ValidationProblemOnChannel()
    {
        var client = _factory.CreateClient();

        var put = await client.PutAsJsonAsync("/api/v1/notification-channels/ops", new { key = "other", kind = "webhook", name = "Ops", url = HookUrl });

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var problem = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("The channel settings are not valid", problem.GetProperty("title").GetString());
        var errors = problem.GetProperty("errors");
        Assert.Equal(["channel"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Equal(["the channel's key 'other' differs from the URL's 'ops'"], errors.GetProperty("channel").EnumerateArray().Select(e => e.GetString()));
    }
}
