using GreenLoop.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GreenLoop.Server.Api;

/// <summary><c>GET /health</c>: the store answers, and how much derivation is pending.</summary>
public static class HealthApi
{
    public sealed record Health(string Status, long PendingDerivation);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetHealth).WithTags("Health").AllowAnonymous();
        return app;
    }

    internal static async Task<Ok<Health>> GetHealth(IDerivationStore store, CancellationToken ct) =>
        TypedResults.Ok(new Health("ok", await store.CountDirtyAsync(ct)));
}
