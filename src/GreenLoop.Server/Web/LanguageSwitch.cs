namespace GreenLoop.Server.Web;

/// <summary>
/// <c>GET /lang/{code}</c>: remembers the chosen language in the <c>lang</c> cookie for a year and sends the browser
/// back to the page it came from. Only a Referer on this very host (host and port) is followed, and only its
/// path and query are used, so the endpoint can never redirect to another site.
/// </summary>
internal static class LanguageSwitch
{
    private static readonly TimeSpan _cookieLifetime = TimeSpan.FromDays(365);

    public static IResult Handle(string code, HttpContext context)
    {
        if (UiLanguage.Normalize(code) is not { } language)
        {
            return TypedResults.NotFound();
        }

        var request = context.Request;
        var pathBase = request.PathBase.HasValue ? request.PathBase.Value! : "/";
        context.Response.Cookies.Append(UiLanguage.CookieName, language, new CookieOptions
        {
            Path = pathBase,
            MaxAge = _cookieLifetime,
            HttpOnly = true,
            Secure = request.IsHttps,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
        });
        return TypedResults.LocalRedirect(ReturnPath(request));
    }

    /// <summary>The Referer's path and query when it points at this host, else the app's root.</summary>
    internal static string ReturnPath(HttpRequest request)
    {
        var fallback = request.PathBase.HasValue ? request.PathBase.Value! : "/";
        var referer = request.Headers.Referer.ToString();
        if (!Uri.TryCreate(referer, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return fallback;
        }

        var target = uri.PathAndQuery;
        // A path like //evil.example or /\evil.example would leave the site; LocalRedirect refuses those too.
        var isLocal = target.StartsWith('/') && !target.StartsWith("//", StringComparison.Ordinal)
            && !target.StartsWith("/\\", StringComparison.Ordinal);
        var isLanguageSwitch = target.StartsWith(fallback.TrimEnd('/') + "/lang/", StringComparison.OrdinalIgnoreCase);
        return isLocal && !isLanguageSwitch ? target : fallback;
    }
}
