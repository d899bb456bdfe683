using GreenLoop.Pipeline.Model.Accounting;
using GreenLoop.Pipeline.Optimise.Projects;
using GreenLoop.Pipeline.Optimise.Verification;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;
using GreenLoop.Storage;

namespace GreenLoop.Server.Api;

/// <summary>
/// Energy-saving and cleaner-production projects (register, economics, documents, portfolio and MAC curve) and the
/// baseline models that verify their savings (IPMVP Options B and C, ASHRAE Guideline 14 statistics and checks).
/// </summary>
public static class ProjectsApi
{
    /// <summary>A document upload: one part named <c>file</c>.</summary>
    public sealed record DocumentForm(IFormFile File);

    public static IEndpointRouteBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup("/api/v1/sites/{site}/projects").WithTags("Projects and savings verification");
        projects.MapGet("/", List).Produces<IReadOnlyList<ProjectView>>().WithSummary("The site's projects with their planned (and verified) economics").RequirePermission(Permissions.Read);
        projects.MapPost("/", Create).Produces<ProjectView>(StatusCodes.Status201Created).WithSummary("Register a project: category, owner, node, life, discount rate, investment and benefit lines, prices (optionally from an audit option)")
            .RequirePermission(Permissions.Improve);
        projects.MapGet("/portfolio", PortfolioOf).Produces<Portfolio>().WithSummary("The marginal abatement cost curve of the site's projects, totals by state, planned against verified savings")
            .RequirePermission(Permissions.Read);
        projects.MapGet("/{id:long}", Get).Produces<ProjectView>().WithSummary("A project: record, state and history, documents, economics planned and verified, the frozen verification").RequirePermission(Permissions.Read);
        projects.MapPut("/{id:long}", Update).Produces<ProjectView>().WithSummary("Change a project's record (its frozen verification stays)").RequirePermission(Permissions.Improve);
        projects.MapPut("/{id:long}/state", Change).Produces<ProjectView>()
            .WithSummary("Move a project to another state (Idea, Proposed, Approved, InProgress, Commissioned, Verified, Rejected) or link its baseline model; Verified needs Commissioned and a usable savings result, which is frozen")
            .RequirePermission(Permissions.Improve);
        projects.MapPost("/{id:long}/documents", Attach).Produces<ProjectDocument>(StatusCodes.Status201Created).Accepts<DocumentForm>("multipart/form-data")
            .WithSummary("Attach a document (offer, drawing, commissioning record; at most 10 MB)").RequirePermission(Permissions.Improve);
        projects.MapGet("/{id:long}/documents/{documentId:long}", Document).WithSummary("A project's document").RequirePermission(Permissions.Read);
        projects.MapGet("/{id:long}/verification.xlsx", Workbook)
            .WithSummary("The project's M&V report as an Excel workbook (GB/T 28750-style: boundary, baseline model, adjustments, savings per period, uncertainty, economics)")
            .RequirePermission(Permissions.Read).Produces(StatusCodes.Status200OK, typeof(Stream), ReportWorkbook.ContentType);

        var models = app.MapGroup("/api/v1/sites/{site}/mv-models").WithTags("Projects and savings verification");
        models.MapGet("/", Models).Produces<IReadOnlyList<ModelView>>().WithSummary("The site's baseline models with their fits and checks").RequirePermission(Permissions.Read);
        models.MapPost("/", CreateModel).Produces<ModelView>(StatusCodes.Status201Created)
            .WithSummary("Define a baseline model (subject meter or node and carrier, grain, baseline period, form, drivers, reporting period) and fit it")
            .RequirePermission(Permissions.Improve);
        models.MapGet("/{id:long}", Model).Produces<ModelView>().WithSummary("A model: spec, fit (coefficients, standard errors, p-values, R², F, CV(RMSE), NMBE), checks, baseline data").RequirePermission(Permissions.Read);
        models.MapPut("/{id:long}", UpdateModel).Produces<ModelView>().WithSummary("Change a model's spec and fit it again (adjustments stay)").RequirePermission(Permissions.Improve);
        models.MapPost("/{id:long}/refit", Refit).Produces<ModelView>().WithSummary("Fit the model again on the data as they stand now").RequirePermission(Permissions.Improve);
        models.MapPost("/{id:long}/adjustments", Adjust).Produces<ModelView>().WithSummary("Add a non-routine adjustment: days it applies to, energy per period, reason (who and when recorded)")
            .RequirePermission(Permissions.Improve);
        models.MapGet("/{id:long}/savings", Savings).Produces<SavingsResult>()
            .WithSummary("Avoided energy over the reporting period (or from..to): per period and cumulative, uncertainty at 68 % and 90 %, normalised savings, checks")
            .RequirePermission(Permissions.Read);
        return app;
    }

    internal static Task<IResult> List(string site, ProjectService projects, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => projects.ListAsync(tenant.TenantId, site, ct));

    internal static async Task<IResult> Create(string site, ProjectBody body, ProjectService projects, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        if (body is null) return TypedResults.BadRequest();
        if (ProjectService.Validate(body) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors, title: "The project has errors; nothing was saved");
        return await projects.CreateAsync(tenant.TenantId, site, body, ApiResults.Actor(http), ct) is { } view
            ? TypedResults.Created($"/api/v1/sites/{site}/projects/{view.Id}", view) : TypedResults.NotFound();
    }

    internal static Task<IResult> PortfolioOf(string site, ProjectService projects, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => projects.PortfolioAsync(tenant.TenantId, site, ct));

    internal static Task<IResult> Get(string site, long id, ProjectService projects, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => projects.GetAsync(tenant.TenantId, site, id, ct));

    internal static async Task<IResult> Update(string site, long id, ProjectBody body, ProjectService projects, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        if (body is null) return TypedResults.BadRequest();
        if (ProjectService.Validate(body) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors, title: "The project has errors; nothing was saved");
        return await ApiResults.Answer(() => projects.UpdateAsync(tenant.TenantId, site, id, body, ApiResults.Actor(http), ct));
    }

    internal static Task<IResult> Change(string site, long id, ProjectChange body, ProjectService projects, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        ApiResults.Answer(() => projects.ChangeAsync(tenant.TenantId, site, id, body ?? new ProjectChange(), ApiResults.Actor(http), ct));

    internal static async Task<IResult> Attach(string site, long id, HttpContext http, ProjectService projects, TenantContext tenant, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
            return TypedResults.Problem(title: "Unsupported content type", statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: "send the file as multipart/form-data with a part named 'file'");
        var form = await http.Request.ReadFormAsync(ct);
        if (form.Files.GetFile("file") is not { } file || file.Length == 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["a non-empty part named 'file' is required"] });
        if (file.Length > ProjectService.MaxDocumentBytes)
            return TypedResults.Problem(title: "Document too large", statusCode: StatusCodes.Status413PayloadTooLarge,
                detail: $"the file has {file.Length} bytes; at most {ProjectService.MaxDocumentBytes / 1024 / 1024} MB");
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var name = Path.GetFileName(file.FileName) is { Length: > 0 and <= 200 } n ? n : "document";
        var input = new EvidenceFileInput(name, file.ContentType is { Length: > 0 } t ? t : "application/octet-stream", buffer.ToArray());
        return await projects.AttachAsync(tenant.TenantId, site, id, input, ApiResults.Actor(http), ct) is { } doc
            ? TypedResults.Created($"/api/v1/sites/{site}/projects/{id}/documents/{doc.Id}", doc) : TypedResults.NotFound();
    }

    internal static async Task<IResult> Document(string site, long id, long documentId, ProjectService projects, TenantContext tenant, CancellationToken ct) =>
        await projects.DocumentAsync(tenant.TenantId, site, id, documentId, ct) is { } file
            ? TypedResults.File(file.Content, file.ContentType, file.Name) : TypedResults.NotFound();

    internal static async Task<IResult> Workbook(string site, long id, ProjectService projects, MvService models, ISiteCatalog sites, TenantContext tenant, CancellationToken ct)
    {
        if (await projects.GetAsync(tenant.TenantId, site, id, ct) is not { } project) return TypedResults.NotFound();
        var model = project.ModelId is { } mid ? await models.GetAsync(tenant.TenantId, site, mid, ct) : null;
        var savings = project.Verification?.Result ?? (model is null ? null : await models.SavingsAsync(tenant.TenantId, site, model.Id, null, null, ct));
        var siteModel = await sites.GetSiteAsync(tenant.TenantId, site, ct);
        return TypedResults.File(ReportWorkbook.Verification(project, model, savings, siteModel!.Definition.NameZh ?? siteModel.Definition.Name), ReportWorkbook.ContentType,
            ReportWorkbook.FileName(site, $"project-{id}-mv", project.UpdatedAt[..10]));
    }

    internal static Task<IResult> Models(string site, MvService models, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => models.ListAsync(tenant.TenantId, site, ct));

    internal static async Task<IResult> CreateModel(string site, ModelSpec body, MvService models, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        if (body is null) return TypedResults.BadRequest();
        return await models.CreateAsync(tenant.TenantId, site, body, ApiResults.Actor(http), ct) is { } view
            ? TypedResults.Created($"/api/v1/sites/{site}/mv-models/{view.Id}", view) : TypedResults.NotFound();
    }

    internal static Task<IResult> Model(string site, long id, MvService models, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => models.GetAsync(tenant.TenantId, site, id, ct));

    internal static Task<IResult> UpdateModel(string site, long id, ModelSpec body, MvService models, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        ApiResults.Answer(() => models.UpdateAsync(tenant.TenantId, site, id, body ?? new ModelSpec(), ApiResults.Actor(http), ct));

    internal static Task<IResult> Refit(string site, long id, MvService models, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        ApiResults.Answer(() => models.RefitAsync(tenant.TenantId, site, id, ApiResults.Actor(http), ct));

    internal static Task<IResult> Adjust(string site, long id, NonRoutineAdjustment body, MvService models, TenantContext tenant, HttpContext http, CancellationToken ct) =>
        ApiResults.Answer(() => models.AdjustAsync(tenant.TenantId, site, id, body ?? new NonRoutineAdjustment("", "", 0, ""), ApiResults.Actor(http), ct));

    internal static Task<IResult> Savings(string site, long id, string? from, string? to, MvService models, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => models.SavingsAsync(tenant.TenantId, site, id, from, to, ct));
}
