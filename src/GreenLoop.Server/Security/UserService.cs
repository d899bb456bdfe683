using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using GreenLoop.Storage;
using Microsoft.AspNetCore.Identity;

namespace GreenLoop.Server.Security;

/// <summary>The outcome of a sign-in attempt.</summary>
public enum SignInStatus { Succeeded, Failed, LockedOut, Disabled }

/// <summary>
/// The outcome of a sign-in attempt. <see cref="LockStarted"/>: this attempt began a lock-out (audited once); a
/// refused attempt during one says nothing more than a wrong password does.
/// </summary>
public sealed record SignInResult(SignInStatus Status, StoredUser? User, DateTimeOffset? LockedUntil = null, bool LockStarted = false);

/// <summary>
/// Users: creation with roles, sign-in with ASP.NET Core Identity's password hasher (PBKDF2) and lock-out after
/// repeated failures, and the claims a signed-in user carries. Passwords are never stored or logged in clear.
/// <para>
/// Lock-out is per account <em>and</em> client address: <see cref="MaxFailures"/> wrong passwords from one address lock
/// that address out of that account for <see cref="LockOut"/>, so an anonymous attacker cannot lock the administrator
/// out from anywhere else (the per-address sign-in rate limit bounds how fast any address may guess). An unknown name,
/// a wrong password, a disabled account and a locked-out address get the same answer after the same work (one
/// password hash check), so the answer tells nothing about which names exist.
/// </para>
/// </summary>
public sealed class UserService(IUserCatalog store, TimeProvider clock, TenantStatus? tenants = null)
{
    /// <summary>Failures in a row (from one address) that lock that address out of the account.</summary>
    public const int MaxFailures = 5;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(long User, string Address), (int Failures, long LockedUntil)> _failures = new();

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

    /// <summary>Most accounts one sign-in name is looked up in when no tenant is given.</summary>
    public const int MaxNamesakes = 16;

    /// <summary>
    /// A sign-in attempt from <paramref name="address"/> (the client's IP address). User names are unique within a
    /// tenant: with <paramref name="tenantKey"/> the account is that tenant's; without, it is the only account of that
    /// name, or, when several tenants use the name, the one whose password this is (if exactly one is).
    /// </summary>
    public async Task<SignInResult> SignInAsync(string? tenantKey, string userName, string password, string address, CancellationToken ct)
    {
        IReadOnlyList<StoredUser> candidates;
        if (string.IsNullOrEmpty(tenantKey)) candidates = await store.FindUsersAsync(userName, MaxNamesakes, ct);
        else
        {
            // The server always has the tenant status; a UserService without it (the command line) does not sign in.
            var tenantId = tenants is null ? null : await tenants.IdOfAsync(tenantKey, ct);
            candidates = tenantId is { } id && await store.FindUserAsync(id, userName, ct) is { } found ? [found] : [];
        }
        switch (candidates.Count)
        {
            case 0:
                // Same work as a real check, so the answer time does not tell which names exist.
                _hasher.VerifyHashedPassword(new StoredUser { TenantId = 0, UserName = "", PasswordHash = "" }, DummyHash, password);
                return new SignInResult(SignInStatus.Failed, null);
            case 1:
                return await AttemptAsync(candidates[0], password, address, ct);
        }
        var matching = candidates.Where(c => _hasher.VerifyHashedPassword(c, c.PasswordHash, password) != PasswordVerificationResult.Failed).ToList();
        if (matching is [var only]) return await AttemptAsync(only, password, address, ct);
        if (matching.Count > 1) return new SignInResult(SignInStatus.Failed, null);
        // A wrong password counts against every account of that name (from this address).
        SignInResult last = new(SignInStatus.Failed, null);
        foreach (var candidate in candidates) last = await AttemptAsync(candidate, password, address, ct);
        return last;
    }

    /// <summary>A password check of one known account: lock-out, disabled account or tenant, failure counting.</summary>
    public async Task<SignInResult> AttemptAsync(StoredUser user, string password, string address, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var key = (user.Id, address);
        Prune(nowMs);
        // The hash is checked in every case, locked or not, so every refusal costs the same.
        var verdict = _hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (_failures.TryGetValue(key, out var state) && state.LockedUntil > nowMs)
            return new SignInResult(SignInStatus.LockedOut, user, DateTimeOffset.FromUnixTimeMilliseconds(state.LockedUntil));
        if (user.Disabled) return new SignInResult(SignInStatus.Disabled, user);
        // A disabled tenant's users are refused like a disabled account.
        if (tenants is not null && await tenants.IsDisabledAsync(user.TenantId, ct)) return new SignInResult(SignInStatus.Disabled, user);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var failures = (state.LockedUntil > 0 ? 0 : state.Failures) + 1;
            if (failures < MaxFailures)
            {
                _failures[key] = (failures, 0);
                await store.RecordSignInAsync(user.Id, Math.Min(user.FailedCount + 1, int.MaxValue), user.LockedUntil, ct);
                return new SignInResult(SignInStatus.Failed, user);
            }
            var until = (now + LockOut).ToUnixTimeMilliseconds();
            _failures[key] = (0, until);
            // Kept on the account for the users page ("locked out from an address until …"); sign-in itself goes by the address.
            await store.RecordSignInAsync(user.Id, 0, until, ct);
            return new SignInResult(SignInStatus.LockedOut, user, DateTimeOffset.FromUnixTimeMilliseconds(until), LockStarted: true);
        }
        _failures.TryRemove(key, out _);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            await store.UpdateUserAsync(user with { PasswordHash = _hasher.HashPassword(user, password), FailedCount = 0, LockedUntil = null }, ct);
        else
            await store.RecordSignInAsync(user.Id, 0, user.LockedUntil is { } l && l > nowMs ? l : null, ct);
        return new SignInResult(SignInStatus.Succeeded, user);
    }

    /// <summary>Forgets failures and lock-outs that have run out, so the table stays small.</summary>
    private void Prune(long nowMs)
    {
        if (_failures.Count < 10_000) return;
        foreach (var (k, v) in _failures)
            if (v.LockedUntil < nowMs && (v.LockedUntil > 0 || _failures.Count > 10_000)) _failures.TryRemove(k, out _);
    }

    private static readonly string DummyHash = new PasswordHasher<StoredUser>().HashPassword(new StoredUser { TenantId = 0, UserName = "", PasswordHash = "" }, "not a password");

    /// <summary>The claim holding when a sign-in was made (Unix ms): sessions are revoked and capped by it.</summary>
    public const string IssuedClaim = "gl:issued";

    /// <summary>
    /// The claims of a signed-in user: id, name, tenant, when the sign-in was made (<paramref name="issuedAt"/>, kept
    /// when the principal is refreshed) and one grant per permission of each role and scope.
    /// </summary>
    public static ClaimsPrincipal Principal(StoredUser user, string scheme, long issuedAt)
    {
        ArgumentNullException.ThrowIfNull(user);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, user.UserName),
            new(Permissions.TenantClaim, user.TenantId.ToString(CultureInfo.InvariantCulture)),
            new(Permissions.KindClaim, "user"),
            new(IssuedClaim, issuedAt.ToString(CultureInfo.InvariantCulture)),
        };
        if (user.DisplayName is not null) claims.Add(new Claim(ClaimTypes.GivenName, user.DisplayName));
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r.Site is null ? r.Role : $"{r.Role}@{r.Site}")));
        claims.AddRange(user.Roles.SelectMany(r => Roles.PermissionsOf(r.Role).Select(p => Permissions.Grant(p, r.Site))).DistinctBy(c => c.Value));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
