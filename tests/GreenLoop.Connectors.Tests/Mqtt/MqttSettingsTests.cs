using GreenLoop.Connectors.Mqtt;
using GreenLoop.Pipeline.Meter.Ingest;
using Microsoft.Extensions.Logging.Abstractions;

namespace GreenLoop.Connectors.Tests.Mqtt;

/// <summary>Settings validation, topic patterns and meter-key templates.</summary>
public sealed class MqttSettingsTests
{
    private readonly MqttConnectorFactory _factory = new();

    [Theory]
    [InlineData("""{"host":"broker.local","subscriptions":[{"topic":"plant/readings","format":"reading"}]}""")]
    [InlineData("""{"host":"broker.local","port":8883,"tls":true,"username":"gl","password":"s","protocolVersion":"3.1.1","inflight":100,"subscriptions":[{"topic":"gw/+/data","qos":0,"format":"reading","meterField":"id","tsField":"time","tsUnit":"ms","valueField":"v"}]}""")]
    [InlineData("""{"host":"broker.local","subscriptions":[{"topic":"kiln/values","format":"values","valuesField":"values","ignoreFields":["seq"]}]}""")]
    [InlineData("""{"host":"broker.local","subscriptions":[{"topic":"site/{site}/kiln","format":"values","fields":{"gas":"{site}.kiln.gas"}}]}""")]
    [InlineData("""{"host":"broker.local","subscriptions":[{"topic":"gw/backfill","format":"array","arrayField":"readings"}]}""")]
    [InlineData("""{"host":"broker.local","subscriptions":[{"topic":"plant/{meter}/energy","format":"number"}]}""")]
    [InlineData("""{"host":"broker.local","subscriptions":[{"topic":"plant/main/energy","format":"number","meterKey":"plant.main.kwh","tsField":""}]}""")]
    [InlineData("""{"host":"broker.local","subscriptions":[{"topic":"spBv1.0/{group}/+/{edge}/+","format":"sparkplugb","meterKey":"{group}.{device}.{key}"}]}""")]
    public void Validate_UsableSettings_NoErrors(string json) => Assert.Empty(_factory.Validate(json));

    [Fact]
    public void Validate_ManyProblems_EveryOneListedWithItsFieldPath()
    {
        var errors = _factory.Validate("""
            {"port":70000,"keepAliveSeconds":1,"protocolVersion":"4","tls":"yes","Host":"x",
             "subscriptions":[
               {"topic":"a/#/b","format":"reading"},
               {"topic":"plant/{meter}/x","qos":2,"format":"csv"},
               {"topic":"p/+","format":"number"},
               {"topic":"q/{site}","format":"values","meterKey":"{site}.{nope}"},
               {"topic":"r/+","format":"reading"},
               {"topic":"r/+","format":"array","valuesField":"v"},
               {"topic":"s/x","format":"sparkplugb"},
               "text"]}
            """);

        string[] expected =
        [
            "host: is required",
            "Host: unknown field; did you mean 'host'?",
            "port: must be a whole number from 1 to 65535, not 70000",
            "keepAliveSeconds: must be a whole number from 5 to 3600, not 1",
            "protocolVersion: must be \"5.0\" or \"3.1.1\", not \"4\"",
            "tls: must be true or false, not \"yes\"",
            "subscriptions[0].topic: '#' must be the last level",
            "subscriptions[1].qos: QoS 2 is not supported",
            "subscriptions[1].format: 'csv' is not a format",
            "subscriptions[2].meterKey: format number needs the meter key from the topic",
            "subscriptions[3].meterKey: '{nope}' is not a named level of the topic ({site})",
            "subscriptions[5].valuesField: is used by the format values only",
            "subscriptions[6].topic: Sparkplug B topics start with spBv1.0/",
            "subscriptions[7]: must be an object",
        ];
        foreach (var e in expected) Assert.Contains(errors, x => x.StartsWith(e, StringComparison.Ordinal));
        Assert.Equal(expected.Length, errors.Count);
    }

    [Fact]
    public void Validate_DuplicateFilter_NamesTheFirst()
    {
        var errors = _factory.Validate("""
            {"host":"b","subscriptions":[{"topic":"r/{meter}","format":"reading"},{"topic":"r/+","format":"array"}]}
            """);
        Assert.Equal("subscriptions[1].topic: subscribes to 'r/+' like subscriptions[0]; a message is read by one subscription only", Assert.Single(errors));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void Validate_NotAnObject_OneClearError(string json) =>
        Assert.Contains("settings", Assert.Single(_factory.Validate(json)), StringComparison.Ordinal);

    [Fact]
    public void TopicPattern_NamedLevels_SubscribeAsPlusAndCapture()
    {
        var pattern = MqttTopicPattern.Parse("site/{site}/{meter}/#", out var error)!;
        Assert.Null(error);
        Assert.Equal("site/+/+/#", pattern.Filter);
        Assert.Equal(["site", "meter"], pattern.Names);
        var captures = new string[2];
        Assert.True(pattern.TryMatch("site/north/kiln1/energy/total", captures));
        Assert.Equal(["north", "kiln1"], captures);
        // '#' also matches the parent level (MQTT 3.1.1 section 4.7.1.2).
        Assert.True(pattern.TryMatch("site/south/boiler", captures));
        Assert.Equal(["south", "boiler"], captures);
        Assert.False(pattern.TryMatch("site/north", captures));
        Assert.False(pattern.TryMatch("plant/north/kiln1", captures));
    }

    [Theory]
    [InlineData("a/+", "a/b", true)]
    [InlineData("a/+", "a/b/c", false)]
    [InlineData("a/+", "a", false)]
    [InlineData("a/+", "a/", true)]
    [InlineData("#", "$SYS/broker/load", false)]
    [InlineData("+/broker", "$SYS/broker", false)]
    [InlineData("$SYS/#", "$SYS/broker", true)]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/b", "a/bc", false)]
    public void TopicPattern_MqttRules(string filter, string topic, bool matches) =>
        Assert.Equal(matches, MqttTopicPattern.Parse(filter, out _)!.TryMatch(topic, []));

    [Fact]
    public void MeterKeyTemplate_LiteralsLevelsAndKey_Rendered()
    {
        var template = MeterKeyTemplate.Parse("{site}.line-{line}.{key}", ["line", "site"], out var error)!;
        Assert.Null(error);
        Assert.True(template.UsesKey);
        Assert.Equal("north.line-3.kwh", template.Render(["3", "north"], "kwh"));
    }

    [Fact]
    public void DefaultClientId_SameForSameSourceAndFilters_DifferentPerTenantOrFilters()
    {
        static ConnectorContext Context(long tenant) =>
            new(tenant, "plant-broker", (_, _) => Task.FromResult(new IngestResult(0, 0, 0, [])), new SourceHealth("plant-broker", "mqtt", 1), NullLogger.Instance, TimeProvider.System);

        var first = MqttLink.DefaultClientId(Context(1), ["plant/+/energy", "gw/#"]);
        Assert.Matches("^greenloop-plant-broker-[0-9a-f]{8}$", first);
        Assert.Equal(first, MqttLink.DefaultClientId(Context(1), ["gw/#", "plant/+/energy"]));
        Assert.NotEqual(first, MqttLink.DefaultClientId(Context(2), ["plant/+/energy", "gw/#"]));
        Assert.NotEqual(first, MqttLink.DefaultClientId(Context(1), ["plant/+/energy"]));
    }

    [Fact]
    public void MeterKeyFromMetric_SlashesBecomeDotsOtherCharactersUnderscores() =>
        Assert.Equal("Energy.Active_Import_kWh_", MqttMessageParser.MeterKeyFromMetric("Energy/Active Import(kWh)"));
}
