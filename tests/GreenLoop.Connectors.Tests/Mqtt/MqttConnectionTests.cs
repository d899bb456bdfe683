using System.Net;
using System.Net.Sockets;
using GreenLoop.Connectors.Mqtt;
using GreenLoop.Domain.Derivation;
using static GreenLoop.Connectors.Tests.Mqtt.TestPlant;

namespace GreenLoop.Connectors.Tests.Mqtt;

/// <summary>Losing the broker, coming back, and the persistent session that keeps QoS 1 messages while the connector is away.</summary>
public sealed class MqttConnectionTests
{
    private const string Readings = """
        "clientId":"greenloop-test-fixed",
        "subscriptions":[{"topic":"plant/readings","format":"reading"}]
        """;

    [Fact]
    public async Task BrokerKilledAndRestarted_DisconnectedThenConnected_MessageAfterRestartStored()
    {
        await using var h = await MqttHarness.StartAsync(Site());
        await h.StartConnectorAsync(h.Settings(Readings));
        await h.Broker.PublishAsync("plant/readings", $$"""{"meter":"{{Line1}}","ts":"{{Iso(0)}}","value":1}""");
        await h.WaitForReadingsAsync(Line1, 1);

        await h.Broker.KillAsync();
        await h.WaitForStateAsync(SourceState.Disconnected);
        // While the broker is down, attempts fail and are counted; the connector keeps trying.
        await h.WaitForAsync(() => Task.FromResult(h.Problems("connect-failed") >= 1), "a failed reconnect attempt");
        await h.Broker.RestartAsync();
        await h.WaitForStateAsync(SourceState.Connected);
        // The restarted broker has no persistence, so no session: the connector subscribed again.
        await h.Broker.PublishAsync("plant/readings", $$"""{"meter":"{{Line1}}","ts":"{{Iso(1)}}","value":2}""");

        Assert.Equal([new RawReading(Ms(0), 1), new RawReading(Ms(1), 2)], await h.WaitForReadingsAsync(Line1, 2));
        Assert.Equal(1, h.Problems("connection-lost"));
        Assert.DoesNotContain("session resumed", h.Health.Snapshot().StateDetail ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersistentSession_QosOneMessagePublishedWhileStopped_DeliveredAfterRestart()
    {
        await using var h = await MqttHarness.StartAsync(Site());
        await h.StartConnectorAsync(h.Settings(Readings));
        await h.StopConnectorAsync();

        // The connector is away; the broker keeps its session (same client id, clean session off) and queues this.
        await h.Broker.PublishAsync("plant/readings", $$"""{"meter":"{{Line1}}","ts":"{{Iso(0)}}","value":41}""");
        await h.StartConnectorAsync(h.Settings(Readings));

        Assert.Equal([new RawReading(Ms(0), 41)], await h.WaitForReadingsAsync(Line1, 1));
        Assert.Contains("session resumed", h.Health.Snapshot().StateDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreFailing_MessageNeverAcknowledged_DeliveredAgainOnNextStart()
    {
        await using var h = await MqttHarness.StartAsync(Site());
        var failing = true;
        IngestSink sink = (request, ct) => Volatile.Read(ref failing)
            ? throw new IOException("disk full (test)")
            : h.Ingest.IngestAsync(h.TenantId, request, ct);
        await h.StartConnectorAsync(h.Settings(Readings), sink: sink);
        await h.Broker.PublishAsync("plant/readings", $$"""{"meter":"{{Line1}}","ts":"{{Iso(0)}}","value":41}""");

        // Tried, failed, tried again after the backoff: the batch is held, not dropped.
        await h.WaitForAsync(() => Task.FromResult(h.Problems("store-failed") >= 2), "two failed attempts to store");
        await h.StopConnectorAsync();
        Assert.Empty(await h.ReadingsAsync(Line1));

        // Had the message been acknowledged on receipt, the broker would have forgotten it; it sends it again.
        Volatile.Write(ref failing, false);
        await h.StartConnectorAsync(h.Settings(Readings));
        Assert.Equal([new RawReading(Ms(0), 41)], await h.WaitForReadingsAsync(Line1, 1));
        Assert.Equal(1, h.Health.Snapshot().Messages);
    }

    [Fact]
    public async Task CleanSession_MessagePublishedWhileStopped_IsLostAsExpected()
    {
        await using var h = await MqttHarness.StartAsync(Site());
        var settings = h.Settings(Readings.Replace("\"clientId\"", "\"cleanSession\":true,\"clientId\"", StringComparison.Ordinal));
        await h.StartConnectorAsync(settings);
        await h.StopConnectorAsync();

        await h.Broker.PublishAsync("plant/readings", $$"""{"meter":"{{Line1}}","ts":"{{Iso(0)}}","value":41}""");
        await h.StartConnectorAsync(settings);
        // Published after the restart, so it arrives; QoS 1 from one publisher keeps order, so had the first been
        // queued it would have been delivered before this one.
        await h.Broker.PublishAsync("plant/readings", $$"""{"meter":"{{Line1}}","ts":"{{Iso(1)}}","value":42}""");

        Assert.Equal([new RawReading(Ms(1), 42)], await h.WaitForReadingsAsync(Line1, 1));
        Assert.Equal(1, h.Health.Snapshot().Messages);
    }

    [Fact]
    public async Task UnreachableBroker_ConnectorKeepsTryingAndStopsCleanly()
    {
        await using var h = await MqttHarness.StartAsync(Site());
        // A port bound but not listening refuses connections, and no other test can take it meanwhile.
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        var settings = h.Settings(Readings).Replace($"\"port\":{h.Broker.Port}", $"\"port\":{port}", StringComparison.Ordinal);
        var factory = new MqttConnectorFactory();
        var context = new ConnectorContext(h.TenantId, MqttHarness.SourceKey, (r, ct) => h.Ingest.IngestAsync(h.TenantId, r, ct), h.Health, h.Logger, h.Clock);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => factory.Create(settings).RunAsync(context, stop.Token));

        // Backoff 1 s then 2 s: a second attempt within the patience window.
        await h.WaitForAsync(() => Task.FromResult(h.Problems("connect-failed") >= 2), "two failed attempts");
        Assert.Equal(SourceState.Disconnected, h.Health.State);
        Assert.Contains("retrying in", h.Health.Snapshot().StateDetail, StringComparison.Ordinal);
        await stop.CancelAsync();
        await run.WaitAsync(MqttHarness.Patience);
        Assert.True(run.IsCompletedSuccessfully);
        // Reported once per kind: the second failure was counted, not logged.
        Assert.Single(h.Logged, e => e.EventId == 6001 && e.Message.Contains("connect-failed", StringComparison.Ordinal));
    }
}
