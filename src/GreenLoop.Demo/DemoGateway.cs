using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using GreenLoop.Pipeline.Meter.Ingest;
using Microsoft.Extensions.Logging;

namespace GreenLoop.Demo;

/// <summary>
/// Feeds the demo plant's readings to a GreenLoop server through the public ingest API, exactly as a field gateway
/// would: <c>POST /api/v1/readings</c> with <c>{"readings":[{"meter","ts","value"}]}</c>, at most
/// <see cref="MaxBatch"/> readings per request. Transient failures (network, timeouts, 408, 429, 5xx) are retried
/// with exponential backoff until they succeed or the token is cancelled; a batch the server refuses outright (other 4xx)
/// is logged and skipped. Cancellation ends the methods with <see cref="OperationCanceledException"/>.
/// Run <see cref="BackfillAsync"/> first, then <see cref="StreamAsync"/>, which continues where the back-fill ended;
/// not both at once.
/// </summary>
public sealed partial class DemoGateway
{
    /// <summary>Most readings sent in one request.</summary>
    public const int MaxBatch = 5000;

    /// <summary>Relative path of the ingest endpoint (the caller sets the client's base address).</summary>
    public const string ReadingsPath = "api/v1/readings";

    /// <summary>Spacing of back-filled readings, the base grain of the pipeline.</summary>
    public static readonly TimeSpan BackfillStep = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan _firstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan _maxRetryDelay = TimeSpan.FromSeconds(60);
    private static readonly MediaTypeHeaderValue _jsonType = new("application/json");

    private readonly DemoPlant _plant;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private DateTimeOffset? _lastPosted;

    public DemoGateway(DemoPlant plant, HttpClient http, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(plant);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _plant = plant;
        _http = http;
        _time = time;
        _logger = logger;
    }

    /// <summary>The latest instant up to which every reading has been sent; null before the first post.</summary>
    public DateTimeOffset? LastPosted => _lastPosted;

    /// <summary>
    /// Posts <paramref name="days"/> days of readings up to now at 15-minute steps: the most recent local day first,
    /// so that today's dashboard fills quickly, then each earlier day, then the withheld late batch
    /// (<see cref="DemoPlant.IsLate"/>). History is clamped to <see cref="DemoPlant.Earliest"/>.
    /// </summary>
    public async Task BackfillAsync(int days, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var now = _time.GetUtcNow();
        var from = now - TimeSpan.FromDays(days);
        if (from < _plant.Earliest) from = _plant.Earliest;
        Log.BackfillStarted(_logger, days, from, now);

        var late = new List<ReadingInput>();
        var batch = new List<ReadingInput>(MaxBatch);
        var sent = 0;
        var chunkEnd = now;
        var dayStart = LocalMidnight(now);
        while (chunkEnd > from)
        {
            var chunkStart = dayStart > from ? dayStart : from;
            foreach (var reading in _plant.Readings(chunkStart, chunkEnd, BackfillStep))
            {
                if (_plant.IsLate(reading))
                {
                    late.Add(reading);
                    continue;
                }
                batch.Add(reading);
                if (batch.Count == MaxBatch) sent += await FlushAsync(batch, cancellationToken);
            }
            // One day's readings are committed before the day before it starts.
            sent += await FlushAsync(batch, cancellationToken);
            chunkEnd = chunkStart;
            dayStart = dayStart.AddDays(-1);
        }
        foreach (var chunk in late.Chunk(MaxBatch))
        {
            batch.AddRange(chunk);
            sent += await FlushAsync(batch, cancellationToken);
        }
        if (days > 0) _lastPosted = Floor(now, BackfillStep);
        Log.BackfillFinished(_logger, sent, late.Count);
    }

    /// <summary>
    /// Every <paramref name="interval"/>, posts the readings from the last posted instant (the end of the back-fill, or
    /// the start of the stream) to now, on a grid of <paramref name="interval"/> (whole seconds dividing 15 minutes).
    /// A failing tick is logged and its readings are sent with the next one. Runs until cancelled.
    /// </summary>
    public async Task StreamAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var seconds = interval.TotalSeconds;
        if (seconds < 1 || seconds != Math.Floor(seconds) || 900 % (long)seconds != 0)
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval must be whole seconds dividing 15 minutes.");
        _lastPosted ??= Floor(_time.GetUtcNow(), interval);
        using var timer = new PeriodicTimer(interval, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                var until = Floor(_time.GetUtcNow(), interval);
                var from = _lastPosted.Value;
                if (until <= from) continue;
                var batch = new List<ReadingInput>();
                foreach (var reading in _plant.Readings(from, until, interval))
                {
                    batch.Add(reading);
                    if (batch.Count == MaxBatch) await FlushAsync(batch, cancellationToken);
                }
                await FlushAsync(batch, cancellationToken);
                _lastPosted = until;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The stream must outlive anything one tick can throw; the readings are sent again with the next tick.
                Log.TickFailed(_logger, ex);
            }
        }
    }

    /// <summary>Posts the batch (retrying transient failures), clears it and returns how many readings were sent.</summary>
    private async Task<int> FlushAsync(List<ReadingInput> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return 0;
        await PostAsync(batch, cancellationToken);
        var count = batch.Count;
        batch.Clear();
        return count;
    }

    private async Task PostAsync(List<ReadingInput> readings, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new ReadingBatch(readings), DemoJsonContext.Default.ReadingBatch);
        var delay = _firstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = _jsonType;
                using var response = await _http.PostAsync(ReadingsPath, content, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    await ReadAnswerAsync(response, readings.Count, cancellationToken);
                    return;
                }
                if (!IsTransient(response.StatusCode))
                {
                    var text = await response.Content.ReadAsStringAsync(cancellationToken);
                    Log.BatchRefused(_logger, (int)response.StatusCode, readings.Count, text.Length > 500 ? text[..500] : text);
                    return;
                }
                Log.PostFailedStatus(_logger, (int)response.StatusCode, attempt, delay);
            }
            catch (HttpRequestException ex)
            {
                Log.PostFailed(_logger, ex, attempt, delay);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.PostFailed(_logger, ex, attempt, delay); // HttpClient.Timeout
            }
            await Task.Delay(delay, _time, cancellationToken);
            delay = delay * 2 < _maxRetryDelay ? delay * 2 : _maxRetryDelay;
        }
    }

    private async Task ReadAnswerAsync(HttpResponseMessage response, int count, CancellationToken cancellationToken)
    {
        IngestAnswer? answer;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            answer = await JsonSerializer.DeserializeAsync(stream, DemoJsonContext.Default.IngestAnswer, cancellationToken);
        }
        catch (JsonException ex)
        {
            Log.AnswerUnreadable(_logger, ex, count);
            return;
        }
        if (answer is null) return;
        Log.BatchPosted(_logger, answer.Received, answer.Accepted, answer.Duplicates, answer.Rejected?.Count ?? 0);
        if (answer.Rejected is [var first, ..])
            Log.RowsRejected(_logger, answer.Rejected.Count, count, first.Index, first.Field, first.Reason);
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static DateTimeOffset Floor(DateTimeOffset instant, TimeSpan step) =>
        DemoPlant.ToOffset(DemoPlant.FloorDiv(instant.ToUnixTimeMilliseconds(), (long)step.TotalMilliseconds) * (long)step.TotalMilliseconds);

    private static DateTimeOffset LocalMidnight(DateTimeOffset instant)
    {
        var local = instant.ToOffset(DemoPlant.UtcOffset);
        return new DateTimeOffset(local.Date, DemoPlant.UtcOffset);
    }

    internal sealed record ReadingBatch(IReadOnlyList<ReadingInput> Readings);

    internal sealed record IngestAnswer(int Received, int Accepted, int Duplicates, IReadOnlyList<IngestRejection>? Rejected);

    internal sealed record IngestRejection(int Index, string? Field, string? Reason);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DemoGateway.ReadingBatch))]
[JsonSerializable(typeof(DemoGateway.IngestAnswer))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
