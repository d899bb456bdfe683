using GreenLoop.Notifications;
using GreenLoop.Pipeline.Monitor.Alarms;

namespace GreenLoop.Testing;

/// <summary>Records what the alarm engine would send.</summary>
public sealed class RecordingNotifier : IAlarmNotifier
{
    public List<(NotificationMessage Message, IReadOnlyList<string> To)> Sent { get; } = [];

    public Task NotifyAsync(long tenantId, NotificationMessage message, IReadOnlyList<string> channelKeys, CancellationToken ct)
    {
        lock (Sent) Sent.Add((message, channelKeys));
        return Task.CompletedTask;
    }
}
