using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using GreenLoop.Storage;
using Microsoft.AspNetCore.Identity;

namespace GreenLoop.Server.Security;

/// <summary>The outcome of a sign-in attempt.</summary>
public enum SignInStatus { Succeeded, Failed, LockedOut, Disabled }

public sealed record SignInResult(SignInStatus Status, StoredUser? User, DateTimeOffset? LockedUntil = null);

/// <summary>
/// Users: creation with roles, sign-in with ASP.NET Core Identity's password hasher (PBKDF2) and lock-out after
/// repeated failures, and the claims a signed-in user carries. Passwords are never stored or logged in clear.
/// </summary>
public sealed class UserService(IUserCatalog store, TimeProvider clock)
{
    /// <summary>Failures in a row that lock an account.</summary>
    public const int MaxFailures = 5;

    /// <summary>How long a lock-out lasts.</summary>
    public static readonly TimeSpan LockOut = TimeSpan.FromMinutes(15);

    /// <summary>Shortest password accepted.</summary>
    public const int MinPasswordLength = 10;

    private readonly PasswordHasher<StoredUser> _hasher = new();

    /// <summary>A random password people can type: 16 characters without look-alikes.</summary>
    public static string GeneratePassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(16, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        });
    }

    /// <summary>Every problem with a new user, as sentences naming the field.</summary>
    public static IReadOnlyList<string> Validate(string? userName, string? password, IReadOnlyList<StoredRole> roles)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(userName) || userName.Length > 64 || userName.Any(char.IsWhiteSpace))
            errors.Add("userName: 1-64 characters without spaces");
        if (password is not null && password.Length < MinPasswordLength)
            errors.Add($"password: at least {MinPasswordLength} characters");
        foreach (var role in roles.Where(r => !Roles.All.Contains(r.Role)))
            errors.Add($"roles: '{role.Role}' is not a role; use one of {string.Join(", ", Roles.All)}");
        return errors;
    }

    public async Task<StoredUser?> CreateAsync(long tenantId, string userName, string? displayName, string password, IReadOnlyList<StoredRole> roles, CancellationToken ct)
    {
        var draft = new StoredUser
        {
            TenantId = tenantId,
            UserName = userName,
            DisplayName = displayName,
            PasswordHash = "",
            CreatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            Roles = roles,
        };
        return await store.CreateUserAsync(draft with { PasswordHash = _hasher.HashPassword(draft, password) }, ct);
    }

    public string HashPassword(StoredUser user, string password) => _hasher.HashPassword(user, password);

    public async Task<SignInResult> SignInAsync(string userName, string password, CancellationToken ct)
    {
        var user = await store.FindUserAsync(userName, ct);
        if (user is null)
        {
            // Same work as a real check, so the answer time does not tell which names exist.
            _hasher.VerifyHashedPassword(new StoredUser { TenantId = 0, UserName = "", PasswordHash = "" }, DummyHash, password);
            return new SignInResult(SignInStatus.Failed, null);
        }
        var now = clock.GetUtcNow();
        if (user.LockedUntil is { } until && until > now.ToUnixTimeMilliseconds())
            return new SignInResult(SignInStatus.LockedOut, user, DateTimeOffset.FromUnixTimeMilliseconds(until));
        if (user.Disabled) return new SignInResult(SignInStatus.Disabled, user);
        var verdict = _hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var failures = user.FailedCount + 1;
            long? lockedUntil = failures >= MaxFailures ? (now + LockOut).ToUnixTimeMilliseconds() : null;
            await store.RecordSignInAsync(user.Id, lockedUntil is null ? failures : 0, lockedUntil, ct);
            return lockedUntil is null
                ? new SignInResult(SignInStatus.Failed, user)
                : new SignInResult(SignInStatus.LockedOut, user, DateTimeOffset.FromUnixTimeMilliseconds(lockedUntil.Value));
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            await store.UpdateUserAsync(user with { PasswordHash = _hasher.HashPassword(user, password), FailedCount = 0, LockedUntil = null }, ct);
        else
            await store.RecordSignInAsync(user.Id, 0, null, ct);
        return new SignInResult(SignInStatus.Succeeded, user);
    }

    private static readonly string DummyHash = new PasswordHasher<StoredUser>().HashPassword(new StoredUser { TenantId = 0, UserName = "", PasswordHash = "" }, "not a password");

    /// <summary>The claims of a signed-in user: id, name, tenant and one grant per permission of each role and scope.</summary>
    public static ClaimsPrincipal Principal(StoredUser user, string scheme)
    {
        ArgumentNullException.ThrowIfNull(user);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, user.UserName),
            new(Permissions.TenantClaim, user.TenantId.ToString(CultureInfo.InvariantCulture)),
            new(Permissions.KindClaim, "user"),
        };
        if (user.DisplayName is not null) claims.Add(new Claim(ClaimTypes.GivenName, user.DisplayName));
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r.Site is null ? r.Role : $"{r.Role}@{r.Site}")));
        claims.AddRange(user.Roles.SelectMany(r => Roles.PermissionsOf(r.Role).Select(p => Permissions.Grant(p, r.Site))).DistinctBy(c => c.Value));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
