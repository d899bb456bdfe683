using GreenLoop.Connectors.Modbus;
using GreenLoop.Domain.Model;
using GreenLoop.Pipeline;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Pipeline.Monitor.Derivation;
using GreenLoop.Pipeline.Monitor.Query;
using GreenLoop.Storage;
using GreenLoop.Testing;

namespace GreenLoop.Connectors.Tests.Modbus;

/// <summary>
/// The real pipeline (<see cref="PipelineHarness"/>: a SQLite file in a temporary folder and the application's
/// registration) on the system clock, and Modbus connectors running against it through a <see cref="ConnectorContext"/>
/// as the supervisor would run them. Every batch a connector sends is kept with its ingest result. On dispose the
/// connectors are stopped and must end without an exception.
/// </summary>
internal sealed class ConnectorHarness : IAsyncDisposable
{
    public const string SiteKey = "plant";
    private readonly PipelineHarness _pipeline;
    private readonly List<(IngestRequest Request, IngestResult Result)> _batches = [];
    private readonly List<(CancellationTokenSource Stop, Task Run)> _running = [];

    private ConnectorHarness(PipelineHarness pipeline)
    {
        _pipeline = pipeline;
    }

    public GreenLoopStore Store => _pipeline.Store;
    public long TenantId => _pipeline.TenantId;
    public MeterCatalog Catalog => _pipeline.Catalog;
    public IngestService Ingest => _pipeline.Ingest;
    public DerivationService Derivation => _pipeline.Derivation;
    public QueryService Query => _pipeline.Query;
    public SiteService Sites => _pipeline.Sites;

    /// <summary>Every batch sent so far, with what ingest made of it.</summary>
    public IReadOnlyList<(IngestRequest Request, IngestResult Result)> Batches
    {
        get { lock (_batches) return [.. _batches]; }
    }

    /// <summary>Every reading sent so far, in order.</summary>
    public IReadOnlyList<ReadingInput> Readings => Batches.SelectMany(b => b.Request.Readings).ToList();

    /// <summary>The values sent so far for one meter, in order.</summary>
    public IReadOnlyList<double> ValuesOf(string meter) => Readings.Where(r => r.Meter == meter).Select(r => r.Value).ToList();

    /// <summary>A fresh store with a site holding <paramref name="meters"/>.</summary>
    public static async Task<ConnectorHarness> StartAsync(params MeterDefinition[] meters)
    {
        var harness = new ConnectorHarness(await PipelineHarness.SqliteAsync(TimeProvider.System));
        await harness._pipeline.ApplyAsync(new SiteDefinition { Key = SiteKey, Name = "Modbus test plant", TimeZone = "Asia/Shanghai", Meters = meters });
        return harness;
    }

    /// <summary>An instantaneous gauge: takes any finite value, so decoding tests see exactly what was sent.</summary>
    public static MeterDefinition Gauge(string key) => new()
    {
        Key = key, Name = key, Quantity = MeterQuantity.ProcessVariable, Carrier = "test_value", Unit = "1", Kind = MeterKind.Instantaneous,
    };

    /// <summary>Starts a connector for <paramref name="settingsJson"/> (validated first, as the supervisor does).</summary>
    public Running Run(string settingsJson, string sourceKey = "device")
    {
        var factory = new ModbusConnectorFactory();
        Assert.Empty(factory.Validate(settingsJson));
        return Run((ModbusConnector)factory.Create(settingsJson), sourceKey);
    }

    public Running Run(ModbusConnector connector, string sourceKey = "device")
    {
        var health = new SourceHealth(sourceKey, "modbus", 1);
        var logger = new ListLogger();
        var context = new ConnectorContext(TenantId, sourceKey, SinkAsync, health, logger, TimeProvider.System);
        var stop = new CancellationTokenSource();
        var run = Task.Run(() => connector.RunAsync(context, stop.Token));
        lock (_running) _running.Add((stop, run));
        return new Running(health, logger, run);
    }

    public async Task DeriveAsync() => await Derivation.RunUntilIdleAsync(CancellationToken.None);

    /// <summary>Stops every running connector; each must end without an exception (one escaping would be a bug).</summary>
    public async Task DisposeConnectorsAsync()
    {
        List<(CancellationTokenSource Stop, Task Run)> running;
        lock (_running)
        {
            running = [.. _running];
            _running.Clear();
        }
        foreach (var (stop, run) in running)
        {
            await stop.CancelAsync();
            await run.WaitAsync(Wait.Long);
            stop.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeConnectorsAsync();
        await _pipeline.DisposeAsync();
    }

    private async Task<IngestResult> SinkAsync(IngestRequest request, CancellationToken ct)
    {
        var result = await Ingest.IngestAsync(TenantId, request, ct);
        lock (_batches) _batches.Add((request, result));
        return result;
    }

    /// <summary>A running connector: its health record, its log, and its task (which must not fault).</summary>
    internal sealed record Running(SourceHealth Health, ListLogger Logger, Task Run)
    {
        public SourceStatus Status => Health.Snapshot();

        public long Problems(string kind) => Status.Problems.GetValueOrDefault(kind);
    }
}
