namespace GreenLoop.Notifications;

/// <summary>
/// The seam between the alarm engine and a delivery platform. One instance per configured channel; create them with
/// <see cref="NotificationChannelFactory"/>.
/// </summary>
public interface INotificationChannel
{
    /// <summary>The configuration this channel was built from (key, kind, quiet hours, ...).</summary>
    ChannelDefinition Definition { get; }

    /// <summary>
    /// Makes one delivery attempt. Failures the platform or the network report come back as a failed
    /// <see cref="DeliveryResult"/>; only cancellation through <paramref name="ct"/> throws.
    /// </summary>
    Task<DeliveryResult> SendAsync(NotificationMessage message, CancellationToken ct);
}

/// <summary>The outcome of one delivery attempt.</summary>
public sealed record DeliveryResult
{
    public required bool Ok { get; init; }
    /// <summary>HTTP status code, or the SMTP reply code; null when no answer came (connection refused, timeout).</summary>
    public int? StatusCode { get; init; }
    /// <summary>Why the attempt failed, including the platform's own error code and text; null when it succeeded.</summary>
    public string? Error { get; init; }
    /// <summary>Whether trying again later may succeed (network trouble, 5xx, 429, a platform's rate limit).</summary>
    public bool Retryable { get; init; }

    public static DeliveryResult Success(int? statusCode) => new() { Ok = true, StatusCode = statusCode };

    public static DeliveryResult Failure(string error, int? statusCode, bool retryable) =>
        new() { Ok = false, StatusCode = statusCode, Error = error, Retryable = retryable };
}
