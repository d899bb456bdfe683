using System.Text.Json;
using GreenLoop.Pipeline.Meter.Manual;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;

namespace GreenLoop.Server.Api;

/// <summary>
/// Manual entry for offline meters: register readings typed in from bills and delivery notes, with who and when, and
/// corrections as new versions. See docs/data-entry.md.
/// </summary>
public static class ManualEntriesApi
{
    public static IEndpointRouteBuilder MapManualEntriesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/manual-entries").WithTags("Manual entry");
        api.MapPost("/", Create)
            .Accepts<EntryBody>("application/json")
            .WithSummary("Record a register reading of an offline meter (201); 409 when a reading or an entry already holds that instant")
            .RequirePermission(Permissions.Operate);
        api.MapPost("/{entryId:long}/corrections", Correct)
            .Accepts<CorrectionBody>("application/json")
            .WithSummary("Correct an entry: a new version with the right value and a reason (201); consumption is derived again")
            .RequirePermission(Permissions.Operate);
        api.MapGet("/", List).WithSummary("The current version of each entry, newest reading first; ?meter= for one meter, ?limit= (default 200)")
            .RequirePermission(Permissions.Read);
        api.MapGet("/{entryId:long}", History).WithSummary("An entry with every version: value, who, when, document, reason")
            .RequirePermission(Permissions.Read);
        return app;
    }

    /// <summary>A new entry (OpenAPI shape): <c>ts</c> with an offset, or local with <c>timeZone</c>; <c>value</c> as read.</summary>
    public sealed record EntryBody(string Meter, string Ts, string? TimeZone, double Value, string? Document, string? Note);

    /// <summary>A correction (OpenAPI shape): the right value and why.</summary>
    public sealed record CorrectionBody(double Value, string Reason, string? Document, string? Note);

    /// <summary>An entry and all its versions, oldest first; <c>current</c> is the newest.</summary>
    public sealed record HistoryView(long EntryId, string Meter, string Site, string Unit, DateTimeOffset Ts, ManualEntryView Current, IReadOnlyList<ManualEntryView> Versions);

    internal static async Task<IResult> Create(HttpContext http, ManualEntryService entries, TenantContext tenant, CancellationToken ct)
    {
        var (body, problem) = await ReadObjectAsync(http.Request, ct);
        if (body is not { } json) return problem!;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var input = new ManualEntryInput
        {
            Meter = Text(json, "meter", errors),
            Ts = Text(json, "ts", errors),
            TimeZone = Text(json, "timeZone", errors),
            Value = Number(json, "value", errors),
            Document = Text(json, "document", errors),
            Note = Text(json, "note", errors),
        };
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The entry is not valid");
        var result = await entries.CreateAsync(tenant.TenantId, input, ApiResults.Actor(http), ct);
        return Answer(result);
    }

    internal static async Task<IResult> Correct(long entryId, HttpContext http, ManualEntryService entries, TenantContext tenant, CancellationToken ct)
    {
        var (body, problem) = await ReadObjectAsync(http.Request, ct);
        if (body is not { } json) return problem!;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var input = new ManualCorrectionInput
        {
            Value = Number(json, "value", errors),
            Reason = Text(json, "reason", errors),
            Document = Text(json, "document", errors),
            Note = Text(json, "note", errors),
        };
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The correction is not valid");
        var result = await entries.CorrectAsync(tenant.TenantId, entryId, input, ApiResults.Actor(http), ct);
        return Answer(result);
    }

    internal static async Task<IResult> List(ManualEntryService entries, TenantContext tenant, CancellationToken ct, string? meter = null, int limit = 200)
    {
        var list = await entries.ListAsync(tenant.TenantId, meter, limit, ct);
        return list is null
            ? TypedResults.Problem(title: "Unknown meter", detail: $"no meter '{meter}' in this tenant", statusCode: StatusCodes.Status400BadRequest)
            : TypedResults.Ok(list);
    }

    internal static async Task<IResult> History(long entryId, ManualEntryService entries, TenantContext tenant, CancellationToken ct)
    {
        var versions = await entries.HistoryAsync(tenant.TenantId, entryId, ct);
        if (versions.Count == 0) return TypedResults.NotFound();
        var current = versions[^1];
        return TypedResults.Ok(new HistoryView(entryId, current.Meter, current.Site, current.Unit, current.Ts, current, versions));
    }

    private static IResult Answer(ManualSaveResult result) => result.Status switch
    {
        ManualSaveStatus.Saved => TypedResults.Created($"/api/v1/manual-entries/{result.Entry!.EntryId}", result.Entry),
        ManualSaveStatus.Invalid => TypedResults.ValidationProblem(result.Errors, title: "The entry is not valid"),
        ManualSaveStatus.EntryExists => TypedResults.Problem(title: "A manual entry holds that instant",
            detail: $"Entry {result.ExistingEntryId} already records this meter at that instant; correct it instead of entering it again.",
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { ["existingEntryId"] = result.ExistingEntryId }),
        ManualSaveStatus.ReadingExists => TypedResults.Problem(title: "A reading is stored at that instant",
            detail: "A reading from a device or an import is already stored for this meter at that instant; the stored reading is kept. Choose another instant, or check the meter.",
            statusCode: StatusCodes.Status409Conflict),
        _ => TypedResults.NotFound(),
    };

    private static async Task<(JsonElement? Body, IResult? Problem)> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["send a JSON object"] }));
            return (doc.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"not valid JSON: {e.Message}"] }));
        }
    }

    private static string? Text(JsonElement body, string name, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        errors[name] = [$"'{name}' must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}"];
        return null;
    }

    private static double? Number(JsonElement body, string name, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)) return number;
        errors[name] = [$"'{name}' must be a JSON number (e.g. 12345.6), not {value.ValueKind.ToString().ToLowerInvariant()}"];
        return null;
    }
}
