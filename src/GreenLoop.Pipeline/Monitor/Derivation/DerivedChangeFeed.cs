using System.Threading.Channels;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Monitor.Derivation;

/// <summary>A meter's span [From, To) (Unix ms) that derivation has just rewritten.</summary>
public readonly record struct DerivedChange(long MeterId, long From, long To);

/// <summary>
/// In-process feed of what derivation committed, for the alarm evaluator: derivation only posts to it (no waiting,
/// nothing inside the write transaction); the evaluator reads it on its own worker.
/// </summary>
public sealed class DerivedChangeFeed : IDerivedChangeSubscriber
{
    private readonly Channel<DerivedChange> _channel = Channel.CreateUnbounded<DerivedChange>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<DerivedChange> Reader => _channel.Reader;

    public ValueTask OnDerivedAsync(IReadOnlyList<DerivedMeterChange> changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var c in changes) _channel.Writer.TryWrite(new DerivedChange(c.Meter.Id, c.From.UnixMs, c.To.UnixMs));
        return ValueTask.CompletedTask;
    }

    /// <summary>Takes everything queued now, without waiting.</summary>
    public IReadOnlyList<DerivedChange> Drain()
    {
        var list = new List<DerivedChange>();
        while (_channel.Reader.TryRead(out var c)) list.Add(c);
        return list;
    }
}
