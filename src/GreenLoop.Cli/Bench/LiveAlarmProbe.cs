using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;

namespace GreenLoop.Cli.Bench;

/// <summary>
/// Reading-to-alarm latency while the benchmark's load runs: on a second site of the same server, a feeder's 15-minute
/// reading trips a "more than 100 kWh in 15 minutes" rule and the next one clears it, again and again; each trial is
/// timed from the POST being answered (the reading committed) to the alarm's <c>event: alarm</c> with state active on
/// the site's live stream (<c>GET /api/v1/sites/{site}/live</c>). Stopped by cancelling; at most one trial in flight.
/// </summary>
internal sealed class LiveAlarmProbe
{
    private static readonly TimeSpan TrialTimeout = TimeSpan.FromSeconds(10);
    private readonly List<double> _latencies = [];
    private int _timeouts;

    public static async Task<LiveAlarmProbe> SetUpAsync(BenchServer server, CancellationToken ct)
    {
        await AlarmLatencyBenchmark.SetUpAsync(server.Client, ct);
        return new LiveAlarmProbe();
    }

    /// <summary>Runs trials until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(BenchServer server, CancellationToken stop)
    {
        using var http = server.NewClient();
        using var stream = await http.GetAsync($"/api/v1/sites/{AlarmLatencyBenchmark.Site}/live", HttpCompletionOption.ResponseHeadersRead, stop);
        stream.EnsureSuccessStatusCode();
        var states = Channel.CreateUnbounded<(string State, long At)>();
        var reader = Task.Run(() => ReadEventsAsync(stream, states.Writer, stop), stop);
        // Quarters in the past, two per trial (trip, then clear), oldest first: each reading marks one quarter.
        const long Quarter = 900_000;
        var first = (TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() / Quarter - 2 * 2000 - 2) * Quarter;
        try
        {
            for (var t = 0; t < 2000 && !stop.IsCancellationRequested; t++)
            {
                while (states.Reader.TryRead(out _))
                {
                }
                await AlarmLatencyBenchmark.PostAsync(http, first + (2 * t + 1) * Quarter, 500, stop);
                var answered = Stopwatch.GetTimestamp();
                if (await WaitForAsync(states.Reader, s => s == "active", stop) is { } at) _latencies.Add(Stopwatch.GetElapsedTime(answered, at).TotalMilliseconds);
                else
                {
                    _timeouts++;
                    continue;
                }
                await AlarmLatencyBenchmark.PostAsync(http, first + (2 * t + 2) * Quarter, 10, stop);
                if (await WaitForAsync(states.Reader, s => s.StartsWith("cleared", StringComparison.Ordinal), stop) is null) _timeouts++;
                await Task.Delay(200, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        await reader.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static async Task<long?> WaitForAsync(ChannelReader<(string State, long At)> states, Func<string, bool> wanted, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(TrialTimeout);
        try
        {
            while (true)
            {
                var (state, at) = await states.ReadAsync(timeout.Token);
                if (wanted(state)) return at;
            }
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task ReadEventsAsync(HttpResponseMessage response, ChannelWriter<(string, long)> states, CancellationToken stop)
    {
        try
        {
            using var text = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
            string? evt = null;
            while (await text.ReadLineAsync(stop) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal)) evt = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && evt == "alarm")
                {
                    using var doc = JsonDocument.Parse(line[6..]);
                    states.TryWrite((doc.RootElement.GetProperty("state").GetString() ?? "", Stopwatch.GetTimestamp()));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
    }

    /// <summary>One line: trials, p50, p99, max and timeouts, and whether p99 is under 1 s.</summary>
    public string Summary()
    {
        var sorted = _latencies.Order().ToList();
        var ok = sorted.Count > 0 && _timeouts == 0 && AlarmLatencyBenchmark.P(sorted, 0.99) < 1000;
        return string.Create(CultureInfo.InvariantCulture,
            $"live alarm probe during the load: {sorted.Count} trials, reading committed -> alarm on the live stream p50 {AlarmLatencyBenchmark.P(sorted, 0.5):0} ms, p99 {AlarmLatencyBenchmark.P(sorted, 0.99):0} ms, max {sorted.LastOrDefault():0} ms, {_timeouts} timed out (10 s); target p99 < 1000 ms -> {(ok ? "met" : "NOT met")}");
    }
}
