using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Model;
using GreenLoop.Notifications;
using GreenLoop.Pipeline.Monitor.Alarms;
using GreenLoop.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GreenLoop.Cli.Bench;

/// <summary>
/// <c>greenloop bench alarms</c>: reading-to-alarm latency through the whole path. The real server runs in this process
/// on Kestrel at 127.0.0.1; each trial POSTs one 15-minute reading that trips a "more than 100 kWh in 15 minutes"
/// rule, and times from the POST being answered (the reading is committed: ingest acknowledges only after commit) to
/// the alarm engine committing the raised alarm (observed in-process through <see cref="AlarmService.Changed"/>). The
/// next quarter's low reading clears it, so every trial raises a new alarm.
/// </summary>
internal static class AlarmLatencyBenchmark
{
    public const string Usage = """
        greenloop bench alarms [--trials N] [--sync FULL|NORMAL] [--keep]

          --trials N         raise/clear cycles measured (default 200, 10..2000); each waits at most 10 s
          --sync FULL|NORMAL SQLite synchronous mode (default FULL)
          --keep             keep the database (its folder is printed)
        """;

    internal const string Meter = "bench.alarm.elec";
    internal const string Site = "bench-alarms";
    private const double TargetMs = 1000;
    private static readonly TimeSpan TrialTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(List<string> args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var trials = 200;
        var sync = "FULL";
        var keep = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--trials" when i + 1 < args.Count && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n is >= 10 and <= 2000:
                    trials = n;
                    i++;
                    break;
                case "--sync" when i + 1 < args.Count && args[i + 1].ToUpperInvariant() is "FULL" or "NORMAL":
                    sync = args[++i].ToUpperInvariant();
                    break;
                case "--keep":
                    keep = true;
                    break;
                case "-h" or "--help":
                    await output.WriteLineAsync(Usage);
                    return 0;
                default:
                    await error.WriteLineAsync($"error: unknown or invalid option '{args[i]}'\n\n{Usage}");
                    return 1;
            }
        }

        var folder = Path.Combine(Path.GetTempPath(), "greenloop-bench-alarms-" + Guid.NewGuid().ToString("N")[..8]);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"greenloop bench alarms — {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {trials} trials, synchronous={sync}, data in {folder}"));
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var app = GreenLoopServer.Build(
        [
            $"--urls={address.GetLeftPart(UriPartial.Authority)}",
            $"--GreenLoop:DataDirectory={folder}",
            "--GreenLoop:Demo:Enabled=false",
            $"--GreenLoop:Synchronous={sync}",
            "--Logging:LogLevel:Default=Warning",
            // Set-up and readings come with a provisioned key (the API needs one since sign-in exists).
            $"--GreenLoop:Security:BootstrapApiKey={BenchServer.ApiKey}",
            "--GreenLoop:Security:IngestPerSecond=1000000",
            "--GreenLoop:Security:IngestBurst=1000000",
        ]);
        try
        {
            await app.StartAsync(ct);
            var alarms = app.Services.GetRequiredService<AlarmService>();
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", BenchServer.ApiKey);
            await SetUpAsync(http, ct);

            TaskCompletionSource<long>? raised = null;
            TaskCompletionSource? cleared = null;
            alarms.Changed += (alarm, transition) =>
            {
                var at = Stopwatch.GetTimestamp();
                if (transition == AlarmTransition.Raised) raised?.TrySetResult(at);
                else if (transition == AlarmTransition.Cleared) cleared?.TrySetResult();
            };

            // Quarters in the past, two per trial (trip, then clear), oldest first.
            var quarter = 900_000L;
            var first = ((TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() / quarter) - (2 * trials) - 2) * quarter;
            var fromAnswer = new List<double>(trials);
            var fromSend = new List<double>(trials);
            var timeouts = 0;
            for (var t = 0; t < trials; t++)
            {
                raised = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                var sent = Stopwatch.GetTimestamp();
                await PostAsync(http, first + ((2 * t) + 1) * quarter, 500, ct);
                var answered = Stopwatch.GetTimestamp();
                var done = await Task.WhenAny(raised.Task, Task.Delay(TrialTimeout, ct));
                if (done != raised.Task) { timeouts++; continue; }
                var at = await raised.Task;
                fromAnswer.Add(Math.Max(0, Stopwatch.GetElapsedTime(answered, at).TotalMilliseconds));
                fromSend.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);

                cleared = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await PostAsync(http, first + ((2 * t) + 2) * quarter, 10, ct);
                if (await Task.WhenAny(cleared.Task, Task.Delay(TrialTimeout, ct)) != cleared.Task) timeouts++;
            }

            fromAnswer.Sort();
            fromSend.Sort();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"   reading committed (POST answered) -> alarm raised: p50 {P(fromAnswer, 0.5):0.0} ms, p99 {P(fromAnswer, 0.99):0.0} ms, max {fromAnswer.LastOrDefault():0.0} ms over {fromAnswer.Count} trials"));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"   POST sent -> alarm raised:                      p50 {P(fromSend, 0.5):0.0} ms, p99 {P(fromSend, 0.99):0.0} ms"));
            var ok = timeouts == 0 && fromAnswer.Count > 0 && P(fromAnswer, 0.99) < TargetMs;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"   target p99 < {TargetMs:0} ms: {(ok ? "met" : "NOT met")}{(timeouts > 0 ? $" ({timeouts} waits timed out after {TrialTimeout.TotalSeconds:0} s)" : "")}"));
            return ok ? 0 : 3;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (keep) await output.WriteLineAsync($"kept {folder}");
            else
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (IOException ex) { await error.WriteLineAsync($"warning: could not delete {folder}: {ex.Message}"); }
            }
        }
    }

    /// <summary>The bench site and its "more than 100 kWh in 15 minutes" rule on the meter <see cref="Meter"/>.</summary>
    internal static async Task SetUpAsync(HttpClient http, CancellationToken ct)
    {
        var site = new SiteDefinition
        {
            Key = Site,
            Name = "Alarm latency bench",
            TimeZone = "Asia/Shanghai",
            Meters = [new MeterDefinition { Key = Meter, Name = "Feeder", Carrier = "electricity", Unit = "kWh", Kind = MeterKind.Interval, IntervalMinutes = 15 }],
        };
        var rule = new AlarmRule
        {
            Key = "quarter-limit",
            Name = "Above 100 kWh in 15 minutes",
            Subject = AlarmSubject.Meter(Meter),
            Condition = new ConsumptionAbove { Per = AlarmGrain.Minutes15, Limit = 100 },
        };
        await PutAsync(http, $"/api/v1/sites/{site.Key}", System.Text.Json.JsonSerializer.Serialize(site, CliApp.Json), ct);
        await PutAsync(http, $"/api/v1/sites/{site.Key}/alarm-rules/{rule.Key}", System.Text.Json.JsonSerializer.Serialize(rule, CliApp.Json), ct);
    }

    private static async Task PutAsync(HttpClient http, string url, string json, CancellationToken ct)
    {
        using var response = await http.PutAsync(url, new StringContent(json, Encoding.UTF8, "application/json"), ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"PUT {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
    }

    /// <summary>Posts one 15-minute reading of <see cref="Meter"/> ending at <paramref name="quarterEnd"/>.</summary>
    internal static async Task PostAsync(HttpClient http, long quarterEnd, double kWh, CancellationToken ct)
    {
        var ts = DateTimeOffset.FromUnixTimeMilliseconds(quarterEnd).ToString("O", CultureInfo.InvariantCulture);
        var body = string.Create(CultureInfo.InvariantCulture, $$"""{"readings":[{"meter":"{{Meter}}","ts":"{{ts}}","value":{{kWh}}}]}""");
        using var response = await http.PostAsync("/api/v1/readings", new StringContent(body, Encoding.UTF8, "application/json"), ct);
        response.EnsureSuccessStatusCode();
    }

    internal static double P(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
