using System.Buffers;
using System.Globalization;
using Google.Protobuf;
using GreenLoop.Pipeline.Meter.Ingest;

namespace GreenLoop.Connectors.Mqtt;

/// <summary>
/// Metric aliases of the Sparkplug B edge nodes seen so far: an NBIRTH or DBIRTH names each metric and may give it a
/// numeric alias, and later NDATA/DDATA messages may carry only the alias. Aliases are unique per edge node (spec 3.0.0,
/// section 6.4.6), so they are kept per group and edge node. Used by the single receiving loop only.
/// </summary>
internal sealed class SparkplugAliases
{
    private readonly Dictionary<(string Group, string Edge), Dictionary<ulong, string>> _byNode = [];

    /// <summary>An NBIRTH starts a new session of the node: its earlier aliases (and its devices') are void.</summary>
    public void Reset(string group, string edge) => _byNode.Remove((group, edge));

    public void Add(string group, string edge, ulong alias, string name)
    {
        if (!_byNode.TryGetValue((group, edge), out var map)) _byNode[(group, edge)] = map = [];
        map[alias] = name;
    }

    public string? Find(string group, string edge, ulong alias) =>
        _byNode.TryGetValue((group, edge), out var map) && map.TryGetValue(alias, out var name) ? name : null;
}

internal static partial class MqttMessageParser
{
    private static void ParseSparkplug(Message m)
    {
        // spBv1.0/{group}/{type}/{edge}[/{device}] (spec 3.0.0 section 6.1.3).
        var levels = m.Topic.Split('/');
        if (levels.Length is < 4 or > 5 || levels[0] != "spBv1.0")
        {
            m.Into.Problems.Add(new PayloadProblem("sparkplug-topic", "topic", m.Where("not a Sparkplug B topic spBv1.0/group/TYPE/edge[/device]; ignored")));
            return;
        }
        var (group, type, edge) = (levels[1], levels[2], levels[3]);
        var device = levels.Length == 5 ? levels[4] : "";
        var birth = type is "NBIRTH" or "DBIRTH";
        // Deaths, commands and host state carry no readings.
        if (!birth && type is not ("NDATA" or "DDATA")) return;

        ulong? payloadTs;
        List<SparkplugMetric> metrics;
        try
        {
            (payloadTs, metrics) = SparkplugPayload.Decode(m.Payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            var head = m.Payload.Length > 1500 ? m.Payload.Slice(0, 1500) : m.Payload;
            m.Into.Reject(0, new PayloadProblem("sparkplug-decode", "payload", m.Where($"not a Sparkplug B payload: {ex.Message}")), null, null,
                "base64:" + Convert.ToBase64String(head.ToArray()));
            return;
        }

        SetCapture(m, "group", group);
        SetCapture(m, "edge", edge);
        SetCapture(m, "device", device);
        if (type == "NBIRTH") m.Aliases.Reset(group, edge);
        var fields = m.Route.Fields;
        for (var i = 0; i < metrics.Count; i++)
        {
            var metric = metrics[i];
            var name = metric.Name;
            if (birth && name is not null && metric.Alias is { } a) m.Aliases.Add(group, edge, a, name);
            var stamp = metric.Timestamp ?? payloadTs;
            var ts = stamp is { } ms && ms <= 253_402_300_799_999 ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms) : m.Arrival;
            var tsText = ts.ToString("O", CultureInfo.InvariantCulture);
            if (name is null && metric.Alias is { } alias)
            {
                name = m.Aliases.Find(group, edge, alias);
                if (name is null)
                {
                    m.Into.Reject(i, new PayloadProblem("sparkplug-unknown-alias", "meter",
                        m.Where($"metric alias {alias} is unknown: the BIRTH of edge node '{edge}' was not received (subscribe to its NBIRTH/DBIRTH topics too; a rebirth sends them again)")),
                        null, tsText, $"alias {alias} = {SparkplugPayload.Describe(metric)}");
                    continue;
                }
            }
            if (name is null) continue;
            MeterKeyTemplate? template;
            if (fields is null) template = m.Route.MeterKey;
            else if (!fields.TryGetValue(name, out template)) continue;
            // A null metric is a gap, not a reading.
            if (metric.IsNull) continue;
            var meter = template.Render(m.Captures, MeterKeyFromMetric(name));
            if (!SparkplugPayload.TryNumber(metric, out var value) || fields is null && metric.Value.Field == SparkplugPayload.BooleanValue)
            {
                // Without a field map, the payload's strings, flags and data sets are status, not readings.
                if (fields is null) continue;
                m.Into.Reject(i, new PayloadProblem("wrong-type", "value", m.Where($"metric '{name}' holds {SparkplugPayload.Describe(metric)}, not a number")),
                    meter, tsText, SparkplugPayload.Describe(metric));
                continue;
            }
            if (!double.IsFinite(value))
            {
                m.Into.Reject(i, new PayloadProblem("not-finite", "value", m.Where($"metric '{name}' is {value}: NaN and infinities are refused")), meter, tsText, SparkplugPayload.Describe(metric));
                continue;
            }
            m.Into.Readings.Add(new ReadingInput(meter, ts, value));
        }
    }

    private static void SetCapture(Message m, string name, string value)
    {
        var names = m.Route.TemplateNames;
        for (var i = 0; i < names.Count; i++)
        {
            // A level the topic names itself was captured by the pattern already.
            if (names[i] == name && i >= m.Route.Pattern.Names.Count) m.Captures[i] = value;
        }
    }

    /// <summary>A metric name such as <c>Energy/Active Import</c> as a meter-key part: '/' becomes '.', other characters a key cannot hold become '_'.</summary>
    internal static string MeterKeyFromMetric(string name) => string.Create(name.Length, name, static (span, n) =>
    {
        for (var i = 0; i < n.Length; i++)
        {
            var c = n[i];
            span[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : c == '/' ? '.' : '_';
        }
    });
}
