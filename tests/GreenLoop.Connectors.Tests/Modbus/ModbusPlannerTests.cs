using GreenLoop.Connectors.Modbus;

namespace GreenLoop.Connectors.Tests.Modbus;

public sealed class ModbusPlannerTests
{
    private static ModbusPoint P(string meter, int function, int address, ModbusDataType type = ModbusDataType.UInt16) => new()
    {
        Meter = meter,
        Function = (ModbusFunction)function,
        Address = address,
        AddressBase = 0,
        Type = function <= 2 ? ModbusDataType.Bool : type,
    };

    private static string Shape(IReadOnlyList<ModbusBlock> blocks) =>
        string.Join(" | ", blocks.Select(b => $"fc{(int)b.Function} {b.Address}+{b.Count}: {string.Join(",", b.Points.Select(p => $"{p.PointIndex}@{p.Offset}"))}"));

    [Fact]
    public void Plan_AdjacentRegistersOutOfOrder_OneRequest()
    {
        // float32 at 100-101, uint16 at 102, int32 at 103-104: contiguous 100..104 = 5 registers.
        var points = new[] { P("c", 3, 103, ModbusDataType.Int32), P("a", 3, 100, ModbusDataType.Float32), P("b", 3, 102) };

        var blocks = ModbusPlanner.Plan(points, maxGap: 0);

        Assert.Equal("fc3 100+5: 1@0,2@2,0@3", Shape(blocks));
    }

    [Fact]
    public void Plan_GapWithinAndBeyondMaxGap_MergesOnlyWithin()
    {
        // 10 (1 register), 13: gap of 2 (11, 12) <= 2 merges; 20: gap of 6 (14..19) > 2 starts a new request.
        var points = new[] { P("a", 3, 10), P("b", 3, 13), P("c", 3, 20) };

        Assert.Equal("fc3 10+4: 0@0,1@3 | fc3 20+1: 2@0", Shape(ModbusPlanner.Plan(points, maxGap: 2)));
        Assert.Equal("fc3 10+1: 0@0 | fc3 13+1: 1@0 | fc3 20+1: 2@0", Shape(ModbusPlanner.Plan(points, maxGap: 0)));
    }

    [Fact]
    public void Plan_OverlappingPoints_ShareRegisters()
    {
        // A uint32 at 50-51 and a uint16 reading its low word 51: one request of 2 registers.
        var points = new[] { P("whole", 3, 50, ModbusDataType.UInt32), P("low", 3, 51) };

        Assert.Equal("fc3 50+2: 0@0,1@1", Shape(ModbusPlanner.Plan(points, maxGap: 0)));
    }

    [Fact]
    public void Plan_FunctionsNeverMix_GroupedByFunction()
    {
        var points = new[] { P("h", 3, 0), P("i", 4, 1), P("c", 1, 0), P("d", 2, 0), P("h2", 3, 1) };

        Assert.Equal("fc1 0+1: 2@0 | fc2 0+1: 3@0 | fc3 0+2: 0@0,4@1 | fc4 1+1: 1@0", Shape(ModbusPlanner.Plan(points, maxGap: 10)));
    }

    [Fact]
    public void Plan_MoreThan125Registers_SplitsAtTheLimit()
    {
        // 70 float32 values back to back at 0..139: 62 fit in 124 registers (a 63rd would need 126), then 8 more.
        var points = Enumerable.Range(0, 70).Select(k => P($"f{k}", 4, 2 * k, ModbusDataType.Float32)).ToArray();

        var blocks = ModbusPlanner.Plan(points, maxGap: 0);

        Assert.Equal(2, blocks.Count);
        Assert.Equal((ushort)0, blocks[0].Address);
        Assert.Equal((ushort)124, blocks[0].Count);
        Assert.Equal(62, blocks[0].Points.Count);
        Assert.Equal((ushort)124, blocks[1].Address);
        Assert.Equal((ushort)16, blocks[1].Count);
        Assert.All(blocks, b => Assert.True(b.Count <= ModbusFunctions.MaxRegisters));
    }

    [Fact]
    public void Plan_Coils_SplitAt2000Bits()
    {
        // Coils 0..2499 one per point: 2000 in the first request, 500 in the second.
        var points = Enumerable.Range(0, 2500).Select(k => P($"c{k}", 1, k)).ToArray();

        var blocks = ModbusPlanner.Plan(points, maxGap: 0);

        Assert.Equal([2000, 500], blocks.Select(b => (int)b.Count));
        Assert.Equal(1999, blocks[0].Points[^1].Offset);
    }

    [Fact]
    public void Plan_OneBasedAddresses_PlannedOnWireAddresses()
    {
        // Register 1 counted from 1 is PDU address 0; PDU address 1 given 0-based is its neighbour: adjacent.
        var oneBased = P("a", 3, 1) with { AddressBase = 1 };
        var zeroBased = P("b", 3, 1);

        Assert.Equal("fc3 0+2: 0@0,1@1", Shape(ModbusPlanner.Plan([oneBased, zeroBased], maxGap: 0)));
    }
}
