using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace GreenLoop.Server.Security;

/// <summary>
/// Authenticates a request that presents a platform operator key (<see cref="PlatformKeys"/>). The principal has kind
/// <c>platform</c>, no tenant and no permission: it passes only the platform policy, and every tenant route refuses it.
/// </summary>
public sealed class PlatformKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, PlatformKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PlatformKey";
    public const string Kind = "platform";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PlatformKeys.Presented(Request) is not { } text) return Task.FromResult(AuthenticateResult.NoResult());
        if (keys.Authenticate(text) is not { } key)
        {
            Context.Items[nameof(PlatformKeyAuthenticationHandler)] = "the platform key is not known or was revoked";
            return Task.FromResult(AuthenticateResult.Fail("the platform key is not known or was revoked"));
        }
        var claims = new[]
        {
            new Claim(ClaimTypes.NameIdentifier, $"platform:{key.Name}"),
            new Claim(ClaimTypes.Name, $"platform:{key.Name}"),
            new Claim(Permissions.KindClaim, Kind),
        };
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Results.Problem(title: "Authentication required", statusCode: 401,
            detail: Context.Items[nameof(PlatformKeyAuthenticationHandler)] as string ?? "present a platform key in X-Platform-Key").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(title: "Not allowed", statusCode: 403,
            detail: "a platform key allows only the platform administration API (/api/v1/platform/...)").ExecuteAsync(Context);
    }
}
