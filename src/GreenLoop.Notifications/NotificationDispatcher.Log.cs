using Microsoft.Extensions.Logging;

namespace GreenLoop.Notifications;

public sealed partial class NotificationDispatcher
{
    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Notification for alarm {AlarmId} ({Transition}) delivered to channel {Channel} on attempt {Attempt}")]
    private partial void LogDelivered(string alarmId, AlarmTransition transition, string channel, int attempt);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Notification for alarm {AlarmId} to channel {Channel} failed on attempt {Attempt} (status {Status}): {Error}; retrying in {Delay}")]
    private partial void LogRetrying(string alarmId, string channel, int attempt, int? status, string? error, TimeSpan delay);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "Notification for alarm {AlarmId} to channel {Channel} failed after {Attempts} attempt(s) (status {Status}): {Error}")]
    private partial void LogGaveUp(string alarmId, string channel, int attempts, int? status, string? error);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information, Message = "Notification for alarm {AlarmId} ({Severity}) to channel {Channel} held for quiet hours until {Until:O}")]
    private partial void LogHeld(string alarmId, string severity, string channel, DateTimeOffset until);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Error, Message = "Writing the delivery log failed (alarm {AlarmId}, channel {Channel}, attempt {Attempt})")]
    private partial void LogAppendFailed(Exception exception, string alarmId, string channel, int attempt);

    [LoggerMessage(EventId = 6106, Level = LogLevel.Error, Message = "Channel {Channel} threw while sending the notification for alarm {AlarmId}")]
    private partial void LogChannelThrew(Exception exception, string channel, string alarmId);
}
