using System.Buffers;
using System.Runtime.InteropServices;
using Google.Protobuf;

namespace GreenLoop.Connectors.Mqtt;

/// <summary>One metric of a Sparkplug B payload, as far as readings need it.</summary>
internal readonly record struct SparkplugMetric(string? Name, ulong? Alias, ulong? Timestamp, uint DataType, bool IsNull, SparkplugValue Value);

/// <summary>Which value field a metric carried, and its raw bits.</summary>
internal readonly record struct SparkplugValue(int Field, ulong Bits, double Real, string? Text)
{
    public static SparkplugValue None => new(0, 0, 0, null);
}

/// <summary>
/// Decodes the Sparkplug B <c>Payload</c> protobuf message by hand with <see cref="CodedInputStream"/> (no generated
/// code). Field numbers are those of <c>sparkplug_b.proto</c> in the Eclipse Sparkplug Specification 3.0.0, Appendix A
/// (the same as Sparkplug B 2.2 / Eclipse Tahu):
/// <code>
/// message Payload { optional uint64 timestamp = 1; repeated Metric metrics = 2; optional uint64 seq = 3; optional string uuid = 4; optional bytes body = 5; }
/// message Metric  { optional string name = 1; optional uint64 alias = 2; optional uint64 timestamp = 3; optional uint32 datatype = 4;
///                   optional bool is_historical = 5; optional bool is_transient = 6; optional bool is_null = 7; (8 metadata, 9 properties)
///                   oneof value { uint32 int_value = 10; uint64 long_value = 11; float float_value = 12; double double_value = 13;
///                                 bool boolean_value = 14; string string_value = 15; bytes bytes_value = 16; (17 dataset, 18 template, 19 extension) } }
/// </code>
/// Fields not needed for readings are skipped.
/// </summary>
internal static class SparkplugPayload
{
    // Payload fields.
    private const int PayloadTimestamp = 1, PayloadMetrics = 2;

    // Metric fields.
    private const int MetricName = 1, MetricAlias = 2, MetricTimestamp = 3, MetricDataType = 4, MetricIsNull = 7;

    /// <summary>Metric value fields (the oneof <c>value</c>).</summary>
    public const int IntValue = 10, LongValue = 11, FloatValue = 12, DoubleValue = 13, BooleanValue = 14, StringValue = 15;

    /// <summary>Sparkplug data types (spec 3.0.0 section 6.4.16) that hold a number a meter can report.</summary>
    public const uint Int8 = 1, Int16 = 2, Int32 = 3, Int64 = 4, UInt8 = 5, UInt16 = 6, UInt32 = 7, UInt64 = 8, Float = 9, Double = 10, Boolean = 11, DateTime = 13;

    /// <summary>Decodes a payload; throws <see cref="InvalidProtocolBufferException"/> for bytes that are not one.</summary>
    public static (ulong? Timestamp, List<SparkplugMetric> Metrics) Decode(ReadOnlySequence<byte> payload)
    {
        var bytes = payload.IsSingleSegment && MemoryMarshal.TryGetArray(payload.First, out var segment)
            ? segment
            : new ArraySegment<byte>(payload.ToArray());
        var input = new CodedInputStream(bytes.Array!, bytes.Offset, bytes.Count);
        ulong? timestamp = null;
        var metrics = new List<SparkplugMetric>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var wire = WireFormat.GetTagWireType(tag);
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case PayloadTimestamp when wire == WireFormat.WireType.Varint:
                    timestamp = input.ReadUInt64();
                    break;
                case PayloadMetrics when wire == WireFormat.WireType.LengthDelimited:
                    metrics.Add(DecodeMetric(input.ReadBytes()));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return (timestamp, metrics);
    }

    private static SparkplugMetric DecodeMetric(ByteString bytes)
    {
        var input = MemoryMarshal.TryGetArray(bytes.Memory, out var segment)
            ? new CodedInputStream(segment.Array!, segment.Offset, segment.Count)
            : new CodedInputStream(bytes.ToByteArray());
        string? name = null;
        ulong? alias = null, timestamp = null;
        uint dataType = 0;
        var isNull = false;
        var value = SparkplugValue.None;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var wire = WireFormat.GetTagWireType(tag);
            var field = WireFormat.GetTagFieldNumber(tag);
            switch (field)
            {
                case MetricName when wire == WireFormat.WireType.LengthDelimited: name = input.ReadString(); break;
                case MetricAlias when wire == WireFormat.WireType.Varint: alias = input.ReadUInt64(); break;
                case MetricTimestamp when wire == WireFormat.WireType.Varint: timestamp = input.ReadUInt64(); break;
                case MetricDataType when wire == WireFormat.WireType.Varint: dataType = input.ReadUInt32(); break;
                case MetricIsNull when wire == WireFormat.WireType.Varint: isNull = input.ReadBool(); break;
                case IntValue when wire == WireFormat.WireType.Varint: value = new SparkplugValue(field, input.ReadUInt32(), 0, null); break;
                case LongValue when wire == WireFormat.WireType.Varint: value = new SparkplugValue(field, input.ReadUInt64(), 0, null); break;
                case FloatValue when wire == WireFormat.WireType.Fixed32: value = new SparkplugValue(field, 0, input.ReadFloat(), null); break;
                case DoubleValue when wire == WireFormat.WireType.Fixed64: value = new SparkplugValue(field, 0, input.ReadDouble(), null); break;
                case BooleanValue when wire == WireFormat.WireType.Varint: value = new SparkplugValue(field, input.ReadBool() ? 1UL : 0UL, 0, null); break;
                case StringValue when wire == WireFormat.WireType.LengthDelimited: value = new SparkplugValue(field, 0, 0, input.ReadString()); break;
                default:
                    // Bytes, data sets, templates, extensions and metadata carry nothing a meter reading uses.
                    if (field is >= 16 and <= 19) value = new SparkplugValue(field, 0, 0, null);
                    input.SkipLastField();
                    break;
            }
        }
        return new SparkplugMetric(name, alias, timestamp, dataType, isNull, value);
    }

    /// <summary>
    /// The metric's number, read by its data type: signed integers are stored two's complement in the unsigned
    /// fields; UInt32 is in int_value (2.2) or long_value (3.0). False for strings, bytes, data sets, templates and dates.
    /// </summary>
    public static bool TryNumber(SparkplugMetric m, out double value)
    {
        var v = m.Value;
        value = 0;
        switch (v.Field)
        {
            case FloatValue or DoubleValue:
                value = v.Real;
                return true;
            case BooleanValue:
                value = v.Bits;
                return true;
            case IntValue when m.DataType != DateTime:
                value = m.DataType switch
                {
                    Int8 => (sbyte)v.Bits,
                    Int16 => (short)v.Bits,
                    Int32 or 0 => (int)(uint)v.Bits,
                    _ => (uint)v.Bits,
                };
                return true;
            case LongValue when m.DataType != DateTime:
                value = m.DataType switch
                {
                    Int8 => (sbyte)v.Bits,
                    Int16 => (short)v.Bits,
                    Int32 => (int)v.Bits,
                    Int64 or 0 => (long)v.Bits,
                    _ => v.Bits,
                };
                return true;
            default:
                return false;
        }
    }

    /// <summary>The metric's value as text, for quarantine.</summary>
    public static string Describe(SparkplugMetric m) => m.Value.Field switch
    {
        0 => "no value",
        StringValue => $"string \"{m.Value.Text}\"",
        FloatValue or DoubleValue => m.Value.Real.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        IntValue or LongValue or BooleanValue => TryNumber(m, out var d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : $"date {m.Value.Bits}",
        _ => $"value field {m.Value.Field} (bytes, data set, template or extension)",
    };
}
