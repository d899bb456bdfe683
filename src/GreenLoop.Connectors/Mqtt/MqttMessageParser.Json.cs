using System.Globalization;
using System.Text.Json;
using GreenLoop.Pipeline.Meter.Ingest;

namespace GreenLoop.Connectors.Mqtt;

internal static partial class MqttMessageParser
{
    /// <summary>Epoch numbers below this magnitude are seconds in <see cref="EpochUnit.Auto"/> (1e11 s is the year 5138; 1e11 ms is 1973).</summary>
    private const double AutoSecondsBelow = 1e11;

    /// <summary>Reads one reading object (a whole message, or element <paramref name="index"/> of an array).</summary>
    private static void ReadReading(Message m, JsonElement e, int index, bool single)
    {
        var s = m.Route.Subscription;
        var where = single ? "" : $"reading [{index}]: ";
        if (e.ValueKind != JsonValueKind.Object)
        {
            var problem = new PayloadProblem("not-an-object", "reading",
                m.Where($"{where}expected a JSON object with {s.MeterField}, {s.TsField}, {s.ValueField}, not {Describe(e)}"));
            m.Into.Reject(index, problem, null, null, Raw(e));
            return;
        }
        string? meter = null;
        if (m.Route.MeterKey.UsesKey)
        {
            if (!e.TryGetProperty(s.MeterField, out var k) || k.ValueKind != JsonValueKind.String || k.GetString() is not { Length: > 0 } key)
            {
                var problem = new PayloadProblem(k.ValueKind == JsonValueKind.Undefined ? "missing-field" : "wrong-type", "meter",
                    m.Where($"{where}'{s.MeterField}' must be a non-empty string (the meter key), not {Describe(k)}"));
                m.Into.Reject(index, problem, null, TsText(e, s.TsField), Raw(e));
                return;
            }
            meter = m.Route.MeterKey.Render(m.Captures, key);
        }
        else meter = m.Route.MeterKey.Render(m.Captures, null);

        if (!TryTs(m, e, where, out var ts, out var tsProblem))
        {
            m.Into.Reject(index, tsProblem, meter, TsText(e, s.TsField), Raw(e));
            return;
        }
        e.TryGetProperty(s.ValueField, out var v);
        if (!TryValue(m, v, s.ValueField, where, out var value, out var valueProblem))
        {
            m.Into.Reject(index, valueProblem, meter, TsText(e, s.TsField), Raw(e));
            return;
        }
        m.Into.Readings.Add(new ReadingInput(meter, ts, value));
    }

    private static void ReadArray(Message m, JsonElement root)
    {
        var field = m.Route.Subscription.ArrayField;
        var array = root;
        if (field.Length > 0)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(field, out array) || array.ValueKind != JsonValueKind.Array)
            {
                m.RejectMessage(new PayloadProblem("not-an-array", "payload", m.Where($"expected an object with an array '{field}' of readings")), null);
                return;
            }
        }
        else if (root.ValueKind != JsonValueKind.Array)
        {
            var hint = root.ValueKind == JsonValueKind.Object ? " (if the array is inside a field, set arrayField)" : "";
            m.RejectMessage(new PayloadProblem("not-an-array", "payload", m.Where($"expected a JSON array of readings, not {Describe(root)}{hint}")), null);
            return;
        }
        var i = 0;
        foreach (var e in array.EnumerateArray()) ReadReading(m, e, i++, single: false);
    }

    private static void ReadValues(Message m, JsonElement root)
    {
        var s = m.Route.Subscription;
        if (root.ValueKind != JsonValueKind.Object)
        {
            m.RejectMessage(new PayloadProblem("not-an-object", "payload", m.Where($"expected a JSON object with {s.TsField} and values, not {Describe(root)}")), null);
            return;
        }
        if (!TryTs(m, root, "", out var ts, out var tsProblem))
        {
            // Without an instant none of the values can be placed: the whole message goes to quarantine.
            m.RejectMessage(tsProblem, null, TsText(root, s.TsField));
            return;
        }
        var source = root;
        var flat = s.ValuesField.Length == 0;
        if (!flat && (!root.TryGetProperty(s.ValuesField, out source) || source.ValueKind != JsonValueKind.Object))
        {
            m.RejectMessage(new PayloadProblem("missing-field", "payload", m.Where($"'{s.ValuesField}' must be an object of values, not {Describe(source)}")), null, TsText(root, s.TsField));
            return;
        }
        var tsText = s.TsField.Length == 0 ? null : TsText(root, s.TsField);
        var index = 0;
        if (m.Route.Fields is { } fields)
        {
            foreach (var (name, template) in fields)
            {
                // A device may leave out values that did not change; only the fields it sends are read.
                if (source.TryGetProperty(name, out var v)) ReadValue(m, v, name, template.Render(m.Captures, name), ts, tsText, index++);
            }
            return;
        }
        foreach (var p in source.EnumerateObject())
        {
            if (flat && p.Name == s.TsField || m.Route.Ignore.Contains(p.Name)) continue;
            ReadValue(m, p.Value, p.Name, m.Route.MeterKey.Render(m.Captures, p.Name), ts, tsText, index++);
        }
    }

    private static void ReadValue(Message m, JsonElement v, string name, string meter, DateTimeOffset ts, string? tsText, int index)
    {
        if (TryValue(m, v, name, "", out var value, out var problem))
        {
            m.Into.Readings.Add(new ReadingInput(meter, ts, value));
            return;
        }
        if (v.ValueKind == JsonValueKind.Object && m.Route.Subscription.ValuesField.Length == 0)
            problem = problem with { Reason = problem.Reason + "; if the values are nested in this object, set valuesField to its name" };
        m.Into.Reject(index, problem, meter, tsText, Raw(v));
    }

    /// <summary>The instant of a reading: ISO 8601 with offset, or Unix epoch seconds/milliseconds, or the arrival time when tsField is empty.</summary>
    private static bool TryTs(Message m, JsonElement e, string where, out DateTimeOffset ts, out PayloadProblem problem)
    {
        var s = m.Route.Subscription;
        problem = default;
        ts = m.Arrival;
        if (s.TsField.Length == 0) return true;
        if (!e.TryGetProperty(s.TsField, out var t))
        {
            problem = new PayloadProblem("missing-field", "ts",
                m.Where($"{where}'{s.TsField}' is missing; send an ISO 8601 instant with offset or Unix epoch seconds or milliseconds (or set tsField to \"\" to use the arrival time)"));
            return false;
        }
        switch (t.ValueKind)
        {
            case JsonValueKind.String:
                var text = t.GetString()!;
                if (ReadingParsers.TryParseInstant(text, out ts, out var error)) return true;
                // Parsable but without an offset is its own kind: the device clock is right, its settings are not.
                var noOffset = DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) && text.AsSpan().Trim().IndexOfAny('T', ' ') > 0;
                problem = new PayloadProblem(noOffset ? "ts-without-offset" : "bad-ts", "ts", m.Where(where + error));
                return false;
            case JsonValueKind.Number:
                var n = t.GetDouble();
                var ms = s.TsUnit switch
                {
                    EpochUnit.Seconds => n * 1000,
                    EpochUnit.Milliseconds => n,
                    _ => Math.Abs(n) < AutoSecondsBelow ? n * 1000 : n,
                };
                if (double.IsFinite(ms) && Math.Abs(ms) <= 8.64e15)
                {
                    ts = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(ms));
                    return true;
                }
                problem = new PayloadProblem("bad-ts", "ts", m.Where($"{where}'{s.TsField}' {t.GetRawText()} is not a usable Unix time"));
                return false;
            default:
                problem = new PayloadProblem("wrong-type", "ts",
                    m.Where($"{where}'{s.TsField}' must be an ISO 8601 string with offset or a Unix epoch number, not {Describe(t)}"));
                return false;
        }
    }

    private static bool TryValue(Message m, JsonElement v, string field, string where, out double value, out PayloadProblem problem)
    {
        problem = default;
        value = 0;
        switch (v.ValueKind)
        {
            case JsonValueKind.Number:
                if (v.TryGetDouble(out value) && double.IsFinite(value)) return true;
                problem = new PayloadProblem("not-finite", "value", m.Where($"{where}'{field}' {Short(v.GetRawText())} is out of the range of a number"));
                return false;
            case JsonValueKind.String:
                var text = v.GetString()!;
                var named = text.Trim().TrimStart('+', '-').ToLowerInvariant() is "nan" or "infinity" or "inf";
                problem = named
                    ? new PayloadProblem("not-finite", "value", m.Where($"{where}'{field}' is \"{text}\": NaN and infinities are refused; a gap is sent as no reading"))
                    : new PayloadProblem("wrong-type", "value", m.Where($"{where}'{field}' must be a JSON number, not a string (\"{Short(text)}\")"));
                return false;
            case JsonValueKind.Undefined:
                problem = new PayloadProblem("missing-field", "value", m.Where($"{where}'{field}' is missing"));
                return false;
            case JsonValueKind.Null:
                problem = new PayloadProblem("wrong-type", "value", m.Where($"{where}'{field}' is null; a gap is sent as no reading, never as null"));
                return false;
            default:
                problem = new PayloadProblem("wrong-type", "value", m.Where($"{where}'{field}' must be a JSON number, not {Describe(v)}"));
                return false;
        }
    }

    private static string? TsText(JsonElement e, string field) =>
        field.Length > 0 && e.ValueKind == JsonValueKind.Object && e.TryGetProperty(field, out var t)
            ? t.ValueKind == JsonValueKind.String ? Short(t.GetString()!) : Short(t.GetRawText())
            : null;

    private static string Raw(JsonElement e)
    {
        var text = e.GetRawText();
        return text.Length <= MaxRawLength ? text : Truncate(text, System.Text.Encoding.UTF8.GetByteCount(text));
    }

    private static string Short(string text) => text.Length <= 80 ? text : text[..80] + "...";

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Undefined => "missing",
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => $"a boolean ({e.GetRawText()})",
        JsonValueKind.Number => $"a number ({e.GetRawText()})",
        JsonValueKind.String => $"a string (\"{Short(e.GetString()!)}\")",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => e.ValueKind.ToString(),
    };
}
