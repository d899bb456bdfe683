namespace GreenLoop.Storage.Postgres;

public sealed partial class PostgresStore
{
    public Task<long> AddOverrideAsync(long siteId, StoredOverride value, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(value);
        return WriteAsync(async (c, tx) => (long)(await ScalarAsync(c, tx,
            "INSERT INTO factor_override(site_id, factor_id, year, value, unit, reason, by, at) VALUES(@s,@f,@y,@v,@u,@r,@b,@a) RETURNING id;", ct,
            ("s", siteId), ("f", value.FactorId), ("y", value.Year), ("v", value.Value), ("u", value.Unit), ("r", value.Reason), ("b", value.By), ("a", value.At)))!, ct);
    }

    public Task<IReadOnlyList<StoredOverride>> OverridesAsync(long siteId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredOverride>>(async c => await ReadAllAsync(c, null,
            "SELECT id, factor_id, year, value, unit, reason, by, at FROM factor_override WHERE site_id=@s ORDER BY id;",
            r => new StoredOverride(r.GetInt64(0), r.GetString(1), NullableString(r, 2), r.GetDouble(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetInt64(7)), ct,
            ("s", siteId)), ct);

    public Task<bool> LockPeriodAsync(long siteId, StoredLock value, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(value);
        return WriteAsync(async (c, tx) => await ExecAsync(c, tx,
            "INSERT INTO period_lock(site_id, period, locked_at, by, snapshot) VALUES(@s,@p,@a,@b,@j) ON CONFLICT(site_id, period) DO NOTHING;", ct,
            ("s", siteId), ("p", value.Period), ("a", value.LockedAt), ("b", value.By), ("j", value.Snapshot)) == 1, ct);
    }

    public Task<IReadOnlyList<StoredLock>> LocksAsync(long siteId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredLock>>(async c => await ReadAllAsync(c, null,
            "SELECT period, locked_at, by, snapshot FROM period_lock WHERE site_id=@s ORDER BY period COLLATE \"C\";",
            r => new StoredLock(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3)), ct, ("s", siteId)), ct);
}
