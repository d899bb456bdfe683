using MQTTnet;
using MQTTnet.Protocol;

namespace GreenLoop.Connectors.Mqtt;

internal sealed partial class MqttLink
{
    /// <summary>Scratch for the message being read; MQTTnet calls the handler for one message at a time.</summary>
    private readonly ParsedMessage _scratch = new();
    private readonly SparkplugAliases _aliases = new();
    private readonly string[][] _captures;

    /// <summary>
    /// Reads a message into the pending batch. The message is not acknowledged here: the flusher does that after its
    /// readings (and its unreadable parts, in quarantine) are stored. Never throws.
    /// </summary>
    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        e.AutoAcknowledge = false;
        // While stopping nothing new is taken: unacknowledged, the message comes again with the session.
        if (_stopping) return Task.CompletedTask;
        _context.Health.CountMessages();
        var generation = Volatile.Read(ref _generation);
        var message = e.ApplicationMessage;
        _scratch.Clear();
        try
        {
            Read(message);
        }
        catch (Exception ex)
        {
            // A bug in a parser must not stall the subscription: the message is quarantined whole and acknowledged.
            _scratch.Clear();
            _scratch.Reject(0, new PayloadProblem("internal-error", "payload", $"topic '{message.Topic}': could not be read ({ex.GetType().Name}: {ex.Message})"),
                null, null, MqttMessageParser.RawText(message.Payload));
        }
        foreach (var p in _scratch.Problems) _context.ReportProblem(p.Kind, p.Reason);
        return Enqueue(e, message.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce, generation) ? WaitForRoomAsync() : Task.CompletedTask;
    }

    private void Read(MqttApplicationMessage message)
    {
        var topic = message.Topic;
        var routes = _config.Routes;
        for (var i = 0; i < routes.Count; i++)
        {
            var route = routes[i];
            if (!route.Pattern.TryMatch(topic, _captures[i])) continue;
            if (message.Retain && route.UsesArrivalTime)
            {
                // A retained message is an old value; stamped with the arrival time it would be a wrong reading.
                _scratch.Problems.Add(new PayloadProblem("retained-ignored", "ts",
                    $"topic '{topic}': a retained message is ignored because this subscription stamps readings with their arrival time"));
                return;
            }
            MqttMessageParser.Parse(route, topic, _captures[i], message.Payload, _clock.GetUtcNow(), _scratch, _aliases);
            return;
        }
        // E.g. a message queued for a subscription of an earlier definition of this source.
        _scratch.Problems.Add(new PayloadProblem("unmatched-topic", "topic", $"topic '{topic}' matches none of the subscriptions; ignored"));
    }

    /// <summary>Adds the scratch to the pending batch; true when the batch is over its hard cap and the handler should wait.</summary>
    private bool Enqueue(MqttApplicationMessageReceivedEventArgs e, bool needsAck, int generation)
    {
        bool wake, flushNow, full;
        lock (_batchGate)
        {
            var b = _current;
            wake = b.IsEmpty;
            if (wake) b.FirstAt = _clock.GetTimestamp();
            b.Messages++;
            b.Readings.AddRange(_scratch.Readings);
            b.Rejected.AddRange(_scratch.Rejected);
            if (needsAck) b.Acks.Add(new PendingAck(e, generation));
            flushNow = b.Readings.Count >= _settings.FlushReadings || b.Acks.Count >= _ackTrigger;
            full = b.Readings.Count + b.Rejected.Count >= _hardCap;
        }
        if (wake) _hasData.Notify();
        if (flushNow) _flushNow.Notify();
        return full;
    }

    /// <summary>Back-pressure: holds the receiving loop while the pending batch is over its cap (the flusher is behind).</summary>
    private async Task WaitForRoomAsync()
    {
        try
        {
            while (true)
            {
                lock (_batchGate)
                {
                    if (_current.Readings.Count + _current.Rejected.Count < _hardCap) return;
                }
                await _room.WaitAsync(_stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the message is in the batch or will come again.
        }
    }
}
