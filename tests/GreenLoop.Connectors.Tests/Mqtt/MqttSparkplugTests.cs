using Google.Protobuf;
using GreenLoop.Domain.Derivation;
using static GreenLoop.Connectors.Tests.Mqtt.TestPlant;

namespace GreenLoop.Connectors.Tests.Mqtt;

/// <summary>
/// Sparkplug B payloads encoded here field by field (numbers from sparkplug_b.proto, Sparkplug 3.0.0 Appendix A),
/// published as binary files with mosquitto_pub.
/// </summary>
public sealed class MqttSparkplugTests
{
    private const uint Int32 = 3, Float = 9, Double = 10, Boolean = 11, String = 12;

    [Fact]
    public async Task BirthThenDataByAlias_NumericMetricsStoredUnderMetricNames_UnknownAliasQuarantined()
    {
        await using var h = await MqttHarness.StartAsync(Site());
        await h.StartConnectorAsync(h.Settings("""
            "subscriptions":[{"topic":"spBv1.0/plant1/+/{edge}/+","format":"sparkplugb","meterKey":"spb.{device}.{key}"}]
            """));

        // DBIRTH names every metric and gives it an alias; strings and flags are status, not readings.
        var birth = Payload(Ms(0),
            Metric("Energy/Import", 1, Double, m => { m.WriteTag(13, WireFormat.WireType.Fixed64); m.WriteDouble(1500.25); }),
            Metric("Power", 2, Float, m => { m.WriteTag(12, WireFormat.WireType.Fixed32); m.WriteFloat(12.5f); }),
            // Int32 -5 travels two's complement in the unsigned int_value: 4294967291.
            Metric("Balance", 3, Int32, m => { m.WriteTag(10, WireFormat.WireType.Varint); m.WriteUInt32(unchecked((uint)-5)); }),
            Metric("Status", 4, String, m => { m.WriteTag(15, WireFormat.WireType.LengthDelimited); m.WriteString("ok"); }),
            Metric("Running", 5, Boolean, m => { m.WriteTag(14, WireFormat.WireType.Varint); m.WriteBool(true); }));
        await h.Broker.PublishBytesAsync("spBv1.0/plant1/DBIRTH/Line1/Meter1", birth);

        // DDATA carries aliases only, each metric with its own timestamp; alias 9 was never born.
        var data = Payload(Ms(1),
            Metric(null, 1, Double, m => { m.WriteTag(13, WireFormat.WireType.Fixed64); m.WriteDouble(1501.5); }, Ms(2)),
            Metric(null, 3, Int32, m => { m.WriteTag(10, WireFormat.WireType.Varint); m.WriteUInt32(unchecked((uint)-7)); }, Ms(2)),
            Metric(null, 9, Double, m => { m.WriteTag(13, WireFormat.WireType.Fixed64); m.WriteDouble(3); }, Ms(2)));
        await h.Broker.PublishBytesAsync("spBv1.0/plant1/DDATA/Line1/Meter1", data);

        // "Energy/Import" becomes Energy.Import; the payload timestamp applies where a metric has none.
        Assert.Equal([new RawReading(Ms(0), 1500.25), new RawReading(Ms(2), 1501.5)], await h.WaitForReadingsAsync(SparkplugImport, 2));
        Assert.Equal([new RawReading(Ms(0), 12.5)], await h.WaitForReadingsAsync(SparkplugPower, 1));
        Assert.Equal([new RawReading(Ms(0), -5), new RawReading(Ms(2), -7)], await h.WaitForReadingsAsync(SparkplugSigned, 2));
        var row = Assert.Single(await h.WaitForQuarantineAsync(1));
        Assert.Equal("meter", row.Field);
        Assert.Equal("alias 9 = 3", row.Value);
        Assert.Contains("metric alias 9 is unknown", row.Reason, StringComparison.Ordinal);
        Assert.Equal(1, h.Problems("sparkplug-unknown-alias"));
    }

    [Fact]
    public async Task NotProtobuf_QuarantinedAsBase64_ConnectorGoesOn()
    {
        await using var h = await MqttHarness.StartAsync(Site());
        await h.StartConnectorAsync(h.Settings("""
            "subscriptions":[{"topic":"spBv1.0/plant1/+/{edge}/+","format":"sparkplugb","meterKey":"spb.{device}.{key}"}]
            """));

        // 0xFF 0xFF 0xFF is a varint that never ends: a truncated message.
        await h.Broker.PublishBytesAsync("spBv1.0/plant1/DDATA/Line1/Meter1", [0xFF, 0xFF, 0xFF]);
        var power = Payload(Ms(3), Metric("Power", null, Double, m => { m.WriteTag(13, WireFormat.WireType.Fixed64); m.WriteDouble(7); }));
        await h.Broker.PublishBytesAsync("spBv1.0/plant1/DDATA/Line1/Meter1", power);

        Assert.Equal([new RawReading(Ms(3), 7)], await h.WaitForReadingsAsync(SparkplugPower, 1));
        var row = Assert.Single(await h.WaitForQuarantineAsync(1));
        Assert.Equal("base64:////", row.Value);
        Assert.Equal(1, h.Problems("sparkplug-decode"));
    }

    private static byte[] Payload(long timestamp, params byte[][] metrics)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteUInt64((ulong)timestamp);
        foreach (var metric in metrics)
        {
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(metric));
        }
        output.WriteTag(3, WireFormat.WireType.Varint);
        output.WriteUInt64(7);
        output.Flush();
        return buffer.ToArray();
    }

    private static byte[] Metric(string? name, ulong? alias, uint dataType, Action<CodedOutputStream> value, long? timestamp = null)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        if (name is not null)
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString(name);
        }
        if (alias is { } a)
        {
            output.WriteTag(2, WireFormat.WireType.Varint);
            output.WriteUInt64(a);
        }
        if (timestamp is { } t)
        {
            output.WriteTag(3, WireFormat.WireType.Varint);
            output.WriteUInt64((ulong)t);
        }
        output.WriteTag(4, WireFormat.WireType.Varint);
        output.WriteUInt32(dataType);
        value(output);
        output.Flush();
        return buffer.ToArray();
    }
}
