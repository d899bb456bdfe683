using System.Globalization;
using System.Text.Json;
using GreenLoop.Connectors.Import;
using GreenLoop.Domain.Model;
using GreenLoop.Pipeline;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace GreenLoop.Server.Api;

/// <summary>
/// File import for the web UI: upload a CSV or .xlsx file, preview it, validate a column mapping (a dry run), commit
/// (the CLI's importer, in the background with progress), read the outcome. See docs/data-entry.md.
/// </summary>
public static class ImportsApi
{
    /// <summary>Issues (and repairs) listed in an answer at most; the counts cover them all.</summary>
    public const int MaxListed = 500;

    // Room for the multipart framing around the file itself.
    private const long MultipartOverhead = 64 * 1024;

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapImportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/imports").WithTags("Import");
        api.MapPost("/", Upload)
            .Accepts<UploadForm>("multipart/form-data")
            .WithSummary("Upload a CSV or Excel (.xlsx) file of readings; answers its id, columns and first rows")
            .WithDescription("multipart/form-data with one part named 'file'. Larger than GreenLoop:MaxUploadMegabytes (default 50): 413.")
            .RequirePermission(Permissions.Operate);
        api.MapGet("/{id}", Get).WithSummary("An upload: state, progress of the commit (rows done / total), and the import summary when done")
            .RequirePermission(Permissions.Operate);
        api.MapGet("/{id}/preview", Preview).WithSummary("The file's columns and first rows, with skipRows, hasHeader and delimiter as given")
            .RequirePermission(Permissions.Operate);
        api.MapPost("/{id}/validate", Validate)
            .Accepts<ImportMapping>("application/json")
            .WithSummary("Dry run with a column mapping: what would be accepted, rejected (row, field, reason) and repaired; writes nothing")
            .RequirePermission(Permissions.Operate);
        api.MapPost("/{id}/commit", Commit)
            .Accepts<ImportMapping>("application/json")
            .WithSummary("Import the file with a column mapping, in the background (202); poll GET /imports/{id} for progress and the summary")
            .RequirePermission(Permissions.Operate);
        api.MapDelete("/{id}", Discard).WithSummary("Delete an upload that is not being imported").RequirePermission(Permissions.Operate);
        return app;
    }

    /// <summary>The upload form (for the OpenAPI document).</summary>
    public sealed record UploadForm(IFormFile File);

    public sealed record ColumnView(int Number, string Name, string Guess);

    public sealed record RowView(int Row, IReadOnlyList<string> Cells);

    /// <summary>The head of the file: columns (1-based numbers, header names, a guess at what they hold) and the first data rows.</summary>
    public sealed record PreviewView(IReadOnlyList<ColumnView> Columns, IReadOnlyList<RowView> Rows, string? Delimiter, int? HeaderRow);

    public sealed record ProgressView(long RowsDone, long? RowsTotal, double? Fraction);

    /// <summary>Per meter: values accepted, and for interval meters their consumption (raw sum x multiplier) in the meter's unit.</summary>
    public sealed record MeterSumView(string Meter, string? Unit, string? Kind, double RawSum, double? Consumption);

    public sealed record SummaryView(long RowsRead, long BlankLines, long Values, long Accepted, long Rejected, long Repaired, long DuplicatesInFile,
        long AlreadyStored, DateTimeOffset? FirstInstant, DateTimeOffset? LastInstant, IReadOnlyList<MeterSumView> Meters, double ElapsedSeconds);

    public sealed record IssueView(int Row, string Field, string Reason, string RawLine);

    public sealed record RepairView(int Row, string Field, string What);

    /// <summary>A dry run's or an import's outcome: the summary, and the first <see cref="MaxListed"/> issues and repairs by row.</summary>
    public sealed record ReportView(SummaryView Summary, int IssueCount, IReadOnlyList<IssueView> Issues, int RepairCount, IReadOnlyList<RepairView> Repairs, string? Error);

    /// <summary>An upload as the API shows it. <c>state</c>: uploaded, committing, committed, failed.</summary>
    public sealed record ImportView(string Id, string FileName, long SizeBytes, string Kind, string State, DateTimeOffset UploadedAt, string UploadedBy,
        ProgressView Progress, string? CommittedBy, DateTimeOffset? CommitStartedAt, DateTimeOffset? CommitFinishedAt, ReportView? Result, string? Error,
        PreviewView? Preview);

    internal static async Task<IResult> Upload(HttpContext http, ImportSessions imports, MeterCatalog catalog, TenantContext tenant, CancellationToken ct)
    {
        var limit = imports.Options.MaxUploadBytes;
        var request = http.Request;
        // The server's own body limit (30 MB by default) gives way to the configured one, plus the multipart framing;
        // the copy below stops at the file's limit with a reason.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize) bodySize.MaxRequestBodySize = limit + MultipartOverhead;
        if (request.ContentLength > limit + MultipartOverhead) return TooLarge(limit);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType.Value, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(title: "Unsupported content type",
                detail: $"Upload the file as multipart/form-data with a part named 'file', not '{request.ContentType}'.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary)) return BadUpload("the multipart/form-data content type has no boundary");
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || !string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, "file", StringComparison.Ordinal))
                {
                    continue; // other form fields are not used
                }

                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                var outcome = await imports.UploadAsync(tenant.TenantId, fileName, section.Body, ApiResults.Actor(http), ct);
                return outcome.Problem switch
                {
                    UploadProblem.None => TypedResults.Created($"/api/v1/imports/{outcome.Session!.Id}",
                        await ViewAsync(outcome.Session, PreviewOf(outcome.Preview!), catalog, ct)),
                    UploadProblem.TooLarge => TooLarge(limit),
                    UploadProblem.UnsupportedType => TypedResults.Problem(title: "Unsupported file type", detail: outcome.Reason,
                        statusCode: StatusCodes.Status415UnsupportedMediaType),
                    _ => TypedResults.Problem(title: "The file cannot be read", detail: outcome.Reason, statusCode: StatusCodes.Status400BadRequest),
                };
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }
        catch (IOException e)
        {
            return BadUpload($"the multipart/form-data body cannot be read: {e.Message}");
        }
        catch (InvalidDataException e)
        {
            return BadUpload($"the multipart/form-data body cannot be read: {e.Message}");
        }

        return BadUpload("the form has no part named 'file'");
    }

    internal static async Task<IResult> Get(string id, ImportSessions imports, MeterCatalog catalog, TenantContext tenant, CancellationToken ct) =>
        imports.Find(tenant.TenantId, id) is { } session ? TypedResults.Ok(await ViewAsync(session, null, catalog, ct)) : TypedResults.NotFound();

    internal static async Task<IResult> Preview(string id, ImportSessions imports, TenantContext tenant, CancellationToken ct,
        int skipRows = 0, bool hasHeader = true, string? delimiter = null)
    {
        if (imports.Find(tenant.TenantId, id) is not { } session) return TypedResults.NotFound();
        var (settings, errors) = new ImportMapping { SkipRows = skipRows, HasHeader = hasHeader, Delimiter = delimiter }.ToPreviewSettings();
        if (settings is null) return TypedResults.ValidationProblem(errors, title: "The preview settings are not valid");
        try
        {
            return await imports.PreviewAsync(session, settings, ct) is { } preview
                ? TypedResults.Ok(PreviewOf(preview))
                : AlreadyImported(session);
        }
        catch (ImportFormatException e)
        {
            return TypedResults.Problem(title: "The file cannot be read with these settings", detail: e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    internal static async Task<IResult> Validate(string id, HttpRequest request, ImportSessions imports, MeterCatalog catalog, TenantContext tenant, CancellationToken ct)
    {
        if (imports.Find(tenant.TenantId, id) is not { } session) return TypedResults.NotFound();
        var (options, problem) = await ReadMappingAsync(request, ct);
        if (options is null) return problem!;
        if (session.State is ImportState.Committing) return Busy();
        if (session.State is ImportState.Committed) return AlreadyImported(session);
        var result = await imports.ValidateAsync(session, options, ct);
        if (result is null) return session.State is ImportState.Committed ? AlreadyImported(session) : Busy();
        if (result.Error is not null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["mapping"] = [result.Error] }, title: "The file cannot be imported as mapped");
        return TypedResults.Ok(await ReportAsync(result, session.TenantId, catalog, ct));
    }

    internal static async Task<IResult> Commit(string id, HttpContext http, ImportSessions imports, MeterCatalog catalog, TenantContext tenant, CancellationToken ct)
    {
        if (imports.Find(tenant.TenantId, id) is not { } session) return TypedResults.NotFound();
        var (options, problem) = await ReadMappingAsync(http.Request, ct);
        if (options is null) return problem!;
        return imports.Commit(session, options, ApiResults.Actor(http)) switch
        {
            CommitStart.Started => TypedResults.Accepted($"/api/v1/imports/{session.Id}", await ViewAsync(session, null, catalog, ct)),
            CommitStart.AlreadyCommitted => AlreadyImported(session),
            _ => Busy(),
        };
    }

    internal static async Task<IResult> Discard(string id, ImportSessions imports, TenantContext tenant, CancellationToken ct)
    {
        if (imports.Find(tenant.TenantId, id) is not { } session) return TypedResults.NotFound();
        return await imports.DiscardAsync(session, ct) ? TypedResults.NoContent() : Busy();
    }

    private static async Task<(ImportOptions? Options, IResult? Problem)> ReadMappingAsync(HttpRequest request, CancellationToken ct)
    {
        ImportMapping? mapping;
        try
        {
            mapping = await JsonSerializer.DeserializeAsync<ImportMapping>(request.Body, _json, ct);
        }
        catch (JsonException e)
        {
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { [FieldOf(e.Path)] = [e.Message] },
                title: "The mapping is not valid JSON of the expected shape"));
        }

        if (mapping is null) return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["send the column mapping as JSON"] }));
        var (options, errors) = mapping.ToOptions();
        return options is null
            ? (null, TypedResults.ValidationProblem(errors, title: "The column mapping is not complete"))
            : (options, null);
    }

    private static string FieldOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "body" : jsonPath.TrimStart('$', '.');

    private static IResult TooLarge(long limit) =>
        TypedResults.Problem(title: "The file is too large",
            detail: string.Create(CultureInfo.InvariantCulture,
                $"Uploads are limited to {limit / (1024.0 * 1024.0):0.#} MB (GreenLoop:MaxUploadMegabytes); split the file, or import it with the command line (greenloop import)."),
            statusCode: StatusCodes.Status413PayloadTooLarge);

    private static IResult BadUpload(string reason) =>
        TypedResults.Problem(title: "The upload cannot be read", detail: reason, statusCode: StatusCodes.Status400BadRequest);

    private static IResult Busy() =>
        TypedResults.Problem(title: "The upload is busy", detail: "A validation or the import of this file is running; wait for it to finish.",
            statusCode: StatusCodes.Status409Conflict);

    private static IResult AlreadyImported(ImportSession session) =>
        TypedResults.Problem(title: "Already imported", detail: $"'{session.FileName}' was imported and its upload deleted; upload it again to import it again.",
            statusCode: StatusCodes.Status409Conflict);

    private static PreviewView PreviewOf(FilePreviewResult preview) => new(
        [.. preview.Columns.Select(c => new ColumnView(c.Number, c.Name, c.Guess.ToString().ToLowerInvariant()))],
        [.. preview.Rows.Select(r => new RowView(r.Row, r.Cells))],
        preview.Delimiter switch { null => null, '\t' => "tab", var d => d.ToString() },
        preview.HeaderRow);

    private static async Task<ImportView> ViewAsync(ImportSession session, PreviewView? preview, MeterCatalog catalog, CancellationToken ct)
    {
        var s = session.Snapshot();
        var fraction = s.State == ImportState.Committed ? 1
            : s.RowsTotal is > 0 and var total ? Math.Min(1, (double)s.RowsDone / total) : (double?)null;
        return new ImportView(s.Id, s.FileName, s.SizeBytes, s.Kind, s.State.ToString().ToLowerInvariant(), s.UploadedAt, s.UploadedBy,
            new ProgressView(s.RowsDone, s.RowsTotal, fraction), s.CommittedBy, s.CommitStartedAt, s.CommitFinishedAt,
            s.Result is null ? null : await ReportAsync(s.Result, session.TenantId, catalog, ct), s.Error, preview);
    }

    private static async Task<ReportView> ReportAsync(ImportResult result, long tenantId, MeterCatalog catalog, CancellationToken ct)
    {
        var r = result.Summary;
        var meters = new List<MeterSumView>();
        foreach (var (key, sum) in r.SumByMeter.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var meter = await catalog.FindAsync(tenantId, key, ct);
            var def = meter?.Definition;
            meters.Add(new MeterSumView(key, def?.Unit, def?.Kind.ToString(), sum,
                def is { Kind: MeterKind.Interval } ? sum * def.Multiplier : null));
        }

        var summary = new SummaryView(r.RowsRead, r.BlankLines, r.Values, r.Accepted, r.Rejected, r.Repaired, r.DuplicatesInFile, r.AlreadyStored,
            r.FirstInstant, r.LastInstant, meters, Math.Round(r.Elapsed.TotalSeconds, 3));
        return new ReportView(summary,
            result.Issues.Count, [.. result.Issues.Take(MaxListed).Select(i => new IssueView(i.Row, i.Field, i.Reason, i.RawLine))],
            result.Repairs.Count, [.. result.Repairs.Take(MaxListed).Select(p => new RepairView(p.Row, p.Field, p.What))],
            result.Error);
    }
}
