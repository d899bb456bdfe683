using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;

namespace GreenLoop.Storage;

/// <summary>The derivation work queue: dirty meters, the readings and events to derive them from, and the derived spans written back.</summary>
public interface IDerivationStore
{
    /// <summary>
    /// Up to <paramref name="max"/> meters with readings not derived yet, shortest span first (then by meter id): live
    /// readings, which mark a few minutes, come before a back-fill, which marks days or years.
    /// </summary>
    Task<IReadOnlyList<DirtyMeter>> GetDirtyAsync(int max, CancellationToken ct);

    Task<long> CountDirtyAsync(CancellationToken ct);

    /// <summary>Marks a meter for derivation over the readings in [first, last] (e.g. after a meter event was recorded).</summary>
    Task MarkDirtyAsync(MeterId meter, Instant first, Instant last, CancellationToken ct);

    /// <summary>
    /// The instant of the <paramref name="back"/>-th reading before <paramref name="first"/> (1 = the one just before;
    /// if there are fewer, the earliest) and of the first reading after <paramref name="last"/>.
    /// </summary>
    Task<(Instant? Before, Instant? After)> NeighbourInstantsAsync(MeterId meter, Instant first, Instant last, int back, CancellationToken ct);

    /// <summary>Readings in [from, to] plus, if asked, the last reading before from and the first after to.</summary>
    Task<RawReading[]> ReadingsAsync(MeterId meter, Instant from, Instant to, bool withNeighbours, CancellationToken ct);

    /// <summary>Writes derived spans, rolls them up to days, months and nodes, and clears their dirty marks.</summary>
    Task SaveDerivedAsync(IReadOnlyList<DerivedSpan> spans, CancellationToken ct);
}
