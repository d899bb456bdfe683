using Microsoft.AspNetCore.DataProtection;
using System.Security.Claims;
using System.Threading.RateLimiting;
using GreenLoop.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace GreenLoop.Server.Security;

/// <summary>
/// Sign-in (cookie) and API keys, permission policies, rate limits, request size limits, anti-forgery for cookie
/// callers of the API, and security headers.
/// </summary>
public static class SecurityHosting
{
    /// <summary>The default scheme: an API key when the request presents one, else the sign-in cookie.</summary>
    public const string Scheme = "GreenLoop";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string SignInLimit = "sign-in";
    public const string IngestLimit = "ingest";
    public const string CsrfHeader = "X-CSRF-TOKEN";

    /// <summary>The policy of the platform administration API: a platform operator key.</summary>
    public const string PlatformPolicy = "platform";

    public static IServiceCollection AddGreenLoopSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        services.AddHttpContextAccessor();
        services.AddSingleton<UserService>();
        services.AddSingleton<TenantStatus>();
        services.AddSingleton<ApiKeyUsage>();
        services.AddHostedService<SecurityBootstrap>();
        // Stored secrets are encrypted with Data Protection, its key ring outside the database (0700 folder).
        var dataDirectory = configuration["GreenLoop:DataDirectory"] is { Length: > 0 } d ? d : "data";
        var keyFolder = options.KeyFolder(dataDirectory);
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(keyFolder);
        else if (!Directory.Exists(keyFolder)) Directory.CreateDirectory(keyFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // The audit trail's anchor outside the database (signed checkpoints; see docs/security.md).
        services.AddSingleton(options.AuditAnchor(dataDirectory, create: true)!);
        services.AddHostedService<AuditAnchorStart>();
        services.AddDataProtection().SetApplicationName("GreenLoop").PersistKeysToFileSystem(new DirectoryInfo(keyFolder));
        // The platform operator's keys, beside the key ring (not in the database).
        services.AddSingleton(PlatformKeys.In(keyFolder));
        services.AddSingleton<ISecretProtector, DataProtectionSecrets>();
        services.AddHostedService<SecretsAtRest>();
        services.AddExceptionHandler<RefusedRequestHandler>();
        services.Configure<KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = options.MaxRequestMegabytes * 1024L * 1024L);

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key, platform key or sign-in", o =>
                o.ForwardDefaultSelector = http =>
                    ApiKeyAuthenticationHandler.Presented(http.Request) is not null ? ApiKeyAuthenticationHandler.SchemeName
                    : PlatformKeys.Presented(http.Request) is not null ? PlatformKeyAuthenticationHandler.SchemeName
                    : CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, PlatformKeyAuthenticationHandler>(PlatformKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "greenloop.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(options.SessionHours);
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/login";
                o.Events.OnRedirectToLogin = context => ApiOrRedirect(context, StatusCodes.Status401Unauthorized,
                    "sign in, or present an API key in X-Api-Key");
                o.Events.OnRedirectToAccessDenied = context => ApiOrRedirect(context, StatusCodes.Status403Forbidden, Denied(context.HttpContext));
                o.Events.OnValidatePrincipal = RefreshPrincipalAsync;
            });

        services.AddSingleton<IAuthorizationHandler, PermissionHandler>();
        services.AddAuthorizationBuilder()
            // A platform key passes the platform policy only: everything else (pages, tenant routes) refuses it.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.FindFirstValue(Permissions.KindClaim) != PlatformKeyAuthenticationHandler.Kind).Build())
            .AddPolicy(PlatformPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireClaim(Permissions.KindClaim, PlatformKeyAuthenticationHandler.Kind))
            .AddPermissionPolicies();
        services.AddAntiforgery(o => o.HeaderName = CsrfHeader);

        services.AddSingleton(new IngestRowLimiter(options.IngestRowsPerSecond, options.IngestRowsBurst));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Results.Problem(title: "Too many requests", statusCode: 429,
                    detail: "this client sent more requests than allowed; wait and retry (see Retry-After)").ExecuteAsync(context.HttpContext);
            };
            o.AddPolicy(SignInLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignInPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.AddPolicy(IngestLimit, http => RateLimitPartition.GetTokenBucketLimiter(
                http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.IngestBurst,
                    TokensPerPeriod = options.IngestPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                }));
        });
        return services;
    }

    private static AuthorizationBuilder AddPermissionPolicies(this AuthorizationBuilder builder)
    {
        foreach (var permission in Permissions.All)
            builder.AddPolicy(PermissionRequirement.PolicyName(permission), p => p.AddAuthenticationSchemes(Scheme).AddRequirements(new PermissionRequirement(permission)));
        return builder;
    }

    /// <summary>Why a request was refused, naming the permission the endpoint needs and the site asked for.</summary>
    internal static string Denied(HttpContext http)
    {
        var needed = http.GetEndpoint()?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()
            .Select(a => a.Policy).FirstOrDefault(p => p?.StartsWith("perm:", StringComparison.Ordinal) == true)?["perm:".Length..];
        var site = PermissionHandler.SiteOf(http);
        if (needed is null) return "your roles (or this key's permissions) do not allow this request, or not for this site";
        return site is null
            ? $"this needs the permission '{needed}'; your roles (or this key's permissions) do not grant it"
            : $"this needs the permission '{needed}' for site '{site}'; your roles (or this key's permissions) do not grant it there";
    }

    private static Task ApiOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status, string detail)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
        context.Response.StatusCode = status;
        return Results.Problem(title: status == 401 ? "Authentication required" : "Not allowed", statusCode: status, detail: detail).ExecuteAsync(context.HttpContext);
    }

    /// <summary>A signed-in user's roles are read again on every request, so a role change or a disabled account takes effect at once.</summary>
    /// <remarks>
    /// A session ends when its user signed out or changed password after it began (server-side revocation: a copied
    /// cookie stops working too), and at the latest <see cref="SecurityOptions.SessionAbsoluteHours"/> after sign-in,
    /// however active it stays.
    /// </remarks>
    private static async Task RefreshPrincipalAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var services = context.HttpContext.RequestServices;
        var store = services.GetRequiredService<IUserCatalog>();
        var absolute = TimeSpan.FromHours(services.GetRequiredService<IOptions<SecurityOptions>>().Value.SessionAbsoluteHours);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds();
        if (principal is null
            || !long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            || !long.TryParse(principal.FindFirstValue(Permissions.TenantClaim), out var tenant)
            || !long.TryParse(principal.FindFirstValue(UserService.IssuedClaim), out var issued)
            || now - issued > (long)absolute.TotalMilliseconds
            || await store.GetUserAsync(tenant, id, context.HttpContext.RequestAborted) is not { Disabled: false } user
            || issued < user.SessionsValidAfter
            || await services.GetRequiredService<TenantStatus>().IsDisabledAsync(tenant, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
            return;
        }
        context.ReplacePrincipal(UserService.Principal(user, CookieScheme, issued));
    }

    /// <summary>Signs the caller out and ends, on the server, every session of theirs that began before now.</summary>
    public static async Task SignOutEverywhereAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var services = http.RequestServices;
        if (long.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) && http.User.FindFirstValue(Permissions.KindClaim) == "user")
            await services.GetRequiredService<IUserCatalog>().RevokeSessionsAsync(id, services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds(), http.RequestAborted);
        await http.SignOutAsync(CookieScheme);
    }

    /// <summary>Security headers, static files (public), then authentication, rate limits, authorization and anti-forgery.</summary>
    public static WebApplication UseGreenLoopSecurity(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
                "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
            await next();
        });
        var maxMegabytes = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.MaxRequestMegabytes;
        app.Use(async (context, next) =>
        {
            // Kestrel's limit only bites once a handler reads the body (an exception inside it, and no limit at all on
            // other hosts); a declared length over the limit is answered here, at once. Uploads (multipart) have their own.
            var request = context.Request;
            if (request.ContentLength > maxMegabytes * 1024L * 1024L
                && request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) != true)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await Results.Problem(title: "Request body too large", statusCode: StatusCodes.Status413PayloadTooLarge,
                    detail: $"the body has {request.ContentLength} bytes; at most {maxMegabytes} MB are accepted (GreenLoop:Security:MaxRequestMegabytes)").ExecuteAsync(context);
                return;
            }
            await next();
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.Use(async (context, next) =>
        {
            // A browser sends the sign-in cookie with any request to this host, so an API change made with the cookie
            // must also carry the page's anti-forgery token (the pages' scripts send it in X-CSRF-TOKEN).
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method)
                && context.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieScheme })
            {
                var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
                if (!await antiforgery.IsRequestValidAsync(context))
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await Results.Problem(title: "Missing or invalid anti-forgery token", statusCode: 400,
                        detail: "reload the page and try again (requests made with the sign-in cookie must carry the page's X-CSRF-TOKEN)").ExecuteAsync(context);
                    return;
                }
            }
            await next();
        });
        return app;
    }
}
