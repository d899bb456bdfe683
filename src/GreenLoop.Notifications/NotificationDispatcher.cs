using GreenLoop.Notifications.Channels;
using Microsoft.Extensions.Logging;

namespace GreenLoop.Notifications;

/// <summary>
/// Sends a message to channels: applies quiet hours (non-critical messages are held until they end; "send test" is
/// never held), retries failures with exponential backoff, and writes every attempt and every hold to the
/// <see cref="IDeliveryLog"/>. A failed delivery is a result, not an exception: the only exception that leaves these
/// methods is <see cref="OperationCanceledException"/> when the caller's token is cancelled.
/// Held messages live in memory; call <see cref="ReleaseDueAsync"/> (or run <see cref="RunReleaseLoopAsync"/>) to send
/// them when quiet hours end.
/// </summary>
public sealed partial class NotificationDispatcher
{
    private readonly IDeliveryLog _log;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<NotificationDispatcher> _logger;
    private readonly NotificationRetryOptions _options;
    private readonly Lock _heldLock = new();
    private readonly List<HeldNotification> _held = [];

    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public NotificationDispatcher(
        IDeliveryLog log, TimeProvider timeProvider, ILogger<NotificationDispatcher> logger, NotificationRetryOptions? options = null)
    {
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _options = options ?? new NotificationRetryOptions();
        var errors = _options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException($"Invalid notification retry options: {string.Join(" ", errors)}", nameof(options));
    }

    /// <summary>Messages currently held for quiet hours, earliest first.</summary>
    public IReadOnlyList<HeldNotification> Held
    {
        get { lock (_heldLock) return [.. _held.OrderBy(h => h.Until)]; }
    }

    /// <summary>When the next held message is due, or null when none is held.</summary>
    public DateTimeOffset? NextReleaseAt
    {
        get { lock (_heldLock) return _held.Count == 0 ? null : _held.Min(h => h.Until); }
    }

    /// <summary>Sends (or holds) the message on every channel, in parallel; one entry per channel, in channel order.</summary>
    public async Task<IReadOnlyList<ChannelDelivery>> DispatchAsync(
        NotificationMessage message, IReadOnlyList<INotificationChannel> channels, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(channels);
        var tasks = channels.Select(channel => DispatchOneAsync(message, channel, ct)).ToArray();
        return await Task.WhenAll(tasks);
    }

    /// <summary>Sends the held messages whose quiet hours have ended.</summary>
    public async Task<IReadOnlyList<ChannelDelivery>> ReleaseDueAsync(CancellationToken ct)
    {
        var now = _timeProvider.GetUtcNow();
        List<HeldNotification> due;
        lock (_heldLock)
        {
            due = [.. _held.Where(h => h.Until <= now).OrderBy(h => h.Until)];
            foreach (var h in due) _held.Remove(h);
        }
        var tasks = due.Select(h => SendWithRetryAsync(h.Message, h.Channel, ct)).ToArray();
        return await Task.WhenAll(tasks);
    }

    /// <summary>Calls <see cref="ReleaseDueAsync"/> whenever a held message falls due (checking at least every minute) until cancelled.</summary>
    public async Task RunReleaseLoopAsync(CancellationToken ct)
    {
        var poll = TimeSpan.FromMinutes(1);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var wait = NextReleaseAt is { } next ? next - _timeProvider.GetUtcNow() : poll;
                if (wait > poll) wait = poll;
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait, _timeProvider, ct);
                await ReleaseDueAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping is the normal way out of the loop.
        }
    }

    private async Task<ChannelDelivery> DispatchOneAsync(NotificationMessage message, INotificationChannel channel, CancellationToken ct)
    {
        var definition = channel.Definition;
        if (!definition.Enabled)
            return new ChannelDelivery { ChannelKey = definition.Key, Outcome = DeliveryOutcome.Disabled };
        var now = _timeProvider.GetUtcNow();
        if (definition.QuietHours is { } quiet && message.Transition != AlarmTransition.Test
            && !MessageText.IsCritical(message.Severity) && quiet.Contains(now))
        {
            var until = quiet.NextEnd(now);
            lock (_heldLock) _held.Add(new HeldNotification(message, channel, until));
            LogHeld(message.AlarmId, message.Severity, definition.Key, until);
            await AppendAsync(new DeliveryRecord
            {
                AlarmId = message.AlarmId,
                Transition = message.Transition,
                ChannelKey = definition.Key,
                Attempt = 0,
                At = now,
                Ok = false,
                HeldForQuietHours = true,
                HeldUntil = until,
            }, ct);
            return new ChannelDelivery { ChannelKey = definition.Key, Outcome = DeliveryOutcome.Held, HeldUntil = until };
        }
        return await SendWithRetryAsync(message, channel, ct);
    }

    private async Task<ChannelDelivery> SendWithRetryAsync(NotificationMessage message, INotificationChannel channel, CancellationToken ct)
    {
        var key = channel.Definition.Key;
        for (var attempt = 1; ; attempt++)
        {
            var at = _timeProvider.GetUtcNow();
            var result = await AttemptAsync(message, channel, ct);
            await AppendAsync(new DeliveryRecord
            {
                AlarmId = message.AlarmId,
                Transition = message.Transition,
                ChannelKey = key,
                Attempt = attempt,
                At = at,
                Ok = result.Ok,
                StatusCode = result.StatusCode,
                Error = result.Error,
            }, ct);
            if (result.Ok)
            {
                LogDelivered(message.AlarmId, message.Transition, key, attempt);
                return new ChannelDelivery { ChannelKey = key, Outcome = DeliveryOutcome.Delivered, Attempts = attempt, LastResult = result };
            }
            if (!result.Retryable || attempt >= _options.MaxAttempts)
            {
                LogGaveUp(message.AlarmId, key, attempt, result.StatusCode, result.Error);
                return new ChannelDelivery { ChannelKey = key, Outcome = DeliveryOutcome.Failed, Attempts = attempt, LastResult = result };
            }
            var delay = _options.DelayAfter(attempt);
            LogRetrying(message.AlarmId, key, attempt, result.StatusCode, result.Error, delay);
            await Task.Delay(delay, _timeProvider, ct);
        }
    }

    private async Task<DeliveryResult> AttemptAsync(NotificationMessage message, INotificationChannel channel, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.AttemptTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            return await channel.SendAsync(message, linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return DeliveryResult.Failure($"no answer within {_options.AttemptTimeout.TotalSeconds:0.###} s", null, retryable: true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Channels turn expected failures into results; anything else is a bug or an unforeseen condition. It is
            // logged as an error and recorded as a failed attempt rather than thrown into the alarm engine.
            LogChannelThrew(ex, channel.Definition.Key, message.AlarmId);
            return DeliveryResult.Failure($"{ex.GetType().Name}: {ex.Message}", null, retryable: false);
        }
    }

    private async Task AppendAsync(DeliveryRecord record, CancellationToken ct)
    {
        try
        {
            await _log.AppendAsync(record, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A broken log must not stop people from being told about the alarm.
            LogAppendFailed(ex, record.AlarmId, record.ChannelKey, record.Attempt);
        }
    }
}
