using System.Buffers;
using System.Text;
using GreenLoop.Connectors.Mqtt;
using GreenLoop.Pipeline.Meter.Ingest;

namespace GreenLoop.Connectors.Tests.Mqtt;

/// <summary>The payload reader on its own, for the cases the broker tests do not go through one by one.</summary>
public sealed class MqttMessageParserTests
{
    private static readonly DateTimeOffset _arrival = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static ParsedMessage Parse(string subscription, string topic, string payload)
    {
        var errors = new List<string>();
        var config = MqttSettingsReader.Read($$"""{"host":"b","subscriptions":[{{subscription}}]}""", errors);
        Assert.True(config is not null, string.Join("; ", errors));
        var route = config.Routes[0];
        var captures = new string[route.TemplateNames.Count];
        Assert.True(route.Pattern.TryMatch(topic, captures));
        var into = new ParsedMessage();
        MqttMessageParser.Parse(route, topic, captures, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)), _arrival, into, new SparkplugAliases());
        return into;
    }

    [Fact]
    public void Values_FlatWithoutFieldMap_EveryFieldButTsAndIgnoredIsAReading()
    {
        var m = Parse("""{"topic":"gw/{gw}/v","format":"values","meterKey":"{gw}.{key}","ignoreFields":["seq"]}""", "gw/g7/v",
            """{"ts":"2026-03-01T08:00:00+08:00","seq":41,"kwh":12.5,"gas":3}""");

        // 08:00 at +08:00 is 00:00 UTC.
        Assert.Equal([new ReadingInput("g7.kwh", _arrival, 12.5), new ReadingInput("g7.gas", _arrival, 3)], m.Readings);
        Assert.Empty(m.Rejected);
    }

    [Fact]
    public void Values_NestedObjectInFlatMode_RefusedWithAHintAboutValuesField()
    {
        var m = Parse("""{"topic":"v","format":"values"}""", "v", """{"ts":0,"values":{"a":1}}""");

        var row = Assert.Single(m.Rejected);
        Assert.Equal("value", row.Rejection.Field);
        Assert.Contains("set valuesField to its name", row.Rejection.Reason, StringComparison.Ordinal);
        Assert.Equal("wrong-type", Assert.Single(m.Problems).Kind);
    }

    [Theory]
    [InlineData("2026-03-01T08:00:00", "ts-without-offset")]
    [InlineData("2026-03-01 08:00:00", "ts-without-offset")]
    [InlineData("yesterday", "bad-ts")]
    [InlineData("1772323200", "bad-ts")]
    public void Reading_UnusableTsText_RefusedByKind(string ts, string kind)
    {
        var m = Parse("""{"topic":"r","format":"reading"}""", "r", $$"""{"meter":"a","ts":"{{ts}}","value":1}""");

        Assert.Equal(kind, Assert.Single(m.Problems).Kind);
        Assert.Equal(ts, Assert.Single(m.Rejected).Ts);
    }

    [Theory]
    // 1772323200 s and 1772323200000 ms are the same instant, 2026-03-01T00:00:00Z; auto tells them apart at 1e11.
    [InlineData("auto", "1772323200")]
    [InlineData("auto", "1772323200000")]
    [InlineData("s", "1772323200")]
    [InlineData("ms", "1772323200000")]
    [InlineData("auto", "1772323200.0004")]
    public void Reading_EpochNumbers_ReadInTheirUnit(string unit, string ts)
    {
        var m = Parse($$"""{"topic":"r","format":"reading","tsUnit":"{{unit}}"}""", "r", $$"""{"meter":"a","ts":{{ts}},"value":1}""");

        Assert.Equal(_arrival, Assert.Single(m.Readings).Ts);
    }

    [Fact]
    public void Array_ElementsThatAreNotObjects_RefusedByIndex_OthersRead()
    {
        var m = Parse("""{"topic":"a","format":"array"}""", "a", """[{"meter":"x","ts":0,"value":1}, 5, "text", {"meter":"x","ts":60,"value":2}]""");

        Assert.Equal([1.0, 2.0], m.Readings.Select(r => r.Value));
        Assert.Equal([1, 2], m.Rejected.Select(r => r.Rejection.Index));
        Assert.All(m.Rejected, r => Assert.Contains($"reading [{r.Rejection.Index}]: expected a JSON object", r.Rejection.Reason, StringComparison.Ordinal));
        Assert.Equal(["5", "\"text\""], m.Rejected.Select(r => r.Value));
    }

    [Fact]
    public void Array_ObjectWithoutArrayField_RefusedWholeWithAHint()
    {
        var m = Parse("""{"topic":"a","format":"array"}""", "a", """{"readings":[]}""");

        var row = Assert.Single(m.Rejected);
        Assert.Equal("payload", row.Rejection.Field);
        Assert.Contains("set arrayField", row.Rejection.Reason, StringComparison.Ordinal);
        Assert.Equal("""{"readings":[]}""", row.Value);
    }

    [Fact]
    public void Malformed_LongPayload_KeptCutTo2000Characters()
    {
        var payload = "[" + new string(' ', 5000) + "{";
        var m = Parse("""{"topic":"a","format":"array"}""", "a", payload);

        var row = Assert.Single(m.Rejected);
        Assert.StartsWith(payload[..2000], row.Value, StringComparison.Ordinal);
        Assert.EndsWith("... (5002 bytes in all)", row.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_TemplateWithTopicLevelAndKey_BuildsTheMeterKey()
    {
        var m = Parse("""{"topic":"site/{site}/r","format":"reading","meterKey":"{site}.{key}"}""", "site/north/r", """{"meter":"kwh","ts":0,"value":7}""");

        Assert.Equal("north.kwh", Assert.Single(m.Readings).Meter);
    }
}
