using System.Globalization;
using GreenLoop.Connectors.Modbus;
using GreenLoop.Domain.Model;
using GreenLoop.Storage;
using GreenLoop.Testing;

namespace GreenLoop.Connectors.Tests.Modbus;

/// <summary>A 32-bit energy counter that wraps between polls, read from pymodbus and derived by the real pipeline.</summary>
public sealed class ModbusEnergyRolloverTests
{
    private const string Meter = "plant.main.wh";

    [Fact]
    public async Task RunAsync_UInt32CounterWrapsBetweenPolls_DerivedEnergyIsTheDifferenceAcrossTheWrap()
    {
        // The counter counts Wh in a uint32 (holding 0-1, high word first) and wraps to 0 after 4294967295; the meter
        // says so (rolloverAt 2^32) and converts Wh to kWh (multiplier 0.001). The connector passes raw values.
        var meter = new MeterDefinition
        {
            Key = Meter, Name = "Main incomer", Carrier = "electricity", Unit = "kWh", Kind = MeterKind.Cumulative,
            Multiplier = 0.001, RolloverAt = 4294967296,
        };
        var contents = new Dictionary<string, object>
        {
            ["holding"] = new Dictionary<string, int[]> { ["0"] = ModbusSimulator.UInt32Words(4_294_967_000) },
        };
        await using var sim = await ModbusSimulator.StartAsync(contents);
        await using var h = await ConnectorHarness.StartAsync(meter);
        var device = h.Run(string.Create(CultureInfo.InvariantCulture, $$"""
            { "host": "127.0.0.1", "port": {{sim.Port}}, "pollSeconds": 0.2, "timeoutMs": 2000,
              "points": [ {"meter":"{{Meter}}","function":3,"address":0,"addressBase":0,"type":"uint32"} ] }
            """));

        // 4294967000 -> 4294967295 (the last value before the wrap) -> 200 (wrapped) -> 1000, each seen by a poll.
        uint[] steps = [4_294_967_000, 4_294_967_295, 200, 1000];
        await Wait.UntilAsync(() => h.ValuesOf(Meter).Contains(steps[0]), "the first value read");
        foreach (var value in steps.Skip(1))
        {
            await sim.SetAsync("holding", 0, ModbusSimulator.UInt32Words(value));
            await Wait.UntilAsync(() => h.ValuesOf(Meter).Contains(value), $"{value} read");
        }
        var last = h.ValuesOf(Meter).Count;
        await Wait.UntilAsync(() => h.ValuesOf(Meter).Count > last, "one more poll of the final value");
        await h.DisposeConnectorsAsync();
        await h.DeriveAsync();

        // Raw values are stored as read: the wrap is the meter's business, not the connector's.
        var values = h.ValuesOf(Meter);
        Assert.Equal(steps.Select(v => (double)v), values.Distinct());
        Assert.Equal(SourceState.Connected, device.Status.State);
        Assert.Equal(device.Status.Readings, device.Status.Accepted);
        // Energy: (2^32 - 4294967000) Wh up to the wrap + 1000 Wh after it = 296 + 1000 = 1296 Wh = 1.296 kWh.
        // Without rolloverAt the fall from 4294967295 to 200 would be a drop, and nothing negative may appear.
        var today = DateTime.UtcNow.Date;
        string Day(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var series = await h.Query.MeterSeriesAsync(h.TenantId, ConnectorHarness.SiteKey, Meter, Grain.Minutes15, Ranges.Dates(Day(-1), Day(2)), CancellationToken.None);
        Assert.NotNull(series);
        var buckets = series.Points.Where(p => p.Value is not null).ToList();
        Assert.Equal(1.296, buckets.Sum(p => p.Value!.Value), 9);
        Assert.All(buckets, p => Assert.True(p.Value >= 0, $"{p.Start}: {p.Value}"));
        Assert.Contains(buckets, p => p.Flags.Contains("rollover"));
    }
}
