using System.Security.Claims;
using System.Threading.RateLimiting;

namespace GreenLoop.Server.Security;

/// <summary>
/// The ingest limit counted in readings, per key (or client address): a token bucket of
/// <c>GreenLoop:Security:IngestRowsBurst</c> rows refilled at <c>IngestRowsPerSecond</c>. A batch takes as many tokens
/// as it has rows, rejected ones included; the request limit (<c>IngestPerSecond</c>) still applies on top.
/// </summary>
public sealed class IngestRowLimiter(int rowsPerSecond, int burst) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = rowsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>The most rows one request may carry.</summary>
    public int Burst { get; } = burst;

    public int RowsPerSecond { get; } = rowsPerSecond;

    /// <summary>Takes <paramref name="rows"/> tokens for the caller; false (with the seconds to wait) when the bucket cannot give them now.</summary>
    public bool TryTake(HttpContext http, int rows, out int retryAfterSeconds)
    {
        ArgumentNullException.ThrowIfNull(http);
        retryAfterSeconds = 0;
        if (rows <= 0) return true;
        var key = http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using var lease = _limiter.AttemptAcquire(key, Math.Min(rows, Burst));
        if (lease.IsAcquired) return true;
        retryAfterSeconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : Math.Max(1, rows / Math.Max(1, RowsPerSecond));
        return false;
    }

    public void Dispose() => _limiter.Dispose();
}
