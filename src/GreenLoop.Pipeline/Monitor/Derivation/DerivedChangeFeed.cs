using System.Threading.Channels;

namespace GreenLoop.Pipeline.Monitor.Derivation;

/// <summary>
/// In-process feed of what derivation committed, for the alarm evaluator: derivation only posts to it (no waiting,
/// nothing inside the write transaction); the evaluator reads it on its own worker. Each change keeps the meter as the
/// hub resolved it, so the evaluator does not look it up again.
/// </summary>
public sealed class DerivedChangeFeed : IDerivedChangeSubscriber
{
    private readonly Channel<DerivedMeterChange> _channel = Channel.CreateUnbounded<DerivedMeterChange>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<DerivedMeterChange> Reader => _channel.Reader;

    public ValueTask OnDerivedAsync(IReadOnlyList<DerivedMeterChange> changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var c in changes) _channel.Writer.TryWrite(c);
        return ValueTask.CompletedTask;
    }

    /// <summary>Takes everything queued now, without waiting.</summary>
    public IReadOnlyList<DerivedMeterChange> Drain()
    {
        var list = new List<DerivedMeterChange>();
        while (_channel.Reader.TryRead(out var c)) list.Add(c);
        return list;
    }
}
