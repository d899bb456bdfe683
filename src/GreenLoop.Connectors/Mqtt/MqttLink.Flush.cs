using GreenLoop.Pipeline.Meter.Ingest;
using MQTTnet;

namespace GreenLoop.Connectors.Mqtt;

/// <summary>A received QoS 1 message waiting for its acknowledgement, with the number of the connection that delivered it.</summary>
internal readonly record struct PendingAck(MqttApplicationMessageReceivedEventArgs Args, int Generation);

/// <summary>Readings, unreadable rows and acknowledgements of the messages received since the last write.</summary>
internal sealed class PendingBatch
{
    public List<ReadingInput> Readings { get; } = [];
    public List<RejectedRow> Rejected { get; } = [];
    public List<PendingAck> Acks { get; } = [];
    public int Messages { get; set; }

    /// <summary>When the first message arrived (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long FirstAt { get; set; }

    public bool IsEmpty => Messages == 0;

    public void Clear()
    {
        Readings.Clear();
        Rejected.Clear();
        Acks.Clear();
        Messages = 0;
    }
}

internal sealed partial class MqttLink
{
    private readonly Lock _batchGate = new();
    private readonly AsyncSignal _hasData = new();
    private readonly AsyncSignal _flushNow = new();
    private readonly AsyncSignal _room = new();
    private readonly int _ackTrigger;
    private readonly int _hardCap;
    private PendingBatch _current = new();
    private PendingBatch _spare = new();

    /// <summary>
    /// Writes the pending batch when it holds <see cref="MqttSettings.FlushReadings"/> readings, or half the in-flight
    /// window of unacknowledged messages (so the broker never waits on us), or its first message is
    /// <see cref="MqttSettings.FlushMilliseconds"/> old; then acknowledges its messages. While one batch is written the
    /// next one fills. Ends when stopping and nothing is left.
    /// </summary>
    private async Task FlushLoopAsync(CancellationToken hardStop)
    {
        var interval = TimeSpan.FromMilliseconds(_settings.FlushMilliseconds);
        while (true)
        {
            await _hasData.WaitAsync(hardStop);
            bool empty;
            long firstAt;
            lock (_batchGate) (empty, firstAt) = (_current.IsEmpty, _current.FirstAt);
            if (!empty && !_stopping)
            {
                var wait = interval - _clock.GetElapsedTime(firstAt);
                if (wait > TimeSpan.Zero) await _flushNow.WaitAsync(wait, _clock, hardStop);
            }
            PendingBatch batch;
            lock (_batchGate) (batch, _current) = (_current, _spare);
            _flushNow.Reset();
            _room.Notify();
            if (!batch.IsEmpty) await WriteAsync(batch, hardStop);
            batch.Clear();
            bool more;
            lock (_batchGate)
            {
                _spare = batch;
                more = !_current.IsEmpty;
            }
            if (more) _hasData.Notify();
            else if (_stopping) return;
        }
    }

    /// <summary>Stores the batch (retrying with backoff while the store fails), then acknowledges its messages.</summary>
    private async Task WriteAsync(PendingBatch batch, CancellationToken hardStop)
    {
        if (batch.Readings.Count + batch.Rejected.Count > 0)
        {
            var delay = _minBackoff;
            while (true)
            {
                try
                {
                    await _context.IngestAsync(batch.Readings, batch.Rejected, hardStop);
                    break;
                }
                catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    // Not stored means not acknowledged: the batch is kept and tried again; the broker holds back the rest.
                    // When stopping there is no point in waiting: unacknowledged, the messages come again with the session.
                    _context.ReportProblem("store-failed",
                        $"could not store {batch.Readings.Count} readings ({ex.GetType().Name}: {ex.Message}); " +
                        (_stopping ? "stopping, so they are left to the broker to send again" : $"trying again in {delay.TotalSeconds:0} s"), ex);
                    if (_stopping) return;
                    await Task.Delay(delay, _clock, hardStop);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _maxBackoff.Ticks));
                }
            }
        }
        await AcknowledgeAsync(batch.Acks, hardStop);
    }

    /// <summary>
    /// Sends the PUBACKs, in the order the messages arrived, on the connection that delivered them. A message whose
    /// connection has gone is not acknowledged: the broker delivers it again (a reading stored twice is a no-op).
    /// </summary>
    private async Task AcknowledgeAsync(List<PendingAck> acks, CancellationToken hardStop)
    {
        if (acks.Count == 0) return;
        await _ackGate.WaitAsync(hardStop);
        try
        {
            var generation = Volatile.Read(ref _generation);
            var skipped = 0;
            var failed = false;
            foreach (var ack in acks)
            {
                if (failed || ack.Generation != generation || !_client.IsConnected)
                {
                    skipped++;
                    continue;
                }
                try
                {
                    await ack.Args.AcknowledgeAsync(hardStop);
                }
                catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    // The connection is going; the rest would fail the same way.
                    failed = true;
                    skipped++;
                    _context.ReportProblem("ack-failed", $"could not acknowledge stored messages ({Describe(ex)}); the broker will send them again");
                }
            }
            if (skipped > 0) LogAcksSkipped(_context.Logger, _context.SourceName, skipped);
        }
        finally
        {
            _ackGate.Release();
        }
    }
}
