using GreenLoop.Pipeline.Model.Accounting;
using GreenLoop.Pipeline.Optimise.Reviews;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;
using GreenLoop.Storage;

namespace GreenLoop.Server.Api;

/// <summary>PDCA reviews of a site's KPIs (freeze at the meeting, findings, decisions, minutes) and improvement actions.</summary>
public static class ReviewsApi
{
    public static IEndpointRouteBuilder MapReviewsApi(this IEndpointRouteBuilder app)
    {
        var reviews = app.MapGroup("/api/v1/sites/{site}/reviews").WithTags("Reviews and actions");
        reviews.MapGet("/", List).Produces<IReadOnlyList<ReviewView>>().WithSummary("The site's PDCA reviews, newest first").RequirePermission(Permissions.Read);
        reviews.MapPost("/", Create).Produces<ReviewView>(StatusCodes.Status201Created).WithSummary("Record a review (draft): title, meeting date, period reviewed, cycle, attendees, findings per KPI, decisions").RequirePermission(Permissions.Improve);
        reviews.MapGet("/{id:long}", Get).Produces<ReviewView>().WithSummary("A review with its frozen KPI values, later adjustments and its actions").RequirePermission(Permissions.Read);
        reviews.MapPut("/{id:long}", Update).Produces<ReviewView>().WithSummary("Change a review's record; frozen values stay").RequirePermission(Permissions.Improve);
        reviews.MapPost("/{id:long}/hold", Hold).Produces<ReviewView>().WithSummary("Hold the review: freeze the KPI values of its period as they stand now (once)").RequirePermission(Permissions.Improve);
        reviews.MapGet("/{id:long}/minutes.xlsx", Minutes).WithSummary("The review's minutes as an Excel workbook: meeting, KPIs as frozen, actions")
            .RequirePermission(Permissions.Read).Produces(StatusCodes.Status200OK, typeof(Stream), ReportWorkbook.ContentType);

        var actions = app.MapGroup("/api/v1/sites/{site}/actions").WithTags("Reviews and actions");
        actions.MapGet("/", Actions).Produces<IReadOnlyList<ActionView>>().WithSummary("The site's improvement actions by due date (open=true: only open and in progress), with overdue and effectiveness").RequirePermission(Permissions.Read);
        actions.MapPost("/", Open).Produces<ActionView>(StatusCodes.Status201Created).WithSummary("Open an action, from a review and/or an alarm (the alarm's history records it)").RequirePermission(Permissions.Improve);
        actions.MapGet("/{id:long}", Action).Produces<ActionView>().WithSummary("One action with its history and effectiveness check").RequirePermission(Permissions.Read);
        actions.MapPut("/{id:long}", Change).Produces<ActionView>().WithSummary("Change an action: state (done needs evidence; verified needs done and an effectiveness verdict), owner, due date, evidence, check periods, note")
            .RequirePermission(Permissions.Improve);
        return app;
    }

    internal static Task<IResult> List(string site, ReviewService reviews, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => reviews.ListAsync(tenant.TenantId, site, ct));

    internal static async Task<IResult> Create(string site, ReviewBody body, ReviewService reviews, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        if (body is null) return TypedResults.BadRequest();
        if (ReviewService.Validate(body) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors, title: "The review has errors; nothing was saved");
        return await reviews.CreateAsync(tenant.TenantId, site, body, ApiResults.Actor(http), ct) is { } view
            ? TypedResults.Created($"/api/v1/sites/{site}/reviews/{view.Id}", view) : TypedResults.NotFound();
    }

    internal static Task<IResult> Get(string site, long id, ReviewService reviews, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => reviews.GetAsync(tenant.TenantId, site, id, ct));

    internal static async Task<IResult> Update(string site, long id, ReviewBody body, ReviewService reviews, TenantContext tenant, CancellationToken ct)
    {
        if (body is null) return TypedResults.BadRequest();
        if (ReviewService.Validate(body) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors, title: "The review has errors; nothing was saved");
        return await ApiResults.Answer(() => reviews.UpdateAsync(tenant.TenantId, site, id, body, ct));
    }

    internal static Task<IResult> Hold(string site, long id, ReviewService reviews, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        ApiResults.Answer(() => reviews.HoldAsync(tenant.TenantId, site, id, ApiResults.Actor(http), ct));

    internal static async Task<IResult> Minutes(string site, long id, ReviewService reviews, ISiteCatalog sites, TenantContext tenant, CancellationToken ct)
    {
        if (await reviews.GetAsync(tenant.TenantId, site, id, ct) is not { } review) return TypedResults.NotFound();
        var model = await sites.GetSiteAsync(tenant.TenantId, site, ct);
        return TypedResults.File(ReportWorkbook.ReviewMinutes(review, model!.Definition.NameZh ?? model.Definition.Name), ReportWorkbook.ContentType,
            ReportWorkbook.FileName(site, $"review-{id}", review.Review.MeetingDate));
    }

    internal static Task<IResult> Actions(string site, bool? open, ReviewService reviews, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => reviews.ActionsAsync(tenant.TenantId, site, open == true, ct));

    internal static async Task<IResult> Open(string site, ActionInput body, ReviewService reviews, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        if (body?.Action is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["action"] = ["required: title, owner, dueDate …"] });
        if (ReviewService.Validate(body.Action) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors, title: "The action has errors; nothing was saved");
        return await reviews.OpenAsync(tenant.TenantId, site, body, ApiResults.Actor(http), ct) is { } view
            ? TypedResults.Created($"/api/v1/sites/{site}/actions/{view.Id}", view) : TypedResults.NotFound();
    }

    internal static Task<IResult> Action(string site, long id, ReviewService reviews, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => reviews.ActionAsync(tenant.TenantId, site, id, ct));

    internal static Task<IResult> Change(string site, long id, ActionChange body, ReviewService reviews, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        ApiResults.Answer(() => reviews.ChangeAsync(tenant.TenantId, site, id, body ?? new ActionChange(), ApiResults.Actor(http), ct));
}
