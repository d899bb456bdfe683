using System.Net;
using System.Text.Json;
using GreenLoop.Server;
using GreenLoop.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// The real GreenLoop server (GreenLoopServer.Build, as <c>greenloop serve</c> runs it) in this process on a real
/// Kestrel port of 127.0.0.1, with its own SQLite file in a temporary folder. Pages, scripts and styles are served from
/// this test's output folder, which the server project's build fills with its wwwroot.
/// </summary>
public sealed class UiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TemporaryFolder _dataDirectory;

    private UiServer(WebApplication app, TemporaryFolder dataDirectory, Uri address, ServerLog log)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        Address = address;
        Log = log;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Add("X-Api-Key", TestCredentials.AdminKey);
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Address { get; }

    public HttpClient Client { get; }

    public ServerLog Log { get; }

    /// <summary>The server's services (to reach a record no API can write, as a test of what the server does with it).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server; <paramref name="settings"/> are extra <c>--Key=Value</c> arguments, <paramref name="clock"/> replaces the system clock.</summary>
    public static async Task<UiServer> StartAsync(IEnumerable<string> settings, TimeProvider? clock = null)
    {
        var dataDirectory = new TemporaryFolder("ui");
        var log = new ServerLog();
        // Port 0: Kestrel picks a free port, so parallel runs never race for one.
        string[] args = ["--urls", "http://127.0.0.1:0", $"--GreenLoop:DataDirectory={dataDirectory.Path}", "--GreenLoop:Notifications:AllowPrivateTargets=true", .. TestCredentials.Arguments, .. settings];
        var app = GreenLoopServer.Build(args, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(log);
            if (clock is not null) builder.Services.AddSingleton(clock);
        });
        await app.StartAsync();
        var address = app.Urls.Single();
        return new UiServer(app, dataDirectory, new Uri(address.TrimEnd('/') + "/"), log);
    }

    /// <summary>Polls <c>GET /health</c> until no derivation is pending.</summary>
    public Task WaitForDerivationAsync(TimeSpan timeout) =>
        Http.WaitForDerivationAsync(Client, timeout, () => $"server errors:\n{string.Join("\n", Log.Errors)}");

    /// <summary>Polls until the server logged <paramref name="eventId"/>; fails after <paramref name="timeout"/>.</summary>
    public Task WaitForLogEventAsync(int eventId, TimeSpan timeout) =>
        Wait.UntilAsync(() => Task.FromResult(Log.Saw(eventId)), () => $"the server to log event {eventId}; errors: {string.Join("\n", Log.Errors)}", timeout, TimeSpan.FromMilliseconds(100));

    /// <summary>GET a JSON document, asserting 200.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path.TrimStart('/'));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await _app.StopAsync(cts.Token);
        }
        await _app.DisposeAsync();
        _dataDirectory.Dispose();
    }
}
