using GreenLoop.Pipeline.Optimise.Audits;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;

namespace GreenLoop.Server.Api;

/// <summary>Cleaner-production audits: water, energy and material balances of the audit period, and the audit's options.</summary>
public static class CpAuditsApi
{
    public static IEndpointRouteBuilder MapCpAuditsApi(this IEndpointRouteBuilder app)
    {
        var audits = app.MapGroup("/api/v1/sites/{site}/cp-audits").WithTags("Cleaner-production audits");
        audits.MapGet("/", List).WithSummary("The site's cleaner-production audits, newest first").RequirePermission(Permissions.Read);
        audits.MapPost("/", Create).WithSummary("Start an audit: title, the period its balances are drawn for, team").RequirePermission(Permissions.Improve);
        audits.MapGet("/{id:long}", Get).WithSummary("The audit with its water, energy and material balances and its options").RequirePermission(Permissions.Read);
        audits.MapPost("/{id:long}/options", AddOption).WithSummary("Add an option (方案): title, area, estimated investment, expected benefit").RequirePermission(Permissions.Improve);
        audits.MapPut("/{id:long}/options/{optionId:long}", ChangeOption).WithSummary("Move an option to another stage (proposed, screened, feasible, implemented, rejected) with a note")
            .RequirePermission(Permissions.Improve);
        return app;
    }

    internal static Task<IResult> List(string site, CpAuditService audits, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => audits.ListAsync(tenant.TenantId, site, ct));

    internal static async Task<IResult> Create(string site, CpAuditBody body, CpAuditService audits, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        if (body is null) return TypedResults.BadRequest();
        if (CpAuditService.Validate(body) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors, title: "The audit has errors; nothing was saved");
        return await audits.CreateAsync(tenant.TenantId, site, body, ApiResults.Actor(http), ct) is { } view
            ? TypedResults.Created($"/api/v1/sites/{site}/cp-audits/{view.Id}", view) : TypedResults.NotFound();
    }

    internal static Task<IResult> Get(string site, long id, CpAuditService audits, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => audits.GetAsync(tenant.TenantId, site, id, ct));

    internal static async Task<IResult> AddOption(string site, long id, CpOptionBody body, CpAuditService audits, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        if (body is null) return TypedResults.BadRequest();
        if (CpAuditService.Validate(body) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors, title: "The option has errors; nothing was saved");
        return await audits.AddOptionAsync(tenant.TenantId, site, id, body, ApiResults.Actor(http), ct) is { } view
            ? TypedResults.Created($"/api/v1/sites/{site}/cp-audits/{id}/options/{view.Id}", view) : TypedResults.NotFound();
    }

    internal static Task<IResult> ChangeOption(string site, long id, long optionId, OptionChange body, CpAuditService audits, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        ApiResults.Answer(() => audits.ChangeOptionAsync(tenant.TenantId, site, id, optionId, body ?? new OptionChange(), ApiResults.Actor(http), ct));
}
