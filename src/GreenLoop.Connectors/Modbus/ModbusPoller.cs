namespace GreenLoop.Connectors.Modbus;

/// <summary>How one poll went: how many requests were answered, and the failure that ended it early, if any.</summary>
/// <param name="Answered">Requests answered, normally or with an exception response.</param>
/// <param name="Failure">The timeout, bad frame or lost connection that stopped the poll; the later blocks were not sent.</param>
/// <param name="FailedBlock">Index of the block that failed, or -1.</param>
public readonly record struct ModbusPollSummary(int Answered, ModbusResult? Failure, int FailedBlock);

/// <summary>
/// Reads every block of a device's plan through a <see cref="ModbusTcpClient"/> and decodes every point
/// (raw × scale + offset). The results stay in this object until the next poll, so a poll allocates nothing per point.
/// Used by <see cref="ModbusConnector"/> and by the benchmark. Not thread-safe.
/// </summary>
public sealed class ModbusPoller
{
    private readonly ModbusReadRequest[] _requests;
    private readonly ModbusResult[] _results;
    private readonly double[] _values;
    private readonly bool[] _read;
    private readonly byte[] _data = new byte[ModbusFrame.MaxPduLength];

    public ModbusPoller(ModbusSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        Blocks = ModbusPlanner.Plan(settings.Points, settings.MaxGapRegisters);
        _requests = Blocks.Select(b => b.Request(settings.UnitId)).ToArray();
        _results = new ModbusResult[Blocks.Count];
        _values = new double[settings.Points.Count];
        _read = new bool[settings.Points.Count];
    }

    public ModbusSettings Settings { get; }

    /// <summary>The requests of one poll, in the order they are sent.</summary>
    public IReadOnlyList<ModbusBlock> Blocks { get; }

    /// <summary>How the last poll's request for block <paramref name="block"/> ended.</summary>
    public ModbusResult BlockResult(int block) => _results[block];

    /// <summary>Whether point <paramref name="point"/> (index in the settings) was read by the last poll.</summary>
    public bool WasRead(int point) => _read[point];

    /// <summary>The last poll's value of a point that <see cref="WasRead"/>: raw × scale + offset (may be NaN or infinite for floats).</summary>
    public double Value(int point) => _values[point];

    /// <summary>
    /// Sends the requests one after the other. An exception response skips its block's points and the poll goes on;
    /// a timeout, bad frame or lost connection ends the poll (the client has closed the connection).
    /// </summary>
    public async ValueTask<ModbusPollSummary> PollAsync(ModbusTcpClient client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        Array.Clear(_read);
        Array.Clear(_results);
        var answered = 0;
        for (var b = 0; b < _requests.Length; b++)
        {
            var result = await client.ReadAsync(_requests[b], _data, ct);
            _results[b] = result;
            if (result.Status == ModbusStatus.Ok)
            {
                answered++;
                Decode(Blocks[b]);
            }
            else if (result.Status == ModbusStatus.Exception)
            {
                answered++;
            }
            else
            {
                return new ModbusPollSummary(answered, result, b);
            }
        }
        return new ModbusPollSummary(answered, null, -1);
    }

    private void Decode(ModbusBlock block)
    {
        var points = Settings.Points;
        var bits = block.Function.ReadsBits();
        for (var k = 0; k < block.Points.Count; k++)
        {
            var (index, offset) = block.Points[k];
            var p = points[index];
            var raw = bits
                ? (ModbusDecoder.DecodeBit(_data, offset) ? 1 : 0)
                : ModbusDecoder.DecodeRegisters(_data.AsSpan(offset * 2, p.Width * 2), p.Type, p.WordOrder, p.ByteOrder);
            _values[index] = p.Apply(raw);
            _read[index] = true;
        }
    }
}
