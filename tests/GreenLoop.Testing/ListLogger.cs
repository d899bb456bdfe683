using Microsoft.Extensions.Logging;

namespace GreenLoop.Testing;

/// <summary>One entry a <see cref="ListLogger"/> kept: the formatted message, and the exception apart.</summary>
public sealed record LogEntry(LogLevel Level, int EventId, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} [{EventId}] {Message}" + (Exception is null ? "" : " | " + Exception);
}

/// <summary>A logger that keeps every entry, so a test can check what was logged (and that nothing unexpected was).</summary>
public sealed class ListLogger : ILogger
{
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get { lock (_entries) return [.. _entries]; }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (_entries) _entries.Add(new LogEntry(logLevel, eventId.Id, formatter(state, exception), exception));
    }
}
