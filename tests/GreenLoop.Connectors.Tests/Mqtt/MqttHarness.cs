using GreenLoop.Connectors.Mqtt;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Pipeline.Monitor.Derivation;
using GreenLoop.Storage;
using GreenLoop.Testing;
using Microsoft.Extensions.Logging;

namespace GreenLoop.Connectors.Tests.Mqtt;

/// <summary>
/// The real pipeline (<see cref="PipelineHarness"/>: a SQLite file in a temporary folder and the application's
/// registration), a real mosquitto broker, and the MQTT connector running against both with a health record and a
/// logger the test can read. Disposing fails the test if anything logged an error.
/// </summary>
internal sealed class MqttHarness : IAsyncDisposable
{
    public const string SourceKey = "plant-broker";
    public static readonly TimeSpan Patience = Wait.Long;

    private readonly PipelineHarness _pipeline;
    private CancellationTokenSource? _run;
    private Task? _running;

    private MqttHarness(PipelineHarness pipeline, MosquittoBroker broker)
    {
        _pipeline = pipeline;
        Broker = broker;
    }

    /// <summary>The connector runs on the real clock: it waits for flush intervals and reconnect backoff.</summary>
    public TimeProvider Clock => _pipeline.Clock;
    public GreenLoopStore Store => _pipeline.Store;
    public long TenantId => _pipeline.TenantId;
    public MosquittoBroker Broker { get; }
    public MeterCatalog Catalog => _pipeline.Catalog;
    public IngestService Ingest => _pipeline.Ingest;
    public DerivationService Derivation => _pipeline.Derivation;
    public SiteService Sites => _pipeline.Sites;
    public ListLogger Logger { get; } = new();
    public SourceHealth Health { get; private set; } = new(SourceKey, "mqtt", 1);

    /// <summary>Log entries a test expects (warnings are expected for bad input; errors never are).</summary>
    public IReadOnlyList<LogEntry> Logged => Logger.Entries;

    public static async Task<MqttHarness> StartAsync(SiteDefinition site, string brokerConfig = "")
    {
        var pipeline = await PipelineHarness.SqliteAsync(TimeProvider.System);
        try
        {
            await pipeline.ApplyAsync(site);
            return new MqttHarness(pipeline, await MosquittoBroker.StartAsync(brokerConfig));
        }
        catch
        {
            await pipeline.DisposeAsync();
            throw;
        }
    }

    /// <summary>Settings JSON for this broker: host and port filled in, the rest from <paramref name="rest"/> (JSON object members).</summary>
    public string Settings(string rest) => $$"""{"host":"127.0.0.1","port":{{Broker.Port}},{{rest}}}""";

    /// <summary>Validates the settings (they must pass), starts the connector and waits until it is connected.</summary>
    public async Task StartConnectorAsync(string settingsJson, bool freshHealth = true, IngestSink? sink = null)
    {
        var factory = new MqttConnectorFactory();
        var errors = factory.Validate(settingsJson);
        Assert.True(errors.Count == 0, string.Join("; ", errors));
        if (freshHealth) Health = new SourceHealth(SourceKey, "mqtt", 1);
        var context = new ConnectorContext(TenantId, SourceKey, sink ?? ((request, ct) => Ingest.IngestAsync(TenantId, request, ct)), Health, Logger, Clock);
        var connector = factory.Create(settingsJson);
        _run = new CancellationTokenSource();
        var token = _run.Token;
        _running = Task.Run(() => connector.RunAsync(context, token), CancellationToken.None);
        await WaitForStateAsync(SourceState.Connected);
    }

    /// <summary>Cancels the connector and waits for it to return (it must return, not throw).</summary>
    public async Task StopConnectorAsync()
    {
        if (_run is null || _running is null) return;
        await _run.CancelAsync();
        await _running.WaitAsync(Patience);
        _run.Dispose();
        (_run, _running) = (null, null);
    }

    public Task WaitForStateAsync(SourceState state) =>
        WaitForAsync(() => Task.FromResult(Health.State == state), $"state {state} (now {Health.State}: {Health.Snapshot().StateDetail})");

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <see cref="Patience"/>, or at once with the connector's exception.</summary>
    public Task WaitForAsync(Func<Task<bool>> condition, string what) => Wait.UntilAsync(async () =>
    {
        if (await condition()) return true;
        if (_running is { IsFaulted: true }) await _running;
        return false;
    }, () => $"{what}; health: {Describe(Health.Snapshot())}; broker log: {Broker.Log}", Patience);

    /// <summary>Waits until the meter has <paramref name="count"/> readings, then returns them in time order.</summary>
    public async Task<RawReading[]> WaitForReadingsAsync(string meterKey, int count)
    {
        RawReading[] readings = [];
        await WaitForAsync(async () => (readings = await ReadingsAsync(meterKey)).Length >= count, $"{count} readings of {meterKey} (have {readings.Length})");
        return readings;
    }

    public async Task<RawReading[]> ReadingsAsync(string meterKey)
    {
        var meter = (await Store.LoadMetersAsync(TenantId, CancellationToken.None))[meterKey];
        return await Store.ReadingsAsync(new MeterId(meter.Id), new Instant(0), new Instant(long.MaxValue / 2), withNeighbours: false, CancellationToken.None);
    }

    /// <summary>Waits until the quarantine holds <paramref name="count"/> rows, then returns them.</summary>
    public async Task<IReadOnlyList<QuarantineEntry>> WaitForQuarantineAsync(int count)
    {
        IReadOnlyList<QuarantineEntry> rows = [];
        await WaitForAsync(async () => (rows = await Store.ListQuarantineAsync(TenantId, new GreenLoop.Storage.QuarantineQuery { Limit = 10_000 }, CancellationToken.None)).Count >= count,
            $"{count} quarantined rows (have {rows.Count})");
        return rows;
    }

    public long Problems(string kind) => Health.Snapshot().Problems.GetValueOrDefault(kind);

    private static string Describe(SourceStatus s) =>
        $"{s.State} ({s.StateDetail}), {s.Messages} messages, {s.Readings} readings, {s.Accepted} accepted, {s.Rejected} rejected, problems: " +
        string.Join(", ", s.Problems.Select(p => $"{p.Key}={p.Value}")) + $"; last error: {s.LastError}";

    public async ValueTask DisposeAsync()
    {
        await StopConnectorAsync();
        await Broker.DisposeAsync();
        await _pipeline.DisposeAsync();
        var errors = Logger.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.True(errors.Count == 0, "unexpected errors logged: " + string.Join(" || ", errors));
    }
}
