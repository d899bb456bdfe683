using System.Globalization;
using System.Text;
using System.Text.Json;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

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
            .WithDescription("JSON {\"readings\":[{\"meter\",\"ts\",\"value\"}]} or text/csv (RFC 4180) with header meter,ts,value; the charset of Content-Type is honoured (UTF-8 by default). Valid rows are accepted; the rest are answered by index, field and reason and quarantined. The headers X-GreenLoop-Accepted and X-GreenLoop-Rejected give the counts; with onRejected=422 the answer is 422 when any row was rejected (the valid rows are stored all the same).").RequirePermission(Permissions.Ingest).RequireRateLimiting(SecurityHosting.IngestLimit);
        api.MapGet("/quarantine", ListQuarantine).WithSummary("Rejected rows with their reasons, newest first; filters meter, source, field, from, to (received, ISO 8601); page with before (an id)").RequirePermission(Permissions.Read);
        api.MapPost("/quarantine/replay", Replay).WithSummary("Try quarantined rows again: all of them, newest first, or a selection (ids, or filters with a limit); each row with the scope of the key that sent it").RequirePermission(Permissions.Configure);
        api.MapPost("/quarantine/purge", Purge).WithSummary("Delete quarantined rows: a selection by ids, or everything received before an instant (olderThan), optionally filtered").RequirePermission(Permissions.Configure);
        return app;
    }

    /// <summary>The JSON body shape (for the OpenAPI document).</summary>
    public sealed record ReadingsBody(IReadOnlyList<ReadingDto> Readings);

    /// <summary>One reading: meter key, ISO 8601 instant with offset, raw value.</summary>
    public sealed record ReadingDto(string Meter, string Ts, double Value);

    /// <summary>Header with the number of readings accepted (new or duplicate) on every ingest answer.</summary>
    public const string AcceptedHeader = "X-GreenLoop-Accepted";

    /// <summary>Header with the number of rows rejected on every ingest answer: a gateway can check it without reading the body.</summary>
    public const string RejectedHeader = "X-GreenLoop-Rejected";

    static ReadingsApi() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [NotAudited]
    internal static async Task<Results<Ok<IngestResult>, UnprocessableEntity<IngestResult>, ProblemHttpResult>> PostReadings(
        HttpRequest request, IngestService ingest, TenantContext tenant, IngestRowLimiter rowLimiter, CancellationToken ct, int? onRejected = null)
    {
        if (onRejected is not (null or 200 or 422))
            return TypedResults.Problem(title: "Bad onRejected", detail: $"onRejected must be 200 (the default) or 422, not {onRejected}.", statusCode: StatusCodes.Status400BadRequest);
        ParsedBatch parsed;
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (!TryEncoding(request.ContentType, out var encoding, out var charsetProblem))
            return TypedResults.Problem(title: "Unsupported charset", detail: charsetProblem, statusCode: StatusCodes.Status415UnsupportedMediaType);
        if (mediaType is "text/csv" or "application/csv")
        {
            using var reader = new StreamReader(request.Body, encoding);
            parsed = await ReadingParsers.ParseCsvAsync(reader, "http-csv", ct);
        }
        else if (mediaType is null or "application/json" or "text/json")
        {
            try
            {
                // JSON is read as UTF-8; a body in another declared charset is transcoded first.
                await using var body = encoding.CodePage == Encoding.UTF8.CodePage ? null : Encoding.CreateTranscodingStream(request.Body, encoding, Encoding.UTF8, leaveOpen: true);
                using var doc = await JsonDocument.ParseAsync(body ?? request.Body, cancellationToken: ct);
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
        // The rate limit in rows: a key's readings per second, not only its requests.
        var rows = parsed.Request.Readings.Count + parsed.Request.ParseRejections.Count;
        if (rows > rowLimiter.Burst)
            return TypedResults.Problem(title: "Batch too large", detail: $"{rows} readings in one request; at most {rowLimiter.Burst} (GreenLoop:Security:IngestRowsBurst): split the batch", statusCode: StatusCodes.Status413PayloadTooLarge);
        if (!rowLimiter.TryTake(request.HttpContext, rows, out var wait))
        {
            request.HttpContext.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(title: "Too many readings", statusCode: StatusCodes.Status429TooManyRequests,
                detail: $"this key sent more than {rowLimiter.RowsPerSecond} readings a second (GreenLoop:Security:IngestRowsPerSecond); wait {wait} s and send the batch again (nothing of it was stored)");
        }
        // A key or user allowed to write to some sites only: each reading of a meter elsewhere is refused (and kept).
        var everywhere = Permissions.Has(request.HttpContext.User, Permissions.Ingest, null);
        var onlySites = everywhere ? null : request.HttpContext.User.FindAll(Permissions.ClaimType)
            .Select(c => c.Value).Where(v => v.StartsWith(Permissions.Ingest + "@", StringComparison.Ordinal))
            .Select(v => v[(Permissions.Ingest.Length + 1)..]).ToHashSet(StringComparer.Ordinal);
        var result = await ingest.IngestAsync(tenant.TenantId, parsed.Request with { OnlySites = onlySites, Sender = ApiResults.Actor(request.HttpContext) }, ct);
        var headers = request.HttpContext.Response.Headers;
        headers[AcceptedHeader] = result.Accepted.ToString(CultureInfo.InvariantCulture);
        headers[RejectedHeader] = result.Rejected.Count.ToString(CultureInfo.InvariantCulture);
        return onRejected == 422 && result.Rejected.Count > 0 ? TypedResults.UnprocessableEntity(result) : TypedResults.Ok(result);
    }

    /// <summary>The body's declared charset (UTF-8 when none); GBK, GB18030, ISO-8859-1 and UTF-16 are read as declared.</summary>
    private static bool TryEncoding(string? contentType, out Encoding encoding, out string problem)
    {
        encoding = Encoding.UTF8;
        problem = "";
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.Charset.Length == 0) return true;
        var name = media.Charset.ToString().Trim('"');
        try
        {
            encoding = Encoding.GetEncoding(name);
            return true;
        }
        catch (ArgumentException)
        {
            problem = $"charset '{name}' is not known; send UTF-8 (or declare GBK, GB18030, ISO-8859-1 or UTF-16).";
            return false;
        }
    }

    /// <summary>
    /// A quarantined row as shown to a person: who sent it (<c>sender</c>, e.g. <c>key:gateway-1</c>), the sites that
    /// sender was limited to (<c>scope</c>, null for every site), and <c>rawLength</c> when a field was too long to
    /// keep whole (it is kept cut, ending in "…", and cannot be replayed).
    /// </summary>
    public sealed record QuarantineRow(long Id, string ReceivedAt, string Source, string? Meter, string? Ts, string? Value, string Field, string Reason,
        string? Sender, string? Scope, int? RawLength);

    /// <summary>One page: <c>total</c> rows match the filters; <c>next</c> is the <c>before</c> of the next page (null at the end).</summary>
    public sealed record QuarantineList(int Total, IReadOnlyList<QuarantineRow> Rows, long? Next);

    internal static async Task<Results<Ok<QuarantineList>, ProblemHttpResult>> ListQuarantine(GreenLoop.Storage.IReadingStore store, TenantContext tenant, CancellationToken ct,
        int limit = 100, long? before = null, string? meter = null, string? source = null, string? field = null, string? from = null, string? to = null)
    {
        if (!TryQuery(Math.Clamp(limit, 1, 10_000), before, meter, source, field, from, to, null, out var query, out var problem)) return problem;
        var rows = await store.ListQuarantineAsync(tenant.TenantId, query, ct);
        var total = await store.CountQuarantineAsync(tenant.TenantId, query, ct);
        return TypedResults.Ok(new QuarantineList(total, rows.Select(r => new QuarantineRow(r.Id,
            DateTimeOffset.FromUnixTimeMilliseconds(r.ReceivedAt).ToString("O", CultureInfo.InvariantCulture),
            r.Source, r.Meter, r.Ts, r.Value, r.Field, r.Reason, r.Sender, r.Scope, r.RawLength)).ToList(),
            rows.Count == query.Limit ? rows[^1].Id : null));
    }

    /// <summary>Which quarantined rows to replay or purge: <c>ids</c>, or filters (received <c>from</c>/<c>to</c> or <c>olderThan</c>, ISO 8601) with an optional <c>limit</c>.</summary>
    public sealed record QuarantineSelection(IReadOnlyList<long>? Ids, string? Meter, string? Source, string? Field, string? From, string? To, string? OlderThan, int? Limit);

    public sealed record ReplayResult(int Replayed, int Accepted, int StillRejected);

    internal static async Task<Results<Ok<ReplayResult>, ProblemHttpResult>> Replay(IngestService ingest, TenantContext tenant, CancellationToken ct, QuarantineSelection? selection = null)
    {
        var s = selection ?? new QuarantineSelection(null, null, null, null, null, null, null, null);
        if (s.Limit is < 1) return TypedResults.Problem(title: "Bad limit", detail: "limit must be at least 1", statusCode: StatusCodes.Status400BadRequest);
        if (!TryQuery(s.Limit ?? int.MaxValue, null, s.Meter, s.Source, s.Field, s.From, s.To ?? s.OlderThan, s.Ids, out var query, out var problem)) return problem;
        var (replayed, accepted, still) = await ingest.ReplayQuarantineAsync(tenant.TenantId, query, ct);
        return TypedResults.Ok(new ReplayResult(replayed, accepted, still));
    }

    public sealed record PurgeResult(int Deleted);

    internal static async Task<Results<Ok<PurgeResult>, ProblemHttpResult>> Purge(GreenLoop.Storage.IReadingStore store, TenantContext tenant, QuarantineSelection selection, CancellationToken ct)
    {
        // Never everything by accident: a purge names its rows or an age.
        if (selection.Ids is null && selection.OlderThan is null)
            return TypedResults.Problem(title: "Say what to purge", detail: "give ids (a selection) or olderThan (an ISO 8601 instant: rows received before it)", statusCode: StatusCodes.Status400BadRequest);
        if (!TryQuery(int.MaxValue, null, selection.Meter, selection.Source, selection.Field, selection.From, selection.OlderThan ?? selection.To, selection.Ids, out var query, out var problem)) return problem;
        return TypedResults.Ok(new PurgeResult(await store.PurgeQuarantineAsync(tenant.TenantId, query, ct)));
    }

    private static bool TryQuery(int limit, long? before, string? meter, string? source, string? field, string? from, string? to, IReadOnlyList<long>? ids,
        out GreenLoop.Storage.QuarantineQuery query, out ProblemHttpResult problem)
    {
        query = new GreenLoop.Storage.QuarantineQuery();
        problem = null!;
        long? fromMs = null, toMs = null;
        foreach (var (name, text) in new[] { ("from", from), ("to", to) })
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            if (!ReadingParsers.TryParseInstant(text, out var at, out var error))
            {
                problem = TypedResults.Problem(title: $"Bad {name}", detail: error, statusCode: StatusCodes.Status400BadRequest);
                return false;
            }
            if (name == "from") fromMs = at.ToUnixTimeMilliseconds();
            else toMs = at.ToUnixTimeMilliseconds();
        }
        query = new GreenLoop.Storage.QuarantineQuery
        {
            Limit = limit, BeforeId = before, Meter = Blank(meter), Source = Blank(source), Field = Blank(field), From = fromMs, To = toMs, Ids = ids,
        };
        return true;

        static string? Blank(string? v) => string.IsNullOrWhiteSpace(v) ? null : v;
    }
}
