using System.Text.Json.Nodes;
using GreenLoop.Connectors;
using GreenLoop.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

using GreenLoop.Server.Security;

namespace GreenLoop.Server.Api;

/// <summary>The body of a data-source definition: its kind, whether it runs, the API key it writes with, and the kind's settings.</summary>
public sealed record DataSourceBody(string? Kind, bool Enabled, long? ApiKeyId, JsonObject? Settings);

/// <summary>Data sources (MQTT brokers, Modbus TCP devices): definitions with hot reload, and their live health.</summary>
public static class DataSourcesApi
{
    public static IEndpointRouteBuilder MapDataSourcesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/data-sources").WithTags("Data sources");
        api.MapGet("/", List).WithSummary("Every data source with its settings (secrets masked) and health").RequirePermission(Permissions.Configure);
        api.MapGet("/{key}", Get).WithSummary("One data source with its settings and health").RequirePermission(Permissions.Configure);
        api.MapPut("/{key}", Put).WithSummary("Create or replace a data source; it (re)starts at once, no restart needed. Sending the mask keeps a stored password").RequirePermission(Permissions.Configure);
        api.MapDelete("/{key}", Delete).WithSummary("Stop and delete a data source (the readings it delivered stay)").RequirePermission(Permissions.Configure);
        api.MapGet("/{key}/status", Status).WithSummary("Health only: state, counters, problems by kind, last error, last value").RequirePermission(Permissions.Configure);
        return app;
    }

    internal static async Task<Ok<IReadOnlyList<DataSourceView>>> List(DataSourceService sources, TenantContext tenant, CancellationToken ct) =>
        TypedResults.Ok(await sources.ListAsync(tenant.TenantId, ct));

    internal static async Task<Results<Ok<DataSourceView>, NotFound>> Get(string key, DataSourceService sources, TenantContext tenant, CancellationToken ct) =>
        await sources.GetAsync(tenant.TenantId, key, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    internal static async Task<IResult> Put(string key, DataSourceBody body, DataSourceService sources, TenantContext tenant, CancellationToken ct)
    {
        var result = await sources.SaveAsync(tenant.TenantId, key, body.Kind, body.Enabled, body.ApiKeyId, body.Settings, ct);
        if (result.Saved is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["dataSource"] = [.. result.Errors] },
                title: "The data-source definition is not valid; nothing was changed");
        return result.Created ? TypedResults.Created($"/api/v1/data-sources/{key}", result.Saved) : TypedResults.Ok(result.Saved);
    }

    internal static async Task<Results<NoContent, NotFound>> Delete(string key, DataSourceService sources, TenantContext tenant, CancellationToken ct) =>
        await sources.DeleteAsync(tenant.TenantId, key, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    internal static async Task<Results<Ok<SourceStatus>, NotFound>> Status(string key, DataSourceService sources, TenantContext tenant, CancellationToken ct) =>
        await sources.GetAsync(tenant.TenantId, key, ct) is { Status: { } status } ? TypedResults.Ok(status) : TypedResults.NotFound();
}
