using System.Globalization;
using GreenLoop.Accounting;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Monitor.Flow;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Tests.Monitor.Flow;

/// <summary>
/// The energy-flow arithmetic without a store: the period cut into stored periods, a node whose own meters have no data,
/// a sub-node with counted meters but no data, a carrier that cannot be converted to standard coal.
/// </summary>
public sealed class EnergyFlowTests
{
    private static long Ms(string instant) => DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static readonly FlowTreeNode[] _tree =
    [
        new("_site", "Plant", "工厂", null),
        new("ws", "Workshop", "车间", "_site"),
        new("p1", "Process 1", null, "ws"),
        new("p2", "Process 2", null, "ws"),
    ];

    [Fact]
    public void Pieces_RangeFromAQuarterPastTheHourToAMonthLater_QuarterHoursHoursDaysAMonthAndADay()
    {
        var shanghai = SiteCalendar.ForZone("Asia/Shanghai");

        var pieces = EnergyFlowService.Pieces(shanghai, Ms("2026-01-15T10:30:00+08:00"), Ms("2026-03-02T00:00:00+08:00")).ToList();

        Assert.Equal(
        [
            (Grain.Minutes15, Ms("2026-01-15T10:30:00+08:00"), Ms("2026-01-15T11:00:00+08:00")),
            (Grain.Hour, Ms("2026-01-15T11:00:00+08:00"), Ms("2026-01-16T00:00:00+08:00")),
            (Grain.Day, Ms("2026-01-16T00:00:00+08:00"), Ms("2026-02-01T00:00:00+08:00")),
            (Grain.Month, Ms("2026-02-01T00:00:00+08:00"), Ms("2026-03-01T00:00:00+08:00")),
            (Grain.Day, Ms("2026-03-01T00:00:00+08:00"), Ms("2026-03-02T00:00:00+08:00")),
        ], pieces);
    }

    [Fact]
    public void Pieces_BerlinsTwentyThreeHourDay_OneDay()
    {
        var berlin = SiteCalendar.ForZone("Europe/Berlin");

        var pieces = EnergyFlowService.Pieces(berlin, Ms("2026-03-29T00:00:00+01:00"), Ms("2026-03-30T00:00:00+02:00")).ToList();

        Assert.Equal([(Grain.Day, Ms("2026-03-29T00:00:00+01:00"), Ms("2026-03-30T00:00:00+02:00"))], pieces);
    }

    [Fact]
    public void Build_WorkshopMeterWithoutData_DrawnAsItsProcessesSum_ListedAsNoData_SiteRemainderAgainstIt()
    {
        // The site metered 100 kWh; the workshop's own meter sent nothing, its processes 30 and 20.
        var totals = new Dictionary<(string, string), FlowTotal>
        {
            [("_site", "electricity")] = new(100, 1, QualityFlags.None),
            [("p1", "electricity")] = new(30, 1, QualityFlags.None),
            [("p2", "electricity")] = new(20, 0.5, QualityFlags.Gap),
        };
        HashSet<(string, string)> expected = [("_site", "electricity"), ("ws", "electricity"), ("p1", "electricity"), ("p2", "electricity")];

        var flow = EnergyFlow.Build("_site", _tree, [new FlowCarrierInput("electricity", "kWh", null)], totals, expected, FlowUnit.Energy);

        var problem = Assert.Single(flow.Problems);
        Assert.Equal(("noDataAtNode", "ws", null, 50.0), (problem.Kind, problem.Node, problem.Parent, problem.Children));
        var site = flow.Balances.Single(b => b.Node == "_site");
        Assert.Equal((100.0, 50.0, 50.0), (site.Inflow, site.Outflow, site.Remainder));
        // The workshop's flow is known only from below: no completeness of its own, and nothing left over.
        Assert.Equal(0, site.Completeness);
        var ws = flow.Balances.Single(b => b.Node == "ws");
        Assert.Equal((50.0, 50.0, 0.0, 0.0), (ws.Inflow, ws.Outflow, ws.Remainder, ws.Completeness));
        Assert.Equal(["gap"], flow.Links.Single(l => l.Target == "node:p2:electricity").Flags);
        Assert.DoesNotContain(flow.Nodes, n => n.Id == "rest:ws:electricity");
    }

    [Fact]
    public void Build_ProcessWithMetersButNoData_MissingNotZero_RemainderZeroComplete()
    {
        var totals = new Dictionary<(string, string), FlowTotal>
        {
            [("_site", "electricity")] = new(100, 1, QualityFlags.None),
            [("ws", "electricity")] = new(80, 1, QualityFlags.None),
            [("p1", "electricity")] = new(30, 1, QualityFlags.None),
        };
        HashSet<(string, string)> expected = [("_site", "electricity"), ("ws", "electricity"), ("p1", "electricity"), ("p2", "electricity")];

        var flow = EnergyFlow.Build("_site", _tree, [new FlowCarrierInput("electricity", "kWh", null)], totals, expected, FlowUnit.Energy);

        var ws = flow.Balances.Single(b => b.Node == "ws");
        Assert.Equal((80.0, 30.0, 50.0), (ws.Inflow, ws.Outflow, ws.Remainder));
        Assert.Equal(["p2"], ws.MissingChildren);
        Assert.Equal(0, ws.Completeness);
        Assert.DoesNotContain(flow.Nodes, n => n.Node == "p2");
        Assert.Empty(flow.Problems);
    }

    [Fact]
    public void Build_InTce_CarrierWithoutCoefficient_LeftOutWithItsReason()
    {
        var totals = new Dictionary<(string, string), FlowTotal>
        {
            [("_site", "electricity")] = new(1000, 1, QualityFlags.None),
            [("_site", "fresh_water")] = new(40, 1, QualityFlags.None),
        };
        var coefficient = new FactorUse("coal_coef/electricity_equivalent", "Electricity", "电力", 0.1229, "kgce/kWh", "GB/T 2589-2020 Annex A", "2020", false, "test");
        FlowCarrierInput[] carriers =
        [
            new("electricity", "kWh", new CoalConversion("electricity", "kWh", coefficient, 1, null, null)),
            new("fresh_water", "m3", new CoalConversion("fresh_water", "m3", null, 1, "no verified number", "无经核实数值")),
        ];

        var flow = EnergyFlow.Build("_site", _tree, carriers, totals, new HashSet<(string, string)>(), FlowUnit.Tce);

        // 1000 kWh × 0.1229 kgce/kWh = 122.9 kgce = 0.1229 tce.
        var link = Assert.Single(flow.Links);
        Assert.Equal(("carrier:electricity", "node:_site", 1000 * 0.1229 / 1000, "tce", 1000.0, "kWh"),
            (link.Source, link.Target, link.Value, link.Unit, link.Quantity, link.QuantityUnit));
        var water = flow.Carriers.Single(c => c.Carrier == "fresh_water");
        Assert.Equal((false, 40.0, "no verified number"), (water.Counted, water.Quantity, water.Reason));
    }
}
