using System.Text;
using System.Text.Json;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GreenLoop.Server.Api;

/// <summary>The gateway contract: <c>POST /api/v1/readings</c> (JSON or CSV) and the quarantine.</summary>
public static class ReadingsApi
{
    public static IEndpointRouteBuilder MapReadingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Ingest");
        api.MapPost("/readings", PostReadings)
            .Accepts<ReadingsBody>("application/json", "text/csv")
            .WithSummary("Ingest a batch of meter readings")
            .WithDescription("JSON {\"readings\":[{\"meter\",\"ts\",\"value\"}]} or text/csv with header meter,ts,value. Valid rows are accepted; the rest are answered by index, field and reason and quarantined.").RequirePermission(Permissions.Ingest).RequireRateLimiting(SecurityHosting.IngestLimit);
        api.MapGet("/quarantine", ListQuarantine).WithSummary("Rejected rows with their reasons").RequirePermission(Permissions.Read);
        api.MapPost("/quarantine/replay", Replay).WithSummary("Try every quarantined row again").RequirePermission(Permissions.Configure);
        return app;
    }

    /// <summary>The JSON body shape (for the OpenAPI document).</summary>
    public sealed record ReadingsBody(IReadOnlyList<ReadingDto> Readings);

    /// <summary>One reading: meter key, ISO 8601 instant with offset, raw value.</summary>
    public sealed record ReadingDto(string Meter, string Ts, double Value);

    [NotAudited]
    internal static async Task<Results<Ok<IngestResult>, ProblemHttpResult>> PostReadings(HttpRequest request, IngestService ingest, TenantContext tenant, CancellationToken ct)
    {
        ParsedBatch parsed;
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is "text/csv" or "application/csv")
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            parsed = await ReadingParsers.ParseCsvAsync(reader, "http-csv", ct);
        }
        else if (mediaType is null or "application/json" or "text/json")
        {
            try
            {
                using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
                parsed = ReadingParsers.ParseJson(doc, "http-json");
            }
            catch (JsonException ex)
            {
                return TypedResults.Problem(title: "The body is not valid JSON", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
            }
        }
        else
        {
            return TypedResults.Problem(title: "Unsupported content type", detail: $"Send application/json or text/csv, not '{request.ContentType}'.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }
        if (parsed.BodyError is not null)
            return TypedResults.Problem(title: "The body cannot be read as a batch of readings", detail: parsed.BodyError, statusCode: StatusCodes.Status400BadRequest);
        // A key or user allowed to write to some sites only: each reading of a meter elsewhere is refused (and kept).
        var everywhere = Permissions.Has(request.HttpContext.User, Permissions.Ingest, null);
        var onlySites = everywhere ? null : request.HttpContext.User.FindAll(Permissions.ClaimType)
            .Select(c => c.Value).Where(v => v.StartsWith(Permissions.Ingest + "@", StringComparison.Ordinal))
            .Select(v => v[(Permissions.Ingest.Length + 1)..]).ToHashSet(StringComparer.Ordinal);
        return TypedResults.Ok(await ingest.IngestAsync(tenant.TenantId, parsed.Request with { OnlySites = onlySites }, ct));
    }

    /// <summary>A quarantined row as shown to a person.</summary>
    public sealed record QuarantineRow(long Id, string ReceivedAt, string Source, string? Meter, string? Ts, string? Value, string Field, string Reason);

    public sealed record QuarantineList(int Total, IReadOnlyList<QuarantineRow> Rows);

    internal static async Task<Ok<QuarantineList>> ListQuarantine(GreenLoop.Storage.IReadingStore store, TenantContext tenant, CancellationToken ct, int limit = 100)
    {
        var rows = await store.ListQuarantineAsync(tenant.TenantId, Math.Clamp(limit, 1, 10_000), ct);
        var total = await store.CountQuarantineAsync(tenant.TenantId, ct);
        return TypedResults.Ok(new QuarantineList(total, rows.Select(r => new QuarantineRow(r.Id,
            DateTimeOffset.FromUnixTimeMilliseconds(r.ReceivedAt).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            r.Source, r.Meter, r.Ts, r.Value, r.Field, r.Reason)).ToList()));
    }

    public sealed record ReplayResult(int Replayed, int Accepted, int StillRejected);

    internal static async Task<Ok<ReplayResult>> Replay(IngestService ingest, TenantContext tenant, CancellationToken ct)
    {
        var (replayed, accepted, still) = await ingest.ReplayQuarantineAsync(tenant.TenantId, ct);
        return TypedResults.Ok(new ReplayResult(replayed, accepted, still));
    }
}
