namespace GreenLoop.Storage;

/// <summary>A person who signs in to the UI. <see cref="PasswordHash"/> is ASP.NET Core Identity's hash format.</summary>
public sealed record StoredUser
{
    public long Id { get; init; }
    public required long TenantId { get; init; }
    /// <summary>Sign-in name, unique across the platform (compared case-insensitively).</summary>
    public required string UserName { get; init; }
    public string? DisplayName { get; init; }
    public required string PasswordHash { get; init; }
    /// <summary>Failed sign-ins since the last success.</summary>
    public int FailedCount { get; init; }
    /// <summary>Unix ms until which sign-in is refused after too many failures.</summary>
    public long? LockedUntil { get; init; }
    public bool Disabled { get; init; }
    public long CreatedAt { get; init; }
    /// <summary>Unix ms: session cookies issued before this are refused (set by sign-out and by a password change).</summary>
    public long SessionsValidAfter { get; init; }
    /// <summary>Roles, each for one site or (site null) for every site of the tenant.</summary>
    public IReadOnlyList<StoredRole> Roles { get; init; } = [];
}

/// <summary>A role of a user: for one site (<see cref="Site"/> = its key) or for the whole tenant (null).</summary>
public sealed record StoredRole(string Role, string? Site);

/// <summary>
/// An API key for a gateway or an integration. Only <see cref="Prefix"/> (the public part, to find it) and a hash of
/// the secret part are stored; the full key is shown once, when it is created.
/// </summary>
public sealed record StoredApiKey
{
    public long Id { get; init; }
    public required long TenantId { get; init; }
    /// <summary>The site the key is limited to, or null for every site of the tenant.</summary>
    public string? Site { get; init; }
    public required string Name { get; init; }
    public required string Prefix { get; init; }
    public required string SecretHash { get; init; }
    /// <summary>Permissions, e.g. <c>ingest</c>, <c>read</c>.</summary>
    public required IReadOnlyList<string> Permissions { get; init; }
    public required string CreatedBy { get; init; }
    public long CreatedAt { get; init; }
    public long? ExpiresAt { get; init; }
    public long? RevokedAt { get; init; }
    public long? LastUsedAt { get; init; }
}
