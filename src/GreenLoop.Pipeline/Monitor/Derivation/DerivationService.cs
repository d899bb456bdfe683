using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Monitor.Derivation;

/// <summary>
/// Re-derives exactly the span that new readings touch: from the reading before the earliest new one to the reading
/// after the latest (for interval meters, one period either side), widened to whole local hours; then hours, the
/// local days and months they fall in, and the node totals above them. What each committed pass changed goes to the
/// <see cref="DerivedChangeHub"/>, which carries it to its subscribers (alarms, live pages).
/// </summary>
public sealed class DerivationService(IDerivationStore store, MeterCatalog catalog, DerivedChangeHub changes)
{
    private const long HourMs = 3_600_000;

    /// <summary>
    /// Bound on one pass, in 15-minute buckets: a pass holds the single writer while it saves, and its spans are held
    /// in memory, so a back-fill of long spans is derived in several passes rather than one huge one.
    /// </summary>
    public const long MaxBucketsPerPass = 100_000;

    /// <summary>Derives up to <paramref name="maxMeters"/> pending meters (fewer if their spans are long); returns how many were derived.</summary>
    public async Task<int> RunOnceAsync(int maxMeters, CancellationToken ct)
    {
        var dirty = await store.GetDirtyAsync(maxMeters, ct);
        if (dirty.Count == 0) return 0;
        var spans = new List<DerivedSpan>(dirty.Count);
        var changed = new List<DerivedMeterChange>(dirty.Count);
        long buckets = 0;
        foreach (var d in dirty)
        {
            var meter = await catalog.FindAsync(d.Meter.Value, ct);
            if (meter is null) continue;
            var span = await DeriveAsync(meter, d.First, d.Last, d.Version, ct);
            spans.Add(span);
            changed.Add(new DerivedMeterChange(meter, span.From, span.To));
            buckets += (span.To.UnixMs - span.From.UnixMs) / SiteCalendar.BucketMs;
            if (buckets >= MaxBucketsPerPass) break;
        }
        await store.SaveDerivedAsync(spans, ct);
        await changes.PublishAsync(changed, ct);
        return spans.Count;
    }

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
