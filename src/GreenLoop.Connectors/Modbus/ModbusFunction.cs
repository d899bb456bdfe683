namespace GreenLoop.Connectors.Modbus;

/// <summary>The Modbus read functions GreenLoop polls (function codes 1-4 of the Modbus Application Protocol v1.1b3).</summary>
public enum ModbusFunction : byte
{
    /// <summary>FC 1: coils, single bits the device lets you write too (0x references).</summary>
    ReadCoils = 1,
    /// <summary>FC 2: discrete inputs, read-only bits (1x references).</summary>
    ReadDiscreteInputs = 2,
    /// <summary>FC 3: holding registers, 16-bit words (4x references); most meters put their values here.</summary>
    ReadHoldingRegisters = 3,
    /// <summary>FC 4: input registers, read-only 16-bit words (3x references).</summary>
    ReadInputRegisters = 4,
}

/// <summary>Limits and names of the read functions.</summary>
public static class ModbusFunctions
{
    /// <summary>Most bits one FC 1/2 request may ask for (spec: 1..2000, 0x7D0).</summary>
    public const int MaxBits = 2000;

    /// <summary>Most registers one FC 3/4 request may ask for (spec: 1..125, 0x7D): 250 data bytes fit a 253-byte PDU.</summary>
    public const int MaxRegisters = 125;

    public static bool IsDefined(int function) => function is >= 1 and <= 4;

    /// <summary>True for the bit functions (coils, discrete inputs), false for the register functions.</summary>
    public static bool ReadsBits(this ModbusFunction function) =>
        function is ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs;

    /// <summary>The largest count one request of this function may carry.</summary>
    public static int MaxCount(this ModbusFunction function) => function.ReadsBits() ? MaxBits : MaxRegisters;

    /// <summary>Data bytes in a normal response for <paramref name="count"/> bits or registers.</summary>
    public static int DataBytes(this ModbusFunction function, int count) => function.ReadsBits() ? (count + 7) / 8 : count * 2;

    /// <summary>What the function reads, for messages: "holding registers (FC 3)".</summary>
    public static string Describe(this ModbusFunction function) => function switch
    {
        ModbusFunction.ReadCoils => "coils (FC 1)",
        ModbusFunction.ReadDiscreteInputs => "discrete inputs (FC 2)",
        ModbusFunction.ReadHoldingRegisters => "holding registers (FC 3)",
        ModbusFunction.ReadInputRegisters => "input registers (FC 4)",
        _ => $"function {(byte)function}",
    };

    /// <summary>One item the function reads, for messages: "holding register".</summary>
    public static string Item(this ModbusFunction function) => function switch
    {
        ModbusFunction.ReadCoils => "coil",
        ModbusFunction.ReadDiscreteInputs => "discrete input",
        ModbusFunction.ReadHoldingRegisters => "holding register",
        ModbusFunction.ReadInputRegisters => "input register",
        _ => $"function {(byte)function} item",
    };
}

/// <summary>
/// Names of Modbus exception codes (Modbus Application Protocol v1.1b3, section 7), with what a person can do about
/// the common ones.
/// </summary>
public static class ModbusExceptionCodes
{
    public static string Name(byte code) => code switch
    {
        1 => "illegal function",
        2 => "illegal data address",
        3 => "illegal data value",
        4 => "server device failure",
        5 => "acknowledge",
        6 => "server device busy",
        7 => "negative acknowledge",
        8 => "memory parity error",
        10 => "gateway path unavailable",
        11 => "gateway target device failed to respond",
        _ => "unknown exception code",
    };

    /// <summary>The problem kind counted in a source's health, e.g. <c>exception-02 (illegal data address)</c>.</summary>
    public static string ProblemKind(byte code) => $"exception-{code:X2} ({Name(code)})";

    /// <summary>What to check when a device answers with this code.</summary>
    public static string Advice(byte code) => code switch
    {
        1 => "the device does not support this function; check the function code against its register map",
        2 => "the device has nothing at one of these addresses; check address, addressBase and type against its register map",
        3 => "the device refused the count or range; check the point's type (how many registers it spans)",
        4 or 8 => "the device reported an internal failure; check the device",
        5 or 6 => "the device is busy; it is asked again at the next poll",
        10 or 11 => "the gateway could not reach the device behind it; check the unit id and the serial line",
        _ => "see the device's documentation for this code",
    };
}
