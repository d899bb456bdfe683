using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Storage.Catalog;

namespace GreenLoop.Storage;

/// <summary>
/// A store: the catalogue (written once on EF Core, <see cref="CatalogStore"/>) and the time-series seams, which each
/// provider implements with its own hand-tuned SQL. Services depend on the narrow interfaces they use
/// (<see cref="IReadingStore"/>, <see cref="IDerivationStore"/>, <see cref="ISeriesQueries"/> and the catalogue's);
/// only hosting, the command-line tools and tests hold the whole store.
/// </summary>
public abstract class GreenLoopStore : CatalogStore, IReadingStore, IDerivationStore, ISeriesQueries,
    ISiteCatalog, IAccountingCatalog, IAlarmCatalog, INotificationCatalog, IConnectorCatalog, IAuditStore, IUserCatalog, IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema (the EF Core migrations of the provider).</summary>
    public abstract Task MigrateAsync(CancellationToken ct);

    private int _disposed;

    /// <summary>Closes the store once, however many registrations (one per seam) hand it to the container.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await DisposeCoreAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the provider's connections.</summary>
    protected abstract ValueTask DisposeCoreAsync();

    public abstract Task<AppendOutcome[]> AppendReadingsAsync(IReadOnlyList<StoredReading> readings, Instant receivedAt, CancellationToken ct);

    public abstract Task QuarantineAsync(IReadOnlyList<QuarantineEntry> entries, CancellationToken ct);

    public abstract Task<IReadOnlyList<QuarantineEntry>> ListQuarantineAsync(long tenantId, QuarantineQuery query, CancellationToken ct);

    public abstract Task<int> CountQuarantineAsync(long tenantId, QuarantineQuery? query, CancellationToken ct);

    public abstract Task DeleteQuarantineAsync(long tenantId, IReadOnlyList<long> ids, CancellationToken ct);
    public abstract Task<int> PurgeQuarantineAsync(long tenantId, QuarantineQuery query, CancellationToken ct);

    public abstract Task<long> CountReadingsAsync(MeterId meter, CancellationToken ct);

    public abstract Task<IReadOnlyDictionary<long, long>> LastReadingsAsync(long siteId, CancellationToken ct);

    public abstract Task<IReadOnlyList<DirtyMeter>> GetDirtyAsync(int max, CancellationToken ct);

    public abstract Task<long> CountDirtyAsync(CancellationToken ct);

    public abstract Task MarkDirtyAsync(MeterId meter, Instant first, Instant last, CancellationToken ct);

    public abstract Task<(Instant? Before, Instant? After)> NeighbourInstantsAsync(MeterId meter, Instant first, Instant last, int back, CancellationToken ct);

    public abstract Task<RawReading[]> ReadingsAsync(MeterId meter, Instant from, Instant to, bool withNeighbours, CancellationToken ct);

    public abstract Task SaveDerivedAsync(IReadOnlyList<DerivedSpan> spans, CancellationToken ct);

    public abstract Task<IReadOnlyList<PeriodRow>> MeterSeriesAsync(MeterId meter, Grain grain, Instant from, Instant to, CancellationToken ct);

    public abstract Task<IReadOnlyList<NodeCarrierRow>> NodeTotalsAsync(IReadOnlyList<long> nodeIds, Grain grain, Instant from, Instant to, CancellationToken ct);

    public abstract Task<IReadOnlyList<StoredFinding>> FindingsAsync(MeterId meter, Instant from, Instant to, CancellationToken ct);
}
