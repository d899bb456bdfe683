using System.Globalization;
using System.Text.Json;

namespace GreenLoop.Connectors.Modbus;

public sealed partial record ModbusSettings
{
    private static readonly string[] _deviceFields = ["host", "port", "unitId", "pollSeconds", "timeoutMs", "maxGapRegisters", "points"];
    private static readonly string[] _pointFields = ["meter", "function", "address", "addressBase", "type", "wordOrder", "byteOrder", "scale", "offset"];
    private const string RegisterTypes = "int16, uint16, int32, uint32, int64, uint64, float32, float64";
    private const int MaxPoints = 10_000;

    /// <summary>Every problem with the settings, each naming its field (e.g. <c>points[2].type: ...</c>); empty when usable.</summary>
    public static IReadOnlyList<string> Validate(string settingsJson)
    {
        var errors = new List<string>();
        Read(settingsJson, errors);
        return errors;
    }

    /// <summary>Settings that passed <see cref="Validate"/>; throws <see cref="ArgumentException"/> listing the problems otherwise.</summary>
    public static ModbusSettings Parse(string settingsJson)
    {
        var errors = new List<string>();
        var settings = Read(settingsJson, errors);
        if (settings is null || errors.Count > 0)
            throw new ArgumentException("Invalid Modbus settings: " + string.Join("; ", errors), nameof(settingsJson));
        return settings;
    }

    private static ModbusSettings? Read(string json, List<string> errors)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json ?? "");
        }
        catch (JsonException ex)
        {
            errors.Add($"settings: not valid JSON ({ex.Message})");
            return null;
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add("settings: must be a JSON object with host and points");
                return null;
            }
            var r = new FieldReader(errors);
            r.Unknown(root, "", _deviceFields);
            var host = r.Text(root, "host", required: true);
            if (host is not null && host.Any(char.IsWhiteSpace)) r.Error("host", $"'{host}' contains white space; give a host name or IP address");
            var port = r.Whole(root, "port", 1, 65_535, DefaultPort);
            var unit = r.Whole(root, "unitId", 0, 255, DefaultUnitId);
            var poll = r.Number(root, "pollSeconds", 0.05, 86_400, DefaultPollSeconds);
            var timeout = r.Whole(root, "timeoutMs", 50, 60_000, DefaultTimeoutMs);
            var gap = r.Whole(root, "maxGapRegisters", 0, 100, DefaultMaxGapRegisters);
            var points = ReadPoints(root, r);
            if (errors.Count > 0 || host is null || points is null) return null;
            return new ModbusSettings
            {
                Host = host,
                Port = port,
                UnitId = (byte)unit,
                PollSeconds = poll,
                TimeoutMs = timeout,
                MaxGapRegisters = gap,
                Points = points,
            };
        }
    }

    private static List<ModbusPoint>? ReadPoints(JsonElement root, FieldReader r)
    {
        if (!root.TryGetProperty("points", out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            r.Error("points", "required: a non-empty array of points (meter, function, address, addressBase, type)");
            return null;
        }
        if (array.GetArrayLength() > MaxPoints)
        {
            r.Error("points", $"{array.GetArrayLength()} points; one device may have at most {MaxPoints}");
            return null;
        }
        var points = new List<ModbusPoint>();
        var meters = new Dictionary<string, int>(StringComparer.Ordinal);
        var i = -1;
        foreach (var e in array.EnumerateArray())
        {
            i++;
            var at = $"points[{i}]";
            if (e.ValueKind != JsonValueKind.Object)
            {
                r.Error(at, "must be an object with meter, function, address, addressBase and type");
                continue;
            }
            var point = ReadPoint(e, at, r);
            if (point is null) continue;
            if (meters.TryGetValue(point.Meter, out var first))
            {
                r.Error($"{at}.meter", $"'{point.Meter}' is already read by points[{first}]; one meter takes one value per poll");
                continue;
            }
            meters[point.Meter] = i;
            points.Add(point);
        }
        return points;
    }

    private static ModbusPoint? ReadPoint(JsonElement e, string at, FieldReader r)
    {
        var before = r.Count;
        r.Unknown(e, at + ".", _pointFields);
        var meter = r.Text(e, "meter", required: true, at);
        var functionCode = r.Whole(e, "function", 1, 4, 0, at, required: true,
            outOfRange: "is not a read function; use 1 (coils), 2 (discrete inputs), 3 (holding registers) or 4 (input registers)");
        var function = (ModbusFunction)functionCode;
        var addressBase = ReadAddressBase(e, at, r);
        var type = ReadType(e, at, r, function, functionCode != 0);
        var address = ReadAddress(e, at, r, addressBase, type is null ? 1 : ModbusDecoder.Width(type.Value));
        var wordOrder = r.Choice(e, "wordOrder", at, ModbusWordOrder.Big, "'big' (most significant word in the lowest register, ABCD) or 'little' (CDAB)");
        var byteOrder = r.Choice(e, "byteOrder", at, ModbusByteOrder.Big, "'big' (high byte first, as Modbus sends registers) or 'little' (BADC)");
        var scale = r.Number(e, "scale", double.MinValue, double.MaxValue, 1, at);
        if (scale == 0) r.Error($"{at}.scale", "0 would make every reading the offset; use a non-zero factor");
        var offset = r.Number(e, "offset", double.MinValue, double.MaxValue, 0, at);
        if (r.Count > before || meter is null || type is null || addressBase is null || address is null) return null;
        return new ModbusPoint
        {
            Meter = meter,
            Function = function,
            Address = address.Value,
            AddressBase = addressBase.Value,
            Type = type.Value,
            WordOrder = wordOrder,
            ByteOrder = byteOrder,
            Scale = scale,
            Offset = offset,
        };
    }

    private static int? ReadAddressBase(JsonElement e, string at, FieldReader r)
    {
        if (!e.TryGetProperty("addressBase", out var v))
        {
            r.Error($"{at}.addressBase", "required: 0 if address is the PDU address sent on the wire (the first register is 0), "
                + "1 if it is the register number counted from 1 as most device manuals print it; there is no default because "
                + "mixing them up silently reads the neighbouring register");
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var b) || b is not (0 or 1))
        {
            r.Error($"{at}.addressBase", $"{v.GetRawText()} is not an address base; use 0 or 1");
            return null;
        }
        return b;
    }

    private static int? ReadAddress(JsonElement e, string at, FieldReader r, int? addressBase, int width)
    {
        if (!e.TryGetProperty("address", out var v))
        {
            r.Error($"{at}.address", "required: the point's first register (or bit) address, counted from addressBase");
            return null;
        }
        if (v.ValueKind == JsonValueKind.String)
        {
            var text = v.GetString() ?? "";
            r.Error($"{at}.address", IsModiconReference(text)
                ? $"'{text}' is a Modicon reference (the leading digit names the table), which is not accepted because devices disagree on its offset; "
                  + $"write the table as function ({ModiconHint(text)}) and the register number as a JSON number with addressBase, "
                  + "e.g. \"function\": 3, \"address\": 1, \"addressBase\": 1 for 40001"
                : $"'{text}' must be a JSON number, not a string");
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var address))
        {
            r.Error($"{at}.address", $"{v.GetRawText()} must be a whole number");
            return null;
        }
        if (addressBase is not { } b) return null;
        var last = address - b + width - 1;
        if (address - b < 0 || last > 65_535)
        {
            r.Error($"{at}.address", b == 1
                ? $"{address} is outside 1..{65_536 - width + 1} (1-based register numbers for a {width}-register value)"
                : $"{address} is outside 0..{65_535 - width + 1} (0-based PDU addresses for a {width}-register value)");
            return null;
        }
        return address;
    }

    /// <summary>"40001", "400001", "30010", "00001", "10001": five or six digits starting with the table digit 0, 1, 3 or 4.</summary>
    private static bool IsModiconReference(string text) =>
        text.Length is 5 or 6 && text.All(char.IsAsciiDigit) && text[0] is '0' or '1' or '3' or '4';

    private static string ModiconHint(string text) => text[0] switch
    {
        '0' => "0xxxx are coils: function 1",
        '1' => "1xxxx are discrete inputs: function 2",
        '3' => "3xxxx are input registers: function 4",
        _ => "4xxxx are holding registers: function 3",
    };

    private static ModbusDataType? ReadType(JsonElement e, string at, FieldReader r, ModbusFunction function, bool functionKnown)
    {
        var bits = functionKnown && function.ReadsBits();
        if (!e.TryGetProperty("type", out var v))
        {
            if (bits) return ModbusDataType.Bool;
            r.Error($"{at}.type", $"required for registers: one of {RegisterTypes}");
            return null;
        }
        var text = v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.GetRawText();
        if (v.ValueKind != JsonValueKind.String || !TryParseName<ModbusDataType>(text, out var type))
        {
            r.Error($"{at}.type", $"'{text}' is not a data type; use one of {RegisterTypes} (registers) or bool (coils, discrete inputs)");
            return null;
        }
        if (!functionKnown) return type;
        if (bits && type != ModbusDataType.Bool)
        {
            r.Error($"{at}.type", $"{text} needs registers, but function {(int)function} reads single bits; use bool, or function 3 or 4");
            return null;
        }
        if (!bits && type == ModbusDataType.Bool)
        {
            r.Error($"{at}.type", $"bool is for coils and discrete inputs (function 1 or 2); a register is one of {RegisterTypes}");
            return null;
        }
        return type;
    }

    /// <summary>An enum member by its name, any case; never by number or as a list ("3", "big, little").</summary>
    private static bool TryParseName<T>(string text, out T value) where T : struct, Enum
    {
        var name = Enum.GetNames<T>().FirstOrDefault(n => n.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase));
        value = name is null ? default : Enum.Parse<T>(name);
        return name is not null;
    }

    /// <summary>Reads typed fields and collects problems as "path: reason".</summary>
    private sealed class FieldReader(List<string> errors)
    {
        public int Count => errors.Count;

        public void Error(string path, string reason) => errors.Add($"{path}: {reason}");

        public void Unknown(JsonElement o, string prefix, string[] known)
        {
            foreach (var p in o.EnumerateObject())
            {
                if (!known.Contains(p.Name, StringComparer.Ordinal))
                    Error(prefix + p.Name, $"unknown setting; the settings here are {string.Join(", ", known)}");
            }
        }

        public string? Text(JsonElement o, string name, bool required, string? at = null)
        {
            var path = at is null ? name : $"{at}.{name}";
            if (!o.TryGetProperty(name, out var v))
            {
                if (required) Error(path, "required");
                return null;
            }
            if (v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
            {
                Error(path, "must be a non-empty string");
                return null;
            }
            return v.GetString()!.Trim();
        }

        public int Whole(JsonElement o, string name, int min, int max, int fallback, string? at = null, bool required = false, string? outOfRange = null)
        {
            var path = at is null ? name : $"{at}.{name}";
            if (!o.TryGetProperty(name, out var v))
            {
                if (required) Error(path, "required");
                return fallback;
            }
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var n))
            {
                Error(path, $"{v.GetRawText()} must be a whole number");
                return fallback;
            }
            if (n < min || n > max)
            {
                Error(path, outOfRange is null ? $"{n} is outside {min}..{max}" : $"{n} {outOfRange}");
                return fallback;
            }
            return n;
        }

        public double Number(JsonElement o, string name, double min, double max, double fallback, string? at = null)
        {
            var path = at is null ? name : $"{at}.{name}";
            if (!o.TryGetProperty(name, out var v)) return fallback;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var x) || !double.IsFinite(x))
            {
                Error(path, $"{v.GetRawText()} must be a number");
                return fallback;
            }
            if (x < min || x > max)
            {
                Error(path, string.Create(CultureInfo.InvariantCulture, $"{x} is outside {min}..{max}"));
                return fallback;
            }
            return x;
        }

        public T Choice<T>(JsonElement o, string name, string at, T fallback, string choices) where T : struct, Enum
        {
            if (!o.TryGetProperty(name, out var v)) return fallback;
            var text = v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (text is null || !TryParseName<T>(text, out var value))
            {
                Error($"{at}.{name}", $"{(text is null ? v.GetRawText() : $"'{text}'")} is not an order; use {choices}");
                return fallback;
            }
            return value;
        }
    }
}
