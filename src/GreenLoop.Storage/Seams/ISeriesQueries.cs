using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;

namespace GreenLoop.Storage;

/// <summary>Derived series and totals for dashboards and reports (roll-ups, never raw readings).</summary>
public interface ISeriesQueries
{
    Task<IReadOnlyList<PeriodRow>> MeterSeriesAsync(long meterId, Grain grain, long from, long to, CancellationToken ct);

    Task<IReadOnlyList<NodeCarrierRow>> NodeTotalsAsync(IReadOnlyList<long> nodeIds, Grain grain, long from, long to, CancellationToken ct);

    Task<IReadOnlyList<StoredFinding>> FindingsAsync(long meterId, long from, long to, CancellationToken ct);

    /// <summary>Instant of each meter's newest reading, for a site.</summary>
    Task<IReadOnlyDictionary<long, long>> LastReadingsAsync(long siteId, CancellationToken ct);
}
