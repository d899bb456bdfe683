using GreenLoop.Domain.Derivation;
using Microsoft.Extensions.Logging;
using static GreenLoop.Connectors.Tests.Mqtt.TestPlant;

namespace GreenLoop.Connectors.Tests.Mqtt;

/// <summary>
/// Bad payloads: quarantined with a reason (where there is data to keep), counted per kind, logged once per kind;
/// the good readings of the same message are stored and the connector takes the next message.
/// </summary>
public sealed class MqttBadInputTests
{
    private const string ReadingAndArray = """
        "subscriptions":[
          {"topic":"plant/readings","format":"reading"},
          {"topic":"plant/backfill","format":"array"},
          {"topic":"plant/values","format":"values","valuesField":"values"},
          {"topic":"plant/{meter}/energy","format":"number"}]
        """;

    [Fact]
    public async Task MalformedJson_QuarantinedWholeAndLoggedOnce_NextGoodMessageStored()
    {
        await using var h = await MqttHarness.StartAsync(Site());
        await h.StartConnectorAsync(h.Settings(ReadingAndArray));

        // Five broken payloads: a cut-off object, a bare NaN (not JSON), three more cut-off ones.
        await h.Broker.PublishAsync("plant/readings", """{"meter":"line1.kwh","ts":""");
        await h.Broker.PublishAsync("plant/readings", """{"meter":"line1.kwh","ts":1767225600,"value":NaN}""");
        for (var i = 0; i < 3; i++) await h.Broker.PublishAsync("plant/readings", "{{{");
        await h.Broker.PublishAsync("plant/readings", $$"""{"meter":"{{Line1}}","ts":"{{Iso(0)}}","value":5}""");

        Assert.Equal([new RawReading(Ms(0), 5)], await h.WaitForReadingsAsync(Line1, 1));
        var rows = await h.WaitForQuarantineAsync(5);
        Assert.All(rows, r => Assert.Equal("payload", r.Field));
        Assert.All(rows, r => Assert.Equal("mqtt:" + MqttHarness.SourceKey, r.Source));
        Assert.Contains(rows, r => r.Value == """{"meter":"line1.kwh","ts":""" && r.Reason.StartsWith("topic 'plant/readings': the payload is not valid JSON", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Reason.Contains("NaN and Infinity are not JSON", StringComparison.Ordinal));
        Assert.Equal(5, h.Problems("malformed-json"));
        // Counted five times, logged once (event 6001 is the context's first-problem-of-a-kind warning).
        Assert.Single(h.Logged, e => e.EventId == 6001 && e.Message.Contains("malformed-json", StringComparison.Ordinal));
        Assert.Equal(6, h.Health.Snapshot().Messages);
    }

    [Fact]
    public async Task ArrayWithBadElements_GoodOnesStored_EachBadOneQuarantinedWithItsReason()
    {
        await using var h = await MqttHarness.StartAsync(Site());
        await h.StartConnectorAsync(h.Settings(ReadingAndArray));

        await h.Broker.PublishAsync("plant/backfill", $$"""
            [{"meter":"{{Line1}}","ts":"{{Iso(0)}}","value":10},
             {"meter":"{{Line1}}","ts":"{{Iso(1)}}","value":"NaN"},
             {"meter":"{{Line1}}","ts":"{{Iso(2)}}","value":true},
             {"meter":"{{Line1}}","ts":"2026-01-01T08:03:00","value":13},
             {"meter":"{{Line1}}","ts":"{{Iso(4)}}","value":1e400},
             {"meter":"no.such.meter","ts":"{{Iso(5)}}","value":15},
             {"ts":"{{Iso(6)}}","value":16},
             {"meter":"{{Line1}}","ts":"{{Iso(7)}}","value":17}]
            """);

        // Elements 0 and 7 are good; 1-6 are each wrong in one way.
        Assert.Equal([new RawReading(Ms(0), 10), new RawReading(Ms(7), 17)], await h.WaitForReadingsAsync(Line1, 2));
        var rows = await h.WaitForQuarantineAsync(6);
        Assert.Equal(6, rows.Count);
        Assert.Contains(rows, r => r.Field == "value" && r.Reason.Contains("reading [1]: 'value' is \"NaN\": NaN and infinities are refused", StringComparison.Ordinal) && r.Meter == Line1);
        Assert.Contains(rows, r => r.Field == "value" && r.Reason.Contains("reading [2]: 'value' must be a JSON number, not a boolean (true)", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Field == "ts" && r.Reason.Contains("has no UTC offset", StringComparison.Ordinal) && r.Ts == "2026-01-01T08:03:00");
        Assert.Contains(rows, r => r.Field == "value" && r.Reason.Contains("reading [4]: 'value' 1e400 is out of the range of a number", StringComparison.Ordinal));
        // The unknown meter is readable: ingest refuses it, with a value that a replay can use once the meter exists.
        Assert.Contains(rows, r => r.Field == "meter" && r.Meter == "no.such.meter" && r.Value == "15" && r.Reason.Contains("unknown meter", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Field == "meter" && r.Reason.Contains("reading [6]: 'meter' must be a non-empty string", StringComparison.Ordinal));
        // The raw element is kept for the rows the connector could not read.
        Assert.Contains(rows, r => r.Value is not null && r.Value.Contains("\"value\":true", StringComparison.Ordinal));

        // Kinds the connector counts while reading (NaN and 1e400 are both not finite); the context counts only what
        // ingest itself refused (the unknown meter), so no row is counted twice.
        var status = h.Health.Snapshot();
        Assert.Equal(2, status.Problems["not-finite"]);
        Assert.Equal(1, status.Problems["wrong-type"]);
        Assert.Equal(1, status.Problems["ts-without-offset"]);
        Assert.Equal(1, status.Problems["missing-field"]);
        Assert.Equal(1, status.Problems["rejected-meter"]);
        Assert.False(status.Problems.ContainsKey("rejected-value"));
        Assert.False(status.Problems.ContainsKey("rejected-ts"));
        Assert.Equal(6, status.ProblemCount);
        Assert.Equal(2, status.Accepted);
        Assert.Equal(6, status.Rejected);
    }

    [Fact]
    public async Task ValuesAndNumber_WrongTypesAndMissingTs_QuarantinedAndConnectorKeepsRunning()
    {
        await using var h = await MqttHarness.StartAsync(Site());
        await h.StartConnectorAsync(h.Settings(ReadingAndArray));

        // A values message without ts: none of its values can be placed, the whole message is kept.
        await h.Broker.PublishAsync("plant/values", $$$"""{"values":{"{{{KilnGas}}}":1}}""");
        // A values message with one string value: the other value is stored.
        await h.Broker.PublishAsync("plant/values", $$$"""{"ts":"{{{Iso(0)}}}","values":{"{{{KilnGas}}}":"12,5","{{{KilnKwh}}}":300}}""");
        // Bare numbers that are not finite numbers.
        await h.Broker.PublishAsync($"plant/{KilnKwh}/energy", "Infinity");
        await h.Broker.PublishAsync($"plant/{KilnKwh}/energy", "12,5");
        // An empty message has nothing to keep; it is only counted.
        await h.Broker.PublishAsync($"plant/{KilnKwh}/energy", "");
        await h.Broker.PublishAsync("plant/readings", $$"""{"meter":"{{KilnGas}}","ts":"{{Iso(1)}}","value":2}""");

        Assert.Equal([new RawReading(Ms(0), 300)], await h.WaitForReadingsAsync(KilnKwh, 1));
        Assert.Equal([new RawReading(Ms(1), 2)], await h.WaitForReadingsAsync(KilnGas, 1));
        var rows = await h.WaitForQuarantineAsync(4);
        Assert.Equal(4, rows.Count);
        Assert.Contains(rows, r => r.Field == "ts" && r.Reason.Contains("'ts' is missing", StringComparison.Ordinal) && r.Value == $$$"""{"values":{"{{{KilnGas}}}":1}}""");
        Assert.Contains(rows, r => r.Field == "value" && r.Meter == KilnGas && r.Value == "\"12,5\"" && r.Reason.Contains("must be a JSON number, not a string", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Field == "value" && r.Meter == KilnKwh && r.Value == "Infinity" && r.Reason.Contains("NaN and infinities are refused", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Field == "value" && r.Meter == KilnKwh && r.Value == "12,5" && r.Reason.Contains("'12,5' is not a number", StringComparison.Ordinal));
        await h.WaitForAsync(() => Task.FromResult(h.Problems("empty-payload") == 1), "the empty message to be counted");
        Assert.Equal(SourceState.Connected, h.Health.State);
        Assert.DoesNotContain(h.Logged, e => e.Level >= LogLevel.Error);
    }
}
