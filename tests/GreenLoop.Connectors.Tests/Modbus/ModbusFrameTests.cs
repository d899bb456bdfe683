using GreenLoop.Connectors.Modbus;

namespace GreenLoop.Connectors.Tests.Modbus;

/// <summary>Modbus TCP frames encoded and checked without a socket (Modbus Messaging on TCP/IP Implementation Guide v1.0b).</summary>
public sealed class ModbusFrameTests
{
    private static readonly ModbusReadRequest _holding2 = new(1, ModbusFunction.ReadHoldingRegisters, 100, 2);

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Fact]
    public void WriteReadRequest_HoldingRegisters_MatchesSpecLayout()
    {
        var frame = new byte[12];

        var length = ModbusFrame.WriteReadRequest(frame, new ModbusReadRequest(17, ModbusFunction.ReadHoldingRegisters, 107, 3), 0x1234);

        // Transaction 0x1234, protocol 0, length 6 (unit + 5 PDU bytes), unit 0x11, FC 3, address 0x006B, count 3:
        // the spec's own example (Modbus Application Protocol v1.1b3, 6.3: read registers 108-110 of unit 17).
        Assert.Equal(12, length);
        Assert.Equal(Hex("1234 0000 0006 11 03 006B 0003"), frame);
    }

    [Fact]
    public void WriteReadRequest_TooManyRegisters_Throws()
    {
        var frame = new byte[12];
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ModbusFrame.WriteReadRequest(frame, new ModbusReadRequest(1, ModbusFunction.ReadInputRegisters, 0, 126), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ModbusFrame.WriteReadRequest(frame, new ModbusReadRequest(1, ModbusFunction.ReadCoils, 0, 2001), 1));
    }

    [Fact]
    public void ParseReadResponse_TwoRegisters_CopiesData()
    {
        var data = new byte[4];

        var result = ModbusFrame.ParseReadResponse(Hex("0007 0000 0007 01 03 04 42F6 E979"), _holding2, 7, data);

        Assert.Equal(ModbusResult.Success(4), result);
        Assert.Equal(Hex("42F6E979"), data);
    }

    [Fact]
    public void ParseReadResponse_Coils_CopiesPackedBits()
    {
        var data = new byte[2];
        var request = new ModbusReadRequest(1, ModbusFunction.ReadCoils, 0, 10);

        // 10 coils need 2 bytes: 0x28 = coils 3 and 5 on, 0x02 = coil 9 on.
        var result = ModbusFrame.ParseReadResponse(Hex("0001 0000 0005 01 01 02 28 02"), request, 1, data);

        Assert.Equal(ModbusStatus.Ok, result.Status);
        Assert.True(ModbusDecoder.DecodeBit(data, 3));
        Assert.False(ModbusDecoder.DecodeBit(data, 4));
        Assert.True(ModbusDecoder.DecodeBit(data, 5));
        Assert.True(ModbusDecoder.DecodeBit(data, 9));
        Assert.False(ModbusDecoder.DecodeBit(data, 8));
    }

    [Fact]
    public void ParseReadResponse_ExceptionResponse_IsResultWithCode()
    {
        // FC 3 | 0x80 = 0x83, exception code 02.
        var result = ModbusFrame.ParseReadResponse(Hex("0007 0000 0003 01 83 02"), _holding2, 7, new byte[4]);

        Assert.Equal(ModbusStatus.Exception, result.Status);
        Assert.Equal(2, result.ExceptionCode);
        Assert.Equal("exception-02 (illegal data address)", result.ProblemKind);
        Assert.True(result.Answered);
    }

    [Fact]
    public void ParseReadResponse_GatewayException0B_NamedInHex()
    {
        var result = ModbusFrame.ParseReadResponse(Hex("0007 0000 0003 01 83 0B"), _holding2, 7, new byte[4]);

        Assert.Equal("exception-0B (gateway target device failed to respond)", result.ProblemKind);
    }

    [Theory]
    [InlineData("0007 0000 00", "fewer than the 7-byte MBAP header")]
    [InlineData("0007 0000 0007 01 03 04 42F6", "announces 6 PDU bytes but only 4 arrived")]
    [InlineData("0007 0000 0007 01", "announces 6 PDU bytes but only 0 arrived")]
    public void ParseReadResponse_ShortFrame_IsTruncated(string hex, string reason)
    {
        var result = ModbusFrame.ParseReadResponse(Hex(hex), _holding2, 7, new byte[4]);

        Assert.Equal(ModbusStatus.Truncated, result.Status);
        Assert.Contains(reason, result.Detail, StringComparison.Ordinal);
        Assert.Equal("truncated-frame", result.ProblemKind);
    }

    [Theory]
    [InlineData("0008 0000 0007 01 03 04 42F6 E979", "transaction id 8 does not answer the request (expected 7)")]
    [InlineData("0007 0001 0007 01 03 04 42F6 E979", "protocol id 1 is not Modbus")]
    [InlineData("0007 0000 0007 02 03 04 42F6 E979", "unit id 2 answered a request to unit 1")]
    [InlineData("0007 0000 0007 01 04 04 42F6 E979", "function code 4 answers a request with function code 3")]
    [InlineData("0007 0000 0007 01 03 06 42F6 E979", "byte count 6 disagrees with the 6 PDU bytes")]
    [InlineData("0007 0000 0005 01 03 02 42F6", "byte count 2, expected 4")]
    [InlineData("0007 0000 0004 01 83 02 00", "an exception response has 2 PDU bytes, this one 3")]
    [InlineData("0007 0000 0002 01 03", "length field 2 is outside 3..254")]
    [InlineData("0007 0000 0100 01 03", "length field 256 is outside 3..254")]
    [InlineData("0007 0000 0007 01 03 04 42F6 E979 00", "1 bytes follow the 6 PDU bytes")]
    public void ParseReadResponse_FrameThatDoesNotAnswer_IsMalformedWithReason(string hex, string reason)
    {
        var result = ModbusFrame.ParseReadResponse(Hex(hex), _holding2, 7, new byte[4]);

        Assert.Equal(ModbusStatus.Malformed, result.Status);
        Assert.Contains(reason, result.Detail, StringComparison.Ordinal);
        Assert.False(result.Answered);
    }

    [Fact]
    public void TryReadHeader_ValidHeader_GivesPduLength()
    {
        Assert.True(ModbusFrame.TryReadHeader(Hex("ABCD 0000 00FE 01"), out var tid, out var pdu, out var error));

        // Length 254 counts the unit id and a 253-byte PDU: the longest frame (260 bytes).
        Assert.Equal(0xABCD, tid);
        Assert.Equal(253, pdu);
        Assert.Null(error);
    }

    [Theory]
    [InlineData(0, "unknown exception code")]
    [InlineData(1, "illegal function")]
    [InlineData(3, "illegal data value")]
    [InlineData(4, "server device failure")]
    [InlineData(5, "acknowledge")]
    [InlineData(6, "server device busy")]
    [InlineData(7, "negative acknowledge")]
    [InlineData(8, "memory parity error")]
    [InlineData(9, "unknown exception code")]
    [InlineData(10, "gateway path unavailable")]
    [InlineData(11, "gateway target device failed to respond")]
    public void ExceptionCodeName_EachCode_NamedAsInSpec(byte code, string name) =>
        Assert.Equal(name, ModbusExceptionCodes.Name(code));
}
