using System.Security.Claims;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;
using GreenLoop.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GreenLoop.Server.Api;

/// <summary>
/// Signing in: user name and password, and the organisation (tenant key) when the user name is used in several
/// organisations (user names are unique within one).
/// </summary>
public sealed record SignInRequest(string? UserName, string? Password, string? Tenant = null);

/// <summary>A signed-in user's own password change.</summary>
public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword);

public sealed record MeView(string Name, string? DisplayName, string Kind, long Tenant, IReadOnlyList<string> Roles, IReadOnlyList<string> Permissions);

public sealed record UserView(long Id, string UserName, string? DisplayName, bool Disabled, bool LockedOut, IReadOnlyList<StoredRole> Roles, DateTimeOffset CreatedAt);

/// <summary>Creating or changing a user: every field optional (a change leaves out what it keeps; a new user needs a name and roles).</summary>
public sealed record UserRequest(string? UserName = null, string? DisplayName = null, string? Password = null, bool Disabled = false, IReadOnlyList<StoredRole>? Roles = null);

/// <summary>The answer to creating a user: the user and, if none was given, the generated password (shown only here).</summary>
public sealed record CreatedUser(UserView User, string? GeneratedPassword);

/// <summary>Creating an API key: a name and permissions; a site to limit it to and an expiry are optional.</summary>
public sealed record ApiKeyRequest(string? Name = null, string? Site = null, IReadOnlyList<string>? Permissions = null, int? ExpiresInDays = null);

public sealed record ApiKeyView(long Id, string Name, string Prefix, string? Site, IReadOnlyList<string> Permissions, string CreatedBy,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

/// <summary>The answer to creating a key: the full key, shown only here (only its hash is stored).</summary>
public sealed record CreatedApiKey(ApiKeyView ApiKey, string Key);

/// <summary>Sign-in and sign-out, who am I, and the administration of users and API keys.</summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").WithTags("Sign-in");
        auth.MapPost("/sign-in", SignIn).AllowAnonymous().RequireRateLimiting(SecurityHosting.SignInLimit).WithSummary("Sign in with user name and password, and the organisation (tenant key) if the name is used in several (sets the sign-in cookie); 5 failures from one address lock that address out for 15 min");
        auth.MapPost("/sign-out", SignOut).WithSummary("Sign out: clears the cookie and ends, on the server, every session of the user that began before now");
        auth.MapPost("/password", ChangePassword).RequireRateLimiting(SecurityHosting.SignInLimit)
            .WithSummary("Change your own password (signed-in users): the current one, then the new one (at least 10 characters); other sessions end");
        auth.MapGet("/me", Me).WithSummary("Who the request acts as: user or key, tenant, roles and permissions");

        var users = app.MapGroup("/api/v1/users").WithTags("Users and keys").RequirePermission(Permissions.Admin);
        users.MapGet("/", ListUsers).WithSummary("Users of the tenant with their roles");
        users.MapPost("/", CreateUser).WithSummary("Create a user; without a password one is generated and returned once");
        users.MapPut("/{id:long}", UpdateUser).WithSummary("Change display name, roles, disabled, or set a new password");

        var keys = app.MapGroup("/api/v1/api-keys").WithTags("Users and keys").RequirePermission(Permissions.Admin);
        keys.MapGet("/", ListKeys).WithSummary("API keys of the tenant (never their secrets)");
        keys.MapPost("/", CreateKey).WithSummary("Create a key for a gateway (ingest) or an integration (read), for the tenant or one site; the key is returned once");
        keys.MapDelete("/{id:long}", RevokeKey).WithSummary("Revoke a key; requests with it fail from now on");
        return app;
    }

    [NotAudited]
    internal static async Task<IResult> SignIn(SignInRequest body, UserService users, GreenLoop.Pipeline.Trace.Audit.AuditTrail audit, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(body.UserName) || string.IsNullOrEmpty(body.Password))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["signIn"] = ["userName and password are required"] });
        var result = await users.SignInAsync(body.Tenant, body.UserName, body.Password, http.Connection.RemoteIpAddress?.ToString() ?? "", ct);
        switch (result.Status)
        {
            case SignInStatus.Succeeded:
                var principal = UserService.Principal(result.User!, SecurityHosting.CookieScheme, clock.GetUtcNow().ToUnixTimeMilliseconds());
                await http.SignInAsync(SecurityHosting.CookieScheme, principal);
                await audit.RecordAsync(result.User!.TenantId, result.User.UserName, "auth.sign-in", $"user:{result.User.UserName}", null, ct);
                return TypedResults.Ok(MeOf(principal));
            default:
                // The lock-out is recorded once, when it begins; attempts during it are not (the log stays bounded).
                if (result is { LockStarted: true, User: { } locked })
                    await audit.RecordAsync(locked.TenantId, locked.UserName, "auth.locked-out", $"user:{locked.UserName}",
                        new { address = http.Connection.RemoteIpAddress?.ToString(), until = result.LockedUntil }, ct);
                // One answer for an unknown name, a wrong password, a disabled account and a locked-out address: it does not tell which.
                return TypedResults.Problem(title: "Sign-in failed", statusCode: StatusCodes.Status401Unauthorized, detail: SignInFailed);
        }
    }

    /// <summary>The one answer to every refused sign-in.</summary>
    public const string SignInFailed = "the user name or password is wrong (if your user name is used in several organisations, give your organisation too), or the account is disabled, or too many failed sign-ins from this address locked it for 15 minutes";

    /// <summary>
    /// A user changes their own password: the current one must be right (a wrong one counts as a failed sign-in from
    /// this address); every other session of the user ends and this one is renewed. Audited without the passwords.
    /// </summary>
    [NotAudited]
    internal static async Task<IResult> ChangePassword(PasswordChangeRequest body, UserService users, IUserCatalog store,
        GreenLoop.Pipeline.Trace.Audit.AuditTrail audit, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (http.User.FindFirstValue(Permissions.KindClaim) != "user"
            || !long.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            || !long.TryParse(http.User.FindFirstValue(Permissions.TenantClaim), out var tenantId)
            || await store.GetUserAsync(tenantId, id, ct) is not { } user)
            return TypedResults.Problem(title: "Not a user", statusCode: StatusCodes.Status403Forbidden, detail: "only a signed-in user changes their own password; an API key has none");
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(body.CurrentPassword)) errors["currentPassword"] = ["required"];
        if (UserService.Validate(user.UserName, body.NewPassword ?? "", user.Roles) is { Count: > 0 } problems) errors["newPassword"] = [.. problems];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var check = await users.AttemptAsync(user, body.CurrentPassword!, http.Connection.RemoteIpAddress?.ToString() ?? "", ct);
        if (check.Status != SignInStatus.Succeeded)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["currentPassword"] = ["the current password is wrong"] });
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await store.UpdateUserAsync(user with { PasswordHash = users.HashPassword(user, body.NewPassword!), FailedCount = 0, LockedUntil = null, SessionsValidAfter = now }, ct);
        // This session goes on under a sign-in issued now; every earlier one (other devices, copies) has ended.
        await http.SignInAsync(SecurityHosting.CookieScheme, UserService.Principal(user, SecurityHosting.CookieScheme, now));
        await audit.RecordAsync(user.TenantId, user.UserName, "auth.password-changed", $"user:{user.UserName}", null, ct);
        return TypedResults.NoContent();
    }

    [NotAudited]
    internal static async Task<IResult> SignOut(HttpContext http, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        await SecurityHosting.SignOutEverywhereAsync(http);
        return TypedResults.NoContent();
    }

    internal static Ok<MeView> Me(HttpContext http) => TypedResults.Ok(MeOf(http.User));

    private static MeView MeOf(ClaimsPrincipal user) => new(
        user.Identity?.Name ?? "",
        user.FindFirstValue(ClaimTypes.GivenName),
        user.FindFirstValue(Permissions.KindClaim) ?? "",
        long.Parse(user.FindFirstValue(Permissions.TenantClaim) ?? "0", System.Globalization.CultureInfo.InvariantCulture),
        user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList(),
        user.FindAll(Permissions.ClaimType).Select(c => c.Value).ToList());

    private static UserView View(StoredUser u, TimeProvider clock) => new(u.Id, u.UserName, u.DisplayName, u.Disabled,
        u.LockedUntil is { } until && until > clock.GetUtcNow().ToUnixTimeMilliseconds(), u.Roles, DateTimeOffset.FromUnixTimeMilliseconds(u.CreatedAt));

    internal static async Task<Ok<List<UserView>>> ListUsers(IUserCatalog store, TenantContext tenant, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok((await store.ListUsersAsync(tenant.TenantId, ct)).Select(u => View(u, clock)).ToList());

    private static async Task<List<string>> RoleErrorsAsync(IReadOnlyList<StoredRole> roles, ISiteCatalog sites, long tenantId, CancellationToken ct)
    {
        var known = (await sites.ListSitesAsync(tenantId, ct)).Select(s => s.Definition.Key).ToHashSet(StringComparer.Ordinal);
        return roles.Where(r => r.Site is not null && !known.Contains(r.Site)).Select(r => $"roles: site '{r.Site}' does not exist in this tenant").ToList();
    }

    internal static async Task<IResult> CreateUser(UserRequest body, UserService users, ISiteCatalog sites, TenantContext tenant, TimeProvider clock, CancellationToken ct)
    {
        var roles = body.Roles ?? [];
        var errors = UserService.Validate(body.UserName, body.Password, roles).Concat(await RoleErrorsAsync(roles, sites, tenant.TenantId, ct)).ToList();
        if (errors.Count > 0) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["user"] = [.. errors] });
        var password = body.Password ?? UserService.GeneratePassword();
        var created = await users.CreateAsync(tenant.TenantId, body.UserName!, body.DisplayName, password, roles, ct);
        if (created is null) return TypedResults.Problem(title: "User name taken", statusCode: 409, detail: $"a user named '{body.UserName}' exists already");
        return TypedResults.Created($"/api/v1/users/{created.Id}", new CreatedUser(View(created, clock), body.Password is null ? password : null));
    }

    internal static async Task<IResult> UpdateUser(long id, UserRequest body, UserService users, IUserCatalog store, ISiteCatalog sites, TenantContext tenant, TimeProvider clock, CancellationToken ct)
    {
        var user = await store.GetUserAsync(tenant.TenantId, id, ct);
        if (user is null) return TypedResults.NotFound();
        var roles = body.Roles ?? user.Roles;
        var errors = UserService.Validate(user.UserName, body.Password, roles).Concat(await RoleErrorsAsync(roles, sites, tenant.TenantId, ct)).ToList();
        if (errors.Count > 0) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["user"] = [.. errors] });
        var updated = user with
        {
            DisplayName = body.DisplayName ?? user.DisplayName,
            Disabled = body.Disabled,
            Roles = roles,
            PasswordHash = body.Password is null ? user.PasswordHash : users.HashPassword(user, body.Password),
            FailedCount = body.Password is null ? user.FailedCount : 0,
            LockedUntil = body.Password is null ? user.LockedUntil : null,
            // A password set by an administrator ends the user's sessions.
            SessionsValidAfter = body.Password is null ? user.SessionsValidAfter : clock.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        await store.UpdateUserAsync(updated, ct);
        return TypedResults.Ok(View(updated, clock));
    }

    private static ApiKeyView View(StoredApiKey k) => new(k.Id, k.Name, k.Prefix, k.Site, k.Permissions, k.CreatedBy,
        DateTimeOffset.FromUnixTimeMilliseconds(k.CreatedAt), Instant(k.ExpiresAt), Instant(k.RevokedAt), Instant(k.LastUsedAt));

    private static DateTimeOffset? Instant(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    internal static async Task<Ok<List<ApiKeyView>>> ListKeys(IUserCatalog store, TenantContext tenant, CancellationToken ct) =>
        TypedResults.Ok((await store.ListApiKeysAsync(tenant.TenantId, ct)).Select(View).ToList());

    internal static async Task<IResult> CreateKey(ApiKeyRequest body, IUserCatalog store, ISiteCatalog sites, TenantContext tenant, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 64) errors.Add("name: 1-64 characters");
        var permissions = body.Permissions ?? [];
        if (permissions.Count == 0) errors.Add($"permissions: at least one of {string.Join(", ", Permissions.ForKeys)}");
        errors.AddRange(permissions.Where(p => !Permissions.ForKeys.Contains(p)).Select(p => $"permissions: '{p}' cannot be given to a key; use {string.Join(", ", Permissions.ForKeys)}"));
        if (body.Site is not null && await sites.GetSiteAsync(tenant.TenantId, body.Site, ct) is null) errors.Add($"site: '{body.Site}' does not exist in this tenant");
        if (body.ExpiresInDays is < 1 or > 3650) errors.Add("expiresInDays: 1 to 3650, or leave it out for a key that does not expire");
        if (errors.Count > 0) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["apiKey"] = [.. errors] });
        var now = clock.GetUtcNow();
        var (key, prefix, hash) = ApiKeys.Generate();
        var stored = await store.CreateApiKeyAsync(new StoredApiKey
        {
            TenantId = tenant.TenantId,
            Site = body.Site,
            Name = body.Name!.Trim(),
            Prefix = prefix,
            SecretHash = hash,
            Permissions = permissions.Distinct().ToList(),
            CreatedBy = ApiResults.Actor(http),
            CreatedAt = now.ToUnixTimeMilliseconds(),
            ExpiresAt = body.ExpiresInDays is { } days ? now.AddDays(days).ToUnixTimeMilliseconds() : null,
        }, ct);
        return TypedResults.Created($"/api/v1/api-keys/{stored.Id}", new CreatedApiKey(View(stored), key));
    }

    internal static async Task<Results<NoContent, NotFound>> RevokeKey(long id, IUserCatalog store, TenantContext tenant, TimeProvider clock, CancellationToken ct) =>
        await store.RevokeApiKeyAsync(tenant.TenantId, id, clock.GetUtcNow().ToUnixTimeMilliseconds(), ct) ? TypedResults.NoContent() : TypedResults.NotFound();
}
