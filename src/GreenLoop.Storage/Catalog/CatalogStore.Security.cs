using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Storage.Catalog;

public abstract partial class CatalogStore
{
    public Task<long> CountUsersAsync(CancellationToken ct) =>
        ReadDbAsync(0, db => db.Users.IgnoreQueryFilters().LongCountAsync(ct));

    /// <summary>Creates a user with its roles; null if the user name is taken (by any tenant).</summary>
    public Task<StoredUser?> CreateUserAsync(StoredUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        return WriteDbAsync<StoredUser?>(user.TenantId, async (db, _) =>
        {
            var name = user.UserName;
            if (await db.Users.AnyAsync(u => u.UserName.ToLower() == name.ToLower(), ct)) return null;
            var row = new UserRecord
            {
                TenantId = user.TenantId, UserName = user.UserName, DisplayName = user.DisplayName, PasswordHash = user.PasswordHash,
                Disabled = user.Disabled, CreatedAt = user.CreatedAt, Roles = RoleRows(user.Roles),
            };
            db.Users.Add(row);
            await db.SaveChangesAsync(ct);
            return Map(row);
        }, ct);
    }

    /// <summary>The tenant's user with this sign-in name (case-insensitive), if any.</summary>
    public Task<StoredUser?> FindUserAsync(long tenantId, string userName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(userName);
        return ReadDbAsync(tenantId, async db => await db.Users.AsNoTracking().Include(u => u.Roles)
            .Where(u => u.UserName.ToLower() == userName.ToLower()).ToListAsync(ct) is [var user] ? Map(user) : null);
    }

    /// <summary>Every user with this sign-in name (case-insensitive) in any tenant, at most <paramref name="limit"/>, oldest first.</summary>
    public Task<IReadOnlyList<StoredUser>> FindUsersAsync(string userName, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(userName);
        return ReadDbAsync<IReadOnlyList<StoredUser>>(0, async db => (await db.Users.IgnoreQueryFilters().AsNoTracking().Include(u => u.Roles)
            .Where(u => u.UserName.ToLower() == userName.ToLower()).OrderBy(u => u.Id).Take(limit).ToListAsync(ct)).Select(Map).ToList());
    }

    public Task<StoredUser?> GetUserAsync(long tenantId, long id, CancellationToken ct) =>
        ReadDbAsync(tenantId, async db => await db.Users.AsNoTracking().Include(u => u.Roles).FirstOrDefaultAsync(u => u.Id == id, ct) is { } user ? Map(user) : null);

    public Task<IReadOnlyList<StoredUser>> ListUsersAsync(long tenantId, CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<StoredUser>>(tenantId, async db => (await db.Users.AsNoTracking().Include(u => u.Roles).ToListAsync(ct))
            .OrderBy(u => u.UserName, StringComparer.Ordinal).Select(Map).ToList());

    /// <summary>Replaces a user's password hash, display name, disabled flag, sign-in counters and roles; false if not the tenant's.</summary>
    public Task<bool> UpdateUserAsync(StoredUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        return WriteDbAsync(user.TenantId, async (db, _) =>
        {
            var row = await db.Users.Include(u => u.Roles).FirstOrDefaultAsync(u => u.Id == user.Id, ct);
            if (row is null) return false;
            (row.DisplayName, row.PasswordHash, row.Disabled, row.FailedCount, row.LockedUntil, row.SessionsValidAfter) =
                (user.DisplayName, user.PasswordHash, user.Disabled, user.FailedCount, user.LockedUntil, Math.Max(row.SessionsValidAfter, user.SessionsValidAfter));
            row.Roles.Clear();
            await db.SaveChangesAsync(ct);
            row.Roles.AddRange(RoleRows(user.Roles));
            await db.SaveChangesAsync(ct);
            return true;
        }, ct);
    }

    /// <summary>Records a sign-in attempt's outcome: the failure count and lock-out.</summary>
    public Task RecordSignInAsync(long userId, int failedCount, long? lockedUntil, CancellationToken ct) =>
        WriteDbAsync(0, (db, _) => db.Users.IgnoreQueryFilters().Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedCount, failedCount).SetProperty(u => u.LockedUntil, lockedUntil), ct), ct);

    /// <summary>Ends every session of the user issued before <paramref name="at"/> (Unix ms): sign-out, password change.</summary>
    public Task RevokeSessionsAsync(long userId, long at, CancellationToken ct) =>
        WriteDbAsync(0, (db, _) => db.Users.IgnoreQueryFilters().Where(u => u.Id == userId && u.SessionsValidAfter < at)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.SessionsValidAfter, at), ct), ct);

    private static List<UserRoleRecord> RoleRows(IReadOnlyList<StoredRole> roles) =>
        roles.Distinct().Select(r => new UserRoleRecord { Role = r.Role, Site = r.Site ?? "" }).ToList();

    private static StoredUser Map(UserRecord u) => new()
    {
        Id = u.Id,
        TenantId = u.TenantId,
        UserName = u.UserName,
        DisplayName = u.DisplayName,
        PasswordHash = u.PasswordHash,
        FailedCount = u.FailedCount,
        LockedUntil = u.LockedUntil,
        Disabled = u.Disabled,
        CreatedAt = u.CreatedAt,
        SessionsValidAfter = u.SessionsValidAfter,
        Roles = u.Roles.OrderBy(r => r.Role, StringComparer.Ordinal).ThenBy(r => r.Site, StringComparer.Ordinal)
            .Select(r => new StoredRole(r.Role, r.Site is { Length: > 0 } site ? site : null)).ToList(),
    };

    public Task<StoredApiKey> CreateApiKeyAsync(StoredApiKey key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteDbAsync(key.TenantId, async (db, _) =>
        {
            var row = new ApiKeyRecord
            {
                TenantId = key.TenantId, Site = key.Site, Name = key.Name, Prefix = key.Prefix, SecretHash = key.SecretHash,
                Permissions = string.Join(',', key.Permissions), CreatedBy = key.CreatedBy, CreatedAt = key.CreatedAt, ExpiresAt = key.ExpiresAt,
            };
            db.ApiKeys.Add(row);
            await db.SaveChangesAsync(ct);
            return key with { Id = row.Id };
        }, ct);
    }

    /// <summary>The key with this public prefix, of any tenant (the prefix says which key a request presents).</summary>
    public Task<StoredApiKey?> FindApiKeyAsync(string prefix, CancellationToken ct) =>
        ReadDbAsync(0, async db => await db.ApiKeys.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(k => k.Prefix == prefix, ct) is { } key ? Map(key) : null);

    public Task<IReadOnlyList<StoredApiKey>> ListApiKeysAsync(long tenantId, CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<StoredApiKey>>(tenantId, async db => (await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(ct)).Select(Map).ToList());

    /// <summary>Revokes a key of the tenant; false if there is none (or it was revoked already).</summary>
    public Task<bool> RevokeApiKeyAsync(long tenantId, long id, long at, CancellationToken ct) =>
        WriteDbAsync(tenantId, async (db, _) =>
            await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, at), ct) == 1, ct);

    public Task TouchApiKeyAsync(long id, long at, CancellationToken ct) =>
        WriteDbAsync(0, (db, _) => db.ApiKeys.IgnoreQueryFilters().Where(k => k.Id == id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, at), ct), ct);

    private static StoredApiKey Map(ApiKeyRecord k) => new()
    {
        Id = k.Id,
        TenantId = k.TenantId,
        Site = k.Site,
        Name = k.Name,
        Prefix = k.Prefix,
        SecretHash = k.SecretHash,
        Permissions = k.Permissions.Split(',', StringSplitOptions.RemoveEmptyEntries),
        CreatedBy = k.CreatedBy,
        CreatedAt = k.CreatedAt,
        ExpiresAt = k.ExpiresAt,
        RevokedAt = k.RevokedAt,
        LastUsedAt = k.LastUsedAt,
    };
}
