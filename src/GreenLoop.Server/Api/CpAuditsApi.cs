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
        audits.MapGet("/", List).Produces<IReadOnlyList<CpAuditView>>().WithSummary("The site's cleaner-production audits, newest first").RequirePermission(Permissions.Read);
        audits.MapPost("/", Create).Produces<CpAuditView>(StatusCodes.Status201Created).WithSummary("Start an audit: title, the period its balances are drawn for, team").RequirePermission(Permissions.Improve);
        audits.MapGet("/{id:long}", Get).Produces<CpAuditView>().WithSummary("The audit with its water, energy and material balances and its options").RequirePermission(Permissions.Read);
        audits.MapPost("/{id:long}/options", AddOption).Produces<CpOptionView>(StatusCodes.Status201Created).WithSummary("Add an option (方案): title, area, estimated investment, expected benefit").RequirePermission(Permissions.Improve);
        audits.MapPut("/{id:long}/options/{optionId:long}", ChangeOption).Produces<CpOptionView>().WithSummary("Move an option to another stage (proposed, screened, feasible, implemented, rejected) with a note")
            .RequirePermission(Permissions.Improve);

        app.MapGet("/api/v1/cp-indicator-systems", Systems).WithTags("Cleaner-production audits")
            .WithSummary("The shipped cleaner-production indicator systems (weights and benchmarks with their sources; unknown values null, UNVERIFIED flagged)")
            .RequirePermission(Permissions.Read);
        app.MapPost("/api/v1/sites/{site}/cp-evaluations", Evaluate).WithTags("Cleaner-production audits")
            .WithSummary("Evaluate the site against an indicator system (shipped by systemKey, or sent whole as system) for a period: scores Y_I, Y_II, Y_III, grade, every indicator's contribution")
            .RequirePermission(Permissions.Read);
        return app;
    }

    /// <summary>An evaluation request: the period, the system (a shipped key or a whole definition) and the answers to its qualitative indicators (1-3: best level met, 0: none).</summary>
    public sealed record EvaluationRequest(string? Period = null, string? SystemKey = null, GreenLoop.Domain.Optimise.CpIndicatorSystem? System = null, IReadOnlyDictionary<string, int>? Answers = null);

    internal static IResult Systems() => TypedResults.Ok(GreenLoop.Domain.Optimise.CpIndicatorSystems.All);

    [NotAudited]
    internal static async Task<IResult> Evaluate(string site, EvaluationRequest body, GreenLoop.Pipeline.Optimise.Kpis.KpiService kpis, TenantContext tenant, CancellationToken ct)
    {
        if (body is null) return TypedResults.BadRequest();
        var errors = new Dictionary<string, string[]>();
        if (!GreenLoop.Domain.Optimise.KpiPeriod.TryParse(body.Period, out var period)) errors["period"] = ["a year yyyy or a month yyyy-MM"];
        var system = body.System ?? GreenLoop.Domain.Optimise.CpIndicatorSystems.All.FirstOrDefault(s => s.Key == body.SystemKey);
        if (system is null) errors["systemKey"] = [$"give a shipped system ({string.Join(", ", GreenLoop.Domain.Optimise.CpIndicatorSystems.All.Select(s => s.Key))}) or a whole system"];
        else foreach (var e in GreenLoop.Domain.Optimise.CpEvaluator.Validate(system)) errors[$"system.{e.Path}"] = [e.Reason];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The evaluation cannot run as asked");
        var values = await kpis.ValuesAsync(tenant.TenantId, site, period, system!.Indicators.Where(i => i.Kpi is not null).Select(i => i.Kpi!), ct);
        if (values is null) return TypedResults.NotFound();
        var byIndicator = system.Indicators.Where(i => i.Kpi is not null).ToDictionary(i => i.Key, i => values[i.Kpi!]);
        return TypedResults.Ok(GreenLoop.Domain.Optimise.CpEvaluator.Evaluate(system, byIndicator, body.Answers ?? new Dictionary<string, int>()));
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
