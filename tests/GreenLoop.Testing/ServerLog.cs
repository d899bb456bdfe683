using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GreenLoop.Testing;

/// <summary>
/// A server's log as the tests see it: every entry at Error or above (a test fails when the server logged one it did
/// not expect) and the event ids seen at any level (to wait for "demo back-fill finished" and the like, or to show
/// that the log is really attached).
/// </summary>
public sealed class ServerLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentDictionary<int, bool> _eventIds = new();

    public IReadOnlyList<string> Errors => [.. _errors];

    public bool Saw(int eventId) => _eventIds.ContainsKey(eventId);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ServerLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            log._eventIds.TryAdd(eventId.Id, true);
            if (logLevel >= LogLevel.Error) log._errors.Enqueue($"{logLevel} {category} [{eventId.Id}]: {formatter(state, exception)} {exception}");
        }
    }
}
