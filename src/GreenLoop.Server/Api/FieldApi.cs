using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using GreenLoop.Domain.Optimise.Field;
using GreenLoop.Pipeline;
using GreenLoop.Pipeline.Optimise.Field;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;

namespace GreenLoop.Server.Api;

/// <summary>
/// Field work: checklist templates (versioned, exported and imported as files), rounds and their occurrences,
/// inspections submitted from a phone (idempotent, with photos), and work orders (by hand, from failed items, from alarms).
/// </summary>
public static class FieldApi
{
    /// <summary>A submission with photos: a part <c>submission</c> (the JSON) and files named <c>photo.ITEM</c>.</summary>
    public sealed record SubmissionForm(string Submission, IFormFileCollection Photos);

    /// <summary>A work-order photo: a file part <c>file</c> and the part <c>item</c> (before or after).</summary>
    public sealed record WorkOrderPhotoForm(IFormFile File, string Item);

    /// <summary>A round with whether it is active.</summary>
    public sealed record RoundInput(RoundBody? Round = null, bool Active = true);

    public static IEndpointRouteBuilder MapFieldApi(this IEndpointRouteBuilder app)
    {
        var templates = app.MapGroup("/api/v1/sites/{site}/checklist-templates").WithTags("Field work");
        templates.MapGet("/", Templates).Produces<IReadOnlyList<TemplateView>>().WithSummary("The latest version of each checklist template").RequirePermission(Permissions.Read);
        templates.MapPost("/", SaveTemplate).Produces<TemplateView>()
            .WithSummary("Save a template (a new key starts at version 1; a changed one gets the next version; finished inspections keep theirs). Also imports an exported template file")
            .RequirePermission(Permissions.Improve);
        templates.MapGet("/{key}", Template).Produces<TemplateView>().WithSummary("A template (version= for an earlier version)").RequirePermission(Permissions.Read);
        templates.MapGet("/{key}/export", Export).WithSummary("A template as a JSON file to share with another plant (import it with POST)")
            .Produces(StatusCodes.Status200OK, typeof(ChecklistTemplate), "application/json").RequirePermission(Permissions.Read);

        var rounds = app.MapGroup("/api/v1/sites/{site}/rounds").WithTags("Field work");
        rounds.MapGet("/", Rounds).Produces<IReadOnlyList<RoundView>>().WithSummary("The site's inspection rounds").RequirePermission(Permissions.Read);
        rounds.MapPost("/", CreateRound).Produces<RoundView>(StatusCodes.Status201Created)
            .WithSummary("Create a round: template, node, schedule (Shift, Daily, Weekly, OnEvent; local times; window), assignee (role or person)").RequirePermission(Permissions.Improve);
        rounds.MapPut("/{id:long}", UpdateRound).Produces<RoundView>().WithSummary("Change a round or make it inactive").RequirePermission(Permissions.Improve);
        rounds.MapGet("/occurrences", OccurrencesOf).Produces<IReadOnlyList<OccurrenceView>>()
            .WithSummary("Occurrences of the rounds from..to (local days; default today) with their state (upcoming, due, overdue, missed, done on time, done late); mine=true: the caller's")
            .RequirePermission(Permissions.Read);

        var inspections = app.MapGroup("/api/v1/sites/{site}/inspections").WithTags("Field work");
        inspections.MapGet("/", Inspections).Produces<IReadOnlyList<InspectionView>>().WithSummary("The site's inspections, newest first").RequirePermission(Permissions.Read);
        inspections.MapPost("/", Submit).Accepts<SubmissionForm>("multipart/form-data", "application/json")
            .Produces<InspectionView>(StatusCodes.Status201Created).Produces<InspectionView>()
            .WithSummary("Submit an inspection (JSON, or multipart with a part 'submission' and photos named 'photo.ITEM'): 201 when stored, 200 when this submissionId was stored before (a retry)")
            .RequirePermission(Permissions.Inspect);
        inspections.MapGet("/{id:long}", Inspection).Produces<InspectionView>().WithSummary("An inspection: template version, answers, outcomes, photos, work orders it opened").RequirePermission(Permissions.Read);
        app.MapGet("/api/v1/sites/{site}/field-photos/{id:long}", Photo).WithTags("Field work").WithSummary("A photo of an inspection or a work order (size=thumb: a JPEG thumbnail, longest side 320 px, turned upright)")
            .Produces(StatusCodes.Status200OK, typeof(Stream), "image/jpeg", "image/png").RequirePermission(Permissions.Read);

        var orders = app.MapGroup("/api/v1/sites/{site}/work-orders").WithTags("Field work");
        orders.MapGet("/", WorkOrders).Produces<IReadOnlyList<WorkOrderView>>().WithSummary("Work orders by due date (open=true: not done, verified or cancelled; mine=true: assigned to the caller)")
            .RequirePermission(Permissions.Read);
        orders.MapPost("/", CreateWorkOrder).Produces<WorkOrderView>(StatusCodes.Status201Created)
            .WithSummary("Open a work order by hand: title, node, priority (due date from its service time unless given), assignee").RequirePermission(Permissions.Inspect);
        orders.MapGet("/{id:long}", WorkOrder).Produces<WorkOrderView>().WithSummary("A work order with its history and photos").RequirePermission(Permissions.Read);
        orders.MapPut("/{id:long}", ChangeWorkOrder).Produces<WorkOrderView>()
            .WithSummary("Change a work order: state (as the lifecycle allows; verified needs 'improve'), assignee, due date, parts, hours, cost, comment").RequirePermission(Permissions.Inspect);
        orders.MapPost("/{id:long}/photos", WorkOrderPhoto).Accepts<WorkOrderPhotoForm>("multipart/form-data").Produces<PhotoView>(StatusCodes.Status201Created)
            .WithSummary("Attach a photo before or after the repair (JPEG or PNG, at most 8 MB; location metadata removed)").RequirePermission(Permissions.Inspect);
        orders.MapPost("/{id:long}/action", ToAction).Produces<GreenLoop.Pipeline.Optimise.Reviews.ActionView>(StatusCodes.Status201Created).Produces<GreenLoop.Pipeline.Optimise.Reviews.ActionView>()
            .WithSummary("Make the work order a corrective action (of a PDCA review with reviewId): made once (201), then answered (200); linked both ways").RequirePermission(Permissions.Improve);
        orders.MapPost("/{id:long}/project", ToProject).Produces<GreenLoop.Pipeline.Optimise.Projects.ProjectView>(StatusCodes.Status201Created).Produces<GreenLoop.Pipeline.Optimise.Projects.ProjectView>()
            .WithSummary("Make the work order a project (state Idea): made once (201), then answered (200); linked both ways").RequirePermission(Permissions.Improve);
        app.MapPost("/api/v1/alarms/{id:long}/work-order", FromAlarm).WithTags("Field work").Produces<WorkOrderView>(StatusCodes.Status201Created).Produces<WorkOrderView>()
            .WithSummary("The alarm's work order: opens one (201) unless the alarm has one (200); the alarm's history names it").RequirePermission(Permissions.Operate);
        app.MapGet("/api/v1/sites/{site}/field-report", Report).WithTags("Field work").Produces<FieldReport>()
            .WithSummary("Compliance per template and week, failure rate per item, mean time to repair, open work by node and age, for local days from..to (default: the last 28 days)")
            .RequirePermission(Permissions.Read);
        app.MapGet("/api/v1/sites/{site}/field-report.xlsx", ReportWorkbookOf).WithTags("Field work").WithSummary("The field-work report as an Excel workbook")
            .Produces(StatusCodes.Status200OK, typeof(Stream), Pipeline.Model.Accounting.ReportWorkbook.ContentType).RequirePermission(Permissions.Read);
        return app;
    }

    private static async Task<(Storage.SiteModel? Site, DateOnly From, DateOnly To)> RangeAsync(string site, string? from, string? to, FieldService field, Storage.ISiteCatalog sites,
        TenantContext tenant, CancellationToken ct)
    {
        var model = await sites.GetSiteAsync(tenant.TenantId, site, ct);
        if (model is null) return (null, default, default);
        var today = DateOnly.FromDateTime(field.LocalNow(model));
        var last = Day(to, "to") ?? today;
        return (model, Day(from, "from") ?? last.AddDays(-27), last);
    }

    internal static async Task<IResult> Report(string site, string? from, string? to, FieldService field, FieldReports reports, Storage.ISiteCatalog sites, TenantContext tenant,
        CancellationToken ct)
    {
        var (model, first, last) = await RangeAsync(site, from, to, field, sites, tenant, ct);
        return model is null ? TypedResults.NotFound() : await ApiResults.Answer(() => reports.ReportAsync(tenant.TenantId, site, first, last, ct));
    }

    internal static async Task<IResult> ReportWorkbookOf(string site, string? from, string? to, FieldService field, FieldReports reports, Storage.ISiteCatalog sites,
        TenantContext tenant, CancellationToken ct)
    {
        var (model, first, last) = await RangeAsync(site, from, to, field, sites, tenant, ct);
        if (model is null || await reports.ReportAsync(tenant.TenantId, site, first, last, ct) is not { } report) return TypedResults.NotFound();
        return TypedResults.File(Pipeline.Model.Accounting.ReportWorkbook.Field(report, model.Definition.NameZh ?? model.Definition.Name),
            Pipeline.Model.Accounting.ReportWorkbook.ContentType, Pipeline.Model.Accounting.ReportWorkbook.FileName(site, "field-work", $"{report.From}_{report.To}"));
    }

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    internal static Task<IResult> Templates(string site, FieldService field, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => field.TemplatesAsync(tenant.TenantId, site, ct));

    internal static async Task<IResult> SaveTemplate(string site, ChecklistTemplate body, FieldService field, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        if (body is null) return TypedResults.BadRequest();
        if (Checklists.Validate(body) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors, title: "The template has errors; nothing was saved");
        return await ApiResults.Answer(() => field.SaveTemplateAsync(tenant.TenantId, site, body, ApiResults.Actor(http), ct));
    }

    internal static Task<IResult> Template(string site, string key, int? version, FieldService field, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => field.TemplateAsync(tenant.TenantId, site, key, version, ct));

    internal static async Task<IResult> Export(string site, string key, int? version, FieldService field, TenantContext tenant, CancellationToken ct) =>
        await field.TemplateAsync(tenant.TenantId, site, key, version, ct) is { } t
            ? TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(t.Template, _json), "application/json", $"checklist-{t.Key}-v{t.Version}.json")
            : TypedResults.NotFound();

    internal static Task<IResult> Rounds(string site, FieldService field, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => field.RoundsAsync(tenant.TenantId, site, ct));

    internal static async Task<IResult> CreateRound(string site, RoundInput body, FieldService field, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        if (body?.Round is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["round"] = ["required: name, template, schedule, assignee"] });
        if (FieldService.Validate(body.Round) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors, title: "The round has errors; nothing was saved");
        return await field.SaveRoundAsync(tenant.TenantId, site, null, body.Round, body.Active, ApiResults.Actor(http), ct) is { } view
            ? TypedResults.Created($"/api/v1/sites/{site}/rounds/{view.Id}", view) : TypedResults.NotFound();
    }

    internal static async Task<IResult> UpdateRound(string site, long id, RoundInput body, FieldService field, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        if (body?.Round is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["round"] = ["required: name, template, schedule, assignee"] });
        if (FieldService.Validate(body.Round) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors, title: "The round has errors; nothing was saved");
        return await ApiResults.Answer(() => field.SaveRoundAsync(tenant.TenantId, site, id, body.Round, body.Active, ApiResults.Actor(http), ct));
    }

    private static DateOnly? Day(string? text, string field) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
        : throw new BadInputException($"{field}: a local date yyyy-MM-dd");

    internal static async Task<IResult> OccurrencesOf(string site, string? from, string? to, bool? mine, FieldService field, Storage.ISiteCatalog sites, TenantContext tenant,
        HttpContext http, CancellationToken ct)
    {
        var model = await sites.GetSiteAsync(tenant.TenantId, site, ct);
        if (model is null) return TypedResults.NotFound();
        var today = DateOnly.FromDateTime(field.LocalNow(model));
        var first = Day(from, "from") ?? today;
        var last = Day(to, "to") ?? first;
        var roles = http.User.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return await ApiResults.Answer(() => field.OccurrencesAsync(tenant.TenantId, site, first, last, mine == true ? http.User.Identity?.Name ?? "" : null, roles, ct));
    }

    internal static Task<IResult> Inspections(string site, int? limit, FieldService field, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => field.InspectionsAsync(tenant.TenantId, site, limit ?? 100, ct));

    internal static Task<IResult> Inspection(string site, long id, FieldService field, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => field.InspectionAsync(tenant.TenantId, site, id, ct));

    internal static async Task<IResult> Submit(string site, FieldService field, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        InspectionSubmission? submission;
        var photos = new List<PhotoUpload>();
        try
        {
            if (http.Request.HasFormContentType)
            {
                var form = await http.Request.ReadFormAsync(ct);
                var text = form["submission"].FirstOrDefault();
                if (string.IsNullOrWhiteSpace(text))
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["submission"] = ["a part 'submission' with the inspection as JSON"] });
                submission = JsonSerializer.Deserialize<InspectionSubmission>(text, _json);
                if (form.Files.Count > FieldService.MaxPhotos)
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["photos"] = [$"at most {FieldService.MaxPhotos} photos in one submission"] });
                foreach (var file in form.Files)
                {
                    if (!file.Name.StartsWith("photo.", StringComparison.Ordinal))
                        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["photos"] = [$"file part '{file.Name}': name photo parts photo.ITEM (the item's key)"] });
                    if (file.Length > PhotoFile.MaxBytes)
                        return TypedResults.Problem(title: "Photo too large", statusCode: StatusCodes.Status413PayloadTooLarge,
                            detail: $"{file.FileName} ({file.Name[6..]}): {file.Length} bytes; at most {PhotoFile.MaxBytes / 1024 / 1024} MB");
                    using var buffer = new MemoryStream();
                    await file.CopyToAsync(buffer, ct);
                    photos.Add(new PhotoUpload(file.Name[6..], file.FileName, buffer.ToArray()));
                }
            }
            else
            {
                submission = await JsonSerializer.DeserializeAsync<InspectionSubmission>(http.Request.Body, _json, ct);
            }
        }
        catch (JsonException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["submission"] = [$"not a submission: {e.Message}"] });
        }
        if (submission is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["submission"] = ["required"] });
        var result = await field.SubmitAsync(tenant.TenantId, site, submission, photos, ApiResults.Actor(http), ct);
        if (result is null) return TypedResults.NotFound();
        return result.Created ? TypedResults.Created($"/api/v1/sites/{site}/inspections/{result.Inspection.Id}", result.Inspection) : TypedResults.Ok(result.Inspection);
    }

    internal static async Task<IResult> Photo(string site, long id, string? size, FieldService field, TenantContext tenant, CancellationToken ct)
    {
        if (size is not (null or "full" or "thumb"))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["size"] = ["thumb (a JPEG, longest side 320 px) or full (the photo as stored; the default)"] });
        return await field.PhotoAsync(tenant.TenantId, site, id, size == "thumb", ct) is { } p ? TypedResults.File(p.Content, p.ContentType, p.Name) : TypedResults.NotFound();
    }

    internal static Task<IResult> WorkOrders(string site, bool? open, bool? mine, WorkOrderService orders, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        ApiResults.Answer(() => orders.ListAsync(tenant.TenantId, site, open == true, mine == true ? http.User.Identity?.Name ?? "" : null, ct));

    internal static async Task<IResult> CreateWorkOrder(string site, WorkOrderBody body, WorkOrderService orders, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        if (body is null) return TypedResults.BadRequest();
        if (WorkOrderService.Validate(body) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors, title: "The work order has errors; nothing was saved");
        if (body.Assignee is not null && body.Assignee != http.User.Identity?.Name && !Permissions.Has(http.User, Permissions.Operate, site))
            return Forbidden($"assignee: giving a work order to someone else needs the permission '{Permissions.Operate}'; leave it unassigned or assign it to yourself");
        return await orders.CreateAsync(tenant.TenantId, site, body, ApiResults.Actor(http), ct) is { } view
            ? TypedResults.Created($"/api/v1/sites/{site}/work-orders/{view.Id}", view) : TypedResults.NotFound();
    }

    internal static Task<IResult> WorkOrder(string site, long id, WorkOrderService orders, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => orders.GetAsync(tenant.TenantId, site, id, ct));

    internal static async Task<IResult> ChangeWorkOrder(string site, long id, WorkOrderChange body, WorkOrderService orders, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        body ??= new WorkOrderChange();
        if (body.State == WorkOrderState.Verified && !Permissions.Has(http.User, Permissions.Improve, site))
            return Forbidden($"verifying a work order needs the permission '{Permissions.Improve}' on site '{site}'");
        if (!Permissions.Has(http.User, Permissions.Operate, site))
        {
            if (await orders.GetAsync(tenant.TenantId, site, id, ct) is not { } current) return TypedResults.NotFound();
            if (InspectorRefusal(current, body, http.User.Identity?.Name ?? "") is { } refusal) return Forbidden(refusal);
        }
        return await ApiResults.Answer(() => orders.ChangeAsync(tenant.TenantId, site, id, body, ApiResults.Actor(http), ct));
    }

    /// <summary>
    /// What a caller with <c>inspect</c> but not <c>operate</c> may not do to a work order: anything to another person's,
    /// assigning it to someone else, moving its due date, cancelling it. Taking an unassigned one (assigning oneself) is allowed.
    /// </summary>
    internal static string? InspectorRefusal(WorkOrderView current, WorkOrderChange change, string user)
    {
        if (change.Assignee is not null && !string.Equals(change.Assignee, user, StringComparison.Ordinal))
            return $"assignee: giving a work order to someone else needs the permission '{Permissions.Operate}'";
        var mine = string.Equals(current.Order.Assignee, user, StringComparison.Ordinal);
        var taking = current.Order.Assignee is null && string.Equals(change.Assignee, user, StringComparison.Ordinal);
        if (!mine && !taking)
            return $"work order #{current.Id} is {(current.Order.Assignee is null ? "not assigned to you; take it by assigning it to yourself" : $"assigned to {current.Order.Assignee}")}; working on another person's work order needs the permission '{Permissions.Operate}'";
        if (change.DueDate is not null && change.DueDate != current.Order.DueDate)
            return $"dueDate: moving a due date needs the permission '{Permissions.Operate}'";
        if (change.State == WorkOrderState.Cancelled)
            return $"state: cancelling a work order needs the permission '{Permissions.Operate}'";
        return null;
    }

    private static IResult Forbidden(string detail) =>
        TypedResults.Problem(title: "Forbidden", statusCode: StatusCodes.Status403Forbidden, detail: detail);

    internal static async Task<IResult> WorkOrderPhoto(string site, long id, HttpContext http, WorkOrderService orders, TenantContext tenant, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
            return TypedResults.Problem(title: "Unsupported content type", statusCode: StatusCodes.Status415UnsupportedMediaType, detail: "send multipart/form-data with parts 'file' and 'item'");
        var form = await http.Request.ReadFormAsync(ct);
        if (form.Files.GetFile("file") is not { } file || file.Length == 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["a non-empty part named 'file' is required"] });
        if (file.Length > PhotoFile.MaxBytes)
            return TypedResults.Problem(title: "Photo too large", statusCode: StatusCodes.Status413PayloadTooLarge, detail: $"{file.Length} bytes; at most {PhotoFile.MaxBytes / 1024 / 1024} MB");
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var item = form["item"].FirstOrDefault() ?? "after";
        if (!Permissions.Has(http.User, Permissions.Operate, site))
        {
            if (await orders.GetAsync(tenant.TenantId, site, id, ct) is not { } current) return TypedResults.NotFound();
            if (current.Order.Assignee != http.User.Identity?.Name)
                return Forbidden($"work order #{id} is not assigned to you; photos on another person's work order need the permission '{Permissions.Operate}'");
        }
        return await orders.AttachAsync(tenant.TenantId, site, id, new PhotoUpload(item, file.FileName, buffer.ToArray()), ApiResults.Actor(http), ct) is { } photo
            ? TypedResults.Created($"/api/v1/sites/{site}/field-photos/{photo.Id}", photo) : TypedResults.NotFound();
    }

    internal static async Task<IResult> ToAction(string site, long id, WorkOrderToAction? body, WorkOrderFollowUps followUps, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        var (action, created) = await followUps.ToActionAsync(tenant.TenantId, site, id, body ?? new WorkOrderToAction(), ApiResults.Person(http), ApiResults.Actor(http), ct);
        if (action is null) return TypedResults.NotFound();
        return created ? TypedResults.Created($"/api/v1/sites/{site}/actions/{action.Id}", action) : TypedResults.Ok(action);
    }

    internal static async Task<IResult> ToProject(string site, long id, WorkOrderToProject? body, WorkOrderFollowUps followUps, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        var (project, created) = await followUps.ToProjectAsync(tenant.TenantId, site, id, body ?? new WorkOrderToProject(), ApiResults.Person(http), ApiResults.Actor(http), ct);
        if (project is null) return TypedResults.NotFound();
        return created ? TypedResults.Created($"/api/v1/sites/{site}/projects/{project.Id}", project) : TypedResults.Ok(project);
    }

    internal static async Task<IResult> FromAlarm(long id, WorkOrderService orders, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        WorkOrderBody? body = null;
        if (http.Request.ContentLength > 0)
        {
            try { body = await JsonSerializer.DeserializeAsync<WorkOrderBody>(http.Request.Body, _json, ct); }
            catch (JsonException e) { return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"not a work order: {e.Message}"] }); }
        }
        var (order, created) = await orders.FromAlarmAsync(tenant.TenantId, id, body, ApiResults.Actor(http), ct);
        if (order is null) return TypedResults.NotFound();
        return created ? TypedResults.Created($"/api/v1/sites/{order.Site}/work-orders/{order.Id}", order) : TypedResults.Ok(order);
    }
}
