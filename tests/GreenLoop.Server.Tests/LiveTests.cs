using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using GreenLoop.Pipeline.Monitor.Live;
using GreenLoop.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace GreenLoop.Server.Tests;

/// <summary>The live endpoint <c>GET /api/v1/sites/{site}/live</c> (server-sent events) through WebApplicationFactory.</summary>
public sealed class LiveTests : IAsyncLifetime
{
    private const string SiteJson = """
        {"key":"live","name":"Live test plant","timeZone":"Asia/Shanghai",
         "meters":[{"key":"live.elec","name":"Incomer","carrier":"electricity","unit":"kWh","kind":"Cumulative"},
                   {"key":"live.gas","name":"Gas","carrier":"natural_gas","unit":"m3","kind":"Cumulative"}]}
        """;

    private const string OtherSiteJson = """
        {"key":"other","name":"Another plant","timeZone":"Asia/Shanghai",
         "meters":[{"key":"other.elec","name":"Incomer","carrier":"electricity","unit":"kWh","kind":"Cumulative"}]}
        """;

    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(15);

    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        foreach (var (key, json) in new[] { ("live", SiteJson), ("other", OtherSiteJson) })
        {
            using var response = await _client.PutAsync($"/api/v1/sites/{key}", new StringContent(json, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    private async Task PostCsvAsync(string csv)
    {
        using var response = await _client.PostAsync("/api/v1/readings", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Live_ReadingsPosted_DerivedEventNamesTheMeterAndItsSpan()
    {
        await using var stream = await SseStream.OpenAsync(_client, "/api/v1/sites/live/live");
        Assert.Equal("text/event-stream", stream.ContentType);

        await PostCsvAsync("meter,ts,value\nlive.elec,2026-03-10T10:00:00+08:00,100\nlive.elec,2026-03-10T10:15:00+08:00,112.5\n");

        var derived = await stream.NextAsync("derived", _timeout);
        Assert.Equal("live", derived.GetProperty("site").GetString());
        Assert.Equal(["live.elec"], derived.GetProperty("meters").EnumerateArray().Select(m => m.GetString()));
        // Two cumulative readings derive their quarters widened to whole local hours: 10:00 to 11:00 Shanghai time.
        Assert.Equal("2026-03-10T10:00:00+08:00", derived.GetProperty("from").GetString());
        Assert.Equal("2026-03-10T11:00:00+08:00", derived.GetProperty("to").GetString());
    }

    [Fact]
    public async Task Live_ReadingsOfAnotherSite_OnlyThisSitesEventsArrive()
    {
        await using var stream = await SseStream.OpenAsync(_client, "/api/v1/sites/live/live");

        await PostCsvAsync("meter,ts,value\nother.elec,2026-03-10T10:00:00+08:00,5\nother.elec,2026-03-10T10:15:00+08:00,6\n");
        await Http.WaitForDerivationAsync(_client, _timeout);
        await PostCsvAsync("meter,ts,value\nlive.gas,2026-03-10T10:00:00+08:00,7\nlive.gas,2026-03-10T10:15:00+08:00,8\n");

        // The other site's pass came first; the first event on this site's stream is still this site's own.
        var derived = await stream.NextAsync("derived", _timeout);
        Assert.Equal("live", derived.GetProperty("site").GetString());
        Assert.Equal(["live.gas"], derived.GetProperty("meters").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task Live_AlarmPublished_AlarmEventWithItsFields()
    {
        await using var stream = await SseStream.OpenAsync(_client, "/api/v1/sites/live/live");
        var live = _factory.Services.GetRequiredService<LiveUpdates>();
        var tenant = _factory.Services.GetRequiredService<Hosting.TenantContext>().TenantId;

        live.PublishAlarm(tenant, "other", "a-1", "active", "major", "Not this site");
        live.PublishAlarm(tenant + 1, "live", "a-2", "active", "major", "Not this tenant");
        live.PublishAlarm(tenant, "live", "a-3", "active", "critical", "Hourly energy above limit", "小时能耗超限");

        Assert.Equal(
            """{"id":"a-3","site":"live","state":"active","severity":"critical","title":"Hourly energy above limit","titleZh":"\u5C0F\u65F6\u80FD\u8017\u8D85\u9650"}""",
            (await stream.NextAsync("alarm", _timeout)).GetRawText());
    }

    [Fact]
    public async Task Live_UnknownSite_NotFound()
    {
        using var response = await _client.GetAsync("/api/v1/sites/nowhere/live");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Live_ClientGoesAway_SubscriptionEnds()
    {
        var live = _factory.Services.GetRequiredService<LiveUpdates>();
        var stream = await SseStream.OpenAsync(_client, "/api/v1/sites/live/live");
        Assert.Equal(1, live.SubscriberCount);

        await stream.DisposeAsync();

        await Wait.UntilAsync(() => live.SubscriberCount == 0, "the subscription to end", _timeout);
        Assert.Equal(0, live.SubscriberCount);
    }

    [Fact]
    public async Task Live_IdleStream_HeartbeatComments()
    {
        await using var factory = new GreenLoopAppFactory();
        using var client = factory.WithWebHostBuilder(b => b.UseSetting("GreenLoop:Live:HeartbeatSeconds", "1")).CreateClient();
        using (var put = await client.PutAsync("/api/v1/sites/live", new StringContent(SiteJson, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        await using var stream = await SseStream.OpenAsync(client, "/api/v1/sites/live/live");

        await stream.NextCommentAsync("heartbeat", _timeout);
        await stream.NextCommentAsync("heartbeat", _timeout);
        Assert.Empty(factory.ErrorLogs.Errors);
    }

    /// <summary>An open event stream, read line by line in the background into events and comments.</summary>
    private sealed class SseStream : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly CancellationTokenSource _stop = new();
        private readonly Channel<(string Kind, string Text)> _items = Channel.CreateUnbounded<(string, string)>();
        private readonly Task _reader;

        private SseStream(HttpResponseMessage response, Stream body)
        {
            _response = response;
            _reader = ReadAsync(body);
        }

        public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

        public static async Task<SseStream> OpenAsync(HttpClient client, string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd("text/event-stream");
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return new SseStream(response, await response.Content.ReadAsStreamAsync());
        }

        private async Task ReadAsync(Stream body)
        {
            using var reader = new StreamReader(body, Encoding.UTF8);
            string? name = null;
            try
            {
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith(':')) await _items.Writer.WriteAsync(("comment", line[1..].Trim()));
                    else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line["event: ".Length..];
                    else if (line.StartsWith("data: ", StringComparison.Ordinal)) await _items.Writer.WriteAsync((name ?? "message", line["data: ".Length..]));
                    else if (line.Length == 0) name = null;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            finally
            {
                _items.Writer.TryComplete();
            }
        }

        /// <summary>The data of the next event named <paramref name="name"/>, skipping others; fails after the timeout.</summary>
        public async Task<JsonElement> NextAsync(string name, TimeSpan timeout) =>
            JsonDocument.Parse(await NextItemAsync(name, timeout)).RootElement.Clone();

        public Task NextCommentAsync(string text, TimeSpan timeout) => NextItemAsync("comment", timeout, text);

        private async Task<string> NextItemAsync(string kind, TimeSpan timeout, string? text = null)
        {
            using var cts = new CancellationTokenSource(timeout);
            var seen = new List<string>();
            try
            {
                while (await _items.Reader.WaitToReadAsync(cts.Token))
                {
                    while (_items.Reader.TryRead(out var item))
                    {
                        if (item.Kind == kind && (text is null || item.Text == text)) return item.Text;
                        seen.Add($"{item.Kind}: {item.Text}");
                    }
                }
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
            }
            Assert.Fail($"no '{kind}' {text} within {timeout}; seen instead: [{string.Join(" | ", seen)}]");
            return "";
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _response.Dispose();
            await _reader;
            _stop.Dispose();
        }
    }
}
