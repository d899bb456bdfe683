using GreenLoop.Pipeline.Meter.Ingest;
using Microsoft.Extensions.Logging;

namespace GreenLoop.Connectors;

/// <summary>Where a connector's readings go: the platform's single ingest path, for one tenant.</summary>
public delegate Task<IngestResult> IngestSink(IngestRequest request, CancellationToken ct);

/// <summary>
/// What a running connector is given: the tenant and source it serves, the ingest path, its health record and a logger.
/// Problems are counted per kind and logged once per kind (not a line per message) through <see cref="ReportProblem"/>.
/// </summary>
public sealed partial class ConnectorContext(long tenantId, string sourceKey, IngestSink sink, SourceHealth health, ILogger logger, TimeProvider clock)
{
    public long TenantId { get; } = tenantId;
    public string SourceKey { get; } = sourceKey;
    public SourceHealth Health { get; } = health;
    public ILogger Logger { get; } = logger;
    public TimeProvider Clock { get; } = clock;

    /// <summary>The source name written into quarantine rows and logs, e.g. <c>mqtt:plant-broker</c>.</summary>
    public string SourceName => $"{Health.Kind}:{SourceKey}";

    /// <summary>
    /// Sends readings (and rows that could not be read, kept in quarantine with their raw text) through ingest and
    /// records the outcome in <see cref="Health"/>. Rows ingest refused are counted per field (<c>rejected-meter</c>...)
    /// and logged once per kind; the connector counts its own unreadable rows with <see cref="ReportProblem"/>.
    /// </summary>
    public async Task<IngestResult> IngestAsync(IReadOnlyList<ReadingInput> readings, IReadOnlyList<RejectedRow>? unreadable, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var request = new IngestRequest(readings, SourceName) { ParseRejections = unreadable ?? [] };
        var result = await sink(request, ct);
        Health.RecordIngest(result, readings, Clock.GetUtcNow());
        // Rows the connector could not read itself it has counted under its own, more specific kind (malformed-json,
        // not-finite...); only what ingest refused is counted here, so nothing is counted twice.
        var own = unreadable is { Count: > 0 } ? unreadable.Select(u => u.Rejection).ToHashSet(ReferenceEqualityComparer.Instance) : null;
        foreach (var rejection in result.Rejected)
            if (own is null || !own.Contains(rejection)) ReportProblem("rejected-" + rejection.Field, rejection.Reason);
        return result;
    }

    /// <summary>
    /// Counts a problem of <paramref name="kind"/> (e.g. <c>timeout</c>, <c>malformed-json</c>, <c>exception-02</c>) and
    /// logs it the first time this source sees that kind; later ones only count.
    /// </summary>
    public void ReportProblem(string kind, string message, Exception? exception = null)
    {
        if (Health.RecordProblem(kind, message, Clock.GetUtcNow()))
            LogFirstProblem(Logger, exception, SourceName, kind, message);
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning,
        Message = "Data source {Source}: {Kind}: {Message} (further problems of this kind are counted, not logged)")]
    private static partial void LogFirstProblem(ILogger logger, Exception? exception, string source, string kind, string message);
}
