using System.Collections.Immutable;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Monitor.Derivation;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Monitor.Live;

/// <summary>
/// The in-process hub of live events: derivation publishes <see cref="DerivedEvent"/>s after every pass, the alarm
/// engine publishes <see cref="AlarmEvent"/>s (<see cref="PublishAlarm"/>), and every open event stream holds a
/// <see cref="LiveSubscription"/> to one site. Publishing never waits for a subscriber: each has its own bounded
/// queue that drops its oldest event when full. Events are not stored; a page that was not connected reloads its data
/// when it reconnects.
/// </summary>
public sealed class LiveUpdates(MeterCatalog catalog) : IDerivedChangeSubscriber
{
    /// <summary>Events queued per subscriber before the oldest are dropped. 64 passes is about a minute of a busy plant.</summary>
    public const int DefaultCapacity = 64;

    private readonly Lock _gate = new();
    // Copy-on-write: publishing (every derivation pass) reads the array without a lock; subscribing is rare.
    private ImmutableArray<LiveSubscription> _subscribers = [];

    /// <summary>Open subscriptions (for health figures and tests).</summary>
    public int SubscriberCount => _subscribers.Length;

    /// <summary>Subscribes to the events of one site of one tenant; dispose the subscription to end it.</summary>
    public LiveSubscription Subscribe(long tenantId, string site, int capacity = DefaultCapacity)
    {
        ArgumentException.ThrowIfNullOrEmpty(site);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var subscription = new LiveSubscription(this, tenantId, site, capacity);
        lock (_gate) _subscribers = _subscribers.Add(subscription);
        return subscription;
    }

    internal void Remove(LiveSubscription subscription)
    {
        lock (_gate) _subscribers = _subscribers.Remove(subscription);
    }

    /// <summary>Hands an event to every subscriber of its tenant and site; returns at once.</summary>
    public void Publish(LiveEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        foreach (var s in _subscribers)
        {
            if (s.TenantId == e.TenantId && string.Equals(s.Site, e.Site, StringComparison.Ordinal)) s.Offer(e);
        }
    }

    /// <summary>
    /// For the alarm engine: call after an alarm's state change is committed (raised, acknowledged, cleared,
    /// escalated), with the site's key and the alarm's state after the change. See <see cref="AlarmEvent"/> for the
    /// values. Returns at once.
    /// </summary>
    public void PublishAlarm(long tenantId, string site, string id, string state, string severity, string title, string? titleZh = null) =>
        Publish(new AlarmEvent(tenantId, site, id, state, severity, title, titleZh));

    /// <summary>
    /// Publishes what a derivation pass saved: one <see cref="DerivedEvent"/> per site, naming its meters and the
    /// span from the earliest start to the latest end among them. Called by derivation after the pass is committed.
    /// </summary>
    /// <summary>Announces what a derivation commit changed, one event per site, to the pages open on it.</summary>
    public ValueTask OnDerivedAsync(IReadOnlyList<DerivedMeterChange> changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0 || _subscribers.IsEmpty) return ValueTask.CompletedTask;
        var sites = new Dictionary<(long Tenant, string Site), SiteSpan>();
        foreach (var (meter, first, end) in changes)
        {
            var (from, to) = (first.UnixMs, end.UnixMs);
            var key = (meter.TenantId, meter.SiteKey);
            if (!sites.TryGetValue(key, out var site)) sites[key] = site = new SiteSpan(meter.TimeZone, from, to);
            site.Add(meter.Definition.Key, from, to);
        }
        foreach (var ((tenant, siteKey), site) in sites)
        {
            var calendar = catalog.Calendar(site.TimeZone);
            Publish(new DerivedEvent(tenant, siteKey, [.. site.Meters], calendar.ToLocalOffset(site.From), calendar.ToLocalOffset(site.To)));
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>What one pass derived of one site: its meters and the union of their spans (Unix ms).</summary>
    private sealed class SiteSpan(string timeZone, long from, long to)
    {
        public string TimeZone { get; } = timeZone;
        public SortedSet<string> Meters { get; } = new(StringComparer.Ordinal);
        public long From { get; private set; } = from;
        public long To { get; private set; } = to;

        public void Add(string meter, long from, long to)
        {
            Meters.Add(meter);
            From = Math.Min(From, from);
            To = Math.Max(To, to);
        }
    }
}
