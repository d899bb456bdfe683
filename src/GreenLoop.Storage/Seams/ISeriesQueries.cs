using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;

namespace GreenLoop.Storage;

/// <summary>Derived series and totals for dashboards and reports (roll-ups, never raw readings).</summary>
public interface ISeriesQueries
{
    /// <summary>A meter's periods of <paramref name="grain"/> starting in [from, to).</summary>
    Task<IReadOnlyList<PeriodRow>> MeterSeriesAsync(MeterId meter, Grain grain, Instant from, Instant to, CancellationToken ct);

    /// <summary>Node totals per carrier of periods of <paramref name="grain"/> starting in [from, to).</summary>
    Task<IReadOnlyList<NodeCarrierRow>> NodeTotalsAsync(IReadOnlyList<long> nodeIds, Grain grain, Instant from, Instant to, CancellationToken ct);

    /// <summary>A meter's findings at instants in [from, to).</summary>
    Task<IReadOnlyList<StoredFinding>> FindingsAsync(MeterId meter, Instant from, Instant to, CancellationToken ct);

    /// <summary>Instant of each meter's newest reading, for a site.</summary>
    Task<IReadOnlyDictionary<long, long>> LastReadingsAsync(long siteId, CancellationToken ct);
}
