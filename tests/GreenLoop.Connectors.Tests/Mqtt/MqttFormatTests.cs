using System.Globalization;
using System.Text;
using GreenLoop.Domain.Derivation;
using static GreenLoop.Connectors.Tests.Mqtt.TestPlant;

namespace GreenLoop.Connectors.Tests.Mqtt;

/// <summary>Each payload format, published with mosquitto_pub through a real mosquitto, read back from the SQLite store.</summary>
public sealed class MqttFormatTests
{
    [Fact]
    public async Task Reading_IsoAndEpochTimestamps_StoredWithExactInstantAndValue()
    {
        await using var h = await MqttHarness.StartAsync(Site());
        await h.StartConnectorAsync(h.Settings("""
            "subscriptions":[{"topic":"plant/readings","format":"reading"}]
            """));

        // Three forms of an instant: ISO 8601 with +08:00, epoch seconds, epoch milliseconds (auto: below 1e11 is seconds).
        await h.Broker.PublishAsync("plant/readings", $$"""{"meter":"{{Line1}}","ts":"{{Iso(0)}}","value":1000.5}""");
        await h.Broker.PublishAsync("plant/readings", $$"""{"meter":"{{Line1}}","ts":{{Ms(15) / 1000}},"value":1002.25}""");
        await h.Broker.PublishAsync("plant/readings", $$"""{"meter":"{{Line1}}","ts":{{Ms(30)}},"value":1004}""");

        var readings = await h.WaitForReadingsAsync(Line1, 3);
        Assert.Equal([new RawReading(Ms(0), 1000.5), new RawReading(Ms(15), 1002.25), new RawReading(Ms(30), 1004)], readings);
        var status = h.Health.Snapshot();
        Assert.Equal(3, status.Messages);
        Assert.Equal(3, status.Accepted);
        Assert.Equal(0, status.ProblemCount);
        Assert.Equal(new LastValueCheck(Line1, Ms(30), 1004), LastValueCheck.Of(status.LastValue));
    }

    [Fact]
    public async Task Reading_ConfiguredFieldNamesAndMeterFromTopic_Stored()
    {
        await using var h = await MqttHarness.StartAsync(Site());
        await h.StartConnectorAsync(h.Settings("""
            "subscriptions":[
              {"topic":"gw/+/data","format":"reading","meterField":"id","tsField":"time","valueField":"v","tsUnit":"ms"},
              {"topic":"meters/{meter}/reading","format":"reading"}]
            """));

        await h.Broker.PublishAsync("gw/7/data", $$"""{"id":"{{Line2}}","time":{{Ms(5)}},"v":77.5,"rssi":-60}""");
        // The meter key is the topic level named {meter}; the payload has no meter field.
        await h.Broker.PublishAsync($"meters/{BoilerTemp}/reading", $$"""{"ts":"{{Iso(5)}}","value":-3.5}""");

        Assert.Equal([new RawReading(Ms(5), 77.5)], await h.WaitForReadingsAsync(Line2, 1));
        Assert.Equal([new RawReading(Ms(5), -3.5)], await h.WaitForReadingsAsync(BoilerTemp, 1));
    }

    [Fact]
    public async Task Values_NestedAndFlatWithFieldMapAndTopicPrefix_EachValueToItsMeter()
    {
        await using var h = await MqttHarness.StartAsync(Site());
        await h.StartConnectorAsync(h.Settings("""
            "subscriptions":[
              {"topic":"kiln/values","format":"values","valuesField":"values"},
              {"topic":"site/{site}/kiln","format":"values","fields":{"gas":"{site}.kiln.gas","kwh":"{site}.kiln.kwh"}}]
            """));

        // Nested: every member of "values" is a meter key.
        await h.Broker.PublishAsync("kiln/values", $$$"""{"ts":"{{{Iso(60)}}}","values":{"{{{KilnGas}}}":12.5,"{{{KilnKwh}}}":300}}""");
        // Flat with a field map: gas and kwh go to north.kiln.*, the unmapped status field is not a reading.
        await h.Broker.PublishAsync("site/north/kiln", $$"""{"ts":{{Ms(75) / 1000}},"gas":7.25,"kwh":41,"status":"running"}""");

        Assert.Equal([new RawReading(Ms(60), 12.5)], await h.WaitForReadingsAsync(KilnGas, 1));
        Assert.Equal([new RawReading(Ms(60), 300)], await h.WaitForReadingsAsync(KilnKwh, 1));
        Assert.Equal([new RawReading(Ms(75), 7.25)], await h.WaitForReadingsAsync(NorthGas, 1));
        Assert.Equal([new RawReading(Ms(75), 41)], await h.WaitForReadingsAsync(NorthKwh, 1));
        Assert.Equal(0, h.Health.Snapshot().ProblemCount);
    }

    [Fact]
    public async Task Array_BackFillOf500ReadingsInOneMessage_AllStoredInOneWrite()
    {
        await using var h = await MqttHarness.StartAsync(Site());
        await h.StartConnectorAsync(h.Settings("""
            "subscriptions":[{"topic":"gw/backfill","format":"array","arrayField":"readings"}]
            """));

        // 250 minutes of one-minute readings for two meters after a gateway outage: register i x 0.5 kWh on line 1,
        // 1000 + i on line 2.
        var sb = new StringBuilder("""{"gateway":"gw1","readings":[""");
        for (var i = 0; i < 250; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(CultureInfo.InvariantCulture, $$"""{"meter":"{{Line1}}","ts":"{{Iso(i)}}","value":{{i * 0.5}}},{"meter":"{{Line2}}","ts":{{Ms(i)}},"value":{{1000 + i}}}""");
        }
        sb.Append("]}");
        await h.Broker.PublishBytesAsync("gw/backfill", Encoding.UTF8.GetBytes(sb.ToString()));

        var line1 = await h.WaitForReadingsAsync(Line1, 250);
        var line2 = await h.WaitForReadingsAsync(Line2, 250);
        Assert.Equal(Enumerable.Range(0, 250).Select(i => new RawReading(Ms(i), i * 0.5)), line1);
        Assert.Equal(Enumerable.Range(0, 250).Select(i => new RawReading(Ms(i), 1000 + i)), line2);
        var status = h.Health.Snapshot();
        Assert.Equal(1, status.Messages);
        Assert.Equal(500, status.Accepted);
    }

    [Fact]
    public async Task Number_MeterKeyFromTopic_StampedWithArrivalTime()
    {
        await using var h = await MqttHarness.StartAsync(Site());
        await h.StartConnectorAsync(h.Settings("""
            "subscriptions":[{"topic":"plant/{meter}/energy","format":"number"}]
            """));

        var before = h.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await h.Broker.PublishAsync($"plant/{KilnKwh}/energy", " 123.4\n");
        var readings = await h.WaitForReadingsAsync(KilnKwh, 1);
        var after = h.Clock.GetUtcNow().ToUnixTimeMilliseconds();

        Assert.Equal(123.4, Assert.Single(readings).Value);
        Assert.InRange(readings[0].Ts, before, after);
    }

    [Fact]
    public async Task Number_RetainedMessage_IgnoredBecauseArrivalTimeWouldBeWrong()
    {
        await using var h = await MqttHarness.StartAsync(Site());
        // Retained before the connector subscribes: the broker hands it over on subscription, flagged retained.
        await h.Broker.PublishAsync($"plant/{KilnKwh}/energy", "99", retain: true);
        await h.StartConnectorAsync(h.Settings("""
            "subscriptions":[{"topic":"plant/{meter}/energy","format":"number"}]
            """));
        await h.WaitForAsync(() => Task.FromResult(h.Problems("retained-ignored") == 1), "the retained message to be seen");

        await h.Broker.PublishAsync($"plant/{KilnKwh}/energy", "100");
        Assert.Equal(100, Assert.Single(await h.WaitForReadingsAsync(KilnKwh, 1)).Value);
    }

    /// <summary>The parts of <see cref="GreenLoop.Connectors.LastValue"/> a test can know (not the arrival time).</summary>
    private readonly record struct LastValueCheck(string Meter, long Ts, double Value)
    {
        public static LastValueCheck Of(LastValue? v) => v is null ? default : new(v.Meter, v.Ts.ToUnixTimeMilliseconds(), v.Value);
    }
}
