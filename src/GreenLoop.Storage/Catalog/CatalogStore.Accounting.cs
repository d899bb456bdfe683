using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Storage.Catalog;

// A site's factor overrides and locked periods. The site id comes from a site the caller found for its tenant.
public abstract partial class CatalogStore
{
    public Task<long> AddOverrideAsync(long siteId, StoredOverride value, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(value);
        return WriteDbAsync(0, async (db, _) =>
        {
            var row = new FactorOverrideRecord
            {
                SiteId = siteId, FactorId = value.FactorId, Year = value.Year, Value = value.Value, Unit = value.Unit,
                Reason = value.Reason, By = value.By, At = value.At,
            };
            db.FactorOverrides.Add(row);
            await db.SaveChangesAsync(ct);
            return row.Id;
        }, ct);
    }

    public Task<IReadOnlyList<StoredOverride>> OverridesAsync(long siteId, CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<StoredOverride>>(0, async db => await db.FactorOverrides.IgnoreQueryFilters().AsNoTracking()
            .Where(o => o.SiteId == siteId).OrderBy(o => o.Id)
            .Select(o => new StoredOverride(o.Id, o.FactorId, o.Year, o.Value, o.Unit, o.Reason, o.By, o.At)).ToListAsync(ct));

    /// <summary>Locks a period; false if it is locked already (a lock is never replaced).</summary>
    public Task<bool> LockPeriodAsync(long siteId, StoredLock value, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(value);
        return WriteDbAsync(0, async (db, _) =>
        {
            if (await db.PeriodLocks.IgnoreQueryFilters().AnyAsync(l => l.SiteId == siteId && l.Period == value.Period, ct)) return false;
            db.PeriodLocks.Add(new PeriodLockRecord { SiteId = siteId, Period = value.Period, LockedAt = value.LockedAt, By = value.By, Snapshot = value.Snapshot });
            await db.SaveChangesAsync(ct);
            return true;
        }, ct);
    }

    public Task<IReadOnlyList<StoredLock>> LocksAsync(long siteId, CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<StoredLock>>(0, async db => (await db.PeriodLocks.IgnoreQueryFilters().AsNoTracking()
            .Where(l => l.SiteId == siteId).ToListAsync(ct))
            .OrderBy(l => l.Period, StringComparer.Ordinal)
            .Select(l => new StoredLock(l.Period, l.LockedAt, l.By, l.Snapshot)).ToList());
}
