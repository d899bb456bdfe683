using System.Diagnostics;
using GreenLoop.Pipeline.Monitor.Derivation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GreenLoop.Pipeline.Monitor.Alarms;

/// <summary>
/// Runs the alarm engine: evaluates every derived change as soon as it is queued, ticks the clock rules every
/// <see cref="AlarmOptions.TickSeconds"/> and delivers notifications on its own loop, so a slow channel never delays evaluation.
/// </summary>
public sealed partial class AlarmWorker(AlarmService alarms, DerivedChangeFeed feed, IOptions<AlarmOptions> options, ILogger<AlarmWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delivery = DeliverAsync(stoppingToken);
        // A monotonic cadence on purpose (Stopwatch, not the wall clock): what is due is judged on the injected clock.
        var tick = TimeSpan.FromSeconds(options.Value.TickSeconds);
        var lastTick = Stopwatch.GetTimestamp() - (long)(tick.TotalSeconds * Stopwatch.Frequency);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var changes = feed.Drain();
                if (changes.Count > 0) await alarms.EvaluateChangesAsync(changes, stoppingToken);
                if (Stopwatch.GetElapsedTime(lastTick) >= tick)
                {
                    await alarms.TickAsync(stoppingToken);
                    lastTick = Stopwatch.GetTimestamp();
                }
                failures = 0;
                var wait = tick - Stopwatch.GetElapsedTime(lastTick);
                if (wait > TimeSpan.Zero && changes.Count == 0)
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    timeout.CancelAfter(wait);
                    await ((Task)feed.Reader.WaitToReadAsync(timeout.Token).AsTask()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                LogEvaluationFailed(ex, failures);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, failures * 2)), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        await delivery;
    }

    private async Task DeliverAsync(CancellationToken ct)
    {
        try
        {
            while (await alarms.WaitForNotificationsAsync(ct)) await alarms.DeliverQueuedAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Error, Message = "Alarm evaluation failed ({Failures} in a row); retrying")]
    private partial void LogEvaluationFailed(Exception ex, int failures);
}
