using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using GreenLoop.Pipeline.Trace.Audit;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;
using GreenLoop.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GreenLoop.Server.Api;

/// <summary>The audit trail: the tenant's entries, and whether the hash chain is intact.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/audit").WithTags("Audit");
        api.MapGet("/", List).WithSummary("Audit entries of the tenant, newest first (who, when, what, the change, its hash); page with ?before=SEQ").RequirePermission(Permissions.Account);
        api.MapGet("/verify", Verify).WithSummary("Checks the tenant's whole hash chain: intact, or the first entry that was changed or removed").RequirePermission(Permissions.Account);
        return app;
    }

    internal static async Task<Ok<IReadOnlyList<AuditView>>> List(AuditTrail audit, TenantContext tenant, CancellationToken ct, long? before = null, int limit = 200) =>
        TypedResults.Ok(await audit.ListAsync(tenant.TenantId, before, limit, ct));

    internal static async Task<Ok<AuditVerification>> Verify(AuditTrail audit, TenantContext tenant, CancellationToken ct) =>
        TypedResults.Ok(await audit.VerifyAsync(tenant.TenantId, ct));
}

/// <summary>Marks an endpoint whose calls are data, not changes to audit (reading ingest, the quarantine replay).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class NotAuditedAttribute : Attribute;

/// <summary>
/// Writes an audit entry for every successful change (POST, PUT, PATCH, DELETE answered 2xx) made through an endpoint it
/// is attached to: who (the acting user), the method and route, the path, and the request body as JSON with secrets
/// masked. Attached to route groups, so a new endpoint in an audited group is audited without further code.
/// </summary>
public static class AuditEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] SecretNames = ["password", "secret", "token", "apiKey", "key_secret", "currentPassword", "newPassword"];

    public static TBuilder Audited<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            if (factory.MethodInfo.GetCustomAttribute<NotAuditedAttribute>() is not null) return next;
            var bodyIndex = BodyParameterIndex(factory.MethodInfo, factory.ApplicationServices);
            return async context =>
            {
                var result = await next(context);
                var http = context.HttpContext;
                if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method))
                    return result;
                // A handler typed Results<Ok<T>, ValidationProblem> answers with the union: its status is the inner result's.
                var answer = result;
                while (answer is INestedHttpResult nested) answer = nested.Result;
                var status = answer is IStatusCodeHttpResult { StatusCode: { } code } ? code : http.Response.StatusCode;
                if (status is < 200 or >= 300) return result;
                var body = bodyIndex >= 0 && bodyIndex < context.Arguments.Count ? context.Arguments[bodyIndex] : null;
                var detail = new JsonObject
                {
                    ["status"] = status,
                    ["body"] = body is null ? null : Masked(JsonSerializer.SerializeToNode(body, body.GetType(), Json)),
                };
                var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
                var services = http.RequestServices;
                await services.GetRequiredService<AuditTrail>().RecordAsync(services.GetRequiredService<TenantContext>().TenantId,
                    ApiResults.Actor(http), $"{http.Request.Method} {route}", http.Request.Path.Value ?? route, detail, http.RequestAborted);
                return result;
            };
        });

    /// <summary>The handler parameter bound from the request body: the first complex type that is not a service.</summary>
    private static int BodyParameterIndex(MethodInfo method, IServiceProvider services)
    {
        var isService = services.GetService<IServiceProviderIsService>();
        var parameters = method.GetParameters();
        for (var i = 0; i < parameters.Length; i++)
        {
            var t = Nullable.GetUnderlyingType(parameters[i].ParameterType) ?? parameters[i].ParameterType;
            if (t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(DateTimeOffset) || t == typeof(DateTime)
                || t == typeof(CancellationToken) || t == typeof(HttpContext) || t == typeof(HttpRequest) || typeof(IFormFile).IsAssignableFrom(t)
                || typeof(IFormFileCollection).IsAssignableFrom(t) || isService?.IsService(t) == true)
                continue;
            return i;
        }
        return -1;
    }

    private static JsonNode? Masked(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    if (SecretNames.Any(s => s.Equals(name, StringComparison.OrdinalIgnoreCase)) && o[name] is JsonValue)
                        o[name] = "********";
                    // A robot's address carries its token (…?key=…, …?access_token=…, …/hook/{token}).
                    else if (name.Equals("url", StringComparison.OrdinalIgnoreCase) && o[name] is JsonValue u && u.TryGetValue<string>(out var url))
                        o[name] = GreenLoop.Notifications.ChannelDefinition.MaskUrl(url);
                    else Masked(o[name]);
                }
                break;
            case JsonArray a:
                foreach (var item in a) Masked(item);
                break;
        }
        return node;
    }
}
