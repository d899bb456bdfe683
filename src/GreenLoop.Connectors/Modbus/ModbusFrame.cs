using System.Buffers.Binary;

namespace GreenLoop.Connectors.Modbus;

/// <summary>
/// One read request: the unit (slave) id, the function, the 0-based PDU address of the first item and how many items.
/// </summary>
public readonly record struct ModbusReadRequest(byte UnitId, ModbusFunction Function, ushort Address, ushort Count)
{
    /// <summary>Throws for a request no device could answer: a programming error, not bad input.</summary>
    public void EnsureValid()
    {
        if (!ModbusFunctions.IsDefined((int)Function))
            throw new ArgumentOutOfRangeException(nameof(Function), Function, "Only the read functions 1-4 are supported.");
        if (Count < 1 || Count > Function.MaxCount())
            throw new ArgumentOutOfRangeException(nameof(Count), Count, $"A {Function.Describe()} request reads 1..{Function.MaxCount()} items.");
        if (Address + Count > 65_536)
            throw new ArgumentOutOfRangeException(nameof(Count), Count, "The request runs past address 65535.");
    }

    /// <summary>For messages: "holding registers 100-101 (PDU addresses, FC 3) of unit 1".</summary>
    public override string ToString() =>
        $"{Function.Describe()} {Address}-{Address + Count - 1} (PDU addresses) of unit {UnitId}";
}

/// <summary>
/// Modbus TCP framing, pure functions over spans (no sockets): a frame is the 7-byte MBAP header (transaction id,
/// protocol id 0, length of what follows, unit id) and the PDU (function code and data), all big-endian.
/// </summary>
public static class ModbusFrame
{
    /// <summary>The MBAP header: transaction id (2), protocol id (2), length (2), unit id (1).</summary>
    public const int HeaderLength = 7;

    /// <summary>A read request: header plus function, address and count.</summary>
    public const int ReadRequestLength = 12;

    /// <summary>A PDU is at most 253 bytes (the serial line's 256-byte limit less address and CRC).</summary>
    public const int MaxPduLength = 253;

    /// <summary>The longest frame: the header plus the longest PDU.</summary>
    public const int MaxFrameLength = HeaderLength + MaxPduLength;

    /// <summary>The MBAP length field counts the unit id and the PDU: 1 + 2 (an exception response) up to 1 + 253.</summary>
    private const int MinLengthField = 3;
    private const int MaxLengthField = 1 + MaxPduLength;

    /// <summary>Writes a read request into <paramref name="destination"/>; returns its length (12).</summary>
    public static int WriteReadRequest(Span<byte> destination, ModbusReadRequest request, ushort transactionId)
    {
        request.EnsureValid();
        if (destination.Length < ReadRequestLength)
            throw new ArgumentException($"The destination needs {ReadRequestLength} bytes.", nameof(destination));
        BinaryPrimitives.WriteUInt16BigEndian(destination, transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], 6);
        destination[6] = request.UnitId;
        destination[7] = (byte)request.Function;
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], request.Address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], request.Count);
        return ReadRequestLength;
    }

    /// <summary>
    /// Reads an MBAP header: its transaction id and how many bytes follow the header (the PDU). False, with the reason,
    /// when the header cannot start a frame (a protocol id other than 0, an impossible length): the stream is then out
    /// of step and the connection must be dropped.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out ushort transactionId, out int pduLength, out string? error)
    {
        transactionId = 0;
        pduLength = 0;
        if (header.Length < HeaderLength)
        {
            error = $"the frame has {header.Length} bytes, fewer than the {HeaderLength}-byte MBAP header";
            return false;
        }
        transactionId = BinaryPrimitives.ReadUInt16BigEndian(header);
        var protocol = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        if (protocol != 0)
        {
            error = $"protocol id {protocol} is not Modbus (0); is this port a Modbus TCP device?";
            return false;
        }
        if (length is < MinLengthField or > MaxLengthField)
        {
            error = $"length field {length} is outside {MinLengthField}..{MaxLengthField}";
            return false;
        }
        pduLength = length - 1;
        error = null;
        return true;
    }

    /// <summary>
    /// Checks a whole response frame against the request it should answer and copies its data (register bytes as sent,
    /// big-endian; or packed bits, least significant bit first) to <paramref name="data"/>. An exception response is a
    /// result with its code; a short frame is <see cref="ModbusStatus.Truncated"/>; any mismatch is
    /// <see cref="ModbusStatus.Malformed"/>, with a reason.
    /// </summary>
    public static ModbusResult ParseReadResponse(ReadOnlySpan<byte> frame, ModbusReadRequest request, ushort transactionId, Span<byte> data)
    {
        var expectedBytes = request.Function.DataBytes(request.Count);
        if (data.Length < expectedBytes)
            throw new ArgumentException($"The data buffer needs {expectedBytes} bytes for {request}.", nameof(data));
        if (frame.Length < HeaderLength)
            return ModbusResult.Fail(ModbusStatus.Truncated, $"the frame has {frame.Length} bytes, fewer than the {HeaderLength}-byte MBAP header");
        if (!TryReadHeader(frame, out var tid, out var pduLength, out var headerError))
            return ModbusResult.Fail(ModbusStatus.Malformed, headerError!);
        var pdu = frame[HeaderLength..];
        if (pdu.Length < pduLength)
            return ModbusResult.Fail(ModbusStatus.Truncated, $"the header announces {pduLength} PDU bytes but only {pdu.Length} arrived");
        if (pdu.Length > pduLength)
            return ModbusResult.Fail(ModbusStatus.Malformed, $"{pdu.Length - pduLength} bytes follow the {pduLength} PDU bytes the header announces");
        if (tid != transactionId)
            return ModbusResult.Fail(ModbusStatus.Malformed, $"transaction id {tid} does not answer the request (expected {transactionId})");
        var unit = frame[6];
        if (unit != request.UnitId)
            return ModbusResult.Fail(ModbusStatus.Malformed, $"unit id {unit} answered a request to unit {request.UnitId}");

        var function = pdu[0];
        var asked = (byte)request.Function;
        if (function == (asked | 0x80))
        {
            return pduLength == 2
                ? ModbusResult.DeviceException(pdu[1])
                : ModbusResult.Fail(ModbusStatus.Malformed, $"an exception response has 2 PDU bytes, this one {pduLength}");
        }
        if (function != asked)
            return ModbusResult.Fail(ModbusStatus.Malformed, $"function code {function} answers a request with function code {asked}");
        var byteCount = pdu[1];
        if (pduLength != 2 + byteCount)
            return ModbusResult.Fail(ModbusStatus.Malformed, $"byte count {byteCount} disagrees with the {pduLength} PDU bytes the header announces");
        if (byteCount != expectedBytes)
            return ModbusResult.Fail(ModbusStatus.Malformed, $"byte count {byteCount}, expected {expectedBytes} for {request}");
        pdu.Slice(2, byteCount).CopyTo(data);
        return ModbusResult.Success(byteCount);
    }
}
