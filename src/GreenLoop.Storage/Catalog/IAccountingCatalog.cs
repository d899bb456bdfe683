using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;

namespace GreenLoop.Storage;

/// <summary>A site's factor overrides and locked periods.</summary>
public interface IAccountingCatalog
{
    Task<long> AddOverrideAsync(long siteId, StoredOverride value, CancellationToken ct);

    Task<IReadOnlyList<StoredOverride>> OverridesAsync(long siteId, CancellationToken ct);

    /// <summary>Locks a period; false if it is locked already (a lock is never replaced).</summary>
    Task<bool> LockPeriodAsync(long siteId, StoredLock value, CancellationToken ct);

    Task<IReadOnlyList<StoredLock>> LocksAsync(long siteId, CancellationToken ct);
}
