using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using GreenLoop.Domain.Model;
using GreenLoop.Server;
using GreenLoop.Storage;
using Microsoft.AspNetCore.Builder;

namespace GreenLoop.Cli.Bench;

/// <summary>The real server, in this process, on Kestrel at a free port of 127.0.0.1, over a given data directory.</summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = NewClient();
    }

    public Uri Address { get; }

    /// <summary>A client for set-up, health polling and checks (the load uses its own clients).</summary>
    public HttpClient Client { get; }

    /// <summary>Starts the server; <paramref name="storage"/> are extra settings (e.g. the PostgreSQL store's).</summary>
    public static async Task<BenchServer> StartAsync(string dataDirectory, string synchronous, CancellationToken ct, IReadOnlyList<string>? storage = null)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var app = GreenLoopServer.Build(
        [
            $"--urls={address.GetLeftPart(UriPartial.Authority)}",
            $"--GreenLoop:DataDirectory={dataDirectory}",
            "--GreenLoop:Demo:Enabled=false",
            $"--GreenLoop:Synchronous={synchronous}",
            "--Logging:LogLevel:Default=Warning",
            // The load comes with a provisioned key (ingest needs one) and is not rate limited.
            $"--GreenLoop:Security:BootstrapApiKey={ApiKey}",
            "--GreenLoop:Security:IngestPerSecond=1000000",
            "--GreenLoop:Security:IngestBurst=1000000",
            .. storage ?? [],
        ]);
        await app.StartAsync(ct);
        return new BenchServer(app, address);
    }

    /// <summary>The benchmark's API key (gl_ + 8 + _ + 32 characters a-z, 2-7), good for this throwaway server only.</summary>
    public const string ApiKey = "gl_benchkey_abcdefghijklmnopqrstuvwxyz234567";

    public HttpClient NewClient()
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4 })
        {
            BaseAddress = Address,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    public async Task PutSiteAsync(SiteDefinition site, CancellationToken ct)
    {
        using var response = await Client.PutAsJsonAsync($"/api/v1/sites/{site.Key}", site, CliApp.Json, ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"PUT site answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
    }

    public async Task<long> PendingDerivationAsync(CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(await Client.GetByteArrayAsync("/health", ct));
        return doc.RootElement.GetProperty("pendingDerivation").GetInt64();
    }

    /// <summary>Waits until derivation is idle, polling every 20 ms.</summary>
    public async Task WaitDerivedAsync(CancellationToken ct)
    {
        while (await PendingDerivationAsync(ct) > 0) await Task.Delay(20, ct);
    }

    /// <summary>Site-level totals per carrier (import) from the daily energy report over local dates [from, to).</summary>
    public async Task<IReadOnlyDictionary<string, double>> SiteTotalsAsync(string site, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var url = string.Create(CultureInfo.InvariantCulture, $"/api/v1/sites/{site}/energy?grain=day&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        using var doc = JsonDocument.Parse(await Client.GetByteArrayAsync(url, ct));
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var row in doc.RootElement.GetProperty("rows").EnumerateArray())
        {
            if (row.GetProperty("node").GetString() != SiteNode.RootKey || row.GetProperty("direction").GetString() != "Import") continue;
            var carrier = row.GetProperty("carrier").GetString()!;
            if (row.GetProperty("value").ValueKind == JsonValueKind.Number)
                totals[carrier] = totals.GetValueOrDefault(carrier) + row.GetProperty("value").GetDouble();
        }
        return totals;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
