using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using Microsoft.Extensions.DependencyInjection;
using static GreenLoop.Testing.AccountingTestPlant;

namespace GreenLoop.Server.Tests;

/// <summary>
/// Cleaner-production KPIs through the real server (issue 13): values equal an independent computation from the same
/// data (the energy report, the <c>/energy</c> rows, a hand calculation over recorded waste), formula errors come with
/// their position, missing data gives no value and why, and the status follows baseline, target and tolerance.
/// The plant: <see cref="AccountingTestPlant"/> for June 2025 plus fresh water 4 m³/h and recycled water 6 m³/h.
/// </summary>
public sealed class KpisApiTests : IAsyncLifetime
{
    private const string Site = "kpis";
    private const string June = "2025-06";

    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    private static string SiteWithWater()
    {
        var site = JsonNodeOf(SiteJson(Site));
        var meters = site["meters"]!.AsArray();
        meters.Add(System.Text.Json.Nodes.JsonNode.Parse($$"""{"key":"{{Site}}.fresh","name":"Fresh water","carrier":"fresh_water","unit":"m3","kind":"Interval","intervalMinutes":60,"stamp":"PeriodEnding"}"""));
        meters.Add(System.Text.Json.Nodes.JsonNode.Parse($$"""{"key":"{{Site}}.recycled","name":"Recycled water","quantity":"Material","carrier":"recycled_water","unit":"m3","kind":"Interval","intervalMinutes":60,"stamp":"PeriodEnding"}"""));
        return site.ToJsonString();
    }

    private static System.Text.Json.Nodes.JsonNode JsonNodeOf(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        using var put = await _client.PutAsync($"/api/v1/sites/{Site}", new StringContent(SiteWithWater(), Encoding.UTF8, "application/json"));
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var readings = Readings(Site, new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 30));
        var start = new DateTimeOffset(2025, 6, 1, 0, 0, 0, Shanghai);
        for (var t = start.AddHours(1); t <= start.AddDays(30); t = t.AddHours(1))
        {
            readings.Add(($"{Site}.fresh", t, 4));
            readings.Add(($"{Site}.recycled", t, 6));
        }
        foreach (var chunk in readings.Chunk(2000))
        {
            using var response = await _client.PostAsync("/api/v1/readings", Body(chunk));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await Http.WaitForDerivationAsync(_client);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    private async Task<HttpResponseMessage> PutKpiAsync(object kpi, string key) =>
        await _client.PutAsJsonAsync($"/api/v1/sites/{Site}/kpis/{key}", kpi);

    private async Task SaveAsync(object kpi, string key)
    {
        using var response = await PutKpiAsync(kpi, key);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        using var response = await _client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Http.JsonAsync(response);
    }

    private async Task<JsonElement> RowAsync(string key, string period = June) =>
        (await GetJsonAsync($"/api/v1/sites/{Site}/kpis?period={period}")).GetProperty("kpis").EnumerateArray()
            .Single(r => r.GetProperty("kpi").GetProperty("key").GetString() == key);

    private static object Kpi(string key, string formula, string unit = "%", string direction = "Lower", object? baseline = null, object? target = null) => new
    {
        key, name = key, nameZh = "指标 " + key, area = "Energy", unit, direction, formula, baseline, target,
        owner = new { department = "生产部, 设备部", person = "张伟" },
    };

    [Fact]
    public async Task UnitEnergy_EqualsTheEnergyReport_AndReuseRate_EqualsRecycledOverRecycledPlusFreshFromEnergy()
    {
        var library = await GetJsonAsync("/api/v1/kpi-library");
        var fromLibrary = library.GetProperty("kpis").EnumerateArray().Select(k => k.GetProperty("definition"))
            .Where(d => d.GetProperty("key").GetString() is "unit-energy" or "water-reuse-rate").ToList();
        Assert.Equal(2, fromLibrary.Count);
        foreach (var definition in fromLibrary)
        {
            using var put = await _client.PutAsync($"/api/v1/sites/{Site}/kpis/{definition.GetProperty("key").GetString()}",
                new StringContent(definition.GetRawText(), Encoding.UTF8, "application/json"));
            Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        }

        var report = await GetJsonAsync($"/api/v1/sites/{Site}/reports/energy?period={June}");
        var energy = await GetJsonAsync($"/api/v1/sites/{Site}/energy?grain=month&from=2025-06-01&to=2025-07-01&node=_site");
        double Sum(string carrier) => energy.GetProperty("rows").EnumerateArray()
            .Where(r => r.GetProperty("node").GetString() == "_site" && r.GetProperty("carrier").GetString() == carrier)
            .Sum(r => r.GetProperty("value").GetDouble());
        var unitEnergy = await RowAsync("unit-energy");
        var reuse = await RowAsync("water-reuse-rate");

        Assert.Equal(report.GetProperty("account").GetProperty("unitEnergy").GetProperty("value").GetDouble(),
            unitEnergy.GetProperty("current").GetProperty("value").GetDouble());
        // 720 h x 6 m3 recycled, 720 h x 4 m3 fresh: 4320 / (4320 + 2880) = 60 %.
        var (recycled, fresh) = (Sum("recycled_water"), Sum("fresh_water"));
        Assert.Equal((4320, 2880), (recycled, fresh));
        Assert.Equal(recycled / (recycled + fresh) * 100, reuse.GetProperty("current").GetProperty("value").GetDouble(), 12);
        // The lineage names every term with its value and source.
        var terms = reuse.GetProperty("current").GetProperty("terms").EnumerateArray().ToDictionary(t => t.GetProperty("call").GetString()!);
        Assert.Equal(4320, terms["consumption('recycled_water')"].GetProperty("value").GetDouble());
        Assert.Equal("m3", terms["consumption('fresh_water')"].GetProperty("unit").GetString());
        Assert.Equal(1, terms["consumption('fresh_water')"].GetProperty("completeness").GetDouble());
    }

    [Fact]
    public async Task WasteKpi_OverRecordedQuantities_EqualsTheHandCalculation_ProRataAcrossTheMonthEnd()
    {
        using (var first = await _client.PostAsJsonAsync($"/api/v1/sites/{Site}/quantities", new { key = "waste.solid", from = "2025-06-01", to = "2025-06-15", value = 30, unit = "t", note = "weighbridge tickets 0601-0615" }))
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        // 60 t over 30 days, 15 of them in June: 30 t count in June.
        using (var second = await _client.PostAsJsonAsync($"/api/v1/sites/{Site}/quantities", new { key = "waste.solid", from = "2025-06-16", to = "2025-07-15", value = 60, unit = "t" }))
            Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        await SaveAsync(Kpi("solid-waste-rate", "recorded('waste.solid') * 1000 / output()", "kg/m2"), "solid-waste-rate");

        var row = await RowAsync("solid-waste-rate");

        // (30 + 60 x 15/30) t x 1000 / 36,000 m2 = 60,000 / 36,000 = 1.6667 kg/m2.
        Assert.Equal((30 + 60.0 * 15 / 30) * 1000 / 36_000, row.GetProperty("current").GetProperty("value").GetDouble(), 12);
        var list = await GetJsonAsync($"/api/v1/sites/{Site}/quantities?key=waste.solid");
        Assert.Equal(2, list.GetArrayLength());
        Assert.Equal(("2025-06-16", "2025-07-15"), (list[0].GetProperty("from").GetString(), list[0].GetProperty("to").GetString()));
    }

    [Theory]
    [InlineData("consumption('electricity') / (output()", "this '(' is not closed", 30)]
    [InlineData("foo() + 1", "'foo' is not a function", 1)]
    [InlineData("energy() / consumption('steam')", "measures the carrier 'steam'", 12)]
    [InlineData("energy() * / 2", "unexpected '/'", 12)]
    [InlineData("output('x')", "'output' takes 0 argument(s), not 1", 1)]
    public async Task Formula_WithAMistake_IsRefusedWithItsPositionAndReason_NothingSaved(string formula, string reason, int position)
    {
        using var response = await PutKpiAsync(Kpi("broken", formula), "broken");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Http.JsonAsync(response)).GetProperty("errors").GetProperty("formula").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(errors, e => e.StartsWith($"position {position}: ", StringComparison.Ordinal) && e.Contains(reason, StringComparison.Ordinal));
        using var get = await _client.GetAsync($"/api/v1/sites/{Site}/kpis/broken");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task MissingDataOrDivisionByZero_GiveNoValueAndWhy_NeverZero()
    {
        await SaveAsync(Kpi("packaging", "recorded('packaging.recovered') / recorded('packaging.used') * 100", direction: "Higher"), "packaging");
        await SaveAsync(Kpi("zero", "energy() / (output() - output())", "kgce"), "zero");
        await SaveAsync(Kpi("before", "unit_energy()", "kgce/m2"), "before");

        var packaging = (await RowAsync("packaging")).GetProperty("current");
        var zero = (await RowAsync("zero")).GetProperty("current");
        var before = (await RowAsync("before", "2025-05")).GetProperty("current");

        Assert.Equal(JsonValueKind.Null, packaging.GetProperty("value").ValueKind);
        Assert.Contains("nothing recorded for 'packaging.recovered' in 2025-06", packaging.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("没有", packaging.GetProperty("reasonZh").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, zero.GetProperty("value").ValueKind);
        Assert.Contains("division by zero", zero.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, before.GetProperty("value").ValueKind);
        Assert.Contains("nothing metered in 2025-05", before.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_FollowsTheTargetInTheKpisDirection_WithinAndBeyondTheTolerance()
    {
        // Unit energy in June 2025 = 17,591.76 kgce / 36,000 m2 = 0.48866 kgce/m2 (AccountingTestPlant's hand calculation).
        var baseline = new { period = "2024", value = 0.6, evidence = "2024 energy audit report, table 3" };
        await SaveAsync(Kpi("on", "unit_energy()", "kgce/m2", baseline: baseline, target: new { period = June, changePercent = -5.0 }), "on");
        await SaveAsync(Kpi("risk", "unit_energy()", "kgce/m2", baseline: baseline, target: new { period = June, value = 0.48 }), "risk");
        await SaveAsync(Kpi("off", "unit_energy()", "kgce/m2", baseline: baseline, target: new { period = June, value = 0.40 }), "off");
        await SaveAsync(Kpi("higher", "unit_energy()", "kgce/m2", direction: "Higher", target: new { period = June, value = 0.40 }), "higher");

        var on = await RowAsync("on");
        var risk = await RowAsync("risk");
        var off = await RowAsync("off");
        var higher = await RowAsync("higher");

        // 0.6 x (1 - 5 %) = 0.57 >= 0.48866: on track. 0.48 + 5 % = 0.504 >= 0.48866 > 0.48: at risk. 0.40 + 0.02 < 0.48866: off track.
        Assert.Equal(0.6 * 0.95, on.GetProperty("target").GetProperty("value").GetDouble(), 12);
        Assert.Equal(("onTrack", true, "2024 energy audit report, table 3"), (on.GetProperty("status").GetProperty("status").GetString(),
            on.GetProperty("baseline").GetProperty("entered").GetBoolean(), on.GetProperty("baseline").GetProperty("evidence").GetString()));
        Assert.Equal("atRisk", risk.GetProperty("status").GetProperty("status").GetString());
        Assert.Equal("offTrack", off.GetProperty("status").GetProperty("status").GetString());
        // June's data is complete: not provisional.
        Assert.False(off.GetProperty("status").GetProperty("provisional").GetBoolean());
        Assert.Equal("onTrack", higher.GetProperty("status").GetProperty("status").GetString());
        Assert.Equal(0.48866, off.GetProperty("status").GetProperty("projection").GetDouble(), 9);
        Assert.Contains("misses by 0.0887", off.GetProperty("status").GetProperty("reason").GetString(), StringComparison.Ordinal);

        // An entered baseline needs its evidence; a relative target needs a baseline.
        using var noEvidence = await PutKpiAsync(Kpi("x", "unit_energy()", baseline: new { period = "2024", value = 0.6 }), "x");
        using var noBaseline = await PutKpiAsync(Kpi("y", "unit_energy()", target: new { period = "2026", changePercent = -5.0 }), "y");
        Assert.True((await Http.JsonAsync(noEvidence)).GetProperty("errors").TryGetProperty("baseline.evidence", out _));
        Assert.True((await Http.JsonAsync(noBaseline)).GetProperty("errors").TryGetProperty("target.changePercent", out _));
    }

    [Fact]
    public async Task GroupView_ComparesSites_EachBoardAsItsSitesOwn()
    {
        using (var other = await _client.PutAsync("/api/v1/sites/second", new StringContent(SiteJson("second"), Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        // The second plant ran June at 1.5 times the electricity: a higher unit energy.
        var readings = Readings("second", new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 30))
            .Select(r => r.Meter.EndsWith(".elec", StringComparison.Ordinal) ? (r.Meter, r.Ts, r.Value * 1.5) : r).ToList();
        foreach (var chunk in readings.Chunk(2000)) (await _client.PostAsync("/api/v1/readings", Body(chunk))).EnsureSuccessStatusCode();
        await Http.WaitForDerivationAsync(_client);
        foreach (var site in new[] { Site, "second" })
            (await _client.PutAsJsonAsync($"/api/v1/sites/{site}/kpis/unit-energy", Kpi("unit-energy", "unit_energy()", "kgce/m2"))).EnsureSuccessStatusCode();

        var group = await GetJsonAsync($"/api/v1/kpis?period={June}");

        var bySite = group.EnumerateArray().ToDictionary(b => b.GetProperty("site").GetString()!, b => b.GetProperty("kpis")[0].GetProperty("current").GetProperty("value").GetDouble());
        Assert.Equal((await RowAsync("unit-energy")).GetProperty("current").GetProperty("value").GetDouble(), bySite[Site]);
        // (108,000 kWh x 0.1229 + 7,200 m3 x 1.2143) / 36,000 m2 = (13,273.2 + 8,742.96) / 36,000 = 0.611560 kgce/m2.
        Assert.Equal((108_000 * 0.1229 + 7_200 * 1.2143) / 36_000, bySite["second"], 9);
    }

    [Fact]
    public async Task OffTrackKpiAndOverdueAction_TellTheirRecipientsOnce_ThroughAChannel()
    {
        await using var hooks = await Isolation.HookReceiver.StartAsync();
        using (var channel = await _client.PutAsync("/api/v1/notification-channels/cp", new StringContent(
            $$"""{"key":"cp","kind":"webhook","name":"Cleaner production","url":"{{hooks.Url("cp")}}","enabled":true}""", Encoding.UTF8, "application/json")))
            Assert.True(channel.IsSuccessStatusCode, await channel.Content.ReadAsStringAsync());
        // June 2025's unit energy 0.48866 kgce/m2 against a target of 0.40: off track.
        using (var put = await _client.PutAsJsonAsync($"/api/v1/sites/{Site}/kpis/off", new
        {
            key = "off", name = "Unit energy", nameZh = "单位产品综合能耗", area = "Energy", unit = "kgce/m2", direction = "Lower", formula = "unit_energy()",
            target = new { period = June, value = 0.40 }, owner = new { department = "生产部" }, recipients = new[] { "cp" },
        }))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using (var action = await _client.PostAsJsonAsync($"/api/v1/sites/{Site}/actions", new
        {
            action = new { title = "Tune kiln 2", owner = "陈伟", dueDate = "2025-07-31", recipients = new[] { "cp" } },
        }))
            Assert.Equal(HttpStatusCode.Created, action.StatusCode);
        var watcher = _factory.Services.GetRequiredService<GreenLoop.Pipeline.Optimise.Kpis.KpiWatcher>();

        var first = await watcher.CheckAsync(CancellationToken.None);
        var second = await watcher.CheckAsync(CancellationToken.None);

        Assert.Equal((2, 0), (first, second));
        var kpi = await hooks.WaitForAsync(r => r.Tag == "cp" && r.Body.Contains("指标偏离目标", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "the off-track message");
        var overdue = await hooks.WaitForAsync(r => r.Tag == "cp" && r.Body.Contains("改进措施逾期", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "the overdue reminder");
        Assert.Contains("目标 0.4 kgce/m2", kpi.Body, StringComparison.Ordinal);
        Assert.Contains("陈伟", overdue.Body, StringComparison.Ordinal);
        Assert.Equal(2, hooks.Bodies("cp").Count);
    }

    /// <summary>
    /// The composite evaluation (issue 13, item 6) on this plant against a constructed indicator system, by hand:
    /// June 2025 unit energy 0.48866 kgce/m2 (meets II ≤ 0.5 and III ≤ 0.6, not I ≤ 0.45), reuse 60 % (meets II ≥ 55 and
    /// III ≥ 40, not I ≥ 70), packaging no value (drops out, its group's other weight scales to 1), management answered
    /// level I. Effective weights 0.6, 0.3, 0.1: Y_I = 100 x 0.1 = 10, Y_II = 100, Y_III = 100; the limiting unit energy
    /// meets II: grade II.
    /// </summary>
    [Fact]
    public async Task Evaluation_ConstructedSystem_EqualsTheHandCalculation_GradeII()
    {
        await SaveAsync(Kpi("unit-energy", "unit_energy()", "kgce/m2"), "unit-energy");
        await SaveAsync(Kpi("water-reuse-rate", "consumption('recycled_water') / (consumption('recycled_water') + consumption('fresh_water')) * 100", direction: "Higher"), "water-reuse-rate");
        await SaveAsync(Kpi("packaging", "recorded('packaging.recovered') / recorded('packaging.used') * 100", direction: "Higher"), "packaging");
        var system = new
        {
            key = "test", name = "Constructed system", version = "1", source = "this test (hand calculation)",
            indicators = new object[]
            {
                new { key = "ue", name = "Unit energy", group = "energy", groupWeight = 0.6, weight = 0.5, kind = "Quantitative", kpi = "unit-energy", direction = "Lower", levelI = 0.45, levelII = 0.5, levelIII = 0.6, limiting = true, source = "test" },
                new { key = "pk", name = "Packaging", group = "energy", groupWeight = 0.6, weight = 0.5, kind = "Quantitative", kpi = "packaging", direction = "Higher", levelI = 90.0, levelII = 80.0, levelIII = 70.0, source = "test" },
                new { key = "reuse", name = "Reuse", group = "water", groupWeight = 0.3, weight = 1.0, kind = "Quantitative", kpi = "water-reuse-rate", direction = "Higher", levelI = 70.0, levelII = 55.0, levelIII = 40.0, source = "test" },
                new { key = "audit", name = "Audit", group = "management", groupWeight = 0.1, weight = 1.0, kind = "Qualitative", source = "test" },
            },
        };

        using var response = await _client.PostAsJsonAsync($"/api/v1/sites/{Site}/cp-evaluations", new { period = June, system, answers = new Dictionary<string, int> { ["audit"] = 1 } });
        var result = await Http.JsonAsync(response);
        using var shipped = await _client.PostAsJsonAsync($"/api/v1/sites/{Site}/cp-evaluations", new { period = June, systemKey = "ceramic-tile-draft" });
        var draft = await Http.JsonAsync(shipped);

        Assert.True(response.StatusCode == HttpStatusCode.OK, result.ToString());
        Assert.Equal((10.0, 100.0, 100.0), (Math.Round(result.GetProperty("scoreI").GetDouble(), 9), Math.Round(result.GetProperty("scoreII").GetDouble(), 9), Math.Round(result.GetProperty("scoreIII").GetDouble(), 9)));
        Assert.Equal("II", result.GetProperty("grade").GetString());
        var scores = result.GetProperty("indicators").EnumerateArray().ToDictionary(s => s.GetProperty("key").GetString()!);
        Assert.Equal((0.6, 0.3, 0.1, 0.0), (Math.Round(scores["ue"].GetProperty("effectiveWeight").GetDouble(), 12), Math.Round(scores["reuse"].GetProperty("effectiveWeight").GetDouble(), 12),
            Math.Round(scores["audit"].GetProperty("effectiveWeight").GetDouble(), 12), scores["pk"].GetProperty("effectiveWeight").GetDouble()));
        Assert.Equal("the KPI has no value in the period", scores["pk"].GetProperty("reason").GetString());
        Assert.Equal("test", scores["ue"].GetProperty("source").GetString());
        // The shipped draft has no known weights: no grade, and it says why (nothing invented).
        Assert.Equal(HttpStatusCode.OK, shipped.StatusCode);
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("grade").ValueKind);
        Assert.Contains("known weights", draft.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(draft.GetProperty("usesUnverified").GetBoolean());
    }

    [Fact]
    public async Task RevisedTarget_NeedsItsReason_AndTheEarlierTargetStaysInTheHistory()
    {
        await SaveAsync(Kpi("rev", "unit_energy()", "kgce/m2", target: new { period = "2026", value = 0.5 }), "rev");

        using var noReason = await PutKpiAsync(Kpi("rev", "unit_energy()", "kgce/m2", target: new { period = "2026", value = 0.45 }), "rev");
        var revised = new
        {
            key = "rev", name = "rev", area = "Energy", unit = "kgce/m2", direction = "Lower", formula = "unit_energy()",
            target = new { period = "2026", value = 0.45 }, targetReason = "Q3 review: kiln 2 tuned, target tightened",
        };
        using var withReason = await _client.PutAsJsonAsync($"/api/v1/sites/{Site}/kpis/rev", revised);
        var stored = await GetJsonAsync($"/api/v1/sites/{Site}/kpis/rev");

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await Http.JsonAsync(noReason)).GetProperty("errors").TryGetProperty("targetReason", out _));
        Assert.Equal(HttpStatusCode.OK, withReason.StatusCode);
        var definition = stored.GetProperty("definition");
        Assert.Equal(0.45, definition.GetProperty("target").GetProperty("value").GetDouble());
        var revision = Assert.Single(definition.GetProperty("targetHistory").EnumerateArray());
        Assert.Equal((0.5, 0.45, "Q3 review: kiln 2 tuned, target tightened"), (revision.GetProperty("previous").GetProperty("value").GetDouble(),
            revision.GetProperty("current").GetProperty("value").GetDouble(), revision.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Board_AsExcel_OpensAndHoldsTheValuesAndTerms()
    {
        await SaveAsync(Kpi("unit-energy", "unit_energy()", "kgce/m2", target: new { period = June, value = 0.5 }), "unit-energy");
        var board = await RowAsync("unit-energy");

        using var response = await _client.GetAsync($"/api/v1/sites/{Site}/kpis.xlsx?period={June}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("kpis-kpis-2025-06.xlsx", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        // An independent reader (openpyxl) sees the same value, status and formula.
        var sheets = await OpenPyxl.ReadAsync(bytes);
        Assert.Equal(["指标 KPIs", "计算项 Terms"], sheets.Keys);
        var read = sheets["指标 KPIs"][1];
        Assert.Equal(board.GetProperty("current").GetProperty("value").GetDouble(), read[9].GetDouble(), 12);
        Assert.Equal(("达标 On track", "unit_energy()"), (read[12].GetString(), read[16].GetString()));
        using var book = new XlsxBook(bytes);
        Assert.Empty(book.ValidationErrors());
        Assert.Equal(["指标 KPIs", "计算项 Terms"], book.SheetNames);
        var row = Assert.Single(book.Rows("指标 KPIs").Skip(1));
        Assert.Equal(board.GetProperty("current").GetProperty("value").GetDouble(), Convert.ToDouble(row[9], CultureInfo.InvariantCulture), 12);
        Assert.Equal("达标 On track", row[12]);
        Assert.Equal("unit_energy()", Assert.Single(book.Rows("计算项 Terms").Skip(1))[2]);
    }
}
