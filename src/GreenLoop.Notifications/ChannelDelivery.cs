namespace GreenLoop.Notifications;

/// <summary>What became of a message on one channel.</summary>
public enum DeliveryOutcome
{
    Delivered,
    /// <summary>Every attempt failed, or one failed in a way retrying cannot fix.</summary>
    Failed,
    /// <summary>Held for the channel's quiet hours; <see cref="NotificationDispatcher.ReleaseDueAsync"/> sends it later.</summary>
    Held,
    /// <summary>The channel is switched off; nothing was sent or logged.</summary>
    Disabled,
}

/// <summary>The dispatcher's answer for one channel.</summary>
public sealed record ChannelDelivery
{
    public required string ChannelKey { get; init; }
    public required DeliveryOutcome Outcome { get; init; }
    /// <summary>Attempts made (0 when held or disabled).</summary>
    public int Attempts { get; init; }
    /// <summary>The last attempt's result, when there was one.</summary>
    public DeliveryResult? LastResult { get; init; }
    public DateTimeOffset? HeldUntil { get; init; }
}

/// <summary>A message waiting for a channel's quiet hours to end.</summary>
public sealed record HeldNotification(NotificationMessage Message, INotificationChannel Channel, DateTimeOffset Until);
