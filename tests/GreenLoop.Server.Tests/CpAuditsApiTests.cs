using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using static GreenLoop.Testing.AccountingTestPlant;

namespace GreenLoop.Server.Tests;

/// <summary>
/// A cleaner-production audit's balances through the real server (issue 13, item 5), each against a hand calculation:
/// a plant with two workshops metered hourly in June 2025 — electricity 100 kWh/h at the incomer, 30 and 60 at the
/// workshops; fresh water 5 m³/h at the main, 3 and 1.5 at the workshops; recycled water 2 m³/h; 2,000 m³ of
/// wastewater recorded as discharged; material flows recorded — and the options' stages.
/// </summary>
public sealed class CpAuditsApiTests : IAsyncLifetime
{
    private const string Site = "cpa";
    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    private const string SiteJson = """
        {"key":"cpa","name":"Audit plant","timeZone":"Asia/Shanghai",
         "nodes":[{"key":"press","name":"Press workshop","nameZh":"压制车间","kind":"Workshop"},{"key":"kiln","name":"Kiln workshop","nameZh":"窑炉车间","kind":"Workshop"}],
         "meters":[
          {"key":"cpa.elec","name":"Incomer","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":60},
          {"key":"cpa.elec.press","name":"Press feeder","node":"press","parent":"cpa.elec","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":60},
          {"key":"cpa.elec.kiln","name":"Kiln feeder","node":"kiln","parent":"cpa.elec","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":60},
          {"key":"cpa.water","name":"Fresh water main","carrier":"fresh_water","unit":"m3","kind":"Interval","intervalMinutes":60},
          {"key":"cpa.water.press","name":"Press water","node":"press","parent":"cpa.water","carrier":"fresh_water","unit":"m3","kind":"Interval","intervalMinutes":60},
          {"key":"cpa.water.kiln","name":"Kiln water","node":"kiln","parent":"cpa.water","carrier":"fresh_water","unit":"m3","kind":"Interval","intervalMinutes":60},
          {"key":"cpa.recycled","name":"Recycled water","quantity":"Material","carrier":"recycled_water","unit":"m3","kind":"Interval","intervalMinutes":60}]}
        """;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        using var put = await _client.PutAsync($"/api/v1/sites/{Site}", new StringContent(SiteJson, Encoding.UTF8, "application/json"));
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var readings = new List<(string, DateTimeOffset, double)>();
        var start = new DateTimeOffset(2025, 6, 1, 0, 0, 0, Shanghai);
        foreach (var (meter, perHour) in new[] { ("cpa.elec", 100.0), ("cpa.elec.press", 30.0), ("cpa.elec.kiln", 60.0), ("cpa.water", 5.0), ("cpa.water.press", 3.0), ("cpa.water.kiln", 1.5), ("cpa.recycled", 2.0) })
            for (var t = start.AddHours(1); t <= start.AddDays(30); t = t.AddHours(1)) readings.Add((meter, t, perHour));
        foreach (var chunk in readings.Chunk(2000)) (await _client.PostAsync("/api/v1/readings", Body(chunk))).EnsureSuccessStatusCode();
        await Http.WaitForDerivationAsync(_client);
        foreach (var (key, value, unit) in new[] { ("water.discharged", 2000.0, "m3"), ("material.in.clay", 1000.0, "t"), ("material.in.feldspar", 500.0, "t"), ("material.out.product", 1300.0, "t"), ("material.out.waste", 150.0, "t") })
            (await _client.PostAsJsonAsync($"/api/v1/sites/{Site}/quantities", new { key, period = "2025-06", value, unit })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    [Fact]
    public async Task Balances_OfTheAuditPeriod_EqualTheHandCalculation()
    {
        using var created = await _client.PostAsJsonAsync($"/api/v1/sites/{Site}/cp-audits", new { title = "2025 清洁生产审核", period = "2025-06", team = new[] { "王建国" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var audit = await Http.JsonAsync(created);

        // Water (720 h): intake 3,600 m3; press 2,160, kiln 1,080, together 3,240, unaccounted 360; recycled 1,440;
        // discharged 2,000 (recorded); consumed 3,600 - 2,000 = 1,600; reuse 1,440 / (1,440 + 3,600) = 28.571 %.
        var water = audit.GetProperty("water");
        Assert.Equal((3600.0, 3240.0, 360.0, 1440.0, 2000.0, 1600.0), (water.GetProperty("intake").GetDouble(), water.GetProperty("nodesTotal").GetDouble(),
            water.GetProperty("unaccounted").GetDouble(), water.GetProperty("recycled").GetDouble(), water.GetProperty("discharged").GetDouble(), water.GetProperty("consumed").GetDouble()));
        Assert.Equal(1440.0 / (1440 + 3600) * 100, water.GetProperty("reuseRatePercent").GetDouble(), 12);
        Assert.Equal("recorded water.discharged", water.GetProperty("dischargedSource").GetString());
        Assert.Equal(new[] { ("press", 2160.0), ("kiln", 1080.0) }, water.GetProperty("byNode").EnumerateArray().Select(n => (n.GetProperty("node").GetString()!, n.GetProperty("value").GetDouble())));

        // Electricity: 72,000 kWh at the incomer; 21,600 + 43,200 = 64,800 at the workshops; 7,200 (10 %) unaccounted.
        var elec = audit.GetProperty("energy").GetProperty("carriers").EnumerateArray().Single(c => c.GetProperty("carrier").GetString() == "electricity");
        Assert.Equal((72_000.0, 64_800.0, 7_200.0), (elec.GetProperty("site").GetDouble(), elec.GetProperty("nodesTotal").GetDouble(), elec.GetProperty("unaccounted").GetDouble()));
        Assert.Equal(10, elec.GetProperty("unaccountedPercent").GetDouble(), 12);
        // 72,000 kWh x 0.1229 kgce/kWh (GB/T 2589-2020, equivalent value) = 8,848.8 kgce.
        Assert.Equal(72_000 * 0.1229, audit.GetProperty("energy").GetProperty("comprehensiveKgce").GetDouble(), 9);

        // Materials: in 1,000 + 500 = 1,500 t; out 1,300 + 150 = 1,450 t; 50 t unaccounted; closure 96.667 %.
        var materials = audit.GetProperty("materials");
        Assert.Equal((1500.0, 1450.0, 50.0, "t"), (materials.GetProperty("inputTotal").GetDouble(), materials.GetProperty("outputTotal").GetDouble(),
            materials.GetProperty("unaccounted").GetDouble(), materials.GetProperty("unit").GetString()!));
        Assert.Equal(1450.0 / 1500 * 100, materials.GetProperty("closurePercent").GetDouble(), 12);
    }

    [Fact]
    public async Task Options_MoveThroughTheirStages_WithHistory()
    {
        using var created = await _client.PostAsJsonAsync($"/api/v1/sites/{Site}/cp-audits", new { title = "Audit", period = "2025-06" });
        var id = (await Http.JsonAsync(created)).GetProperty("id").GetInt64();
        using var bad = await _client.PostAsJsonAsync($"/api/v1/sites/{Site}/cp-audits/{id}/options", new { title = "", investmentYuan = -1 });
        using var added = await _client.PostAsJsonAsync($"/api/v1/sites/{Site}/cp-audits/{id}/options",
            new { title = "Kiln waste-heat recovery", area = "Energy", investmentYuan = 850_000, expectedBenefit = "12 % less gas in the dryer", proposedBy = "陈伟" });
        var option = await Http.JsonAsync(added);
        var optionId = option.GetProperty("id").GetInt64();
        using var screened = await _client.PutAsJsonAsync($"/api/v1/sites/{Site}/cp-audits/{id}/options/{optionId}", new { stage = "Screened", note = "passed the screening" });
        using var feasible = await _client.PutAsJsonAsync($"/api/v1/sites/{Site}/cp-audits/{id}/options/{optionId}", new { stage = "Feasible" });
        var audit = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sites/{Site}/cp-audits/{id}");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal((HttpStatusCode.Created, "Proposed"), (added.StatusCode, option.GetProperty("stage").GetString()));
        var stored = Assert.Single(audit.GetProperty("options").EnumerateArray());
        Assert.Equal("Feasible", stored.GetProperty("stage").GetString());
        Assert.Equal(["proposed", "stage Proposed -> Screened", "stage Screened -> Feasible"], stored.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("what").GetString()));
        Assert.Equal(850_000, stored.GetProperty("option").GetProperty("investmentYuan").GetDouble());
    }
}
