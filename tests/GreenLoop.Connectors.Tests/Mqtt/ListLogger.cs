using Microsoft.Extensions.Logging;

namespace GreenLoop.Connectors.Tests.Mqtt;

/// <summary>A logger that keeps every entry, so a test can check what was logged and that no error was.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly List<(LogLevel Level, int EventId, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, int EventId, string Message)> Entries
    {
        get { lock (_entries) return [.. _entries]; }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (_entries) _entries.Add((logLevel, eventId.Id, formatter(state, exception) + (exception is null ? "" : " | " + exception)));
    }
}
