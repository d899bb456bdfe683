using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using GreenLoop.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace GreenLoop.Server.Security;

/// <summary>
/// Authenticates a request that presents an API key in <c>X-Api-Key</c> or <c>Authorization: Bearer gl_...</c>. A key
/// that is unknown, revoked, expired or of the wrong shape fails authentication (401) with the reason in the answer.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IUserCatalog store, TimeProvider clock, ApiKeyUsage usage, TenantStatus tenants)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    /// <summary>The key text a request presents, if any.</summary>
    public static string? Presented(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.TryGetValue(Header, out var key) && !string.IsNullOrEmpty(key)) return key.ToString();
        var auth = request.Headers.Authorization.ToString();
        return auth.StartsWith("Bearer gl_", StringComparison.Ordinal) ? auth["Bearer ".Length..] : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var text = Presented(Request);
        if (text is null) return AuthenticateResult.NoResult();
        if (!ApiKeys.TryParse(text, out var prefix, out var secret))
            return Fail("the API key is not a GreenLoop key (gl_xxxxxxxx_...)");
        var key = await store.FindApiKeyAsync(prefix, Context.RequestAborted);
        if (key is null || !ApiKeys.Matches(secret, key.SecretHash)) return Fail("the API key is not known");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (key.RevokedAt is not null) return Fail($"the API key '{key.Name}' was revoked");
        if (key.ExpiresAt is { } expires && expires <= now) return Fail($"the API key '{key.Name}' expired at {DateTimeOffset.FromUnixTimeMilliseconds(expires):yyyy-MM-dd HH:mm} UTC");
        if (await tenants.IsDisabledAsync(key.TenantId, Context.RequestAborted)) return Fail($"the API key '{key.Name}' belongs to a disabled tenant");
        await usage.TouchAsync(key.Id, now, Context.RequestAborted);

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, $"key:{key.Id}"),
            new(ClaimTypes.Name, $"key:{key.Name}"),
            new(Permissions.TenantClaim, key.TenantId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(Permissions.KindClaim, "key"),
        };
        if (key.Site is not null) claims.Add(new Claim(Permissions.SiteClaim, key.Site));
        claims.AddRange(key.Permissions.Select(p => Permissions.Grant(p, key.Site)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[nameof(ApiKeyAuthenticationHandler)] = reason;
        return AuthenticateResult.Fail(reason);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var reason = Context.Items[nameof(ApiKeyAuthenticationHandler)] as string;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Results.Problem(title: "Authentication required", statusCode: 401,
            detail: reason ?? "present an API key in X-Api-Key (or Authorization: Bearer), or sign in").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(title: "Not allowed", statusCode: 403,
            detail: SecurityHosting.Denied(Context)).ExecuteAsync(Context);
    }
}

/// <summary>Records when a key was last used, at most once a minute per key (not a write per request).</summary>
public sealed class ApiKeyUsage(IUserCatalog store)
{
    private readonly ConcurrentDictionary<long, long> _last = new();

    public async Task TouchAsync(long keyId, long now, CancellationToken ct)
    {
        if (_last.TryGetValue(keyId, out var last) && now - last < 60_000) return;
        _last[keyId] = now;
        await store.TouchApiKeyAsync(keyId, now, ct);
    }
}
