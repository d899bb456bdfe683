using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Notifications.Tests;

/// <summary>The delivery log kept in memory, for tests; the server stores it.</summary>
public sealed class InMemoryDeliveryLog : IDeliveryLog
{
    private readonly ConcurrentQueue<DeliveryRecord> _records = new();

    public IReadOnlyList<DeliveryRecord> Records => [.. _records];

    public Task AppendAsync(DeliveryRecord record, CancellationToken ct)
    {
        _records.Enqueue(record);
        return Task.CompletedTask;
    }
}

/// <summary>A log store that is down.</summary>
public sealed class BrokenDeliveryLog : IDeliveryLog
{
    public Task AppendAsync(DeliveryRecord record, CancellationToken ct) => throw new IOException("disk full");
}

public sealed record LogEntry(LogLevel Level, int EventId, string Message);

/// <summary>Keeps what the system under test logged, so a test can fail on an unexpected error.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public IReadOnlyList<LogEntry> Errors => [.. _entries.Where(e => e.Level >= LogLevel.Error)];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue(new LogEntry(logLevel, eventId.Id, formatter(state, exception)));
}

/// <summary>A FakeTimeProvider that tells when someone starts waiting on it, so a test advances time only then.</summary>
public sealed class WatchedTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    /// <summary>Due times of every timer created so far (Task.Delay, CancellationTokenSource timeouts).</summary>
    public IReadOnlyList<TimeSpan> DueTimes => [.. _dueTimes];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _dueTimes.Enqueue(dueTime);
        return timer;
    }
}
