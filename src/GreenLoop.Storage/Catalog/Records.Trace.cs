namespace GreenLoop.Storage.Catalog;

/// <summary>One link of a tenant's audit chain (see <see cref="AuditChain"/>).</summary>
public sealed class AuditRecord
{
    public long TenantId { get; set; }
    public long Seq { get; set; }
    public long At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string Subject { get; set; }
    public required string Detail { get; set; }
    public required string PrevHash { get; set; }
    public required string Hash { get; set; }
}

/// <summary>A person who signs in (password hash in ASP.NET Core Identity's format).</summary>
public sealed class UserRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public required string UserName { get; set; }
    public string? DisplayName { get; set; }
    public required string PasswordHash { get; set; }
    public int FailedCount { get; set; }
    public long? LockedUntil { get; set; }
    public bool Disabled { get; set; }
    public long CreatedAt { get; set; }
    /// <summary>Unix ms: sign-ins (session cookies) issued before this no longer count (sign-out, password change).</summary>
    public long SessionsValidAfter { get; set; }
    public List<UserRoleRecord> Roles { get; set; } = [];
}

/// <summary>A role of a user for one site (<see cref="Site"/> = its key) or, with an empty site, the whole tenant.</summary>
public sealed class UserRoleRecord
{
    public long UserId { get; set; }
    public UserRecord? User { get; set; }
    public required string Role { get; set; }
    public string Site { get; set; } = "";
}

/// <summary>An API key: its public prefix and the hash of its secret, never the secret.</summary>
public sealed class ApiKeyRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public string? Site { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required string SecretHash { get; set; }
    /// <summary>Comma-separated permissions, e.g. <c>ingest,read</c>.</summary>
    public required string Permissions { get; set; }
    public required string CreatedBy { get; set; }
    public long CreatedAt { get; set; }
    public long? ExpiresAt { get; set; }
    public long? RevokedAt { get; set; }
    public long? LastUsedAt { get; set; }
}
