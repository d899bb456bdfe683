namespace GreenLoop.Connectors.Modbus;

/// <summary>How one Modbus request (or a connection attempt) ended.</summary>
public enum ModbusStatus
{
    /// <summary>Not sent: an earlier request of the same poll lost the connection. The default value.</summary>
    NotSent,
    /// <summary>A normal response; its data was copied out.</summary>
    Ok,
    /// <summary>The device answered with an exception response (function | 0x80 and an exception code).</summary>
    Exception,
    /// <summary>No complete answer within the request timeout.</summary>
    Timeout,
    /// <summary>The frame ended before its header or its length field said it would.</summary>
    Truncated,
    /// <summary>A frame that does not answer the request: wrong protocol, transaction or unit id, function or byte count.</summary>
    Malformed,
    /// <summary>The device closed the connection or the socket failed.</summary>
    ConnectionLost,
    /// <summary>No TCP connection could be opened.</summary>
    ConnectFailed,
}

/// <summary>
/// The outcome of one request as a value, not an exception: bad frames, exception responses and timeouts are things a
/// device does, not bugs. <see cref="DataLength"/> bytes of data were written to the caller's buffer when
/// <see cref="Status"/> is <see cref="ModbusStatus.Ok"/>.
/// </summary>
public readonly record struct ModbusResult(ModbusStatus Status, int DataLength = 0, byte ExceptionCode = 0, string? Detail = null)
{
    /// <summary>The device answered (normally or with an exception): the link works.</summary>
    public bool Answered => Status is ModbusStatus.Ok or ModbusStatus.Exception;

    /// <summary>The problem kind counted in a source's health: <c>timeout</c>, <c>exception-02 (illegal data address)</c>...</summary>
    public string ProblemKind => Status switch
    {
        ModbusStatus.Exception => ModbusExceptionCodes.ProblemKind(ExceptionCode),
        ModbusStatus.Timeout => "timeout",
        ModbusStatus.Truncated => "truncated-frame",
        ModbusStatus.Malformed => "malformed-frame",
        ModbusStatus.ConnectionLost => "connection-lost",
        ModbusStatus.ConnectFailed => "connect-failed",
        ModbusStatus.NotSent => "not-sent",
        _ => "ok",
    };

    public static ModbusResult Success(int dataLength) => new(ModbusStatus.Ok, dataLength);

    public static ModbusResult DeviceException(byte code) =>
        new(ModbusStatus.Exception, 0, code, $"exception {code:X2} ({ModbusExceptionCodes.Name(code)})");

    public static ModbusResult Fail(ModbusStatus status, string detail) => new(status, 0, 0, detail);
}
