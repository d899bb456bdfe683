using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using static GreenLoop.Testing.AccountingTestPlant;

namespace GreenLoop.Server.Tests;

/// <summary>
/// The accounting API through WebApplicationFactory on a real SQLite file: reports against the hand calculation,
/// period locks with late data, factor overrides, the factor library and the Excel workbooks.
/// </summary>
public sealed class AccountingApiTests : IAsyncLifetime
{
    private const string Site = "tiles";
    private const string June = "2025-06";
    private static readonly DateOnly _june1 = new(2025, 6, 1);
    private static readonly DateOnly _june30 = new(2025, 6, 30);

    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        using var put = await _client.PutAsync($"/api/v1/sites/{Site}", new StringContent(SiteJson(Site), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    private async Task PostReadingsAsync(List<(string Meter, DateTimeOffset Ts, double Value)> readings)
    {
        foreach (var chunk in readings.Chunk(2000))
        {
            using var response = await _client.PostAsync("/api/v1/readings", Body(chunk));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(chunk.Length, (await Http.JsonAsync(response)).GetProperty("accepted").GetInt32());
        }
        await Http.WaitForDerivationAsync(_client);
    }

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        using var response = await _client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Http.JsonAsync(response);
    }

    private async Task<HttpResponseMessage> PostJsonAsync(string url, object? body, string? user = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (user is not null) request.Headers.Add("X-GreenLoop-User", user);
        return await _client.SendAsync(request);
    }

    private static double Value(JsonElement figure) => figure.GetProperty("value").GetDouble();

    private static JsonElement Line(JsonElement inventory, string source, string? basis = null) =>
        inventory.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("source").GetString() == source
            && (basis is null || l.GetProperty("basis").GetString() == basis)).GetProperty("figure");

    [Fact]
    public async Task Reports_FullMonth_EnergyAndCarbonEqualTheHandCalculation()
    {
        await PostReadingsAsync(Readings(Site, _june1, _june30));

        var energy = await GetJsonAsync($"/api/v1/sites/{Site}/reports/energy?period={June}");
        var carbon = await GetJsonAsync($"/api/v1/sites/{Site}/reports/carbon?period={June}");

        // 72,000 kWh x 0.1229 + 7,200 m3 x 1.2143 = 8,848.8 + 8,742.96 = 17,591.76 kgce (GB/T 2589-2020);
        // / 36,000 m2 = 0.48866 kgce/m2: GB 21252-2023 level 1 (<= 4.0).
        var account = energy.GetProperty("account");
        Assert.Equal(17_591.76, Value(account.GetProperty("total")), 6);
        Assert.Equal(0.48866, Value(account.GetProperty("unitEnergy")), 9);
        Assert.Equal(1, account.GetProperty("verdict").GetProperty("level").GetInt32());
        Assert.True(energy.GetProperty("usesUnverified").GetBoolean());
        Assert.Equal(JsonValueKind.Null, energy.GetProperty("lock").ValueKind);

        // Gas: 0.72 x 389.31 GJ x 15.30 tC/TJ / 1000 x 0.99 x 44/12 = 15.5677594248 t; calcite 1,440 t x 0.05 x 0.43971
        // = 31.65912 t; electricity 72 MWh x 0.4419 (Guangdong 2023, the latest at or before 2025) = 31.8168 t, market
        // 72 x 0.6096 = 43.8912 t.
        var inv = carbon.GetProperty("inventory");
        Assert.Equal(15.5677594248, Value(Line(inv, "combustion")), 9);
        Assert.Equal(31.65912, Value(Line(inv, "process")), 9);
        Assert.Equal(31.8168, Value(Line(inv, "electricity", "location")), 9);
        Assert.Equal(43.8912, Value(Line(inv, "electricity", "market")), 9);
        Assert.Equal(47.2268794248, Value(inv.GetProperty("scope1")), 9);
        Assert.Equal(79.0436794248, Value(inv.GetProperty("totalLocation")), 9);
        Assert.Equal(91.1180794248, Value(inv.GetProperty("totalMarket")), 9);
        var grid = Line(inv, "electricity", "location").GetProperty("factors")[0];
        Assert.Equal("grid_ef/CN.province.guangdong.2023", grid.GetProperty("id").GetString());
        Assert.Contains("MEE and NBS Announcement No. 47 of 2025", grid.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.Contains("生态环境部、国家统计局公告2025年第47号", grid.GetProperty("sourceZh").GetString(), StringComparison.Ordinal);
        var activity = Line(inv, "electricity", "location").GetProperty("activity")[0];
        Assert.Equal(("tiles.elec", June, 1.0), (activity.GetProperty("meters")[0].GetString(), activity.GetProperty("period").GetString(), activity.GetProperty("completeness").GetDouble()));
    }

    [Fact]
    public async Task ReferenceFactors_Library_EveryRowHasASourceAndUnverifiedRowsAreFlagged()
    {
        var all = await GetJsonAsync("/api/v1/reference/factors");
        var grid = await GetJsonAsync("/api/v1/reference/factors?kind=grid_ef&q=guangdong");

        var rows = all.GetProperty("factors").EnumerateArray().ToList();
        Assert.Equal(rows.Count, all.GetProperty("count").GetInt32());
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("source").GetString()), r.GetProperty("id").GetString()));
        var gasfield = rows.Single(r => r.GetProperty("id").GetString() == "coal_coef/natural_gas_gasfield");
        Assert.True(gasfield.GetProperty("unverified").GetBoolean());
        Assert.Equal(1.2143, gasfield.GetProperty("value").GetDouble());
        var electricity = rows.Single(r => r.GetProperty("id").GetString() == "coal_coef/electricity_equivalent");
        Assert.False(electricity.GetProperty("unverified").GetBoolean());
        var flagged = rows.Where(r => r.GetProperty("unverified").GetBoolean()).Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Contains("coal_coef/steam_low_pressure", flagged);
        Assert.Contains("gwp/AR6.CH4_nonfossil", flagged);
        Assert.Equal(["CN.province.guangdong.2022", "CN.province.guangdong.2023"],
            grid.GetProperty("factors").EnumerateArray().Select(r => r.GetProperty("key").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LockPeriod_TwiceAndThenLateReadings_409ListedAndTheReportShowsTheLateDataAsAnAdjustment()
    {
        // June 30's electricity arrives after the lock.
        var all = Readings(Site, _june1, _june30);
        var june30 = new DateTimeOffset(2025, 6, 30, 0, 0, 0, Shanghai);
        await PostReadingsAsync([.. all.Where(r => !(r.Meter == "tiles.elec" && r.Ts > june30))]);

        using var first = await PostJsonAsync($"/api/v1/sites/{Site}/periods/{June}/lock", null, user: "accountant");
        using var second = await PostJsonAsync($"/api/v1/sites/{Site}/periods/{June}/lock", null, user: "accountant");
        await PostReadingsAsync([.. all.Where(r => r.Meter == "tiles.elec" && r.Ts > june30)]);
        var locks = await GetJsonAsync($"/api/v1/sites/{Site}/periods");
        var energy = await GetJsonAsync($"/api/v1/sites/{Site}/reports/energy?period={June}");
        var carbon = await GetJsonAsync($"/api/v1/sites/{Site}/reports/carbon?period={June}");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("already locked", (await Http.JsonAsync(second)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var l = Assert.Single(locks.EnumerateArray());
        Assert.Equal((June, "accountant via key:bootstrap"), (l.GetProperty("period").GetString(), l.GetProperty("by").GetString()));

        // Locked: 69,600 kWh x 0.1229 + 8,742.96 = 17,296.8 kgce; the late 2,400 kWh add 294.96 kgce.
        Assert.Equal(17_296.8, Value(energy.GetProperty("account").GetProperty("total")), 6);
        Assert.Equal("accountant via key:bootstrap", energy.GetProperty("lock").GetProperty("by").GetString());
        var adjustment = Assert.Single(energy.GetProperty("adjustments").EnumerateArray());
        Assert.Equal(17_296.8, adjustment.GetProperty("locked").GetDouble(), 6);
        Assert.Equal(17_591.76, adjustment.GetProperty("current").GetDouble(), 6);
        Assert.Equal(294.96, adjustment.GetProperty("difference").GetDouble(), 6);
        // Scope 2: the late 2.4 MWh x 0.4419 = 1.06056 t (location), x 0.6096 = 1.46304 t (market).
        var adjustments = carbon.GetProperty("adjustments").EnumerateArray().ToDictionary(a => a.GetProperty("key").GetString()!, a => a.GetProperty("difference").GetDouble());
        Assert.Equal(["ghg.scope2.location", "ghg.scope2.market"], adjustments.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1.06056, adjustments["ghg.scope2.location"], 9);
        Assert.Equal(1.46304, adjustments["ghg.scope2.market"], 9);
        Assert.Equal(69.6 * 0.4419, Value(carbon.GetProperty("inventory").GetProperty("scope2Location")), 9);
    }

    [Fact]
    public async Task PostOverride_MeasuredGasNcvForTheYear_CarbonAsHandComputedAndLineageNamesReasonAndUser()
    {
        await PostReadingsAsync([.. Readings(Site, _june1, _june30), .. Readings(Site, new DateOnly(2024, 6, 1), new DateOnly(2024, 6, 1))]);

        using var posted = await PostJsonAsync($"/api/v1/sites/{Site}/factor-overrides",
            new { factor = "cn_fuel_ncv/natural_gas", year = "2025", value = 380.0, reason = "measured NCV, lab report 2025-031" }, user: "li.chemist");
        var overrides = await GetJsonAsync($"/api/v1/sites/{Site}/factor-overrides");
        var carbon = await GetJsonAsync($"/api/v1/sites/{Site}/reports/carbon?period={June}");
        var otherYear = await GetJsonAsync($"/api/v1/sites/{Site}/reports/carbon?period=2024-06");

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var o = Assert.Single(overrides.EnumerateArray());
        Assert.Equal(("cn_fuel_ncv/natural_gas", "li.chemist via key:bootstrap", "GJ/10^4Nm3"), (o.GetProperty("factorId").GetString(), o.GetProperty("by").GetString(), o.GetProperty("unit").GetString()));
        // 7,200 m3 / 10^4 x 380 GJ/10^4 Nm3 = 273.6 GJ; x 15.30 tC/TJ / 1000 x 0.99 x 44/12 = 15.1954704 tCO2
        // (15.5677594248 t with the guideline's 389.31); Scope 1 = 15.1954704 + 31.65912 = 46.8545904 t.
        var inv = carbon.GetProperty("inventory");
        var gas = Line(inv, "combustion");
        Assert.Equal(15.1954704, Value(gas), 9);
        Assert.Equal(46.8545904, Value(inv.GetProperty("scope1")), 9);
        var ncv = gas.GetProperty("factors").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "cn_fuel_ncv/natural_gas");
        Assert.Equal(380, ncv.GetProperty("value").GetDouble());
        Assert.Equal("measured NCV, lab report 2025-031", ncv.GetProperty("override").GetProperty("reason").GetString());
        Assert.Equal("li.chemist via key:bootstrap", ncv.GetProperty("override").GetProperty("by").GetString());
        Assert.StartsWith("site override: measured NCV, lab report 2025-031 (by li.chemist via key:bootstrap, ", ncv.GetProperty("source").GetString(), StringComparison.Ordinal);
        // The override is for 2025 only: June 2024 (one day, 240 m3) uses the guideline's 389.31:
        // 0.024 x 389.31 x 15.30 / 1000 x 0.99 x 44/12 = 0.51892531416 t.
        var gas2024 = Line(otherYear.GetProperty("inventory"), "combustion");
        Assert.Equal(0.51892531416, Value(gas2024), 9);
        var ncv2024 = gas2024.GetProperty("factors").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "cn_fuel_ncv/natural_gas");
        Assert.Equal((389.31, JsonValueKind.Null), (ncv2024.GetProperty("value").GetDouble(), ncv2024.GetProperty("override").ValueKind));
    }

    [Theory]
    [InlineData("cn_fuel_ncv/unobtainium", 380.0, "lab report", "no reference factor 'cn_fuel_ncv/unobtainium'")]
    [InlineData("natural_gas", 380.0, "lab report", "use kind/key")]
    [InlineData("cn_fuel_ncv/natural_gas", 380.0, " ", "an override needs a reason")]
    [InlineData("cn_fuel_ncv/natural_gas", -1.0, "lab report", "finite, non-negative")]
    public async Task PostOverride_BadOverride_400WithTheReason(string factor, double value, string reason, string expected)
    {
        using var response = await PostJsonAsync($"/api/v1/sites/{Site}/factor-overrides", new { factor, year = "2025", value, reason });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await Http.JsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await GetJsonAsync($"/api/v1/sites/{Site}/factor-overrides")).GetArrayLength());
    }

    [Theory]
    [InlineData("GET", "/reports/energy?period=June", "June")]
    [InlineData("GET", "/reports/carbon.xlsx?period=2025-13", "2025-13")]
    [InlineData("POST", "/periods/2025-6/lock", "2025-6")]
    [InlineData("GET", "/reports/carbon?period=9999-12", "9999-12")]
    [InlineData("GET", "/reports/energy.xlsx?period=0001-01", "0001-01")]
    public async Task ReportOrLock_NotAPeriod_400WithTheReasonAndNothingLocked(string method, string path, string period)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/v1/sites/{Site}{path}");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Http.JsonAsync(response);
        Assert.Equal("The request cannot be answered as asked", problem.GetProperty("title").GetString());
        Assert.Equal($"'{period}' is not a period; use a year (2025) or a month (2025-06), from 2000 to 2199", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await GetJsonAsync($"/api/v1/sites/{Site}/periods")).GetArrayLength());
    }

    [Fact]
    public async Task Workbooks_EnergyAndCarbon_ValidXlsxWhoseCellsMatchTheJsonReport()
    {
        await PostReadingsAsync(Readings(Site, _june1, _june30));
        var energyJson = await GetJsonAsync($"/api/v1/sites/{Site}/reports/energy?period={June}");
        var carbonJson = await GetJsonAsync($"/api/v1/sites/{Site}/reports/carbon?period={June}");

        using var energyResponse = await _client.GetAsync($"/api/v1/sites/{Site}/reports/energy.xlsx?period={June}");
        using var carbonResponse = await _client.GetAsync($"/api/v1/sites/{Site}/reports/carbon.xlsx?period={June}");
        using var missing = await _client.GetAsync($"/api/v1/sites/nowhere/reports/carbon.xlsx?period={June}");
        using var badPeriod = await _client.GetAsync($"/api/v1/sites/{Site}/reports/energy.xlsx?period=June");

        const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        Assert.Equal(HttpStatusCode.OK, energyResponse.StatusCode);
        Assert.Equal(Xlsx, energyResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal("tiles-energy-2025-06.xlsx", energyResponse.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("tiles-carbon-2025-06.xlsx", carbonResponse.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPeriod.StatusCode);

        using (var energy = new XlsxBook(await energyResponse.Content.ReadAsByteArrayAsync()))
        {
            Assert.Empty(energy.ValidationErrors());
            Assert.Equal(["汇总 Summary", "分品种 By carrier", "活动数据 Activity data", "所用因子 Factors used"], energy.SheetNames);
            var total = Value(energyJson.GetProperty("account").GetProperty("total"));
            Assert.Equal(total, energy.Cell("汇总 Summary", "综合能耗 Comprehensive energy consumption", 1));
            Assert.Equal(Value(energyJson.GetProperty("account").GetProperty("unitEnergy")), energy.Cell("汇总 Summary", "单位产品综合能耗", 1));
            Assert.Equal(total, energy.Cell("分品种 By carrier", "合计 Total", 8));
            Assert.Equal(energyJson.GetProperty("dataSet").GetString(), energy.Cell("汇总 Summary", "参考数据集版本", 1));
        }
        using (var carbon = new XlsxBook(await carbonResponse.Content.ReadAsByteArrayAsync()))
        {
            Assert.Empty(carbon.ValidationErrors());
            Assert.Equal(["汇总 Summary", "分排放源 By source", "活动数据 Activity data", "所用因子 Factors used"], carbon.SheetNames);
            var inv = carbonJson.GetProperty("inventory");
            Assert.Equal(Value(inv.GetProperty("scope1")), carbon.Cell("汇总 Summary", "范围一 Scope 1", 1));
            Assert.Equal(Value(inv.GetProperty("scope2Location")), carbon.Cell("汇总 Summary", "范围二 Scope 2 (location-based)", 1));
            Assert.Equal(Value(inv.GetProperty("scope2Market")), carbon.Cell("汇总 Summary", "范围二 Scope 2 (market-based)", 1));
            Assert.Equal(Value(inv.GetProperty("totalMarket")), carbon.Cell("分排放源 By source", "总计（基于市场）", 10));
            Assert.Equal(Value(inv.GetProperty("intensityLocation")), carbon.Cell("汇总 Summary", "碳排放强度", 1));
            var factors = carbon.Rows("所用因子 Factors used").Skip(1).Select(r => (string)r[0]!).ToList();
            Assert.Equal(["cn_fuel_cc/natural_gas", "cn_fuel_ncv/natural_gas", "cn_fuel_of/natural_gas", "grid_ef/CN.national_excl_market_nonfossil.2023",
                "grid_ef/CN.province.guangdong.2023", "process_ef_carbonate/CaCO3"], factors);
        }
    }
}
