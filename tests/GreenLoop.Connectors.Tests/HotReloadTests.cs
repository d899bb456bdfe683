using System.Text.Json.Nodes;
using GreenLoop.Connectors.Modbus;
using GreenLoop.Connectors.Mqtt;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Storage;
using GreenLoop.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GreenLoop.Connectors.Tests;

/// <summary>
/// The real Modbus and MQTT connectors run by the supervisor, as the server runs them, against the real pymodbus
/// simulator and mosquitto broker: a definition saved while running takes effect without a restart.
/// </summary>
public sealed class HotReloadTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private PipelineHarness _h = null!;
    private GreenLoopStore _store = null!;
    private ConnectorSupervisor _supervisor = null!;
    private DataSourceService _sources = null!;
    private Task _running = Task.CompletedTask;
    private long _tenant;
    private long _key;

    public async Task InitializeAsync()
    {
        var clock = TimeProvider.System;
        _h = await PipelineHarness.SqliteAsync(clock);
        _store = _h.Store;
        _tenant = _h.TenantId;
        static MeterDefinition Gauge(string key) => new()
        {
            Key = key, Name = key, Quantity = MeterQuantity.ProcessVariable, Carrier = "kiln_temperature", Unit = "degC", Kind = MeterKind.Instantaneous,
        };
        await _h.ApplyAsync(new SiteDefinition
        {
            Key = "plant", Name = "Plant", TimeZone = "Asia/Shanghai", Meters = [Gauge("a.temp"), Gauge("b.temp")],
        });
        _key = (await _store.CreateApiKeyAsync(new StoredApiKey
        {
            TenantId = _tenant, Name = "gateway", Prefix = "hotrelod", SecretHash = "unused", Permissions = ["ingest"], CreatedBy = "test", CreatedAt = 0,
        }, CancellationToken.None)).Id;
        var keys = new ConnectorKeys(_store, clock);
        var options = new ConnectorOptions { ReloadInterval = TimeSpan.FromMinutes(5), RestartDelay = TimeSpan.FromSeconds(1) };
        _supervisor = new ConnectorSupervisor(_store, [new ModbusConnectorFactory(), new MqttConnectorFactory()], _h.Ingest, keys, options, NullLoggerFactory.Instance, clock);
        _sources = new DataSourceService(_store, _supervisor, keys, clock);
        _running = _supervisor.RunAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        await _supervisor.DisposeAsync();
        await _h.DisposeAsync();
    }

    private async Task<IReadOnlyList<double>> ValuesAsync(string meter)
    {
        var m = (await _store.LoadMetersAsync(_tenant, CancellationToken.None))[meter];
        return (await _store.ReadingsAsync(new MeterId(m.Id), new Instant(0), new Instant(long.MaxValue), false, CancellationToken.None)).Select(r => r.Value).ToList();
    }

    private Task UntilAsync(Func<Task<bool>> condition, string what) =>
        Wait.UntilAsync(condition, () => $"{what}; status: {System.Text.Json.JsonSerializer.Serialize(_supervisor.Status(_tenant))}", every: TimeSpan.FromMilliseconds(50));

    private async Task SaveAsync(string key, string kind, JsonObject settings)
    {
        var result = await _sources.SaveAsync(_tenant, key, kind, true, _key, settings, CancellationToken.None);
        Assert.True(result.Saved is not null, string.Join("; ", result.Errors));
    }

    private static JsonObject ModbusSettings(int port, params (string Meter, int Address)[] points) => new()
    {
        ["host"] = "127.0.0.1",
        ["port"] = port,
        ["unitId"] = 1,
        ["pollSeconds"] = 0.2,
        ["timeoutMs"] = 2000,
        ["points"] = new JsonArray([.. points.Select(p => (JsonNode)new JsonObject
        {
            ["meter"] = p.Meter, ["function"] = 3, ["address"] = p.Address, ["addressBase"] = 0, ["type"] = "float32",
        })]),
    };

    [Fact]
    public async Task Modbus_PointChangedAndAddedWhileRunning_NewRegistersReadWithoutRestart()
    {
        // Holding registers 0-1: float32 850.0 (0x4454 0x8000); 2-3: float32 1000.0 (0x447A 0x0000).
        await using var sim = await ModbusSimulator.StartAsync(new Dictionary<string, object>
        {
            ["holding"] = new Dictionary<string, int[]> { ["0"] = [.. ModbusSimulator.Float32Words(850f), .. ModbusSimulator.Float32Words(1000f)] },
        });

        await SaveAsync("kiln-plc", "modbus", ModbusSettings(sim.Port, ("a.temp", 0)));
        await UntilAsync(async () => (await ValuesAsync("a.temp")).Contains(850), "a.temp reads 850 from register 0");

        await SaveAsync("kiln-plc", "modbus", ModbusSettings(sim.Port, ("a.temp", 2), ("b.temp", 0)));
        await UntilAsync(async () => (await ValuesAsync("a.temp")).Contains(1000) && (await ValuesAsync("b.temp")).Contains(850),
            "after the change a.temp reads 1000 from register 2 and the new point b.temp reads 850");
        Assert.Equal(2, _supervisor.Status(_tenant, "kiln-plc")!.Version);

        Assert.True(await _sources.DeleteAsync(_tenant, "kiln-plc", CancellationToken.None));
        await UntilAsync(() => Task.FromResult(_supervisor.Status(_tenant, "kiln-plc") is null), "the deleted source stops");
        // A sync waits for the one in progress, which awaits the stopped poller's end: after it no poll can store.
        await _supervisor.SyncAsync(CancellationToken.None);
        var after = (await ValuesAsync("a.temp")).Count;
        await _supervisor.SyncAsync(CancellationToken.None);
        Assert.Equal(after, (await ValuesAsync("a.temp")).Count);
    }

    [Fact]
    public async Task Mqtt_MappingChangedWhileRunning_NewTopicReadOldTopicNoLonger()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        JsonObject Settings(string topic) => new()
        {
            ["host"] = "127.0.0.1",
            ["port"] = broker.Port,
            ["flushMilliseconds"] = 20,
            ["subscriptions"] = new JsonArray(new JsonObject { ["topic"] = topic, ["format"] = "number", ["meterKey"] = "{meter}" }),
        };

        await SaveAsync("broker", "mqtt", Settings("old/{meter}"));
        await UntilAsync(async () =>
        {
            await broker.PublishAsync("old/a.temp", "850");
            return (await ValuesAsync("a.temp")).Contains(850);
        }, "a reading on the old topic arrives");

        await SaveAsync("broker", "mqtt", Settings("new/{meter}"));
        await UntilAsync(async () =>
        {
            if (_supervisor.Status(_tenant, "broker") is not { Version: 2, State: SourceState.Connected }) return false;
            await broker.PublishAsync("new/b.temp", "1000");
            return (await ValuesAsync("b.temp")).Contains(1000);
        }, "after the change a reading on the new topic arrives");

        await broker.PublishAsync("old/a.temp", "777");
        await broker.PublishAsync("new/b.temp", "1001");
        await UntilAsync(async () => (await ValuesAsync("b.temp")).Contains(1001), "a later reading on the new topic arrives");
        Assert.DoesNotContain(777, await ValuesAsync("a.temp"));
    }
}
