using System.Collections.Concurrent;
using System.Diagnostics;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace GreenLoop.Pipeline.Monitor.Derivation;

/// <summary>
/// Re-derives exactly the span that new readings touch: from the reading before the earliest new one to the reading
/// after the latest (for interval meters, one period either side), widened to whole local hours; then hours, the
/// local days and months they fall in, and the node totals above them. What each committed pass changed goes to the
/// <see cref="DerivedChangeHub"/>, which carries it to its subscribers (alarms, live pages). A meter whose derivation
/// fails is set aside with its error and tried again with back-off (at once when new readings mark it again); every
/// other meter carries on.
/// </summary>
public sealed partial class DerivationService(IDerivationStore store, MeterCatalog catalog, DerivedChangeHub changes,
    ILogger<DerivationService>? logger = null, TimeProvider? time = null)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LastRetry = TimeSpan.FromMinutes(5);
    private readonly ILogger _log = logger ?? NullLogger<DerivationService>.Instance;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<long, MeterDerivationFailure> _failed = new();

    /// <summary>Meters set aside because their derivation failed, by meter id, with the error and the next try.</summary>
    public IReadOnlyDictionary<long, MeterDerivationFailure> Failures => _failed;

    private const long HourMs = 3_600_000;

    /// <summary>
    /// Bound on one pass, in 15-minute buckets: a pass holds the single writer while it saves (about 0.4 s for this many
    /// on the 2-core reference machine), and its spans are held in memory, so a back-fill of long spans is derived in
    /// several short passes, and a live reading (derived by the live lane) waits for at most one of those writes.
    /// </summary>
    public const long MaxBucketsPerPass = 50_000;

    /// <summary>
    /// Pending spans up to this long (readings' first to last instant) are live: derived by the live lane, or by a pass
    /// of its own (see <see cref="RunPassAsync"/>).
    /// </summary>
    public const long LiveSpanMs = 30 * 60_000;

    private readonly ConcurrentDictionary<long, byte> _inProgress = new();
    private long _lastLivePass;

    /// <summary>True if a live pass committed within the last 2 s (the back-fill lane then leaves gaps for what follows it: alarms).</summary>
    public bool LiveActive => Stopwatch.GetElapsedTime(Volatile.Read(ref _lastLivePass)) < TimeSpan.FromSeconds(2);

    /// <summary>Derives up to <paramref name="maxMeters"/> pending meters (fewer if their spans are long); returns how many were derived.</summary>
    public async Task<int> RunOnceAsync(int maxMeters, CancellationToken ct) => (await RunPassAsync(maxMeters, DerivationLane.All, ct)).Derived;

    /// <summary>
    /// One derivation pass of <paramref name="lane"/>: up to <paramref name="maxMeters"/> pending meters, fewer if their
    /// spans are long. Two passes may run at once (the worker runs a live lane and a back-fill lane); a meter being
    /// derived by one is skipped by the other, and their writes take turns in the store.
    /// </summary>
    public async Task<DerivationPass> RunPassAsync(int maxMeters, DerivationLane lane, CancellationToken ct)
    {
        // Meters set aside and not due yet, and meters the other lane is deriving, are skipped below; ask for that many
        // more so they cannot fill the pass.
        var skipped = _failed.Count + _inProgress.Count;
        var dirty = await store.GetDirtyAsync(maxMeters + skipped, ct);
        var backlog = dirty.Count >= maxMeters + skipped;
        if (dirty.Count == 0) return new DerivationPass(0, false);
        var spans = new List<DerivedSpan>(dirty.Count);
        var changed = new List<DerivedMeterChange>(dirty.Count);
        var taken = new List<long>();
        long buckets = 0;
        var now = _time.GetUtcNow();
        // Live first: when the shortest pending span is live-sized, a pass of any lane but the back-fill takes live-sized
        // spans only and commits them on their own, so a fresh reading never waits for a share of a back-fill.
        var liveOnly = lane == DerivationLane.Live || (lane == DerivationLane.All && IsLive(dirty[0]));
        try
        {
            foreach (var d in dirty)
            {
                if (liveOnly && !IsLive(d))
                {
                    backlog = true;
                    break;
                }
                if (lane == DerivationLane.Backfill && IsLive(d)) continue;
                var meter = await catalog.FindAsync(d.Meter.Value, ct);
                if (meter is null) continue;
                if (_failed.TryGetValue(meter.Id, out var failure) && failure.Version == d.Version && failure.RetryAt > now) continue;
                if (!_inProgress.TryAdd(meter.Id, 0)) continue;
                taken.Add(meter.Id);
                DerivedSpan span;
                try
                {
                    span = await DeriveAsync(meter, d.First, d.Last, d.Version, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
                {
                    SetAside(meter, d.Version, ex, now);
                    continue;
                }
                if (_failed.TryRemove(meter.Id, out _)) LogRecovered(meter.Definition.Key, meter.TenantId);
                spans.Add(span);
                changed.Add(new DerivedMeterChange(meter, span.From, span.To));
                buckets += (span.To.UnixMs - span.From.UnixMs) / SiteCalendar.BucketMs;
                if (spans.Count >= maxMeters) break;
                if (buckets >= MaxBucketsPerPass)
                {
                    backlog = true;
                    break;
                }
            }
            if (spans.Count == 0) return new DerivationPass(0, backlog);
            try
            {
                await store.SaveDerivedAsync(spans, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException && spans.Count > 1)
            {
                // One meter's rows can fail the whole transaction: save them one by one and set aside the ones that fail.
                (spans, changed) = await SaveOneByOneAsync(spans, changed, now, ct);
            }
        }
        finally
        {
            foreach (var id in taken) _inProgress.TryRemove(id, out _);
        }
        await changes.PublishAsync(changed, ct);
        if (liveOnly && spans.Count > 0) Volatile.Write(ref _lastLivePass, Stopwatch.GetTimestamp());
        return new DerivationPass(spans.Count, backlog);
    }

    private static bool IsLive(DirtyMeter d) => d.Last.UnixMs - d.First.UnixMs <= LiveSpanMs;

    private async Task<(List<DerivedSpan>, List<DerivedMeterChange>)> SaveOneByOneAsync(List<DerivedSpan> spans, List<DerivedMeterChange> changed,
        DateTimeOffset now, CancellationToken ct)
    {
        var saved = new List<DerivedSpan>();
        var published = new List<DerivedMeterChange>();
        for (var i = 0; i < spans.Count; i++)
        {
            try
            {
                await store.SaveDerivedAsync([spans[i]], ct);
                saved.Add(spans[i]);
                published.Add(changed[i]);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
            {
                SetAside(changed[i].Meter, spans[i].DirtyVersion ?? 0, ex, now);
            }
        }
        return (saved, published);
    }

    private void SetAside(MeterRef meter, long version, Exception ex, DateTimeOffset now)
    {
        var attempts = _failed.TryGetValue(meter.Id, out var before) ? before.Attempts + 1 : 1;
        var wait = TimeSpan.FromTicks(Math.Min(LastRetry.Ticks, FirstRetry.Ticks << Math.Min(attempts - 1, 16)));
        _failed[meter.Id] = new MeterDerivationFailure(meter.TenantId, meter.SiteKey, meter.Definition.Key, ex.Message, attempts, version, now + wait);
        // Said once per meter and error; the same failure again is Debug only.
        if (before is null || before.Error != ex.Message) LogSetAside(ex, meter.Definition.Key, meter.TenantId, wait.TotalSeconds);
        else LogStillFailing(meter.Definition.Key, meter.TenantId, attempts);
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning,
        Message = "Derivation of meter {Meter} (tenant {Tenant}) failed; it is set aside and tried again in {Seconds} s, the other meters carry on")]
    private partial void LogSetAside(Exception ex, string meter, long tenant, double seconds);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Derivation of meter {Meter} (tenant {Tenant}) failed again ({Attempts} attempts)")]
    private partial void LogStillFailing(string meter, long tenant, int attempts);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Derivation of meter {Meter} (tenant {Tenant}) works again")]
    private partial void LogRecovered(string meter, long tenant);

    /// <summary>Derives until nothing is pending (tests, CLI import, start-up recovery).</summary>
    public async Task RunUntilIdleAsync(CancellationToken ct, int batch = 200)
    {
        while (await RunOnceAsync(batch, ct) > 0)
        {
        }
    }

    internal async Task<DerivedSpan> DeriveAsync(MeterRef meter, Instant first, Instant last, long? version, CancellationToken ct)
    {
        // Span arithmetic in Unix ms below; the seams take typed ids and instants.
        var (minTs, maxTs) = (first.UnixMs, last.UnixMs);
        var id = new MeterId(meter.Id);
        var def = meter.Definition;
        var config = MeterConfig.From(def);
        var calendar = catalog.Calendar(meter.TimeZone);
        long from, to;
        RawReading[] readings;
        if (def.Kind == MeterKind.Interval)
        {
            from = SiteCalendar.FloorBucket(minTs - config.IntervalMs);
            to = SiteCalendar.CeilBucket(maxTs + config.IntervalMs);
            (from, to) = WholeHours(calendar, from, to);
            readings = await store.ReadingsAsync(id, new Instant(from - config.IntervalMs), new Instant(to + config.IntervalMs), withNeighbours: false, ct);
        }
        else
        {
            // A new counter reading can turn the reading before it into a skipped bad reading (see Deriver), which
            // changes the pair that ends there: start two readings back.
            var (before, after) = await store.NeighbourInstantsAsync(id, first, last, def.Kind == MeterKind.Cumulative ? 2 : 1, ct);
            from = SiteCalendar.FloorBucket(before?.UnixMs ?? minTs);
            to = SiteCalendar.FloorBucket(after?.UnixMs ?? maxTs) + SiteCalendar.BucketMs;
            (from, to) = WholeHours(calendar, from, to);
            readings = await store.ReadingsAsync(id, new Instant(from), new Instant(to), withNeighbours: true, ct);
        }
        var events = def.Kind == MeterKind.Cumulative ? await catalog.EventsAsync(meter.Id, ct) : [];
        var result = Deriver.Derive(config, readings, events, from, to);
        return BuildSpan(id, calendar, from, to, result, version);
    }

    private static (long From, long To) WholeHours(SiteCalendar calendar, long from, long to) =>
        (calendar.HourStart(from), calendar.HourStart(to - 1) + HourMs);

    internal static DerivedSpan BuildSpan(MeterId meter, SiteCalendar calendar, long from, long to, DerivationResult result, long? version)
    {
        var buckets = result.Buckets
            .Select(b => new DerivedRow(b.Start, calendar.HourStart(b.Start), b.Value, b.Min, b.Max, b.CoveredMs, b.Flags))
            .ToList();
        var hours = buckets.GroupBy(b => b.UpTs)
            .Select(g => RollupRule.Aggregate(g.Key, calendar.DayStart(calendar.LocalDate(g.Key)), g.ToList()))
            .ToList();
        var days = new List<(long Day, long Month)>();
        var months = new List<long>();
        for (var h = from; h < to; h += HourMs)
        {
            var date = calendar.LocalDate(h);
            var day = calendar.DayStart(date);
            if (days.Count > 0 && days[^1].Day == day) continue;
            var month = calendar.MonthBounds(date).Start;
            days.Add((day, month));
            if (months.Count == 0 || months[^1] != month) months.Add(month);
        }
        return new DerivedSpan
        {
            Meter = meter,
            From = new Instant(from),
            To = new Instant(to),
            Buckets = buckets,
            Hours = hours,
            Findings = result.Findings,
            Days = days,
            Months = months,
            DirtyVersion = version,
        };
    }
}

/// <summary>A meter whose derivation failed: its error, how often, the dirty version it failed on and when it is tried again.</summary>
public sealed record MeterDerivationFailure(long TenantId, string SiteKey, string MeterKey, string Error, int Attempts, long Version, DateTimeOffset RetryAt);

/// <summary>Which pending meters a derivation pass takes.</summary>
public enum DerivationLane
{
    /// <summary>Any: live-sized spans first, in a pass of their own; otherwise the shortest spans.</summary>
    All,
    /// <summary>Only spans up to <see cref="DerivationService.LiveSpanMs"/> (fresh readings).</summary>
    Live,
    /// <summary>Only longer spans (back-fills, late files, re-derivations).</summary>
    Backfill,
}

/// <summary>What a pass did: meters derived, and whether it stopped at a bound with more of its lane's work waiting.</summary>
public readonly record struct DerivationPass(int Derived, bool Backlog);
