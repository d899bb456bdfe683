using System.ComponentModel.DataAnnotations;
using GreenLoop.Pipeline.Meter.Ingest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GreenLoop.Pipeline.Monitor.Derivation;

/// <summary>Settings of the derivation worker, under <c>GreenLoop</c> (environment variables <c>GreenLoop__*</c>).</summary>
public sealed class DerivationOptions
{
    public const string Section = "GreenLoop";

    /// <summary>Meters derived per derivation transaction. Default 500.</summary>
    [Range(1, 100_000)]
    public int DerivationBatch { get; set; } = 500;

    /// <summary>Pause between derivation passes while work keeps arriving, in ms (bounds reading-to-roll-up latency). Default 100.</summary>
    [Range(0, 5000)]
    public int DerivationCoalesceMilliseconds { get; set; } = 100;
}

/// <summary>
/// Derives what ingest committed: woken by every accepted batch, and every second in any case (a crash leaves its
/// pending work in the store's dirty table, so a restart resumes it).
/// </summary>
public sealed partial class DerivationWorker(DerivationService derivation, DerivationSignal signal, IOptions<DerivationOptions> options, ILogger<DerivationWorker> logger) : BackgroundService
{
    private static readonly TimeSpan BackfillGap = TimeSpan.FromMilliseconds(50);
    private readonly SemaphoreSlim _backfillSignal = new(0, 1);

    /// <summary>
    /// Two lanes: live spans (woken by ingest) and back-fills (woken by the live lane and every second), so a fresh
    /// reading is derived while a year of history is: it waits at most for one back-fill write, not for its derivation.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(RunLaneAsync(DerivationLane.Live, stoppingToken), RunLaneAsync(DerivationLane.Backfill, stoppingToken));

    private async Task RunLaneAsync(DerivationLane lane, CancellationToken stoppingToken)
    {
        var batch = options.Value.DerivationBatch;
        var coalesce = TimeSpan.FromMilliseconds(options.Value.DerivationCoalesceMilliseconds);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                DerivationPass pass;
                while ((pass = await derivation.RunPassAsync(batch, lane, stoppingToken)).Derived > 0)
                {
                    // Under a stream of small batches, a short pause lets each pass take more readings per meter: the
                    // cost of a pass depends on how many meters and hours it touches as well as on its readings. With a
                    // backlog (a pass stopped at its bound) there is no reason to wait.
                    // Real time on purpose: a throughput pause, not business time (a frozen test clock must not stop derivation).
                    if (!pass.Backlog) await Task.Delay(coalesce, stoppingToken);
                    // While live readings flow, a back-fill pass leaves the store's writer free for a moment after
                    // each write, so the alarms a live pass set off are written before the next back-fill write.
                    else if (lane == DerivationLane.Backfill && derivation.LiveActive) await Task.Delay(BackfillGap, stoppingToken);
                }
                failures = 0;
                if (lane == DerivationLane.Live)
                {
                    if (_backfillSignal.CurrentCount == 0) _backfillSignal.Release();
                    await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                }
                else
                {
                    await _backfillSignal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (SemaphoreFullException)
            {
                // The back-fill lane was signalled already.
            }
            catch (Exception ex)
            {
                // Never stop deriving for good: log, back off, try again; the dirty marks are still there.
                failures++;
                LogDerivationFailed(ex, failures);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, failures * 2)), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public override void Dispose()
    {
        _backfillSignal.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Derivation failed ({Failures} in a row); retrying")]
    private partial void LogDerivationFailed(Exception ex, int failures);
}
