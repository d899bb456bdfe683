using System.Globalization;
using GreenLoop.Connectors.Modbus;
using GreenLoop.Testing;
using Microsoft.Extensions.Logging;

namespace GreenLoop.Connectors.Tests.Modbus;

/// <summary>The connector polling pymodbus with known register contents, into the real pipeline.</summary>
public sealed class ModbusConnectorTests
{
    private static string Settings(int port, string points, double pollSeconds = 0.2, int timeoutMs = 2000, int maxGap = 0) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
            { "host": "127.0.0.1", "port": {{port}}, "unitId": 1, "pollSeconds": {{pollSeconds}}, "timeoutMs": {{timeoutMs}},
              "maxGapRegisters": {{maxGap}}, "points": [ {{points}} ] }
            """);

    [Fact]
    public async Task RunAsync_KnownRegisterContents_EveryTypeOrderAndScaleDecoded()
    {
        // Holding registers, PDU addresses (the simulator's tables are 0-based):
        //   0-1   0x42F6 0xE979  float32 123.456 high word first (ABCD)
        //   2-3   0xE979 0x42F6  the same float32 low word first (CDAB)
        //   4     0xFF85         int16 -123; x 0.1 = -12.3
        //   5     0xFF85         uint16 65413; - 65000 = 413
        //   6-7   0xFFFF 0xFFFE  int32 -2; x 0.5 + 10 = 9
        //   8-11  0xFFFF 0xFEE0 0x8E04 0xFB35  int64 -1234567890123
        //   12-15 0xC093 0x4A00 0 0  float64 -1234.5; x 2 + 1000 = -1469
        //   20, 21  111, 222: register number 21 counted from 1 is PDU address 20 (111); address 21 0-based is 222.
        // Input register 0-1 0x4248 0x0000 = float32 50.0; coil 3 on; discrete input 0 off.
        var contents = new Dictionary<string, object>
        {
            ["holding"] = new Dictionary<string, int[]>
            {
                ["0"] = [0x42F6, 0xE979, 0xE979, 0x42F6, 0xFF85, 0xFF85, 0xFFFF, 0xFFFE, 0xFFFF, 0xFEE0, 0x8E04, 0xFB35, 0xC093, 0x4A00, 0, 0],
                ["20"] = [111, 222],
            },
            ["input"] = new Dictionary<string, int[]> { ["0"] = [0x4248, 0x0000] },
            ["coils"] = new Dictionary<string, int[]> { ["3"] = [1] },
        };
        string[] meters = ["f.abcd", "f.cdab", "i16", "u16", "i32", "i64", "f64", "one.based", "zero.based", "in.f32", "coil", "discrete"];
        await using var sim = await ModbusSimulator.StartAsync(contents);
        await using var h = await ConnectorHarness.StartAsync([.. meters.Select(ConnectorHarness.Gauge)]);

        var device = h.Run(Settings(sim.Port, """
            {"meter":"f.abcd","function":3,"address":0,"addressBase":0,"type":"float32"},
            {"meter":"f.cdab","function":3,"address":2,"addressBase":0,"type":"float32","wordOrder":"little"},
            {"meter":"i16","function":3,"address":4,"addressBase":0,"type":"int16","scale":0.1},
            {"meter":"u16","function":3,"address":5,"addressBase":0,"type":"uint16","offset":-65000},
            {"meter":"i32","function":3,"address":6,"addressBase":0,"type":"int32","scale":0.5,"offset":10},
            {"meter":"i64","function":3,"address":8,"addressBase":0,"type":"int64"},
            {"meter":"f64","function":3,"address":12,"addressBase":0,"type":"float64","scale":2,"offset":1000},
            {"meter":"one.based","function":3,"address":21,"addressBase":1,"type":"uint16"},
            {"meter":"zero.based","function":3,"address":21,"addressBase":0,"type":"uint16"},
            {"meter":"in.f32","function":4,"address":0,"addressBase":0,"type":"float32"},
            {"meter":"coil","function":1,"address":3,"addressBase":0},
            {"meter":"discrete","function":2,"address":0,"addressBase":0}
            """));
        await Wait.UntilAsync(() => h.Batches.Count >= 2, "two polls delivered");

        var first = h.Batches[0];
        var values = first.Request.Readings.ToDictionary(r => r.Meter, r => r.Value);
        Assert.Equal(meters.Order(), values.Keys.Order());
        Assert.Equal(123.45600128173828, values["f.abcd"]);
        Assert.Equal(123.45600128173828, values["f.cdab"]);
        Assert.Equal(-12.3, values["i16"], 9);
        Assert.Equal(413.0, values["u16"]);
        Assert.Equal(9.0, values["i32"]);
        Assert.Equal(-1234567890123.0, values["i64"]);
        Assert.Equal(-1469.0, values["f64"]);
        Assert.Equal(111.0, values["one.based"]);
        Assert.Equal(222.0, values["zero.based"]);
        Assert.Equal(50.0, values["in.f32"]);
        Assert.Equal(1.0, values["coil"]);
        Assert.Equal(0.0, values["discrete"]);
        // One batch per poll, every reading stamped with the instant the poll started; all accepted.
        Assert.Single(first.Request.Readings.Select(r => r.Ts).Distinct());
        Assert.Equal((12, 0), (first.Result.Accepted, first.Result.Rejected.Count));
        Assert.True(h.Batches[1].Request.Readings[0].Ts > first.Request.Readings[0].Ts);
        // Holding 0-15 and 20-21 are two requests (0 gap allowed), then input, coils, discrete: 5 per poll.
        var status = device.Status;
        Assert.Equal(SourceState.Connected, status.State);
        Assert.True(status.Messages >= 10, $"messages {status.Messages}");
        Assert.Empty(status.Problems);
        Assert.DoesNotContain(device.Logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task RunAsync_PointPastSimulatorTable_ExceptionCountedLoggedOnceOthersStillRead()
    {
        // The holding table has 200 registers; the point at 250 is answered with exception 02 every poll.
        var contents = new Dictionary<string, object>
        {
            ["size"] = new Dictionary<string, int> { ["holding"] = 200 },
            ["holding"] = new Dictionary<string, int[]> { ["10"] = [42] },
            ["input"] = new Dictionary<string, int[]> { ["0"] = [7] },
        };
        await using var sim = await ModbusSimulator.StartAsync(contents);
        await using var h = await ConnectorHarness.StartAsync(ConnectorHarness.Gauge("good"), ConnectorHarness.Gauge("missing"), ConnectorHarness.Gauge("other"));

        var device = h.Run(Settings(sim.Port, """
            {"meter":"good","function":3,"address":10,"addressBase":0,"type":"uint16"},
            {"meter":"missing","function":3,"address":250,"addressBase":0,"type":"uint16"},
            {"meter":"other","function":4,"address":0,"addressBase":0,"type":"uint16"}
            """));
        const string kind = "exception-02 (illegal data address)";
        await Wait.UntilAsync(() => device.Problems(kind) >= 3 && h.ValuesOf("other").Count >= 3, "three polls with the exception");

        Assert.All(h.ValuesOf("good"), v => Assert.Equal(42.0, v));
        Assert.All(h.ValuesOf("other"), v => Assert.Equal(7.0, v));
        Assert.Empty(h.ValuesOf("missing"));
        var status = device.Status;
        Assert.Equal(SourceState.Connected, status.State);
        Assert.StartsWith(kind + ": 127.0.0.1:", status.LastError, StringComparison.Ordinal);
        Assert.Contains("holding registers (FC 3) 250-250", status.LastError, StringComparison.Ordinal);
        Assert.Contains("not read this poll: missing", status.LastError, StringComparison.Ordinal);
        // Logged the first time only; later ones are counted.
        Assert.Single(device.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(kind, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_NaNInFloatRegister_QuarantinedWithReasonOthersStored()
    {
        // 0x7FC0 0x0000 is a quiet NaN: what many meters hold when they have no measurement.
        var contents = new Dictionary<string, object>
        {
            ["holding"] = new Dictionary<string, int[]> { ["0"] = [0x7FC0, 0x0000, 0x4248, 0x0000] },
        };
        await using var sim = await ModbusSimulator.StartAsync(contents);
        await using var h = await ConnectorHarness.StartAsync(ConnectorHarness.Gauge("nan"), ConnectorHarness.Gauge("fine"));

        var device = h.Run(Settings(sim.Port, """
            {"meter":"nan","function":3,"address":1,"addressBase":1,"type":"float32"},
            {"meter":"fine","function":3,"address":2,"addressBase":0,"type":"float32"}
            """));
        await Wait.UntilAsync(() => device.Problems("not-finite") >= 2, "two NaN values rejected");

        Assert.Empty(h.ValuesOf("nan"));
        Assert.Contains(50.0, h.ValuesOf("fine"));
        var rejected = h.Batches[0].Request.ParseRejections.Single();
        Assert.Equal(("nan", "NaN", "value"), (rejected.Meter, rejected.Value, rejected.Rejection.Field));
        Assert.Equal($"127.0.0.1:{sim.Port} unit 1, points[0] (holding register 1 (1-based; PDU address 0), float32, word order big) decoded to NaN; "
            + "a device writes NaN or infinity when it has no valid measurement, so nothing was stored for this poll", rejected.Rejection.Reason);
        // The kind is counted as the poll is read, the rows are quarantined when its batch is written just after.
        IReadOnlyList<GreenLoop.Storage.QuarantineEntry> quarantine = [];
        await Wait.UntilAsync(() =>
        {
            quarantine = h.Store.ListQuarantineAsync(h.TenantId, new GreenLoop.Storage.QuarantineQuery { Limit = 100 }, CancellationToken.None).GetAwaiter().GetResult();
            return quarantine.Count >= 2;
        }, "two NaN rows quarantined");
        Assert.All(quarantine, q => Assert.Equal(("modbus:device", "nan", "value"), (q.Source, q.Meter, q.Field)));
    }

    [Fact]
    public async Task RunAsync_DeviceFreezesThenResumes_DisconnectedOnTimeoutsThenConnectedAgain()
    {
        var contents = new Dictionary<string, object> { ["holding"] = new Dictionary<string, int[]> { ["0"] = [5] } };
        await using var sim = await ModbusSimulator.StartAsync(contents);
        await using var h = await ConnectorHarness.StartAsync(ConnectorHarness.Gauge("v"));
        var device = h.Run(Settings(sim.Port, """{"meter":"v","function":3,"address":0,"addressBase":0,"type":"uint16"}""", pollSeconds: 0.2, timeoutMs: 1000));
        await Wait.UntilAsync(() => device.Status.State == SourceState.Connected, "connected");

        await sim.FreezeAsync();
        try
        {
            await Wait.UntilAsync(() => device.Status.State == SourceState.Disconnected, "disconnected after timeouts");
        }
        finally
        {
            await sim.ResumeAsync();
        }
        var frozen = device.Status;
        var readingsBefore = h.ValuesOf("v").Count;
        await Wait.UntilAsync(() => device.Status.State == SourceState.Connected, "connected again after resuming");
        await Wait.UntilAsync(() => h.ValuesOf("v").Count > readingsBefore, "readings again after resuming");

        // Three polls in a row without an answer: each a timeout of the request (the kernel still accepts connections).
        Assert.True(frozen.Problems.GetValueOrDefault("timeout") >= ModbusConnector.FailuresBeforeDisconnected, string.Join(", ", frozen.Problems));
        Assert.StartsWith("no answer to 3 polls in a row (no answer from 127.0.0.1:", frozen.StateDetail, StringComparison.Ordinal);
        Assert.All(h.ValuesOf("v"), v => Assert.Equal(5.0, v));
        var log = device.Logger.Entries;
        Assert.Single(log, e => e.EventId == 6302);
        Assert.Equal(2, log.Count(e => e.EventId == 6301));
        Assert.Single(log, e => e.EventId == 6001 && e.Message.Contains(": timeout: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_NothingListening_DisconnectedConnectFailedCountedLoggedOnce()
    {
        await using var h = await ConnectorHarness.StartAsync(ConnectorHarness.Gauge("v"));
        var port = Ports.Free();

        var device = h.Run(Settings(port, """{"meter":"v","function":3,"address":0,"addressBase":0,"type":"uint16"}"""));
        // Backoff 1 s, then about 2 s: the second attempt comes within a few seconds.
        await Wait.UntilAsync(() => device.Problems("connect-failed") >= 2, "two connection attempts");

        var status = device.Status;
        Assert.Equal(SourceState.Disconnected, status.State);
        Assert.StartsWith($"cannot connect to 127.0.0.1:{port}", status.StateDetail, StringComparison.Ordinal);
        Assert.Single(device.Logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Empty(h.Batches);
    }

    [Fact]
    public async Task RunAsync_OneDeviceSendsGarbage_CountedAndTheOtherConnectorKeepsReading()
    {
        // The bad device answers every request with protocol id 0x1234: not Modbus at all.
        await using var bad = new ScriptedDevice(req => [req[0], req[1], 0x12, 0x34, 0, 3, 1, 3, 0]);
        var contents = new Dictionary<string, object> { ["holding"] = new Dictionary<string, int[]> { ["0"] = [9] } };
        await using var sim = await ModbusSimulator.StartAsync(contents);
        await using var h = await ConnectorHarness.StartAsync(ConnectorHarness.Gauge("bad.v"), ConnectorHarness.Gauge("good.v"));

        var badDevice = h.Run(Settings(bad.Port, """{"meter":"bad.v","function":3,"address":0,"addressBase":0,"type":"uint16"}"""), "bad");
        var goodDevice = h.Run(Settings(sim.Port, """{"meter":"good.v","function":3,"address":0,"addressBase":0,"type":"uint16"}"""), "good");
        await Wait.UntilAsync(() => badDevice.Status.State == SourceState.Disconnected && h.ValuesOf("good.v").Count >= 5, "bad disconnected, good reading");

        Assert.True(badDevice.Problems("malformed-frame") >= ModbusConnector.FailuresBeforeDisconnected);
        Assert.Contains("protocol id 4660 is not Modbus (0)", badDevice.Status.LastError, StringComparison.Ordinal);
        Assert.True(bad.Connections >= ModbusConnector.FailuresBeforeDisconnected, "a bad frame drops the connection; each poll reconnects");
        Assert.Equal(SourceState.Connected, goodDevice.Status.State);
        Assert.Empty(goodDevice.Status.Problems);
        Assert.Empty(h.ValuesOf("bad.v"));
        Assert.False(badDevice.Run.IsCompleted);
    }
}
