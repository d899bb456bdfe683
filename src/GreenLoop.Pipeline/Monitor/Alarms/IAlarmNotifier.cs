using GreenLoop.Notifications;
using Microsoft.Extensions.Logging;

namespace GreenLoop.Pipeline.Monitor.Alarms;

/// <summary>
/// The seam between the alarm engine and notification delivery: the engine says what happened and to which channel
/// keys of which tenant (the rule's: another tenant may use the same keys); delivery (formatting per platform, quiet
/// hours, retries, the delivery log) is the notifier's business.
/// </summary>
public interface IAlarmNotifier
{
    Task NotifyAsync(long tenantId, NotificationMessage message, IReadOnlyList<string> channelKeys, CancellationToken ct);
}

/// <summary>The default notifier until channels are configured: writes each message to the log.</summary>
public sealed partial class LoggingAlarmNotifier(ILogger<LoggingAlarmNotifier> logger) : IAlarmNotifier
{
    public Task NotifyAsync(long tenantId, NotificationMessage message, IReadOnlyList<string> channelKeys, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(channelKeys);
        LogNotification(message.Transition, message.TitleEn, string.Join(", ", channelKeys), message.DetailEn);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Alarm {Transition}: {Title} -> [{Channels}] {Detail}")]
    private partial void LogNotification(AlarmTransition transition, string title, string channels, string detail);
}
