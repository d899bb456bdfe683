using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GreenLoop.Server.Tests;

/// <summary>Collects every log entry at Error or above, so that a test fails when the server logged an error it did not expect.</summary>
public sealed class ErrorLogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentDictionary<int, bool> _eventIds = new();

    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>Event ids of every entry logged (any level), to show that the collector is really attached.</summary>
    public bool Saw(int eventId) => _eventIds.ContainsKey(eventId);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _errors, _eventIds);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> errors, ConcurrentDictionary<int, bool> eventIds) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            eventIds.TryAdd(eventId.Id, true);
            if (logLevel >= LogLevel.Error) errors.Enqueue($"{logLevel} {category} [{eventId.Id}]: {formatter(state, exception)} {exception}");
        }
    }
}
