using System.Globalization;

namespace GreenLoop.Connectors.Modbus;

/// <summary>
/// One Modbus TCP device polled as one data source (JSON, camelCase; see docs/modbus.md). Made by
/// <see cref="Parse"/> from settings that passed <see cref="Validate"/>.
/// </summary>
public sealed partial record ModbusSettings
{
    public const int DefaultPort = 502;
    public const byte DefaultUnitId = 1;
    public const double DefaultPollSeconds = 10;
    public const int DefaultTimeoutMs = 1000;
    public const int DefaultMaxGapRegisters = 0;

    /// <summary>Host name or IP address of the device or Modbus TCP gateway.</summary>
    public required string Host { get; init; }
    /// <summary>TCP port. Default 502.</summary>
    public int Port { get; init; } = DefaultPort;
    /// <summary>Unit (slave) id, 0..255; a gateway routes it to the device on its serial line. Default 1.</summary>
    public byte UnitId { get; init; } = DefaultUnitId;
    /// <summary>Seconds from the start of one poll to the start of the next; fractions allowed (0.05..86400). Default 10.</summary>
    public double PollSeconds { get; init; } = DefaultPollSeconds;
    /// <summary>How long one request (or the connection attempt) may take, in milliseconds (50..60000). Default 1000.</summary>
    public int TimeoutMs { get; init; } = DefaultTimeoutMs;
    /// <summary>
    /// Unused registers (bits, for coils and discrete inputs) that may be read to merge two points into one request
    /// (0..100). Default 0: only adjacent or overlapping points share a request, because a device may answer a read
    /// that spans a hole in its register map with exception 02.
    /// </summary>
    public int MaxGapRegisters { get; init; } = DefaultMaxGapRegisters;
    public required IReadOnlyList<ModbusPoint> Points { get; init; }

    /// <summary>"host:port unit N", for messages.</summary>
    public string Device => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port} unit {UnitId}");
}

/// <summary>One value read from the device: where it is, how it is encoded, and the meter whose readings it is.</summary>
public sealed record ModbusPoint
{
    /// <summary>The meter key every reading of this point carries.</summary>
    public required string Meter { get; init; }
    public required ModbusFunction Function { get; init; }
    /// <summary>The address as written in the settings, counted from <see cref="AddressBase"/>.</summary>
    public required int Address { get; init; }
    /// <summary>0: <see cref="Address"/> is the PDU address sent on the wire; 1: it is the register number counted from 1.</summary>
    public required int AddressBase { get; init; }
    public required ModbusDataType Type { get; init; }
    public ModbusWordOrder WordOrder { get; init; } = ModbusWordOrder.Big;
    public ModbusByteOrder ByteOrder { get; init; } = ModbusByteOrder.Big;
    /// <summary>value = raw × scale + offset. Default 1.</summary>
    public double Scale { get; init; } = 1;
    /// <summary>value = raw × scale + offset. Default 0.</summary>
    public double Offset { get; init; }

    /// <summary>The 0-based address sent on the wire.</summary>
    public int ProtocolAddress => Address - AddressBase;

    /// <summary>Registers (or bits) the point spans.</summary>
    public int Width => ModbusDecoder.Width(Type);

    /// <summary>raw × scale + offset.</summary>
    public double Apply(double raw) => (raw * Scale) + Offset;

    /// <summary>For messages: "holding register 101 (1-based; PDU address 100), float32 word order little".</summary>
    public string Describe()
    {
        var where = AddressBase == 1
            ? $"{Function.Item()} {Address} (1-based; PDU address {ProtocolAddress})"
            : $"{Function.Item()} {Address} (0-based PDU address)";
        if (Type == ModbusDataType.Bool) return where;
        var type = Type.ToString().ToLowerInvariant();
        if (Width > 1) type += $", word order {WordOrder.ToString().ToLowerInvariant()}";
        if (ByteOrder != ModbusByteOrder.Big) type += $", byte order {ByteOrder.ToString().ToLowerInvariant()}";
        return $"{where}, {type}";
    }
}
