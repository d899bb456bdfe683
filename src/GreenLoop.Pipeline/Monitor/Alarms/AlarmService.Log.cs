using GreenLoop.Domain.Alarms;
using GreenLoop.Notifications;
using Microsoft.Extensions.Logging;

namespace GreenLoop.Pipeline.Monitor.Alarms;

public sealed partial class AlarmService
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Alarm {Id} raised by rule {Rule} for {Subject} ({Severity}): {Detail}")]
    private partial void LogRaised(long id, string rule, string subject, AlarmSeverity severity, string detail);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Alarm {Id} {Transition} by {By}")]
    private partial void LogTransition(long id, AlarmTransition transition, string by);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Notification of alarm {AlarmId} failed")]
    private partial void LogNotifyFailed(Exception ex, string alarmId);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Alarm rule {Key} not stored: {Errors}")]
    private partial void LogRuleRejected(string key, string errors);
}
