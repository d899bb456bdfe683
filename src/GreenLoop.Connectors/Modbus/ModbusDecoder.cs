using System.Buffers.Binary;

namespace GreenLoop.Connectors.Modbus;

/// <summary>How a point's registers (or bit) are read as a number.</summary>
public enum ModbusDataType
{
    /// <summary>One coil or discrete input: 0 or 1.</summary>
    Bool,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    /// <summary>Values above 2^53 lose precision as a double.</summary>
    UInt64,
    /// <summary>IEEE 754 single precision in two registers.</summary>
    Float32,
    /// <summary>IEEE 754 double precision in four registers.</summary>
    Float64,
}

/// <summary>The order of the 16-bit words of a 32- or 64-bit value.</summary>
public enum ModbusWordOrder
{
    /// <summary>The most significant word is in the lowest register (ABCD, "big-endian"): the usual order.</summary>
    Big,
    /// <summary>The least significant word is in the lowest register (CDAB, "word-swapped").</summary>
    Little,
}

/// <summary>The order of the two bytes within each 16-bit register.</summary>
public enum ModbusByteOrder
{
    /// <summary>High byte first, as the Modbus specification sends every register.</summary>
    Big,
    /// <summary>Low byte first (BADC, "byte-swapped"); some devices store values this way.</summary>
    Little,
}

/// <summary>Decodes point values from response data: registers as sent (big-endian bytes), or packed bits.</summary>
public static class ModbusDecoder
{
    /// <summary>How many registers (or bits, for <see cref="ModbusDataType.Bool"/>) a value of this type spans.</summary>
    public static int Width(ModbusDataType type) => type switch
    {
        ModbusDataType.Bool or ModbusDataType.Int16 or ModbusDataType.UInt16 => 1,
        ModbusDataType.Int32 or ModbusDataType.UInt32 or ModbusDataType.Float32 => 2,
        ModbusDataType.Int64 or ModbusDataType.UInt64 or ModbusDataType.Float64 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown Modbus data type."),
    };

    /// <summary>
    /// The value of <see cref="Width"/> registers at the start of <paramref name="registers"/>. The registers are
    /// first put in big-endian order (most significant word first, high byte first within each word) according to
    /// the two orders, then read as the type.
    /// </summary>
    public static double DecodeRegisters(ReadOnlySpan<byte> registers, ModbusDataType type, ModbusWordOrder wordOrder, ModbusByteOrder byteOrder)
    {
        if (type == ModbusDataType.Bool) throw new ArgumentException("A bool is a bit, not a register; use DecodeBit.", nameof(type));
        var words = Width(type);
        if (registers.Length < words * 2)
            throw new ArgumentException($"A {type} needs {words * 2} bytes, the span has {registers.Length}.", nameof(registers));
        Span<byte> be = stackalloc byte[8];
        for (var i = 0; i < words; i++)
        {
            var source = wordOrder == ModbusWordOrder.Big ? i : words - 1 - i;
            byte high = registers[2 * source], low = registers[(2 * source) + 1];
            if (byteOrder == ModbusByteOrder.Big)
            {
                be[2 * i] = high;
                be[(2 * i) + 1] = low;
            }
            else
            {
                be[2 * i] = low;
                be[(2 * i) + 1] = high;
            }
        }
        return type switch
        {
            ModbusDataType.Int16 => BinaryPrimitives.ReadInt16BigEndian(be),
            ModbusDataType.UInt16 => BinaryPrimitives.ReadUInt16BigEndian(be),
            ModbusDataType.Int32 => BinaryPrimitives.ReadInt32BigEndian(be),
            ModbusDataType.UInt32 => BinaryPrimitives.ReadUInt32BigEndian(be),
            ModbusDataType.Int64 => BinaryPrimitives.ReadInt64BigEndian(be),
            ModbusDataType.UInt64 => BinaryPrimitives.ReadUInt64BigEndian(be),
            ModbusDataType.Float32 => BinaryPrimitives.ReadSingleBigEndian(be),
            ModbusDataType.Float64 => BinaryPrimitives.ReadDoubleBigEndian(be),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown Modbus data type."),
        };
    }

    /// <summary>Bit <paramref name="index"/> of an FC 1/2 response: byte index / 8, least significant bit first.</summary>
    public static bool DecodeBit(ReadOnlySpan<byte> bits, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (index / 8 >= bits.Length)
            throw new ArgumentException($"Bit {index} is past the {bits.Length} data bytes.", nameof(index));
        return (bits[index / 8] & (1 << (index % 8))) != 0;
    }
}
