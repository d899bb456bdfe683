using System.Globalization;
using System.Text.Json;

namespace GreenLoop.Connectors.Mqtt;

/// <summary>
/// Reads the JSON settings of an MQTT data source and lists every problem with its field path
/// (<c>subscriptions[1].format: ...</c>), rather than stopping at the first.
/// </summary>
internal static class MqttSettingsReader
{
    private static readonly string[] _topFields =
    [
        "host", "port", "clientId", "username", "password", "tls", "protocolVersion", "keepAliveSeconds", "cleanSession",
        "sessionExpirySeconds", "inflight", "flushMilliseconds", "flushReadings", "subscriptions",
    ];

    private static readonly string[] _subscriptionFields =
    [
        "topic", "qos", "format", "meterKey", "meterField", "tsField", "tsUnit", "valueField", "valuesField", "fields", "ignoreFields", "arrayField",
    ];

    /// <summary>The settings and their routes, or null with at least one error.</summary>
    public static MqttConfig? Read(string settingsJson, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(settingsJson ?? "");
        }
        catch (JsonException ex)
        {
            errors.Add($"settings are not valid JSON: {ex.Message}");
            return null;
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add("settings must be a JSON object, e.g. {\"host\":\"broker.local\",\"subscriptions\":[...]}");
                return null;
            }
            var r = new Fields(root, "", errors);
            r.CheckUnknown(_topFields);
            var host = r.String("host", required: true)?.Trim();
            if (host is { Length: 0 }) errors.Add("host: must not be empty");
            var protocol = r.Protocol("protocolVersion");
            var password = r.String("password");
            var username = r.String("username");
            if (password is not null && username is null && protocol == MqttProtocol.V311)
                errors.Add("password: MQTT 3.1.1 sends a password only with a username; add username");
            var clientId = r.String("clientId");
            if (clientId is not null && (clientId.Length is 0 or > 256 || clientId.Any(char.IsWhiteSpace)))
                errors.Add("clientId: 1 to 256 characters without spaces, or leave it out for greenloop-<source key>-<host hash>");

            var routes = new List<MqttRoute>();
            var subscriptions = new List<MqttSubscription>();
            if (!root.TryGetProperty("subscriptions", out var subs) || subs.ValueKind != JsonValueKind.Array || subs.GetArrayLength() == 0)
                errors.Add("subscriptions: a non-empty array of {topic, format, ...} is required");
            else
            {
                var filters = new Dictionary<string, int>(StringComparer.Ordinal);
                var i = -1;
                foreach (var s in subs.EnumerateArray())
                {
                    i++;
                    var path = $"subscriptions[{i}]";
                    if (s.ValueKind != JsonValueKind.Object) { errors.Add($"{path}: must be an object with topic and format"); continue; }
                    var route = ReadSubscription(new Fields(s, path + ".", errors));
                    if (route is null) continue;
                    if (filters.TryGetValue(route.Pattern.Filter, out var first))
                        errors.Add($"{path}.topic: subscribes to '{route.Pattern.Filter}' like subscriptions[{first}]; a message is read by one subscription only");
                    else filters[route.Pattern.Filter] = i;
                    routes.Add(route);
                    subscriptions.Add(route.Subscription);
                }
            }

            var settings = new MqttSettings
            {
                Host = host ?? "",
                Port = r.Int("port", 1883, 1, 65_535),
                ClientId = clientId,
                Username = username,
                Password = password,
                Tls = r.Bool("tls", false),
                ProtocolVersion = protocol,
                KeepAliveSeconds = r.Int("keepAliveSeconds", 30, 5, 3600),
                CleanSession = r.Bool("cleanSession", false),
                SessionExpirySeconds = r.Int("sessionExpirySeconds", 86_400, 0, int.MaxValue),
                Inflight = r.Int("inflight", protocol == MqttProtocol.V500 ? 2000 : 20, 1, 65_535),
                FlushMilliseconds = r.Int("flushMilliseconds", 200, 10, 10_000),
                FlushReadings = r.Int("flushReadings", 5000, 1, 100_000),
                Subscriptions = subscriptions,
            };
            return errors.Count == 0 ? new MqttConfig(settings, routes) : null;
        }
    }

    private static MqttRoute? ReadSubscription(Fields r)
    {
        var errorsBefore = r.Errors.Count;
        r.CheckUnknown(_subscriptionFields);
        var topic = r.String("topic", required: true) ?? "";
        var pattern = topic.Length == 0 ? null : MqttTopicPattern.Parse(topic, out var topicError) ?? r.Fail<MqttTopicPattern>("topic", topicError!);
        var qos = r.Int("qos", 1, 0, 2);
        if (qos == 2) r.Error("qos", "QoS 2 is not supported; use 1 (a reading stored twice changes nothing, so at-least-once is enough)");
        var format = r.Format("format");
        var names = pattern?.Names ?? [];
        var hasMeterLevel = names.Contains("meter");

        if (format == MqttPayloadFormat.SparkplugB && !topic.StartsWith("spBv1.0/", StringComparison.Ordinal))
            r.Error("topic", "Sparkplug B topics start with spBv1.0/ (e.g. spBv1.0/plant/+/+/# or spBv1.0/{group}/+/{edge}/#)");

        var templateText = r.String("meterKey");
        MeterKeyTemplate? template = null;
        IReadOnlyList<string> sparkplugNames = format == MqttPayloadFormat.SparkplugB ? [.. names, .. SparkplugNames.Where(n => !names.Contains(n))] : names;
        if (templateText is not null)
        {
            template = MeterKeyTemplate.Parse(templateText, sparkplugNames, out var templateError);
            if (template is null) r.Error("meterKey", templateError!);
        }
        else if (hasMeterLevel && format is MqttPayloadFormat.Reading or MqttPayloadFormat.Array or MqttPayloadFormat.Number)
            template = MeterKeyTemplate.Parse("{meter}", names, out _);
        else if (format == MqttPayloadFormat.Number)
            r.Error("meterKey", "format number needs the meter key from the topic: name a level {meter} in the topic or give a meterKey such as plant.main.kwh or {site}.kwh");
        else template = MeterKeyTemplate.Key;

        if (format == MqttPayloadFormat.Number && template is { UsesKey: true })
            r.Error("meterKey", "format number has no key in the payload; use named topic levels or literal text, not {key}");

        Dictionary<string, MeterKeyTemplate>? fields = null;
        if (r.Element.TryGetProperty("fields", out var fieldsElement))
        {
            if (format is not (MqttPayloadFormat.Values or MqttPayloadFormat.SparkplugB))
                r.Error("fields", "is used by the formats values and sparkplugb only");
            else if (fieldsElement.ValueKind != JsonValueKind.Object || !fieldsElement.EnumerateObject().Any())
                r.Error("fields", "must be a non-empty object from payload field (or metric name) to meter key, e.g. {\"gas\":\"kiln1.gas\"}");
            else
            {
                fields = new Dictionary<string, MeterKeyTemplate>(StringComparer.Ordinal);
                foreach (var f in fieldsElement.EnumerateObject())
                {
                    if (f.Value.ValueKind != JsonValueKind.String) { r.Error($"fields.{f.Name}", "must be a meter-key template string"); continue; }
                    var t = MeterKeyTemplate.Parse(f.Value.GetString()!, sparkplugNames, out var fieldError);
                    if (t is null) r.Error($"fields.{f.Name}", fieldError!);
                    else fields[f.Name] = t;
                }
            }
        }
        if (format == MqttPayloadFormat.Values && fields is null && template is { UsesKey: false })
            r.Error("meterKey", "format values without fields needs {key} (the field name) in the meter key, or every value would go to one meter");

        var ignore = r.StringList("ignoreFields");
        if (ignore.Count > 0 && format != MqttPayloadFormat.Values) r.Error("ignoreFields", "is used by the format values only");
        var valuesField = r.String("valuesField") ?? "";
        if (valuesField.Length > 0 && format != MqttPayloadFormat.Values) r.Error("valuesField", "is used by the format values only");
        var arrayField = r.String("arrayField") ?? "";
        if (arrayField.Length > 0 && format != MqttPayloadFormat.Array) r.Error("arrayField", "is used by the format array only");
        var meterField = r.String("meterField") ?? "meter";
        var valueField = r.String("valueField") ?? "value";
        if (meterField.Length == 0) r.Error("meterField", "must not be empty");
        if (valueField.Length == 0) r.Error("valueField", "must not be empty");
        var tsField = r.String("tsField") ?? "ts";

        if (r.Errors.Count > errorsBefore || pattern is null || template is null) return null;
        var subscription = new MqttSubscription
        {
            Topic = topic,
            Qos = qos,
            Format = format,
            MeterKey = templateText,
            MeterField = meterField,
            TsField = tsField,
            TsUnit = r.Unit("tsUnit"),
            ValueField = valueField,
            ValuesField = valuesField,
            Fields = fields?.ToDictionary(kv => kv.Key, kv => kv.Value.Text, StringComparer.Ordinal),
            IgnoreFields = ignore,
            ArrayField = arrayField,
        };
        return r.Errors.Count > errorsBefore ? null : new MqttRoute(subscription, pattern, sparkplugNames, template, fields);
    }

    /// <summary>Names a Sparkplug B route may use in templates besides its own named levels (taken from the topic).</summary>
    internal static readonly string[] SparkplugNames = ["group", "edge", "device"];

    /// <summary>Typed access to the fields of one JSON object, recording a path-qualified error for each misfit.</summary>
    private sealed class Fields(JsonElement element, string prefix, List<string> errors)
    {
        public JsonElement Element { get; } = element;
        public List<string> Errors { get; } = errors;

        public void Error(string field, string message) => Errors.Add($"{prefix}{field}: {message}");

        public T? Fail<T>(string field, string message) where T : class
        {
            Error(field, message);
            return null;
        }

        public void CheckUnknown(string[] known)
        {
            foreach (var p in Element.EnumerateObject())
            {
                if (!known.Contains(p.Name, StringComparer.Ordinal))
                {
                    var near = known.FirstOrDefault(k => string.Equals(k, p.Name, StringComparison.OrdinalIgnoreCase));
                    Error(p.Name, near is null ? $"unknown field; known fields: {string.Join(", ", known)}" : $"unknown field; did you mean '{near}'?");
                }
            }
        }

        public string? String(string name, bool required = false)
        {
            if (!Element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                if (required) Error(name, "is required");
                return null;
            }
            if (v.ValueKind == JsonValueKind.String) return v.GetString();
            Error(name, $"must be a string, not {Kind(v)}");
            return null;
        }

        public int Int(string name, int fallback, int min, int max)
        {
            if (!Element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return fallback;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= min && n <= max) return (int)n;
            Error(name, string.Create(CultureInfo.InvariantCulture, $"must be a whole number from {min} to {max}, not {v.GetRawText()}"));
            return fallback;
        }

        public bool Bool(string name, bool fallback)
        {
            if (!Element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return fallback;
            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
            Error(name, $"must be true or false, not {v.GetRawText()}");
            return fallback;
        }

        public IReadOnlyList<string> StringList(string name)
        {
            if (!Element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return [];
            if (v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
                return v.EnumerateArray().Select(e => e.GetString()!).ToList();
            Error(name, "must be an array of strings");
            return [];
        }

        public MqttProtocol Protocol(string name)
        {
            if (!Element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return MqttProtocol.V500;
            var text = v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null };
            switch (text)
            {
                case "5" or "5.0":
                    return MqttProtocol.V500;
                case "3.1.1":
                    return MqttProtocol.V311;
                default:
                    Error(name, $"must be \"5.0\" or \"3.1.1\", not {v.GetRawText()}");
                    return MqttProtocol.V500;
            }
        }

        public MqttPayloadFormat Format(string name)
        {
            var text = String(name);
            switch (text?.ToLowerInvariant())
            {
                case "reading": return MqttPayloadFormat.Reading;
                case "values": return MqttPayloadFormat.Values;
                case "array": return MqttPayloadFormat.Array;
                case "number": return MqttPayloadFormat.Number;
                case "sparkplugb": return MqttPayloadFormat.SparkplugB;
                default:
                    Error(name, text is null && !Element.TryGetProperty(name, out _)
                        ? "is required: reading, values, array, number or sparkplugb"
                        : $"'{text}' is not a format; use reading, values, array, number or sparkplugb");
                    return MqttPayloadFormat.Reading;
            }
        }

        public EpochUnit Unit(string name)
        {
            var text = String(name);
            switch (text)
            {
                case null or "auto": return EpochUnit.Auto;
                case "s": return EpochUnit.Seconds;
                case "ms": return EpochUnit.Milliseconds;
                default:
                    Error(name, $"'{text}' is not a unit; use auto, s or ms");
                    return EpochUnit.Auto;
            }
        }

        private static string Kind(JsonElement v) => v.ValueKind switch
        {
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Number => "a number",
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            _ => v.ValueKind.ToString().ToLowerInvariant(),
        };
    }
}
