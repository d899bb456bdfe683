using Microsoft.AspNetCore.Http.Headers;
using Microsoft.AspNetCore.Localization;
using Microsoft.Net.Http.Headers;

namespace GreenLoop.Server.Web;

/// <summary>
/// The two languages of the web UI and how a request picks one: the <c>lang</c> cookie set by <c>/lang/{code}</c>,
/// otherwise the browser's most preferred Accept-Language (any <c>zh*</c> means zh-CN), otherwise English.
/// </summary>
public static class UiLanguage
{
    public const string Chinese = "zh-CN";
    public const string English = "en";
    public const string CookieName = "lang";

    /// <summary>The supported codes, in the order the language switch shows them.</summary>
    public static IReadOnlyList<string> All { get; } = [Chinese, English];

    /// <summary>Maps a code (any case, <c>zh</c> and <c>zh-*</c> included) to a supported one, or null.</summary>
    public static string? Normalize(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        code = code.Trim();
        if (code.Equals(English, StringComparison.OrdinalIgnoreCase) || code.StartsWith("en-", StringComparison.OrdinalIgnoreCase))
        {
            return English;
        }

        if (code.Equals("zh", StringComparison.OrdinalIgnoreCase) || code.StartsWith("zh-", StringComparison.OrdinalIgnoreCase))
        {
            return Chinese;
        }

        return null;
    }

    /// <summary>The language of one request; never null.</summary>
    public static string Resolve(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Normalize(request.Cookies[CookieName]) is { } fromCookie)
        {
            return fromCookie;
        }

        RequestHeaders headers = request.GetTypedHeaders();
        return FromAcceptLanguage(headers.AcceptLanguage);
    }

    /// <summary>
    /// The language the localization middleware chose for this request, or <see cref="Resolve"/> where it did not run.
    /// </summary>
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var feature = context.Features.Get<IRequestCultureFeature>();
        return Normalize(feature?.RequestCulture.UICulture.Name) ?? Resolve(context.Request);
    }

    /// <summary>zh-CN when the most preferred language (highest quality, first on ties) is any zh*, else English.</summary>
    public static string FromAcceptLanguage(IList<StringWithQualityHeaderValue> acceptLanguage)
    {
        ArgumentNullException.ThrowIfNull(acceptLanguage);
        StringWithQualityHeaderValue? best = null;
        foreach (var candidate in acceptLanguage)
        {
            // q=0 means "not acceptable"; on equal quality the earlier entry wins, as the header's order says.
            double quality = candidate.Quality ?? 1;
            if (quality > 0 && (best is null || quality > (best.Quality ?? 1)))
            {
                best = candidate;
            }
        }

        string? tag = best?.Value.Value;
        return tag is not null && tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Chinese : English;
    }
}
