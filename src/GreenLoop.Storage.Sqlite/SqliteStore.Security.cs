using Microsoft.Data.Sqlite;

namespace GreenLoop.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private const string UserColumns = "id, tenant_id, user_name, display_name, password_hash, failed_count, locked_until, disabled, created_at";

    private static StoredUser MapUser(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        TenantId = r.GetInt64(1),
        UserName = r.GetString(2),
        DisplayName = r.IsDBNull(3) ? null : r.GetString(3),
        PasswordHash = r.GetString(4),
        FailedCount = r.GetInt32(5),
        LockedUntil = r.IsDBNull(6) ? null : r.GetInt64(6),
        Disabled = r.GetInt64(7) == 1,
        CreatedAt = r.GetInt64(8),
    };

    private static StoredUser WithRoles(SqliteConnection c, SqliteTransaction? tx, StoredUser user) => user with
    {
        Roles = ReadAll(c, tx, "SELECT role, site FROM user_role WHERE user_id=$u ORDER BY role, site;",
            r => new StoredRole(r.GetString(0), r.GetString(1) is { Length: > 0 } site ? site : null), ("$u", user.Id)),
    };

    private static void WriteRoles(SqliteConnection c, SqliteTransaction tx, long userId, IReadOnlyList<StoredRole> roles)
    {
        Scalar(c, "DELETE FROM user_role WHERE user_id=$u;", tx, ("$u", userId));
        foreach (var role in roles.Distinct())
            Scalar(c, "INSERT INTO user_role(user_id, role, site) VALUES($u,$r,$s);", tx, ("$u", userId), ("$r", role.Role), ("$s", role.Site ?? ""));
    }

    public Task<long> CountUsersAsync(CancellationToken ct) =>
        ReadAsync(c => (long)Scalar(c, "SELECT count(*) FROM app_user;")!, ct);

    public Task<StoredUser?> CreateUserAsync(StoredUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        return WriteAsync<StoredUser?>((c, tx) =>
        {
            if (Scalar(c, "SELECT 1 FROM app_user WHERE lower(user_name)=lower($n);", tx, ("$n", user.UserName)) is not null) return null;
            var id = (long)Scalar(c, """
                INSERT INTO app_user(tenant_id, user_name, display_name, password_hash, disabled, created_at)
                VALUES($t,$n,$d,$p,$x,$at) RETURNING id;
                """, tx, ("$t", user.TenantId), ("$n", user.UserName), ("$d", user.DisplayName), ("$p", user.PasswordHash),
                ("$x", user.Disabled ? 1 : 0), ("$at", user.CreatedAt))!;
            WriteRoles(c, tx, id, user.Roles);
            return WithRoles(c, tx, ReadAll(c, tx, $"SELECT {UserColumns} FROM app_user WHERE id=$id;", MapUser, ("$id", id))[0]);
        }, ct);
    }

    public Task<StoredUser?> FindUserAsync(string userName, CancellationToken ct) =>
        ReadAsync(c => ReadAll(c, null, $"SELECT {UserColumns} FROM app_user WHERE lower(user_name)=lower($n);", MapUser, ("$n", userName))
            is [var user] ? WithRoles(c, null, user) : null, ct);

    public Task<StoredUser?> GetUserAsync(long tenantId, long id, CancellationToken ct) =>
        ReadAsync(c => ReadAll(c, null, $"SELECT {UserColumns} FROM app_user WHERE id=$id AND tenant_id=$t;", MapUser, ("$id", id), ("$t", tenantId))
            is [var user] ? WithRoles(c, null, user) : null, ct);

    public Task<IReadOnlyList<StoredUser>> ListUsersAsync(long tenantId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredUser>>(c => ReadAll(c, null, $"SELECT {UserColumns} FROM app_user WHERE tenant_id=$t ORDER BY user_name;", MapUser, ("$t", tenantId))
            .Select(u => WithRoles(c, null, u)).ToList(), ct);

    public Task<bool> UpdateUserAsync(StoredUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        return WriteAsync((c, tx) =>
        {
            using var cmd = Command(c, """
                UPDATE app_user SET display_name=$d, password_hash=$p, disabled=$x, failed_count=$f, locked_until=$l
                WHERE id=$id AND tenant_id=$t;
                """, tx, ("$d", user.DisplayName), ("$p", user.PasswordHash), ("$x", user.Disabled ? 1 : 0), ("$f", user.FailedCount),
                ("$l", user.LockedUntil), ("$id", user.Id), ("$t", user.TenantId));
            if (cmd.ExecuteNonQuery() != 1) return false;
            WriteRoles(c, tx, user.Id, user.Roles);
            return true;
        }, ct);
    }

    public Task RecordSignInAsync(long userId, int failedCount, long? lockedUntil, CancellationToken ct) =>
        WriteAsync((c, tx) => Scalar(c, "UPDATE app_user SET failed_count=$f, locked_until=$l WHERE id=$id;", tx,
            ("$f", failedCount), ("$l", lockedUntil), ("$id", userId)), ct);

    private const string KeyColumns = "id, tenant_id, site, name, prefix, secret_hash, permissions, created_by, created_at, expires_at, revoked_at, last_used_at";

    private static StoredApiKey MapKey(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        TenantId = r.GetInt64(1),
        Site = r.IsDBNull(2) ? null : r.GetString(2),
        Name = r.GetString(3),
        Prefix = r.GetString(4),
        SecretHash = r.GetString(5),
        Permissions = r.GetString(6).Split(',', StringSplitOptions.RemoveEmptyEntries),
        CreatedBy = r.GetString(7),
        CreatedAt = r.GetInt64(8),
        ExpiresAt = r.IsDBNull(9) ? null : r.GetInt64(9),
        RevokedAt = r.IsDBNull(10) ? null : r.GetInt64(10),
        LastUsedAt = r.IsDBNull(11) ? null : r.GetInt64(11),
    };

    public Task<StoredApiKey> CreateApiKeyAsync(StoredApiKey key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync((c, tx) =>
        {
            var id = (long)Scalar(c, """
                INSERT INTO api_key(tenant_id, site, name, prefix, secret_hash, permissions, created_by, created_at, expires_at)
                VALUES($t,$s,$n,$p,$h,$perm,$by,$at,$exp) RETURNING id;
                """, tx, ("$t", key.TenantId), ("$s", key.Site), ("$n", key.Name), ("$p", key.Prefix), ("$h", key.SecretHash),
                ("$perm", string.Join(',', key.Permissions)), ("$by", key.CreatedBy), ("$at", key.CreatedAt), ("$exp", key.ExpiresAt))!;
            return key with { Id = id };
        }, ct);
    }

    public Task<StoredApiKey?> FindApiKeyAsync(string prefix, CancellationToken ct) =>
        ReadAsync(c => ReadAll(c, null, $"SELECT {KeyColumns} FROM api_key WHERE prefix=$p;", MapKey, ("$p", prefix)) is [var key] ? key : null, ct);

    public Task<IReadOnlyList<StoredApiKey>> ListApiKeysAsync(long tenantId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredApiKey>>(c => ReadAll(c, null, $"SELECT {KeyColumns} FROM api_key WHERE tenant_id=$t ORDER BY id;", MapKey, ("$t", tenantId)), ct);

    public Task<bool> RevokeApiKeyAsync(long tenantId, long id, long at, CancellationToken ct) =>
        WriteAsync((c, tx) =>
        {
            using var cmd = Command(c, "UPDATE api_key SET revoked_at=$at WHERE id=$id AND tenant_id=$t AND revoked_at IS NULL;", tx,
                ("$at", at), ("$id", id), ("$t", tenantId));
            return cmd.ExecuteNonQuery() == 1;
        }, ct);

    public Task TouchApiKeyAsync(long id, long at, CancellationToken ct) =>
        WriteAsync((c, tx) => Scalar(c, "UPDATE api_key SET last_used_at=$at WHERE id=$id;", tx, ("$at", at), ("$id", id)), ct);
}
