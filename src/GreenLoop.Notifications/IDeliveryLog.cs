namespace GreenLoop.Notifications;

/// <summary>Where the dispatcher writes every delivery attempt and every hold. The server stores them.</summary>
public interface IDeliveryLog
{
    Task AppendAsync(DeliveryRecord record, CancellationToken ct);
}

/// <summary>
/// One line of the delivery log: an attempt to deliver a message about an alarm to a channel, or (with
/// <see cref="HeldForQuietHours"/>) the decision to hold it until the channel's quiet hours end.
/// </summary>
public sealed record DeliveryRecord
{
    public required string AlarmId { get; init; }
    public required AlarmTransition Transition { get; init; }
    public required string ChannelKey { get; init; }
    /// <summary>1 for the first try, 2 for the first retry, ...; 0 for a hold record.</summary>
    public required int Attempt { get; init; }
    /// <summary>When the attempt started (or the hold was decided), from the dispatcher's TimeProvider.</summary>
    public required DateTimeOffset At { get; init; }
    public required bool Ok { get; init; }
    /// <summary>HTTP status or SMTP reply code, when there was an answer.</summary>
    public int? StatusCode { get; init; }
    public string? Error { get; init; }
    public bool HeldForQuietHours { get; init; }
    /// <summary>For a hold record: when the message will be sent.</summary>
    public DateTimeOffset? HeldUntil { get; init; }
}
