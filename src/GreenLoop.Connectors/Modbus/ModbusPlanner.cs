namespace GreenLoop.Connectors.Modbus;

/// <summary>A point's place in a block: its index in the settings and its first register (or bit) from the block's start.</summary>
public readonly record struct ModbusBlockPoint(int PointIndex, int Offset);

/// <summary>One read request of a poll and the points it serves.</summary>
public sealed record ModbusBlock(ModbusFunction Function, ushort Address, ushort Count, IReadOnlyList<ModbusBlockPoint> Points)
{
    public ModbusReadRequest Request(byte unitId) => new(unitId, Function, Address, Count);
}

/// <summary>
/// Plans the requests of a poll: points grouped by function, sorted by address, and merged into one request while the
/// next point starts at most <c>maxGap</c> unused registers (bits) after the block's end — overlapping and adjacent
/// points always merge — and the request stays within the function's limit (125 registers, 2000 bits). Pure.
/// </summary>
public static class ModbusPlanner
{
    public static IReadOnlyList<ModbusBlock> Plan(IReadOnlyList<ModbusPoint> points, int maxGap)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfNegative(maxGap);
        var blocks = new List<ModbusBlock>();
        var order = Enumerable.Range(0, points.Count)
            .OrderBy(i => points[i].Function)
            .ThenBy(i => points[i].ProtocolAddress)
            .ThenBy(i => i)
            .ToList();
        var members = new List<int>();
        int start = 0, end = 0; // [start, end) of the open block
        ModbusFunction function = 0;
        foreach (var i in order)
        {
            var p = points[i];
            var pStart = p.ProtocolAddress;
            var pEnd = pStart + p.Width;
            var fits = members.Count > 0 && p.Function == function
                && pStart - end <= maxGap
                && Math.Max(end, pEnd) - start <= function.MaxCount();
            if (fits)
            {
                end = Math.Max(end, pEnd);
            }
            else
            {
                Flush();
                function = p.Function;
                start = pStart;
                end = pEnd;
            }
            members.Add(i);
        }
        Flush();
        return blocks;

        void Flush()
        {
            if (members.Count == 0) return;
            var served = members.Select(i => new ModbusBlockPoint(i, points[i].ProtocolAddress - start)).ToList();
            blocks.Add(new ModbusBlock(function, (ushort)start, (ushort)(end - start), served));
            members.Clear();
        }
    }
}
