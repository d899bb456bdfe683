namespace GreenLoop.Storage;

/// <summary>A notification channel as stored: its key, its definition as JSON (the Notifications project owns the shape), when it changed.</summary>
public sealed record StoredChannel(string Key, string Definition, long UpdatedAt);

/// <summary>One delivery attempt (attempt 0: held for quiet hours).</summary>
public sealed record StoredDelivery(long Id, string AlarmId, string Transition, string Channel, int Attempt, long At, bool Ok, int? Status, string? Error, long? HeldUntil);
