using Npgsql;

namespace GreenLoop.Storage.Postgres;

public sealed partial class PostgresStore
{
    private const string UserColumns = "id, tenant_id, user_name, display_name, password_hash, failed_count, locked_until, disabled, created_at";

    private static StoredUser MapUser(NpgsqlDataReader r) => new()
    {
        Id = r.GetInt64(0),
        TenantId = r.GetInt64(1),
        UserName = r.GetString(2),
        DisplayName = NullableString(r, 3),
        PasswordHash = r.GetString(4),
        FailedCount = r.GetInt32(5),
        LockedUntil = NullableLong(r, 6),
        Disabled = r.GetBoolean(7),
        CreatedAt = r.GetInt64(8),
    };

    private static async Task<StoredUser> WithRolesAsync(NpgsqlConnection c, NpgsqlTransaction? tx, StoredUser user, CancellationToken ct) => user with
    {
        Roles = await ReadAllAsync(c, tx, "SELECT role, site FROM user_role WHERE user_id=@u ORDER BY role COLLATE \"C\", site COLLATE \"C\";",
            r => new StoredRole(r.GetString(0), r.GetString(1) is { Length: > 0 } site ? site : null), ct, ("u", user.Id)),
    };

    private static async Task WriteRolesAsync(NpgsqlConnection c, NpgsqlTransaction tx, long userId, IReadOnlyList<StoredRole> roles, CancellationToken ct)
    {
        var distinct = roles.Distinct().ToList();
        await ExecAsync(c, tx, """
            DELETE FROM user_role WHERE user_id=@u;
            INSERT INTO user_role(user_id, role, site) SELECT @u, r, s FROM unnest(@r::text[], @s::text[]) x(r, s);
            """, ct, ("u", userId), ("r", distinct.Select(x => x.Role).ToArray()), ("s", distinct.Select(x => x.Site ?? "").ToArray()));
    }

    public Task<long> CountUsersAsync(CancellationToken ct) =>
        ReadAsync(async c => (long)(await ScalarAsync(c, null, "SELECT count(*) FROM app_user;", ct))!, ct);

    public Task<StoredUser?> CreateUserAsync(StoredUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        return WriteAsync<StoredUser?>(async (c, tx) =>
        {
            // ON CONFLICT: a name taken by a concurrent sign-up answers "taken" rather than failing.
            if (await ScalarAsync(c, tx, """
                INSERT INTO app_user(tenant_id, user_name, display_name, password_hash, disabled, created_at)
                VALUES(@t,@n,@d,@p,@x,@at) ON CONFLICT ((lower(user_name))) DO NOTHING RETURNING id;
                """, ct, ("t", user.TenantId), ("n", user.UserName), ("d", user.DisplayName), ("p", user.PasswordHash),
                ("x", user.Disabled), ("at", user.CreatedAt)) is not long id)
                return null;
            await WriteRolesAsync(c, tx, id, user.Roles, ct);
            var created = (await ReadAllAsync(c, tx, $"SELECT {UserColumns} FROM app_user WHERE id=@id;", MapUser, ct, ("id", id)))[0];
            return await WithRolesAsync(c, tx, created, ct);
        }, ct);
    }

    public Task<StoredUser?> FindUserAsync(string userName, CancellationToken ct) =>
        ReadAsync(async c => await ReadAllAsync(c, null, $"SELECT {UserColumns} FROM app_user WHERE lower(user_name)=lower(@n);", MapUser, ct, ("n", userName))
            is [var user] ? await WithRolesAsync(c, null, user, ct) : null, ct);

    public Task<StoredUser?> GetUserAsync(long tenantId, long id, CancellationToken ct) =>
        ReadAsync(async c => await ReadAllAsync(c, null, $"SELECT {UserColumns} FROM app_user WHERE id=@id AND tenant_id=@t;", MapUser, ct, ("id", id), ("t", tenantId))
            is [var user] ? await WithRolesAsync(c, null, user, ct) : null, ct);

    public Task<IReadOnlyList<StoredUser>> ListUsersAsync(long tenantId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredUser>>(async c =>
        {
            var users = await ReadAllAsync(c, null, $"SELECT {UserColumns} FROM app_user WHERE tenant_id=@t ORDER BY user_name COLLATE \"C\";", MapUser, ct, ("t", tenantId));
            var result = new List<StoredUser>(users.Count);
            foreach (var u in users) result.Add(await WithRolesAsync(c, null, u, ct));
            return result;
        }, ct);

    public Task<bool> UpdateUserAsync(StoredUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        return WriteAsync(async (c, tx) =>
        {
            if (await ExecAsync(c, tx, """
                UPDATE app_user SET display_name=@d, password_hash=@p, disabled=@x, failed_count=@f, locked_until=@l
                WHERE id=@id AND tenant_id=@t;
                """, ct, ("d", user.DisplayName), ("p", user.PasswordHash), ("x", user.Disabled), ("f", user.FailedCount),
                ("l", user.LockedUntil), ("id", user.Id), ("t", user.TenantId)) != 1)
                return false;
            await WriteRolesAsync(c, tx, user.Id, user.Roles, ct);
            return true;
        }, ct);
    }

    public Task RecordSignInAsync(long userId, int failedCount, long? lockedUntil, CancellationToken ct) =>
        WriteAsync((c, tx) => ExecAsync(c, tx, "UPDATE app_user SET failed_count=@f, locked_until=@l WHERE id=@id;", ct,
            ("f", failedCount), ("l", lockedUntil), ("id", userId)), ct);

    private const string KeyColumns = "id, tenant_id, site, name, prefix, secret_hash, permissions, created_by, created_at, expires_at, revoked_at, last_used_at";

    private static StoredApiKey MapKey(NpgsqlDataReader r) => new()
    {
        Id = r.GetInt64(0),
        TenantId = r.GetInt64(1),
        Site = NullableString(r, 2),
        Name = r.GetString(3),
        Prefix = r.GetString(4),
        SecretHash = r.GetString(5),
        Permissions = r.GetString(6).Split(',', StringSplitOptions.RemoveEmptyEntries),
        CreatedBy = r.GetString(7),
        CreatedAt = r.GetInt64(8),
        ExpiresAt = NullableLong(r, 9),
        RevokedAt = NullableLong(r, 10),
        LastUsedAt = NullableLong(r, 11),
    };

    public Task<StoredApiKey> CreateApiKeyAsync(StoredApiKey key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync(async (c, tx) =>
        {
            var id = (long)(await ScalarAsync(c, tx, """
                INSERT INTO api_key(tenant_id, site, name, prefix, secret_hash, permissions, created_by, created_at, expires_at)
                VALUES(@t,@s,@n,@p,@h,@perm,@by,@at,@exp) RETURNING id;
                """, ct, ("t", key.TenantId), ("s", key.Site), ("n", key.Name), ("p", key.Prefix), ("h", key.SecretHash),
                ("perm", string.Join(',', key.Permissions)), ("by", key.CreatedBy), ("at", key.CreatedAt), ("exp", key.ExpiresAt)))!;
            return key with { Id = id };
        }, ct);
    }

    public Task<StoredApiKey?> FindApiKeyAsync(string prefix, CancellationToken ct) =>
        ReadAsync(async c => await ReadAllAsync(c, null, $"SELECT {KeyColumns} FROM api_key WHERE prefix=@p;", MapKey, ct, ("p", prefix)) is [var key] ? key : null, ct);

    public Task<IReadOnlyList<StoredApiKey>> ListApiKeysAsync(long tenantId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredApiKey>>(async c => await ReadAllAsync(c, null, $"SELECT {KeyColumns} FROM api_key WHERE tenant_id=@t ORDER BY id;", MapKey, ct, ("t", tenantId)), ct);

    public Task<bool> RevokeApiKeyAsync(long tenantId, long id, long at, CancellationToken ct) =>
        WriteAsync(async (c, tx) => await ExecAsync(c, tx, "UPDATE api_key SET revoked_at=@at WHERE id=@id AND tenant_id=@t AND revoked_at IS NULL;", ct,
            ("at", at), ("id", id), ("t", tenantId)) == 1, ct);

    public Task TouchApiKeyAsync(long id, long at, CancellationToken ct) =>
        WriteAsync((c, tx) => ExecAsync(c, tx, "UPDATE api_key SET last_used_at=@at WHERE id=@id;", ct, ("at", at), ("id", id)), ct);
}
