using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GreenLoop.Server.Tests.Isolation;

/// <summary>One method of one route as the app maps it; <see cref="Pattern"/> without constraints or a trailing slash.</summary>
internal sealed record AppRoute(string Method, string Pattern, IReadOnlyList<string> Parameters)
{
    public string Name => $"{Method} {Pattern}";

    public bool IsApi => Pattern.StartsWith("/api/", StringComparison.Ordinal);

    /// <summary>The path with each parameter replaced by its (escaped) value.</summary>
    public string Fill(IReadOnlyDictionary<string, string> values) =>
        AppRoutes.ParameterPattern().Replace(Pattern, m => Uri.EscapeDataString(values[m.Groups[1].Value]));
}

/// <summary>Every route the running app maps, read from its endpoint data source, so a route added later is walked too.</summary>
internal static partial class AppRoutes
{
    [GeneratedRegex(@"\{\*{0,2}(\w+)(:[^}]*)?\??\}")]
    internal static partial Regex ParameterPattern();

    public static IReadOnlyList<AppRoute> All(IServiceProvider services)
    {
        var routes = new List<AppRoute>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var raw = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var pattern = ParameterPattern().Replace(raw, m => "{" + m.Groups[1].Value + "}");
            if (pattern.Length > 1) pattern = pattern.TrimEnd('/');
            // Razor pages answer any method; they are walked with GET.
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var parameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList();
            routes.AddRange(methods.Select(m => new AppRoute(m, pattern, parameters)));
        }
        return [.. routes.DistinctBy(r => r.Name)];
    }
}
