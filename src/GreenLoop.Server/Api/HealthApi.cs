using GreenLoop.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GreenLoop.Server.Api;

/// <summary>
/// <c>GET /health</c>: the store answers. Anonymous callers learn only that; a signed-in user or a key also sees how
/// much derivation is pending (a platform-wide count, so never shown to anyone who is not known).
/// </summary>
public static class HealthApi
{
    public sealed record Health(string Status,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] long? PendingDerivation);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetHealth).WithTags("Health").AllowAnonymous();
        return app;
    }

    internal static async Task<Ok<Health>> GetHealth(IDerivationStore store, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(new Health("ok", http.User.Identity?.IsAuthenticated == true ? await store.CountDirtyAsync(ct) : null));
}
