using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;

namespace GreenLoop.Storage;

/// <summary>Users, their roles and API keys.</summary>
public interface IUserCatalog
{
    Task<long> CountUsersAsync(CancellationToken ct);

    /// <summary>Creates a user with its roles; null if the user name is taken in the user's tenant (other tenants may use it).</summary>
    Task<StoredUser?> CreateUserAsync(StoredUser user, CancellationToken ct);

    /// <summary>The tenant's user with this sign-in name (case-insensitive), if any.</summary>
    Task<StoredUser?> FindUserAsync(long tenantId, string userName, CancellationToken ct);

    /// <summary>
    /// Every user with this sign-in name (case-insensitive) in any tenant, at most <paramref name="limit"/>: sign-in
    /// without a tenant finds the account among them by its password.
    /// </summary>
    Task<IReadOnlyList<StoredUser>> FindUsersAsync(string userName, int limit, CancellationToken ct);

    Task<StoredUser?> GetUserAsync(long tenantId, long id, CancellationToken ct);

    Task<IReadOnlyList<StoredUser>> ListUsersAsync(long tenantId, CancellationToken ct);

    /// <summary>Replaces a user's password hash, display name, disabled flag and roles; false if not the tenant's.</summary>
    Task<bool> UpdateUserAsync(StoredUser user, CancellationToken ct);

    /// <summary>Records a sign-in attempt's outcome: the failure count and lock-out.</summary>
    Task RecordSignInAsync(long userId, int failedCount, long? lockedUntil, CancellationToken ct);

    /// <summary>Ends every session of the user issued before <paramref name="at"/> (Unix ms).</summary>
    Task RevokeSessionsAsync(long userId, long at, CancellationToken ct);

    Task<StoredApiKey> CreateApiKeyAsync(StoredApiKey key, CancellationToken ct);

    /// <summary>The key with this public prefix, of any tenant (the prefix says which key a request presents).</summary>
    Task<StoredApiKey?> FindApiKeyAsync(string prefix, CancellationToken ct);

    Task<IReadOnlyList<StoredApiKey>> ListApiKeysAsync(long tenantId, CancellationToken ct);

    /// <summary>Revokes a key of the tenant; false if there is none (or it was revoked already).</summary>
    Task<bool> RevokeApiKeyAsync(long tenantId, long id, long at, CancellationToken ct);

    Task TouchApiKeyAsync(long id, long at, CancellationToken ct);
}
