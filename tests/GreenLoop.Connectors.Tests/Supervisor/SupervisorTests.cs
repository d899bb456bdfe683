using System.Text.Json.Nodes;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Storage;
using GreenLoop.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GreenLoop.Connectors.Tests.Supervisor;

public sealed class SupervisorTests : IAsyncLifetime
{
    private PipelineHarness _h = null!;
    private GreenLoopStore _store = null!;
    private ConnectorSupervisor _supervisor = null!;
    private readonly ScriptedConnectorFactory _scripted = new();
    private DataSourceService _sources = null!;
    private long _tenant;
    private long _key;
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var clock = TimeProvider.System;
        _h = await PipelineHarness.SqliteAsync(clock);
        _store = _h.Store;
        _tenant = _h.TenantId;
        await _h.ApplyAsync(new SiteDefinition
        {
            Key = "plant",
            Name = "Plant",
            TimeZone = "Asia/Shanghai",
            Meters =
            [
                new MeterDefinition { Key = "a.temp", Name = "A", Quantity = MeterQuantity.ProcessVariable, Carrier = "kiln_temperature", Unit = "degC", Kind = MeterKind.Instantaneous },
                new MeterDefinition { Key = "b.temp", Name = "B", Quantity = MeterQuantity.ProcessVariable, Carrier = "kiln_temperature", Unit = "degC", Kind = MeterKind.Instantaneous },
            ],
        });
        _key = (await _store.CreateApiKeyAsync(new StoredApiKey
        {
            TenantId = _tenant, Name = "line gateway", Prefix = "supervis", SecretHash = "not used here", Permissions = ["ingest"], CreatedBy = "test", CreatedAt = 0,
        }, CancellationToken.None)).Id;
        var options = new ConnectorOptions { ReloadInterval = TimeSpan.FromSeconds(30), RestartDelay = TimeSpan.FromMilliseconds(200) };
        var keys = new ConnectorKeys(_store, clock);
        _supervisor = new ConnectorSupervisor(_store, [_scripted], _h.Ingest, keys, options, NullLoggerFactory.Instance, clock);
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

    private static JsonObject Settings(string meter, double value, bool fault = false) =>
        new() { ["meter"] = meter, ["value"] = value, ["everyMs"] = 20, ["fault"] = fault };

    private async Task<SourceStatus> WaitForAsync(string key, Func<SourceStatus, bool> condition) =>
        (await Wait.ForAsync(() => Task.FromResult(_supervisor.Status(_tenant, key)), s => s is not null && condition(s),
            s => $"data source '{key}' to reach the expected state; last: {System.Text.Json.JsonSerializer.Serialize(s)}", TimeSpan.FromSeconds(20)))!;

    private async Task<double> NewestValueAsync(string meter)
    {
        var m = (await _store.LoadMetersAsync(_tenant, CancellationToken.None))[meter];
        var readings = await _store.ReadingsAsync(new MeterId(m.Id), new Instant(0), new Instant(long.MaxValue), false, CancellationToken.None);
        return readings[^1].Value;
    }

    [Fact]
    public async Task Save_NewSource_StartsWithoutRestartAndDeliversReadings()
    {
        var saved = await _sources.SaveAsync(_tenant, "line-a", "scripted", true, _key, Settings("a.temp", 850), CancellationToken.None);

        Assert.Empty(saved.Errors);
        Assert.True(saved.Created);
        var status = await WaitForAsync("line-a", s => s.Accepted >= 3);
        Assert.Equal(SourceState.Connected, status.State);
        Assert.Equal("a.temp", status.LastValue!.Meter);
        Assert.Equal(850, await NewestValueAsync("a.temp"));
    }

    [Fact]
    public async Task Save_ChangedSettings_RestartsWithNewVersionAndValue()
    {
        await _sources.SaveAsync(_tenant, "line-a", "scripted", true, _key, Settings("a.temp", 850), CancellationToken.None);
        await WaitForAsync("line-a", s => s.Accepted >= 1);

        var changed = await _sources.SaveAsync(_tenant, "line-a", "scripted", true, _key, Settings("a.temp", 900), CancellationToken.None);

        Assert.Equal(2, changed.Saved!.Version);
        var status = await WaitForAsync("line-a", s => s.Version == 2 && s.Accepted >= 2);
        Assert.Equal(900, status.LastValue!.Value);
    }

    [Fact]
    public async Task Save_Disabled_StopsTheConnector()
    {
        await _sources.SaveAsync(_tenant, "line-a", "scripted", true, _key, Settings("a.temp", 850), CancellationToken.None);
        await WaitForAsync("line-a", s => s.Accepted >= 1);

        await _sources.SaveAsync(_tenant, "line-a", "scripted", false, _key, Settings("a.temp", 850), CancellationToken.None);

        var status = await WaitForAsync("line-a", s => s.Version == 2);
        Assert.Equal(SourceState.Disabled, status.State);
        var m = (await _store.LoadMetersAsync(_tenant, CancellationToken.None))["a.temp"];
        var before = await _store.CountReadingsAsync(new MeterId(m.Id), CancellationToken.None);
        // Version 2 appears only after the old connector's run has ended (the supervisor awaits it); one more sync
        // cycle, awaited, and still no connector runs and nothing was added.
        await _supervisor.SyncAsync(CancellationToken.None);
        Assert.Equal(0, _scripted.Running);
        Assert.Equal(before, await _store.CountReadingsAsync(new MeterId(m.Id), CancellationToken.None));
    }

    [Fact]
    public async Task Run_FaultingConnector_IsRestartedAndDoesNotStopTheOthers()
    {
        await _sources.SaveAsync(_tenant, "faulty", "scripted", true, _key, Settings("a.temp", 1, fault: true), CancellationToken.None);
        await _sources.SaveAsync(_tenant, "steady", "scripted", true, _key, Settings("b.temp", 2), CancellationToken.None);

        var faulty = await WaitForAsync("faulty", s => s.Starts >= 3);
        var steady = await WaitForAsync("steady", s => s.Accepted >= 10);

        Assert.Equal(faulty.Starts - 1, faulty.Problems["connector-fault"], tolerance: 1);
        Assert.Contains("scripted fault", faulty.LastError, StringComparison.Ordinal);
        Assert.Equal(SourceState.Connected, steady.State);
        Assert.Equal(1, steady.Starts);
    }

    [Fact]
    public async Task Save_InvalidSettingsOrKind_RefusedWithFieldNamesAndNothingStored()
    {
        var badSettings = await _sources.SaveAsync(_tenant, "line-a", "scripted", true, _key, new JsonObject { ["everyMs"] = -1 }, CancellationToken.None);
        var badKind = await _sources.SaveAsync(_tenant, "line-b", "opc", true, _key, Settings("a.temp", 1), CancellationToken.None);
        var badKey = await _sources.SaveAsync(_tenant, "Line A", "scripted", true, _key, Settings("a.temp", 1), CancellationToken.None);

        Assert.Contains(badSettings.Errors, e => e.StartsWith("settings.meter:", StringComparison.Ordinal));
        Assert.Contains(badSettings.Errors, e => e.StartsWith("settings.everyMs:", StringComparison.Ordinal));
        Assert.Contains(badKind.Errors, e => e.StartsWith("kind: 'opc'", StringComparison.Ordinal) && e.Contains("scripted", StringComparison.Ordinal));
        Assert.Contains(badKey.Errors, e => e.StartsWith("key:", StringComparison.Ordinal));
        Assert.Empty(await _store.DataSourcesAsync(_tenant, CancellationToken.None));
    }

    [Fact]
    public async Task Run_KeyRevoked_ReadingsGoToQuarantineWithTheReason()
    {
        await _sources.SaveAsync(_tenant, "line-a", "scripted", true, _key, Settings("a.temp", 850), CancellationToken.None);
        await WaitForAsync("line-a", s => s.Accepted >= 1);

        Assert.True(await _store.RevokeApiKeyAsync(_tenant, _key, 1, CancellationToken.None));

        // The verdict is cached for 5 s, so within a few seconds every new batch is refused, none accepted.
        var status = await WaitForAsync("line-a", s => s.Problems.ContainsKey("rejected-apiKey"));
        Assert.Contains("revoked", status.LastError, StringComparison.Ordinal);
        var quarantined = await _store.ListQuarantineAsync(_tenant, new GreenLoop.Storage.QuarantineQuery { Limit = 100 }, CancellationToken.None);
        Assert.Contains(quarantined, q => q.Field == "apiKey" && q.Meter == "a.temp" && q.Reason.Contains("'line gateway' was revoked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Save_WithoutKeyOrWithReadOnlyKey_Refused()
    {
        var readOnly = (await _store.CreateApiKeyAsync(new StoredApiKey
        {
            TenantId = _tenant, Name = "reader", Prefix = "readonly", SecretHash = "x", Permissions = ["read"], CreatedBy = "test", CreatedAt = 0,
        }, CancellationToken.None)).Id;

        var none = await _sources.SaveAsync(_tenant, "line-a", "scripted", true, null, Settings("a.temp", 1), CancellationToken.None);
        var reader = await _sources.SaveAsync(_tenant, "line-a", "scripted", true, readOnly, Settings("a.temp", 1), CancellationToken.None);

        Assert.Contains(none.Errors, e => e.StartsWith("apiKeyId: a data source writes with an API key", StringComparison.Ordinal));
        Assert.Contains(reader.Errors, e => e.Contains("lacks the 'ingest' permission", StringComparison.Ordinal));
        Assert.Empty(await _store.DataSourcesAsync(_tenant, CancellationToken.None));
    }

    [Fact]
    public async Task Delete_RunningSource_StopsAndForgetsIt()
    {
        await _sources.SaveAsync(_tenant, "line-a", "scripted", true, _key, Settings("a.temp", 850), CancellationToken.None);
        await WaitForAsync("line-a", s => s.Accepted >= 1);

        Assert.True(await _sources.DeleteAsync(_tenant, "line-a", CancellationToken.None));

        await Wait.UntilAsync(() => _supervisor.Status(_tenant, "line-a") is null, "the deleted source to stop", TimeSpan.FromSeconds(20));
        Assert.Null(_supervisor.Status(_tenant, "line-a"));
        Assert.False(await _sources.DeleteAsync(_tenant, "line-a", CancellationToken.None));
    }

    [Fact]
    public async Task View_Password_IsMaskedAndTheMaskKeepsTheStoredSecret()
    {
        var settings = Settings("a.temp", 1);
        settings["password"] = "s3cret";
        await _sources.SaveAsync(_tenant, "line-a", "scripted", false, _key, settings, CancellationToken.None);

        var view = await _sources.GetAsync(_tenant, "line-a", CancellationToken.None);
        Assert.Equal(DataSourceService.Mask, (string?)view!.Settings!["password"]);

        var again = (JsonObject)view.Settings.DeepClone();
        again["value"] = 2;
        await _sources.SaveAsync(_tenant, "line-a", "scripted", false, _key, again, CancellationToken.None);
        var stored = (await _store.DataSourcesAsync(_tenant, CancellationToken.None)).Single();
        Assert.Equal("s3cret", (string?)JsonNode.Parse(stored.Definition)!["password"]);
        Assert.Equal(2, (double?)JsonNode.Parse(stored.Definition)!["value"]);
    }
}
