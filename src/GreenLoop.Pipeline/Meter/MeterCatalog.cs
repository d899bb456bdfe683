using System.Collections.Concurrent;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Time;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Meter;

/// <summary>
/// Cached view of the meters (by tenant and key, and by id) and of site calendars. Ingest resolves every reading's
/// meter here, so the cache is reloaded when a site is applied, and at most once a second on an unknown key (a site
/// applied by another process, e.g. the CLI).
/// </summary>
public sealed class MeterCatalog(ISiteCatalog store, TimeProvider clock)
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly ConcurrentDictionary<string, SiteCalendar> _calendars = new(StringComparer.Ordinal);
    private volatile Snapshot? _snapshot;
    private long _lastReload = long.MinValue;

    private sealed record Snapshot(IReadOnlyDictionary<(long Tenant, string Key), MeterRef> ByKey, IReadOnlyDictionary<long, MeterRef> ById);

    public async Task<MeterRef?> FindAsync(long tenantId, string key, CancellationToken ct)
    {
        var snap = _snapshot ?? await ReloadAsync(ct);
        if (snap.ByKey.TryGetValue((tenantId, key), out var meter)) return meter;
        if (clock.GetTimestamp() - Interlocked.Read(ref _lastReload) < clock.TimestampFrequency) return null;
        snap = await ReloadAsync(ct);
        return snap.ByKey.GetValueOrDefault((tenantId, key));
    }

    public async Task<MeterRef?> FindAsync(long meterId, CancellationToken ct)
    {
        var snap = _snapshot ?? await ReloadAsync(ct);
        if (snap.ById.TryGetValue(meterId, out var meter)) return meter;
        snap = await ReloadAsync(ct);
        return snap.ById.GetValueOrDefault(meterId);
    }

    /// <summary>
    /// A meter's recorded replacements and resets. Cached for a few seconds: they change only when a site is applied
    /// (which invalidates this process's cache; another process's apply is seen within the expiry).
    /// </summary>
    public async Task<IReadOnlyList<CounterEvent>> EventsAsync(long meterId, CancellationToken ct)
    {
        var now = clock.GetTimestamp();
        if (_events.TryGetValue(meterId, out var cached) && clock.GetElapsedTime(cached.At, now) < EventsExpiry) return cached.Events;
        var events = await store.EventsAsync(meterId, ct);
        _events[meterId] = (now, events);
        return events;
    }

    private static readonly TimeSpan EventsExpiry = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<long, (long At, IReadOnlyList<CounterEvent> Events)> _events = new();

    /// <summary>Drops the cache; the next lookup reloads it.</summary>
    public void Invalidate()
    {
        _snapshot = null;
        _events.Clear();
    }

    public SiteCalendar Calendar(string timeZone) => _calendars.GetOrAdd(timeZone, SiteCalendar.ForZone);

    private async Task<Snapshot> ReloadAsync(CancellationToken ct)
    {
        await _reload.WaitAsync(ct);
        try
        {
            var all = await store.LoadAllMetersAsync(ct);
            var snap = new Snapshot(all.ToDictionary(m => (m.TenantId, m.Definition.Key)), all.ToDictionary(m => m.Id));
            _snapshot = snap;
            Interlocked.Exchange(ref _lastReload, clock.GetTimestamp());
            return snap;
        }
        finally
        {
            _reload.Release();
        }
    }
}
