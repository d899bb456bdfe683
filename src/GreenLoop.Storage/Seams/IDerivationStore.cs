using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;

namespace GreenLoop.Storage;

/// <summary>The derivation work queue: dirty meters, the readings and events to derive them from, and the derived spans written back.</summary>
public interface IDerivationStore
{
    Task<IReadOnlyList<DirtyMeter>> GetDirtyAsync(int max, CancellationToken ct);

    Task<long> CountDirtyAsync(CancellationToken ct);

    /// <summary>Marks a meter for derivation over [from, to] (e.g. after a meter event was recorded).</summary>
    Task MarkDirtyAsync(long meterId, long from, long to, CancellationToken ct);

    /// <summary>
    /// The instant of the <paramref name="back"/>-th reading before <paramref name="minTs"/> (1 = the one just before;
    /// if there are fewer, the earliest) and of the first reading after <paramref name="maxTs"/>.
    /// </summary>
    Task<(long? Before, long? After)> NeighbourInstantsAsync(long meterId, long minTs, long maxTs, int back, CancellationToken ct);

    /// <summary>Readings in [from, to] plus, if asked, the last reading before from and the first after to.</summary>
    Task<RawReading[]> ReadingsAsync(long meterId, long from, long to, bool withNeighbours, CancellationToken ct);

    /// <summary>Writes derived spans, rolls them up to days, months and nodes, and clears their dirty marks.</summary>
    Task SaveDerivedAsync(IReadOnlyList<DerivedSpan> spans, CancellationToken ct);
}
