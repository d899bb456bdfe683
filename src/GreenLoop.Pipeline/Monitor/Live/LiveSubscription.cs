using System.Threading.Channels;

namespace GreenLoop.Pipeline.Monitor.Live;

/// <summary>
/// One subscriber's queue of the events of one site (an open page's event stream). Bounded: when the subscriber reads
/// more slowly than events arrive, the oldest queued event is dropped (and counted in <see cref="Dropped"/>), so a
/// slow browser never holds up derivation. Dispose to unsubscribe; the reader then completes.
/// </summary>
public sealed class LiveSubscription : IDisposable
{
    private readonly LiveUpdates _owner;
    private readonly Channel<LiveEvent> _channel;
    private long _dropped;

    internal LiveSubscription(LiveUpdates owner, long tenantId, string site, int capacity)
    {
        _owner = owner;
        TenantId = tenantId;
        Site = site;
        _channel = Channel.CreateBounded<LiveEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public long TenantId { get; }

    /// <summary>Key of the site whose events this subscription receives.</summary>
    public string Site { get; }

    /// <summary>The events, oldest first.</summary>
    public ChannelReader<LiveEvent> Reader => _channel.Reader;

    /// <summary>How many events were dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues an event; never waits (a full queue drops its oldest event instead).</summary>
    internal void Offer(LiveEvent e) => _channel.Writer.TryWrite(e);

    public void Dispose()
    {
        _owner.Remove(this);
        _channel.Writer.TryComplete();
    }
}
