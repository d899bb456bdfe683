using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;

namespace GreenLoop.Storage;

/// <summary>Raw readings and the quarantine of rejected rows: appended in batches, never edited.</summary>
public interface IReadingStore
{
    /// <summary>Appends readings durably and marks their meters for derivation, in one transaction.</summary>
    Task<AppendOutcome[]> AppendReadingsAsync(IReadOnlyList<StoredReading> readings, Instant receivedAt, CancellationToken ct);

    Task QuarantineAsync(IReadOnlyList<QuarantineEntry> entries, CancellationToken ct);

    Task<IReadOnlyList<QuarantineEntry>> ListQuarantineAsync(long tenantId, QuarantineQuery query, CancellationToken ct);

    Task<int> CountQuarantineAsync(long tenantId, QuarantineQuery? query, CancellationToken ct);

    Task DeleteQuarantineAsync(long tenantId, IReadOnlyList<long> ids, CancellationToken ct);
    /// <summary>Deletes every row the query selects (its limit is ignored); returns how many.</summary>
    Task<int> PurgeQuarantineAsync(long tenantId, QuarantineQuery query, CancellationToken ct);

    Task<long> CountReadingsAsync(MeterId meter, CancellationToken ct);
}
