using GreenLoop.Pipeline.Meter.Ingest;

namespace GreenLoop.Connectors;

/// <summary>Where a data source's link stands.</summary>
public enum SourceState
{
    /// <summary>Configured and starting, or waiting to reconnect.</summary>
    Connecting,
    /// <summary>Connected (MQTT) or answering polls (Modbus).</summary>
    Connected,
    /// <summary>The peer cannot be reached or stopped answering; the connector keeps retrying with backoff.</summary>
    Disconnected,
    /// <summary>Switched off in its definition.</summary>
    Disabled,
    /// <summary>The definition is invalid; nothing runs until it is fixed.</summary>
    Invalid,
}

/// <summary>The last value a source delivered: meter key, reading instant, raw value, and when it arrived.</summary>
public sealed record LastValue(string Meter, DateTimeOffset Ts, double Value, DateTimeOffset ReceivedAt);

/// <summary>A moment's copy of a source's health, for the API and the data-sources page.</summary>
public sealed record SourceStatus
{
    public required string Key { get; init; }
    public required string Kind { get; init; }
    public required SourceState State { get; init; }
    public string? StateDetail { get; init; }
    public DateTimeOffset? StateSince { get; init; }
    /// <summary>Messages (MQTT) or poll requests (Modbus) received.</summary>
    public long Messages { get; init; }
    /// <summary>Readings handed to ingest.</summary>
    public long Readings { get; init; }
    public long Accepted { get; init; }
    public long Duplicates { get; init; }
    public long Rejected { get; init; }
    /// <summary>Problems by kind (timeout, malformed-json, exception-02, rejected-meter...), with counts.</summary>
    public required IReadOnlyDictionary<string, long> Problems { get; init; }
    public long ProblemCount { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }
    public LastValue? LastValue { get; init; }
    /// <summary>How many times the supervisor (re)started the connector for its current definition.</summary>
    public int Starts { get; init; }
    public long Version { get; init; }
}

/// <summary>
/// Thread-safe health record of one data source: state, counters, problems by kind, last error, last value. Written by
/// the connector (and its callbacks), read by the API while it runs.
/// </summary>
public sealed class SourceHealth(string key, string kind, long version)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _problems = new(StringComparer.Ordinal);
    private SourceState _state = SourceState.Connecting;
    private string? _stateDetail;
    private DateTimeOffset? _stateSince;
    private long _messages, _readings, _accepted, _duplicates, _rejected, _problemCount;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private LastValue? _lastValue;
    private int _starts;

    public string Key { get; } = key;
    public string Kind { get; } = kind;
    public long Version { get; } = version;

    public SourceState State { get { lock (_gate) return _state; } }

    public void SetState(SourceState state, string? detail, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_state != state) _stateSince = now;
            _stateSince ??= now;
            _state = state;
            _stateDetail = detail;
        }
    }

    public void CountMessages(long n = 1) => Interlocked.Add(ref _messages, n);

    internal void CountStart() => Interlocked.Increment(ref _starts);

    /// <summary>Counts a problem; true the first time this kind is seen (the caller logs it then).</summary>
    public bool RecordProblem(string kind, string message, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        lock (_gate)
        {
            _problemCount++;
            _lastError = $"{kind}: {message}";
            _lastErrorAt = now;
            var first = !_problems.TryGetValue(kind, out var n);
            _problems[kind] = n + 1;
            return first;
        }
    }

    public void RecordIngest(IngestResult result, IReadOnlyList<ReadingInput> sent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(sent);
        lock (_gate)
        {
            _readings += result.Received;
            _accepted += result.Accepted;
            _duplicates += result.Duplicates;
            _rejected += result.Rejected.Count;
            if (result.Accepted + result.Duplicates > 0 && sent.Count > 0)
            {
                // The newest reading of the batch is the one people want to see as "last value".
                var newest = sent[0];
                for (var i = 1; i < sent.Count; i++) if (sent[i].Ts >= newest.Ts) newest = sent[i];
                _lastValue = new LastValue(newest.Meter, newest.Ts, newest.Value, now);
            }
        }
    }

    public SourceStatus Snapshot()
    {
        lock (_gate)
        {
            return new SourceStatus
            {
                Key = Key,
                Kind = Kind,
                Version = Version,
                State = _state,
                StateDetail = _stateDetail,
                StateSince = _stateSince,
                Messages = Interlocked.Read(ref _messages),
                Readings = _readings,
                Accepted = _accepted,
                Duplicates = _duplicates,
                Rejected = _rejected,
                Problems = new Dictionary<string, long>(_problems, StringComparer.Ordinal),
                ProblemCount = _problemCount,
                LastError = _lastError,
                LastErrorAt = _lastErrorAt,
                LastValue = _lastValue,
                Starts = Volatile.Read(ref _starts),
            };
        }
    }
}
