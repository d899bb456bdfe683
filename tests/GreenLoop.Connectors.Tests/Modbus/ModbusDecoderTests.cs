using GreenLoop.Connectors.Modbus;

namespace GreenLoop.Connectors.Tests.Modbus;

/// <summary>
/// Decoding known byte patterns. The four orders of a 32-bit value whose big-endian bytes are A B C D are named as
/// devices' manuals name them: ABCD (word big, byte big), CDAB (word little), BADC (byte little), DCBA (both little).
/// </summary>
public sealed class ModbusDecoderTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    // 123.456 as IEEE 754 single: sign 0, exponent 133 (2^6, 64 <= 123.456 < 128), mantissa 123.456/64 - 1 = 0.929
    // -> 0x42F6E979, which is 123.45600128173828 exactly (single precision is all the device holds).
    [Theory]
    [InlineData("42F6 E979", ModbusWordOrder.Big, ModbusByteOrder.Big)]       // ABCD
    [InlineData("E979 42F6", ModbusWordOrder.Little, ModbusByteOrder.Big)]    // CDAB
    [InlineData("F642 79E9", ModbusWordOrder.Big, ModbusByteOrder.Little)]    // BADC
    [InlineData("79E9 F642", ModbusWordOrder.Little, ModbusByteOrder.Little)] // DCBA
    public void DecodeRegisters_Float32InEachOrder_Gives123_456(string registers, ModbusWordOrder words, ModbusByteOrder bytes)
    {
        var value = ModbusDecoder.DecodeRegisters(Hex(registers), ModbusDataType.Float32, words, bytes);

        Assert.Equal((double)123.456f, value);
        Assert.Equal(123.45600128173828, value);
    }

    [Theory]
    // -2 in two's complement, 32 bits: 0xFFFFFFFE; word-swapped it is FFFE FFFF.
    [InlineData("FFFF FFFE", ModbusDataType.Int32, ModbusWordOrder.Big, -2.0)]
    [InlineData("FFFE FFFF", ModbusDataType.Int32, ModbusWordOrder.Little, -2.0)]
    // The same bits unsigned: 2^32 - 2.
    [InlineData("FFFF FFFE", ModbusDataType.UInt32, ModbusWordOrder.Big, 4294967294.0)]
    // 0x0001 0x0002 high word first = 65536 + 2; low word first = 2 * 65536 + 1.
    [InlineData("0001 0002", ModbusDataType.UInt32, ModbusWordOrder.Big, 65538.0)]
    [InlineData("0001 0002", ModbusDataType.UInt32, ModbusWordOrder.Little, 131073.0)]
    [InlineData("FF85", ModbusDataType.Int16, ModbusWordOrder.Big, -123.0)]  // 0xFF85 = 65413 = 65536 - 123
    [InlineData("FF85", ModbusDataType.UInt16, ModbusWordOrder.Big, 65413.0)]
    // -1234567890123 = 0xFFFFFEE08E04FB35 (two's complement of 0x0000011F71FB04CB).
    [InlineData("FFFF FEE0 8E04 FB35", ModbusDataType.Int64, ModbusWordOrder.Big, -1234567890123.0)]
    [InlineData("FB35 8E04 FEE0 FFFF", ModbusDataType.Int64, ModbusWordOrder.Little, -1234567890123.0)]
    [InlineData("0000 0000 0000 0064", ModbusDataType.UInt64, ModbusWordOrder.Big, 100.0)]
    // -1234.5 as IEEE 754 double: sign 1, exponent 1033 (2^10), mantissa bits 0011010010 1 -> 0xC0934A0000000000.
    [InlineData("C093 4A00 0000 0000", ModbusDataType.Float64, ModbusWordOrder.Big, -1234.5)]
    [InlineData("0000 0000 4A00 C093", ModbusDataType.Float64, ModbusWordOrder.Little, -1234.5)]
    public void DecodeRegisters_KnownPattern_GivesHandComputedValue(string registers, ModbusDataType type, ModbusWordOrder words, double expected) =>
        Assert.Equal(expected, ModbusDecoder.DecodeRegisters(Hex(registers), type, words, ModbusByteOrder.Big));

    [Fact]
    public void DecodeRegisters_QuietNaN_IsNaN()
    {
        // 0x7FC00000: exponent all ones, mantissa non-zero - what many meters write for "no measurement".
        Assert.True(double.IsNaN(ModbusDecoder.DecodeRegisters(Hex("7FC0 0000"), ModbusDataType.Float32, ModbusWordOrder.Big, ModbusByteOrder.Big)));
    }

    [Fact]
    public void DecodeRegisters_SpanTooShort_Throws() =>
        Assert.Throws<ArgumentException>(() => ModbusDecoder.DecodeRegisters(Hex("42F6"), ModbusDataType.Float32, ModbusWordOrder.Big, ModbusByteOrder.Big));

    [Fact]
    public void Apply_ScaleAndOffset_RawTimesScalePlusOffset()
    {
        var point = new ModbusPoint
        {
            Meter = "m", Function = ModbusFunction.ReadHoldingRegisters, Address = 0, AddressBase = 0,
            Type = ModbusDataType.Int16, Scale = 0.1, Offset = -40,
        };

        // A temperature register in tenths of a degree with a -40 offset: raw 655 -> 65.5 - 40 = 25.5.
        Assert.Equal(25.5, point.Apply(655), 12);
    }
}
