namespace GreenLoop.Notifications;

/// <summary>
/// How hard the dispatcher tries. Attempt n+1 starts <see cref="BaseDelay"/> × 2^(n-1) after attempt n failed
/// (2 s, 4 s, 8 s, ... with the defaults), never more than <see cref="MaxDelay"/>.
/// </summary>
public sealed record NotificationRetryOptions
{
    /// <summary>Tries per channel and message, first one included. Default 4.</summary>
    public int MaxAttempts { get; init; } = 4;
    /// <summary>Wait before the first retry. Default 2 s.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Upper bound of any wait. Default 5 min.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>One attempt is abandoned (and counted as a retryable failure) after this long. Default 15 s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxAttempts is < 1 or > 20) errors.Add($"MaxAttempts {MaxAttempts} is not between 1 and 20.");
        if (BaseDelay < TimeSpan.Zero) errors.Add("BaseDelay must not be negative.");
        if (MaxDelay < BaseDelay) errors.Add("MaxDelay must not be less than BaseDelay.");
        if (AttemptTimeout <= TimeSpan.Zero) errors.Add("AttemptTimeout must be positive.");
        return errors;
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var ticks = BaseDelay.Ticks * factor;
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
