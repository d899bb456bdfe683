using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using GreenLoop.Domain.Model;
using GreenLoop.Storage;

namespace GreenLoop.Cli.Bench;

/// <summary>
/// The real server in a child process (<c>greenloop serve</c>, the same build as this command), on Kestrel at a free port
/// of 127.0.0.1, over a given data directory: the benchmark's clients and pre-generated request bodies live in this
/// process, so the server's own peak working set (<see cref="ServerPeakWorkingSetMb"/>) is the server alone.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly Process _process;

    private BenchServer(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = NewClient();
    }

    public Uri Address { get; }

    /// <summary>A client for set-up, health polling and checks (the load uses its own clients).</summary>
    public HttpClient Client { get; }

    /// <summary>The server process's peak resident set so far (Linux VmHWM), in MB.</summary>
    public double ServerPeakWorkingSetMb
    {
        get
        {
            _process.Refresh();
            return _process.PeakWorkingSet64 / 1048576.0;
        }
    }

    /// <summary>Starts the server; <paramref name="storage"/> are extra settings (e.g. the PostgreSQL store's).</summary>
    public static async Task<BenchServer> StartAsync(string dataDirectory, string synchronous, CancellationToken ct, IReadOnlyList<string>? storage = null, TimeProvider? clock = null)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Run as `dotnet greenloop.dll` when this command was started that way, as the executable otherwise.
        var entry = typeof(BenchServer).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet") start.ArgumentList.Add(entry);
        foreach (var a in (string[])
        [
            "serve",
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
        ])
        {
            start.ArgumentList.Add(a);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server process");
        // Drain its output (the first start prints the administrator's password; warnings go to the log).
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new BenchServer(process, address);
        clock ??= TimeProvider.System;
        var started = clock.GetTimestamp();
        var limit = TimeSpan.FromSeconds(60);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the server process exited with {process.ExitCode}: {string.Join(Environment.NewLine, log.TakeLast(20))}");
            try
            {
                using var response = await server.Client.GetAsync("/health", ct);
                if (response.IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException) when (clock.GetElapsedTime(started) < limit)
            {
            }
            if (clock.GetElapsedTime(started) >= limit) throw new TimeoutException($"the server did not answer /health within 60 s: {string.Join(Environment.NewLine, log.TakeLast(20))}");
            await Task.Delay(TimeSpan.FromMilliseconds(100), clock, ct);
        }
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
        if (!_process.HasExited)
        {
            // SIGTERM: the host stops gracefully (the SQLite store folds its write-ahead log in).
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}
