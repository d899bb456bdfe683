using System.Globalization;
using GreenLoop.Domain.Optimise;
using GreenLoop.Pipeline;
using GreenLoop.Pipeline.Model.Accounting;
using GreenLoop.Pipeline.Optimise.Kpis;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;

namespace GreenLoop.Server.Api;

/// <summary>The ready KPI definitions and the functions a formula may call.</summary>
public sealed record KpiLibraryView(IReadOnlyList<LibraryKpi> Kpis, IReadOnlyList<KpiFunction> Functions);

/// <summary>The evidence upload: one part named <c>file</c>.</summary>
public sealed record EvidenceForm(IFormFile File);

/// <summary>
/// Cleaner-production KPIs (define, board, trend, Excel) and the quantities people record for them (waste shipped, lab
/// results, purchases), with evidence files.
/// </summary>
public static class KpisApi
{
    public static IEndpointRouteBuilder MapKpisApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/kpi-library", Library).WithTags("KPIs")
            .WithSummary("Ready KPI definitions (the seven self-check indicators of a cleaner-production audit and more) and the formula functions").RequirePermission(Permissions.Read);

        app.MapGet("/api/v1/kpis", Group).WithTags("KPIs")
            .WithSummary("The group view: every site's KPI board for the period (default: this year), to compare plants (permission read for every site)")
            .RequirePermission(Permissions.Read);

        var kpis = app.MapGroup("/api/v1/sites/{site}/kpis").WithTags("KPIs");
        kpis.MapGet("/", Board).Produces<KpiBoard>().WithSummary("The KPI board: every KPI's value for the period (default: this year), baseline, target, status and projection, with the terms behind each value")
            .RequirePermission(Permissions.Read);
        kpis.MapGet("/{key}", Get).WithSummary("One KPI's definition").RequirePermission(Permissions.Read);
        kpis.MapPut("/{key}", Put).WithSummary("Create or replace a KPI; the formula is checked against the site (errors with their character position)")
            .RequirePermission(Permissions.Improve);
        kpis.MapDelete("/{key}", Delete).WithSummary("Delete a KPI").RequirePermission(Permissions.Improve);
        kpis.MapGet("/{key}/trend", Trend).Produces<KpiTrend>().WithSummary("A KPI month by month over a year (default: this year), with the year's value, baseline and target")
            .RequirePermission(Permissions.Read);
        app.MapGet("/api/v1/sites/{site}/kpis.xlsx", Workbook).WithTags("KPIs")
            .WithSummary("The KPI board as an Excel workbook: KPIs, and every term behind each value").RequirePermission(Permissions.Read)
            .Produces(StatusCodes.Status200OK, typeof(Stream), ReportWorkbook.ContentType);

        var quantities = app.MapGroup("/api/v1/sites/{site}/quantities").WithTags("KPIs");
        quantities.MapGet("/", Quantities).Produces<IReadOnlyList<QuantityView>>().WithSummary("Recorded quantities of the site, newest first; filters: key, from, to (local dates yyyy-MM-dd)")
            .RequirePermission(Permissions.Read);
        quantities.MapPost("/", Record).Produces<QuantityView>(StatusCodes.Status201Created).WithSummary("Record a quantity no meter measures: key, period (yyyy or yyyy-MM) or from and to (days included), value, unit, note")
            .RequirePermission(Permissions.Operate);
        quantities.MapDelete("/{id:long}", DeleteQuantity).WithSummary("Delete a recorded quantity").RequirePermission(Permissions.Operate);
        quantities.MapPut("/{id:long}/evidence", Attach).Accepts<EvidenceForm>("multipart/form-data")
            .WithSummary("Attach the evidence file of a recorded quantity (a weighbridge ticket, a lab report; at most 10 MB), replacing any earlier one")
            .RequirePermission(Permissions.Operate).DisableAntiforgery();
        quantities.MapGet("/{id:long}/evidence", Evidence).WithSummary("The evidence file of a recorded quantity").RequirePermission(Permissions.Read);
        return app;
    }

    internal static IResult Library() => TypedResults.Ok(new KpiLibraryView(KpiLibrary.All, KpiFunctions.All));

    internal static async Task<IResult> Group(string? period, KpiService kpis, GreenLoop.Pipeline.Monitor.Query.QueryService queries, TenantContext tenant, CancellationToken ct)
    {
        var boards = new List<KpiBoard>();
        foreach (var site in await queries.SitesAsync(tenant.TenantId, ct))
            if (await kpis.BoardAsync(tenant.TenantId, site.Key, period, ct) is { } board) boards.Add(board);
        return TypedResults.Ok(boards);
    }

    internal static Task<IResult> Board(string site, string? period, KpiService kpis, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => kpis.BoardAsync(tenant.TenantId, site, period, ct));

    internal static Task<IResult> Get(string site, string key, KpiService kpis, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => kpis.GetAsync(tenant.TenantId, site, key, ct));

    internal static async Task<IResult> Put(string site, string key, KpiDefinition kpi, KpiService kpis, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        if (kpi is null) return TypedResults.BadRequest();
        if (kpi.Key != key)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["key"] = [$"the KPI's key '{kpi.Key}' differs from the URL's '{key}'"] });
        var outcome = await kpis.SaveAsync(tenant.TenantId, site, kpi, ApiResults.Actor(http), ct);
        if (!outcome.SiteFound) return TypedResults.NotFound();
        return outcome.Kpi is { } saved
            ? TypedResults.Ok(saved)
            : TypedResults.ValidationProblem(outcome.Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray()),
                title: "The KPI has errors; nothing was saved");
    }

    internal static async Task<IResult> Delete(string site, string key, KpiService kpis, TenantContext tenant, CancellationToken ct) =>
        await kpis.DeleteAsync(tenant.TenantId, site, key, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    internal static Task<IResult> Trend(string site, string key, int? year, KpiService kpis, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => kpis.TrendAsync(tenant.TenantId, site, key, year, ct));

    internal static async Task<IResult> Workbook(string site, string? period, KpiService kpis, TenantContext tenant, CancellationToken ct) =>
        await kpis.BoardAsync(tenant.TenantId, site, period, ct) is { } board
            ? TypedResults.File(ReportWorkbook.Kpis(board), ReportWorkbook.ContentType, ReportWorkbook.FileName(site, "kpis", board.Period))
            : TypedResults.NotFound();

    internal static async Task<IResult> Quantities(string site, string? key, string? from, string? to, QuantityService quantities, TenantContext tenant, CancellationToken ct)
    {
        DateOnly? Date(string? text, string name) => text is null ? null
            : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
            : throw new BadInputException($"{name}: a local date yyyy-MM-dd");
        return await ApiResults.Answer(() => quantities.ListAsync(tenant.TenantId, site, key, Date(from, "from"), Date(to, "to"), ct));
    }

    internal static async Task<IResult> Record(string site, QuantityInput body, QuantityService quantities, TenantContext tenant, HttpContext http, CancellationToken ct)
    {
        if (body is null) return TypedResults.BadRequest();
        if (QuantityService.Validate(body, out _, out _) is { Count: > 0 } errors)
            return TypedResults.ValidationProblem(errors, title: "The quantity has errors; nothing was recorded");
        return await quantities.RecordAsync(tenant.TenantId, site, body, ApiResults.Actor(http), ct) is { } view
            ? TypedResults.Created($"/api/v1/sites/{site}/quantities/{view.Id}", view)
            : TypedResults.NotFound();
    }

    internal static async Task<IResult> DeleteQuantity(string site, long id, QuantityService quantities, TenantContext tenant, CancellationToken ct) =>
        await quantities.DeleteAsync(tenant.TenantId, site, id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    internal static async Task<IResult> Attach(string site, long id, HttpContext http, QuantityService quantities, TenantContext tenant, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
            return TypedResults.Problem(title: "Unsupported content type", statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: "send the file as multipart/form-data with a part named 'file'");
        var form = await http.Request.ReadFormAsync(ct);
        if (form.Files.GetFile("file") is not { } file || file.Length == 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["a non-empty part named 'file' is required"] });
        if (file.Length > QuantityService.MaxEvidenceBytes)
            return TypedResults.Problem(title: "Evidence file too large", statusCode: StatusCodes.Status413PayloadTooLarge,
                detail: $"the file has {file.Length} bytes; at most {QuantityService.MaxEvidenceBytes / 1024 / 1024} MB");
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var name = Path.GetFileName(file.FileName) is { Length: > 0 and <= 200 } n ? n : "evidence";
        return await quantities.AttachAsync(tenant.TenantId, site, id, new EvidenceFile(name, file.ContentType is { Length: > 0 } t ? t : "application/octet-stream", buffer.ToArray()), ct)
            ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    internal static async Task<IResult> Evidence(string site, long id, QuantityService quantities, TenantContext tenant, CancellationToken ct) =>
        await quantities.EvidenceAsync(tenant.TenantId, site, id, ct) is { } file
            ? TypedResults.File(file.Content, file.ContentType, file.Name)
            : TypedResults.NotFound();
}
