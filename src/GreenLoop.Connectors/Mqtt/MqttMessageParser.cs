using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GreenLoop.Pipeline.Meter.Ingest;

namespace GreenLoop.Connectors.Mqtt;

/// <summary>
/// Turns one MQTT message into readings according to its route's format. Never throws for bad input: every part that
/// cannot be read becomes a rejected row (with the raw text, so it is kept in quarantine) and a counted problem; the
/// readable parts of the same message are kept.
/// </summary>
internal static partial class MqttMessageParser
{
    /// <summary>Longest raw text kept with a quarantined row.</summary>
    public const int MaxRawLength = 2000;

    private static readonly JsonDocumentOptions _jsonOptions = new() { MaxDepth = 32 };

    /// <summary>
    /// Reads one message of <paramref name="route"/>; <paramref name="captures"/> holds the topic's named levels (length
    /// <see cref="MqttRoute.TemplateNames"/>.Count). Results and problems go to <paramref name="into"/>.
    /// </summary>
    public static void Parse(MqttRoute route, string topic, string[] captures, ReadOnlySequence<byte> payload, DateTimeOffset arrival, ParsedMessage into, SparkplugAliases aliases)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(into);
        var message = new Message(route, topic, captures, payload, arrival, into, aliases);
        if (payload.IsEmpty)
        {
            // An empty payload carries nothing to keep (it is how a retained message is cleared); it is only counted.
            into.Problems.Add(new PayloadProblem("empty-payload", "payload", $"topic '{topic}': the message is empty"));
            return;
        }
        switch (route.Subscription.Format)
        {
            case MqttPayloadFormat.Number:
                ParseNumber(message);
                break;
            case MqttPayloadFormat.SparkplugB:
                ParseSparkplug(message);
                break;
            default:
                ParseJson(message);
                break;
        }
    }

    private static void ParseJson(Message m)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(m.Payload, _jsonOptions);
        }
        catch (JsonException ex)
        {
            var text = RawText(m.Payload);
            var hint = text.Contains("NaN", StringComparison.Ordinal) || text.Contains("Infinity", StringComparison.Ordinal)
                ? " (NaN and Infinity are not JSON; a gap is sent as no reading)"
                : "";
            m.RejectMessage(new PayloadProblem("malformed-json", "payload", m.Where($"the payload is not valid JSON{hint}: {ex.Message}")), null);
            return;
        }
        using (doc)
        {
            switch (m.Route.Subscription.Format)
            {
                case MqttPayloadFormat.Reading:
                    ReadReading(m, doc.RootElement, 0, single: true);
                    break;
                case MqttPayloadFormat.Values:
                    ReadValues(m, doc.RootElement);
                    break;
                case MqttPayloadFormat.Array:
                    ReadArray(m, doc.RootElement);
                    break;
            }
        }
    }

    private static void ParseNumber(Message m)
    {
        var meter = m.Route.MeterKey.Render(m.Captures, null);
        if (m.Payload.Length > 64)
        {
            m.RejectMessage(new PayloadProblem("wrong-type", "value", m.Where($"format number expects a bare number such as 123.4, not {m.Payload.Length} bytes")), meter);
            return;
        }
        var text = Encoding.UTF8.GetString(m.Payload).Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            m.RejectMessage(new PayloadProblem("wrong-type", "value", m.Where($"'{text}' is not a number (format number expects e.g. 123.4, with '.' as the decimal point)")), meter);
            return;
        }
        if (!double.IsFinite(value))
        {
            m.RejectMessage(new PayloadProblem("not-finite", "value", m.Where($"'{text}': NaN and infinities are refused; a gap is sent as no reading")), meter);
            return;
        }
        m.Into.Readings.Add(new ReadingInput(meter, m.Arrival, value));
    }

    /// <summary>The payload as text for quarantine, cut to <see cref="MaxRawLength"/> characters.</summary>
    internal static string RawText(ReadOnlySequence<byte> payload)
    {
        var length = payload.Length;
        var head = length > MaxRawLength * 4 ? payload.Slice(0, MaxRawLength * 4) : payload;
        return Truncate(Encoding.UTF8.GetString(head), length);
    }

    internal static string Truncate(string text, long bytes)
    {
        if (text.Length <= MaxRawLength) return text;
        return string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, MaxRawLength)}... ({bytes} bytes in all)");
    }

    /// <summary>One message being read, with the helpers that word and record its problems.</summary>
    private readonly record struct Message(MqttRoute Route, string Topic, string[] Captures, ReadOnlySequence<byte> Payload, DateTimeOffset Arrival, ParsedMessage Into, SparkplugAliases Aliases)
    {
        public string Where(string reason) => $"topic '{Topic}': {reason}";

        /// <summary>The whole message is unreadable: one quarantined row with the raw payload.</summary>
        public void RejectMessage(PayloadProblem problem, string? meter, string? ts = null) =>
            Into.Reject(0, problem, meter, ts, RawText(Payload));
    }
}
