using System.Diagnostics;
using GreenLoop.Connectors.Modbus;
using GreenLoop.Testing;

namespace GreenLoop.Connectors.Tests.Modbus;

/// <summary>Our client against pymodbus (an independent implementation) and against a scripted misbehaving device.</summary>
public sealed class ModbusTcpClientTests
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(5);

    private static readonly object _contents = new Dictionary<string, object>
    {
        ["size"] = new Dictionary<string, int> { ["holding"] = 200 },
        // 123.456f = 0x42F6E979 at holding 100-101 (ABCD).
        ["holding"] = new Dictionary<string, int[]> { ["100"] = [0x42F6, 0xE979] },
        ["coils"] = new Dictionary<string, int[]> { ["3"] = [1, 0, 1] },
    };

    private static ModbusReadRequest Holding(ushort address, ushort count) => new(1, ModbusFunction.ReadHoldingRegisters, address, count);

    [Fact]
    public async Task ReadAsync_HoldingRegistersFromSimulator_RegisterBytesAsStored()
    {
        await using var sim = await ModbusSimulator.StartAsync(_contents);
        using var client = new ModbusTcpClient("127.0.0.1", sim.Port, _timeout);
        Assert.Equal(ModbusStatus.Ok, (await client.ConnectAsync(CancellationToken.None)).Status);
        var data = new byte[4];

        var result = await client.ReadAsync(Holding(100, 2), data, CancellationToken.None);

        Assert.Equal(ModbusResult.Success(4), result);
        Assert.Equal(Convert.FromHexString("42F6E979"), data);
        Assert.Equal(123.456f, (float)ModbusDecoder.DecodeRegisters(data, ModbusDataType.Float32, ModbusWordOrder.Big, ModbusByteOrder.Big));
    }

    [Fact]
    public async Task ReadAsync_CoilsFromSimulator_BitsInOrder()
    {
        await using var sim = await ModbusSimulator.StartAsync(_contents);
        using var client = new ModbusTcpClient("127.0.0.1", sim.Port, _timeout);
        await client.ConnectAsync(CancellationToken.None);
        var data = new byte[2];

        var result = await client.ReadAsync(new ModbusReadRequest(1, ModbusFunction.ReadCoils, 0, 10), data, CancellationToken.None);

        // Coils 3 and 5 are on: 10 bits in 2 bytes.
        Assert.Equal(2, result.DataLength);
        var on = Enumerable.Range(0, 10).Where(i => ModbusDecoder.DecodeBit(data, i)).ToArray();
        Assert.Equal([3, 5], on);
    }

    [Fact]
    public async Task ReadAsync_PastSimulatorTable_ExceptionResultAndConnectionKept()
    {
        await using var sim = await ModbusSimulator.StartAsync(_contents);
        using var client = new ModbusTcpClient("127.0.0.1", sim.Port, _timeout);
        await client.ConnectAsync(CancellationToken.None);
        var data = new byte[4];

        // The holding table has 200 registers (0..199): 199-200 reaches past it.
        var refused = await client.ReadAsync(Holding(199, 2), data, CancellationToken.None);
        var next = await client.ReadAsync(Holding(100, 2), data, CancellationToken.None);

        Assert.Equal(ModbusStatus.Exception, refused.Status);
        Assert.Equal("exception-02 (illegal data address)", refused.ProblemKind);
        Assert.True(client.IsConnected);
        Assert.Equal(ModbusStatus.Ok, next.Status);
    }

    [Fact]
    public async Task ReadAsync_AnswerCutShort_TruncatedAndDisconnected()
    {
        // The header announces 7 more bytes (unit, FC, byte count, 4 data bytes); only unit, FC and count arrive.
        await using var device = new ScriptedDevice(req => [req[0], req[1], 0, 0, 0, 7, 1, 3, 4], close: true);
        using var client = new ModbusTcpClient("127.0.0.1", device.Port, _timeout);
        await client.ConnectAsync(CancellationToken.None);

        var result = await client.ReadAsync(Holding(0, 2), new byte[4], CancellationToken.None);

        Assert.Equal(ModbusStatus.Truncated, result.Status);
        Assert.Contains("after 2 of the 6 PDU bytes", result.Detail, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task ReadAsync_ConnectionClosedInsideHeader_Truncated()
    {
        await using var device = new ScriptedDevice(req => [req[0], req[1], 0], close: true);
        using var client = new ModbusTcpClient("127.0.0.1", device.Port, _timeout);
        await client.ConnectAsync(CancellationToken.None);

        var result = await client.ReadAsync(Holding(0, 2), new byte[4], CancellationToken.None);

        Assert.Equal(ModbusStatus.Truncated, result.Status);
        Assert.Contains("after 3 of the 7 header bytes", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_AnswerStopsHalfway_TimeoutNamingTheBytesReceived()
    {
        // The header and the function code arrive, then nothing: the connection stays open.
        await using var device = new ScriptedDevice(req => [req[0], req[1], 0, 0, 0, 7, 1, 3]);
        using var client = new ModbusTcpClient("127.0.0.1", device.Port, TimeSpan.FromMilliseconds(300));
        await client.ConnectAsync(CancellationToken.None);

        var result = await client.ReadAsync(Holding(0, 2), new byte[4], CancellationToken.None);

        Assert.Equal(ModbusStatus.Timeout, result.Status);
        Assert.Contains("only 8 bytes of the answer", result.Detail, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task ReadAsync_AnswerToAnotherTransaction_MalformedAndDisconnected()
    {
        // A well-formed answer, but to the transaction id plus one.
        await using var device = new ScriptedDevice(req => [req[0], (byte)(req[1] + 1), 0, 0, 0, 7, 1, 3, 4, 0, 1, 0, 2]);
        using var client = new ModbusTcpClient("127.0.0.1", device.Port, _timeout);
        await client.ConnectAsync(CancellationToken.None);

        var result = await client.ReadAsync(Holding(0, 2), new byte[4], CancellationToken.None);

        Assert.Equal(ModbusStatus.Malformed, result.Status);
        Assert.Contains("does not answer the request (expected 1)", result.Detail, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task ReadAsync_DeviceNeverAnswers_TimeoutAfterTheLimit()
    {
        await using var device = new ScriptedDevice(_ => null);
        using var client = new ModbusTcpClient("127.0.0.1", device.Port, TimeSpan.FromMilliseconds(300));
        await client.ConnectAsync(CancellationToken.None);
        var watch = Stopwatch.StartNew();

        var result = await client.ReadAsync(Holding(0, 2), new byte[4], CancellationToken.None);

        Assert.Equal(ModbusStatus.Timeout, result.Status);
        Assert.Equal("timeout", result.ProblemKind);
        Assert.Contains("within 300 ms", result.Detail, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task ReadAsync_NotConnected_ConnectionLostResult()
    {
        using var client = new ModbusTcpClient("127.0.0.1", 502, _timeout);

        var result = await client.ReadAsync(Holding(0, 1), new byte[2], CancellationToken.None);

        Assert.Equal(ModbusStatus.ConnectionLost, result.Status);
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_ConnectFailedWithReason()
    {
        var port = Ports.Free();
        using var client = new ModbusTcpClient("127.0.0.1", port, _timeout);

        var result = await client.ConnectAsync(CancellationToken.None);

        Assert.Equal(ModbusStatus.ConnectFailed, result.Status);
        Assert.StartsWith($"cannot connect to 127.0.0.1:{port}", result.Detail, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }
}
