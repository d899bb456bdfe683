using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using static GreenLoop.Testing.AccountingTestPlant;

namespace GreenLoop.Server.Tests;

/// <summary>
/// The energy-flow Sankey through the real server (issue 16, item 4) on a plant built for it: a main incomer at the site,
/// two workshops metered under it, a process metered under workshop A, a gas main with workshop B's gas sub-meter, and a
/// fresh-water main. Two days of 15-minute interval readings: on 1 June everything adds up below its parent (with one
/// quarter hour missing from workshop B); on 2 June the process meter reads more than its workshop's (a metering
/// problem). Every value is compared with the sum of the readings this test wrote, worked out here.
/// </summary>
public sealed class EnergyFlowApiTests : IAsyncLifetime
{
    private const string Site = "flow";
    private const double Exact = 1e-9;
    private static readonly TimeSpan _shanghai = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset _june1 = new(2025, 6, 1, 0, 0, 0, _shanghai);
    private static readonly DateTimeOffset _june2 = _june1.AddDays(1);
    private static readonly DateTimeOffset _june3 = _june1.AddDays(2);

    /// <summary>Workshop B's quarter hour 1 June 10:00-10:15 is missing: a gap, never a zero.</summary>
    private static readonly DateTimeOffset _missingB = _june1.AddHours(10);

    private readonly GreenLoopAppFactory _factory = new();
    private readonly List<(string Meter, DateTimeOffset Ts, double Value)> _readings = [];
    private HttpClient _client = null!;

    private const string SiteJson = """
        {"key":"flow","name":"Flow plant","nameZh":"能流测试厂","timeZone":"Asia/Shanghai",
         "nodes":[{"key":"wsA","name":"Workshop A","nameZh":"A车间","kind":"Workshop"},
                  {"key":"wsB","name":"Workshop B","nameZh":"B车间","kind":"Workshop"},
                  {"key":"procA1","name":"Process A1","nameZh":"A1工序","kind":"Process","parent":"wsA"},
                  {"key":"procA2","name":"Process A2 (no meter)","kind":"Process","parent":"wsA"}],
         "meters":[
           {"key":"flow.main","name":"Main incomer","node":null,"carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15},
           {"key":"flow.a","name":"Workshop A feeder","node":"wsA","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"parent":"flow.main"},
           {"key":"flow.b","name":"Workshop B feeder","node":"wsB","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"parent":"flow.main"},
           {"key":"flow.a1","name":"Process A1 feeder","node":"procA1","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"parent":"flow.a"},
           {"key":"flow.gas","name":"Gas main","carrier":"natural_gas","unit":"m3","kind":"Interval","intervalMinutes":15},
           {"key":"flow.gas.b","name":"Workshop B gas","node":"wsB","carrier":"natural_gas","unit":"m3","kind":"Interval","intervalMinutes":15,"parent":"flow.gas"},
           {"key":"flow.water","name":"Fresh water main","carrier":"fresh_water","unit":"m3","kind":"Interval","intervalMinutes":15},
           {"key":"flow.check","name":"Check meter on A (balance only)","node":"wsA","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"role":"SubMeter","parent":"flow.a"},
           {"key":"flow.output","name":"Output","node":"wsB","quantity":"ProductOutput","carrier":"tile_output","unit":"m2","kind":"Interval","intervalMinutes":60}]}
        """;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        using (var put = await _client.PutAsync($"/api/v1/sites/{Site}", new StringContent(SiteJson, Encoding.UTF8, "application/json")))
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        for (var start = _june1; start < _june3; start = start.AddMinutes(15))
        {
            var end = start.AddMinutes(15);
            // Values in quarters of a unit, exact in binary, so that every sum below is exact.
            var a = 40 + start.Hour + 0.25 * (start.Minute / 15);
            var b = 25.5 + (start.Hour % 3);
            _readings.Add(("flow.main", end, a + b + 12.75 + start.Hour * 0.5));
            _readings.Add(("flow.a", end, a));
            if (start != _missingB) _readings.Add(("flow.b", end, b));
            // 1 June: the process takes 40 % of its workshop; 2 June: 10 kWh a quarter more than the workshop's feeder.
            _readings.Add(("flow.a1", end, start < _june2 ? a * 0.375 : a + 10));
            _readings.Add(("flow.gas", end, 11.5));
            _readings.Add(("flow.gas.b", end, 9.25));
            _readings.Add(("flow.water", end, 2));
            _readings.Add(("flow.check", end, a * 2));
        }
        foreach (var chunk in _readings.Chunk(3000))
        {
            using var posted = await _client.PostAsync("/api/v1/readings", Body(chunk));
            Assert.True(posted.StatusCode == HttpStatusCode.OK, await posted.Content.ReadAsStringAsync());
        }
        await Http.WaitForDerivationAsync(_client);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    /// <summary>The sum of what this test wrote for a meter over the periods starting in [from, to).</summary>
    private double Sum(string meter, DateTimeOffset from, DateTimeOffset to) =>
        _readings.Where(r => r.Meter == meter && r.Ts.AddMinutes(-15) >= from && r.Ts.AddMinutes(-15) < to).Sum(r => r.Value);

    private async Task<JsonElement> FlowAsync(string query)
    {
        using var response = await _client.GetAsync($"/api/v1/sites/{Site}/energy-flow?{query}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static List<JsonElement> Links(JsonElement flow) => [.. flow.GetProperty("links").EnumerateArray()];

    private static double Link(JsonElement flow, string source, string target, string carrier) =>
        Assert.Single(Links(flow), l => l.GetProperty("source").GetString() == source && l.GetProperty("target").GetString() == target
            && l.GetProperty("carrier").GetString() == carrier).GetProperty("value").GetDouble();

    private static JsonElement Balance(JsonElement flow, string node, string carrier) =>
        Assert.Single(flow.GetProperty("balances").EnumerateArray(), b => b.GetProperty("node").GetString() == node && b.GetProperty("carrier").GetString() == carrier);

    /// <summary>
    /// For every node of the tree drawn and every carrier: what enters it equals what leaves it to its metered sub-nodes
    /// plus its remainder (negative when the sub-nodes take more), to 1e-9; the balances say the same as the links; no
    /// link is negative; a node with nothing leaving it is where its flow ends (its own consumption).
    /// </summary>
    private static void AssertEveryNodeBalances(JsonElement flow)
    {
        var links = Links(flow);
        Assert.All(links, l => Assert.True(l.GetProperty("value").GetDouble() >= 0, $"negative link {l}"));
        var ids = links.Select(l => l.GetProperty("source").GetString()!).Concat(links.Select(l => l.GetProperty("target").GetString()!)).Distinct().ToList();
        var nodes = flow.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!);
        Assert.Equal(ids.Order(StringComparer.Ordinal), nodes.Keys.Order(StringComparer.Ordinal));
        var balances = flow.GetProperty("balances").EnumerateArray().ToList();
        foreach (var (id, node) in nodes.Where(n => n.Value.GetProperty("kind").GetString() == "node"))
        {
            foreach (var carrier in links.Where(l => l.GetProperty("target").GetString() == id).Select(l => l.GetProperty("carrier").GetString()!).Distinct())
            {
                double SumOf(Func<JsonElement, bool> which) => links.Where(l => l.GetProperty("carrier").GetString() == carrier && which(l)).Sum(l => l.GetProperty("value").GetDouble());
                string Kind(JsonElement l) => l.GetProperty("kind").GetString()!;
                var inflow = SumOf(l => l.GetProperty("target").GetString() == id && Kind(l) is "supply" or "flow");
                var toChildren = SumOf(l => l.GetProperty("source").GetString() == id && Kind(l) == "flow");
                var remainder = SumOf(l => l.GetProperty("source").GetString() == id && Kind(l) == "remainder") - SumOf(l => l.GetProperty("target").GetString() == id && Kind(l) == "excess");
                var key = node.GetProperty("node").GetString();
                var balance = balances.SingleOrDefault(b => b.GetProperty("node").GetString() == key && b.GetProperty("carrier").GetString() == carrier);
                if (balance.ValueKind == JsonValueKind.Undefined)
                {
                    // Where the flow ends: nothing metered below, no remainder.
                    Assert.Equal((0.0, 0.0), (toChildren, remainder));
                    continue;
                }
                Assert.Equal(inflow, toChildren + remainder, Exact);
                Assert.Equal(inflow, balance.GetProperty("inflow").GetDouble(), Exact);
                Assert.Equal(toChildren, balance.GetProperty("outflow").GetDouble(), Exact);
                Assert.Equal(balance.GetProperty("inflow").GetDouble(), balance.GetProperty("outflow").GetDouble() + balance.GetProperty("remainder").GetDouble(), Exact);
                Assert.Equal(remainder, balance.GetProperty("remainder").GetDouble(), Exact);
            }
        }
    }

    [Fact]
    public async Task EnergyFlow_June1InEnergy_EveryNodeBalances_FlowsAreTheReadingsSums_RemaindersExplicit()
    {
        var flow = await FlowAsync("from=2025-06-01&to=2025-06-02");

        AssertEveryNodeBalances(flow);
        var (main, a, b, a1) = (Sum("flow.main", _june1, _june2), Sum("flow.a", _june1, _june2), Sum("flow.b", _june1, _june2), Sum("flow.a1", _june1, _june2));
        var (gas, gasB, water) = (Sum("flow.gas", _june1, _june2), Sum("flow.gas.b", _june1, _june2), Sum("flow.water", _june1, _june2));
        // By hand: main Σ(a + b + 12.75 + h/2), a = Σ(40 + h + q/4) = 96 × 40 + 4 × 276 + 24 × 1.5 = 4980; b misses the
        // 10:00 quarter (25.5 + 1).
        Assert.Equal(4980, a);
        Assert.Equal(96 * 25.5 + 32 * 3 - 26.5, b);
        Assert.Equal(4980 + 96 * 25.5 + 32 * 3 + 96 * 12.75 + 4 * 138, main);
        Assert.Equal(("energy", "_site", "2025-06-01T00:00:00+08:00", "2025-06-02T00:00:00+08:00"),
            (flow.GetProperty("unit").GetString(), flow.GetProperty("node").GetString(), flow.GetProperty("from").GetString(), flow.GetProperty("to").GetString()));

        Assert.Equal(main, Link(flow, "carrier:electricity", "node:_site:electricity", "electricity"));
        Assert.Equal(a, Link(flow, "node:_site:electricity", "node:wsA:electricity", "electricity"));
        Assert.Equal(b, Link(flow, "node:_site:electricity", "node:wsB:electricity", "electricity"));
        Assert.Equal(a1, Link(flow, "node:wsA:electricity", "node:procA1:electricity", "electricity"));
        Assert.Equal(main - a - b, Link(flow, "node:_site:electricity", "rest:_site:electricity", "electricity"), Exact);
        Assert.Equal(a - a1, Link(flow, "node:wsA:electricity", "rest:wsA:electricity", "electricity"), Exact);
        Assert.Equal(gas, Link(flow, "carrier:natural_gas", "node:_site:natural_gas", "natural_gas"));
        Assert.Equal(gasB, Link(flow, "node:_site:natural_gas", "node:wsB:natural_gas", "natural_gas"));
        Assert.Equal(gas - gasB, Link(flow, "node:_site:natural_gas", "rest:_site:natural_gas", "natural_gas"), Exact);
        // Fresh water has no meter below the site: it ends there. The check meter (SubMeter) and output are never drawn.
        Assert.Equal(water, Link(flow, "carrier:fresh_water", "node:_site:fresh_water", "fresh_water"));
        Assert.DoesNotContain(Links(flow), l => l.GetProperty("source").GetString() == "node:_site:fresh_water");
        Assert.DoesNotContain(Links(flow), l => l.GetProperty("carrier").GetString() == "tile_output");
        // Electricity 6 (supply, two workshops, the process, two remainders), gas 3, water 1.
        Assert.Equal(10, Links(flow).Count);

        var site = Balance(flow, "_site", "electricity");
        Assert.Equal(["wsA", "wsB"], site.GetProperty("children").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal((main - a - b) / main * 100, site.GetProperty("remainderPercent").GetDouble(), Exact);
        // Workshop B misses one quarter of 96: its flow and the site's remainder (which it makes up) are 95/96 complete.
        var bLink = Assert.Single(Links(flow), l => l.GetProperty("target").GetString() == "node:wsB:electricity");
        Assert.Equal(Math.Round(95 / 96.0, 4), bLink.GetProperty("completeness").GetDouble());
        Assert.Equal(Math.Round(95 / 96.0, 4), site.GetProperty("completeness").GetDouble());
        Assert.Equal(1.0, Balance(flow, "wsA", "electricity").GetProperty("completeness").GetDouble());
        Assert.Equal(Math.Round(95 / 96.0, 4), flow.GetProperty("completeness").GetDouble());
        // Process A2 has no meter: not drawn, not missing (nothing was expected of it).
        Assert.Empty(Balance(flow, "wsA", "electricity").GetProperty("missingChildren").EnumerateArray());
        Assert.DoesNotContain(flow.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("node").GetString() == "procA2");
        var rest = Assert.Single(flow.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("id").GetString() == "rest:wsA:electricity");
        Assert.Equal(("remainder", "未计量/损耗：A车间", "Unmetered / losses: Workshop A"),
            (rest.GetProperty("kind").GetString(), rest.GetProperty("nameZh").GetString(), rest.GetProperty("name").GetString()));
        Assert.True(Assert.Single(flow.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("id").GetString() == "node:wsA:electricity").GetProperty("drill").GetBoolean());
        Assert.False(Assert.Single(flow.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("id").GetString() == "node:procA1:electricity").GetProperty("drill").GetBoolean());
        Assert.Empty(flow.GetProperty("problems").EnumerateArray());
    }

    [Fact]
    public async Task EnergyFlow_SubMeterReadsMoreThanItsParent_ExcessDrawnNotNegative_ListedAsProblem()
    {
        var flow = await FlowAsync("from=2025-06-02&to=2025-06-03");

        AssertEveryNodeBalances(flow);
        var (a, a1) = (Sum("flow.a", _june2, _june3), Sum("flow.a1", _june2, _june3));
        // 96 quarters, each 10 kWh more on the process than on its workshop.
        Assert.Equal(960, a1 - a, Exact);
        Assert.Equal(a1 - a, Link(flow, "excess:wsA:electricity", "node:wsA:electricity", "electricity"), Exact);
        Assert.DoesNotContain(Links(flow), l => l.GetProperty("target").GetString() == "rest:wsA:electricity");
        var balance = Balance(flow, "wsA", "electricity");
        Assert.Equal(a - a1, balance.GetProperty("remainder").GetDouble(), Exact);
        var problem = Assert.Single(flow.GetProperty("problems").EnumerateArray());
        Assert.Equal(("subMetersExceedParent", "wsA", "electricity", "kWh"), (problem.GetProperty("kind").GetString(), problem.GetProperty("node").GetString(),
            problem.GetProperty("carrier").GetString(), problem.GetProperty("unit").GetString()));
        Assert.Equal((a, a1, a - a1), (problem.GetProperty("parent").GetDouble(), problem.GetProperty("children").GetDouble(), problem.GetProperty("difference").GetDouble()));
        Assert.Contains("960 kWh more", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("多 960 kWh", problem.GetProperty("messageZh").GetString(), StringComparison.Ordinal);
        Assert.Equal("excess", Assert.Single(flow.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("id").GetString() == "excess:wsA:electricity").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task EnergyFlow_InTce_CarriersAddUpWithTheEnergyReportsCoefficients_AnOverrideApplies_WaterNotCounted()
    {
        var flow = await FlowAsync("from=2025-06-01&to=2025-06-02&unit=tce");

        AssertEveryNodeBalances(flow);
        var (main, a, b, a1) = (Sum("flow.main", _june1, _june2), Sum("flow.a", _june1, _june2), Sum("flow.b", _june1, _june2), Sum("flow.a1", _june1, _june2));
        var (gas, gasB) = (Sum("flow.gas", _june1, _june2), Sum("flow.gas.b", _june1, _june2));
        // GB/T 2589-2020 Annex A (and NBS, China Energy Statistical Yearbook 2023, appendix): electricity at its
        // equivalent value 0.1229 kgce/kWh (3600 kJ/kWh), the energy report's default (docs/accounting.md); natural gas
        // (gas-field) 1.2143 kgce/m³ (8500 kcal/m³ / 7000, flagged UNVERIFIED against the 2020 text). 1 tce = 1000 kgce.
        Assert.Equal(main * 0.1229 / 1000, Link(flow, "carrier:electricity", "node:_site", "electricity"), Exact);
        Assert.Equal(a * 0.1229 / 1000, Link(flow, "node:_site", "node:wsA", "electricity"), Exact);
        Assert.Equal(b * 0.1229 / 1000, Link(flow, "node:_site", "node:wsB", "electricity"), Exact);
        Assert.Equal(a1 * 0.1229 / 1000, Link(flow, "node:wsA", "node:procA1", "electricity"), Exact);
        Assert.Equal((main - a - b) * 0.1229 / 1000, Link(flow, "node:_site", "rest:_site", "electricity"), Exact);
        Assert.Equal(gas * 1.2143 / 1000, Link(flow, "carrier:natural_gas", "node:_site", "natural_gas"), Exact);
        Assert.Equal(gasB * 1.2143 / 1000, Link(flow, "node:_site", "node:wsB", "natural_gas"), Exact);
        // One node per tree node: workshop B takes both carriers, in tce they add up.
        var wsB = Assert.Single(flow.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("id").GetString() == "node:wsB");
        Assert.Equal((b * 0.1229 + gasB * 1.2143) / 1000, wsB.GetProperty("value").GetDouble(), Exact);
        Assert.Equal("tce", wsB.GetProperty("unit").GetString());
        var site = Assert.Single(flow.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("id").GetString() == "node:_site");
        Assert.Equal((main * 0.1229 + gas * 1.2143) / 1000, site.GetProperty("value").GetDouble(), Exact);

        var carriers = flow.GetProperty("carriers").EnumerateArray().ToDictionary(c => c.GetProperty("carrier").GetString()!);
        var elec = carriers["electricity"].GetProperty("coefficient");
        Assert.Equal(("coal_coef/electricity_equivalent", 0.1229, "kgce/kWh", false), (elec.GetProperty("id").GetString(), elec.GetProperty("value").GetDouble(),
            elec.GetProperty("unit").GetString(), elec.GetProperty("unverified").GetBoolean()));
        Assert.Contains("GB/T 2589-2020", elec.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.True(carriers["natural_gas"].GetProperty("coefficient").GetProperty("unverified").GetBoolean());
        // Fresh water's coefficient has no verified number: left out of the tce diagram with the reason, never as zero.
        Assert.False(carriers["fresh_water"].GetProperty("counted").GetBoolean());
        Assert.Contains("coal_coef/fresh_water", carriers["fresh_water"].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Links(flow), l => l.GetProperty("carrier").GetString() == "fresh_water");

        // The energy report of June converts with the same coefficients: the month's supply links are its carrier lines.
        var month = await FlowAsync("from=2025-06-01&to=2025-07-01&unit=tce");
        var report = (await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sites/{Site}/reports/energy?period=2025-06")).GetProperty("account").GetProperty("lines");
        double Line(string key) => Assert.Single(report.EnumerateArray(), l => l.GetProperty("key").GetString() == key).GetProperty("value").GetDouble();
        Assert.Equal(Line("energy.electricity") / 1000, Link(month, "carrier:electricity", "node:_site", "electricity"), Exact);
        Assert.Equal(Line("energy.natural_gas") / 1000, Link(month, "carrier:natural_gas", "node:_site", "natural_gas"), Exact);

        // A site override of the gas coefficient for 2025 (a measured calorific value) is used, as the report uses it.
        using (var posted = await _client.PostAsJsonAsync($"/api/v1/sites/{Site}/factor-overrides",
            new { factor = "coal_coef/natural_gas_gasfield", year = "2025", value = 1.25, unit = "kgce/m3", reason = "measured NCV, lab report 2025-044" }))
            Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        var overridden = await FlowAsync("from=2025-06-01&to=2025-06-02&unit=tce");
        AssertEveryNodeBalances(overridden);
        Assert.Equal(gasB * 1.25 / 1000, Link(overridden, "node:_site", "node:wsB", "natural_gas"), Exact);
        var coefficient = overridden.GetProperty("carriers").EnumerateArray().Single(c => c.GetProperty("carrier").GetString() == "natural_gas").GetProperty("coefficient");
        Assert.Equal("measured NCV, lab report 2025-044", coefficient.GetProperty("override").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task EnergyFlow_DrillIntoWorkshopA_OnlyItsSubtree_PathFromTheSite_UnknownNode404_BadUnit400()
    {
        var flow = await FlowAsync("from=2025-06-01&to=2025-06-02&node=wsA");

        AssertEveryNodeBalances(flow);
        Assert.Equal([("_site", "Flow plant"), ("wsA", "Workshop A")],
            flow.GetProperty("path").EnumerateArray().Select(p => (p.GetProperty("node").GetString(), p.GetProperty("name").GetString())));
        var a = Sum("flow.a", _june1, _june2);
        Assert.Equal(a, Link(flow, "carrier:electricity", "node:wsA:electricity", "electricity"));
        Assert.Equal(["carrier:electricity", "node:procA1:electricity", "node:wsA:electricity", "rest:wsA:electricity"],
            flow.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));

        using var unknown = await _client.GetAsync($"/api/v1/sites/{Site}/energy-flow?node=nope&unit=kcal");
        using var badUnit = await _client.GetAsync($"/api/v1/sites/{Site}/energy-flow?unit=kcal");
        using var badRange = await _client.GetAsync($"/api/v1/sites/{Site}/energy-flow?from=2025-06-02&to=2025-06-01");
        using var noSite = await _client.GetAsync("/api/v1/sites/nope/energy-flow");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badUnit.StatusCode);
        Assert.Contains("use energy or tce", (await Http.JsonAsync(badUnit)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noSite.StatusCode);
    }
}
