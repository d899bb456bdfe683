using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using static GreenLoop.Testing.AccountingTestPlant;

namespace GreenLoop.Server.Tests;

/// <summary>
/// The month's electricity bill through the real server (issue 16): a tenant tariff with a change on 16 June saved
/// through the API, the site's account, a month of 15-minute readings with one interval missing, and the bill equal to
/// the hand calculation — energy by band across the change, the demand charge from the highest 15-minute average, the
/// power-factor adjustment by the 0.90 table, the funds — with the missing interval not billed (never a zero filled in).
/// </summary>
public sealed class CostApiTests : IAsyncLifetime
{
    private const string Site = "bill";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);
    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    private const string SiteJson = """
        {"key":"bill","name":"Bill plant","timeZone":"Asia/Shanghai",
         "meters":[{"key":"bill.main","name":"10 kV incomer","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"},
                   {"key":"bill.q","name":"10 kV incomer, reactive","carrier":"reactive_electricity","unit":"kvarh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"}]}
        """;

    private static readonly string[] _june =
    [
        "00:00-08:00 Valley", "08:00-10:00 Flat", "10:00-11:00 Peak", "11:00-12:00 CriticalPeak", "12:00-14:00 Flat",
        "14:00-15:00 Peak", "15:00-17:00 CriticalPeak", "17:00-19:00 Peak", "19:00-24:00 Flat",
    ];

    private static object Version(string from, double flat, double demand) => new
    {
        validFrom = from,
        // 粤发改价格〔2021〕331号 ratios: peak 1.7 × flat, valley 0.38 × flat, critical peak 1.25 × peak.
        prices = new object[] { new { band = "Flat", price = flat }, new { band = "Peak", price = flat * 1.7 }, new { band = "Valley", price = flat * 0.38 }, new { band = "CriticalPeak", price = flat * 1.7 * 1.25 } },
        seasons = new[] { new { months = new[] { 6 }, days = "all", periods = _june.Select(p => new { from = p[..5], to = p[6..11], band = p[12..] }).ToArray() } },
        demandPrice = demand,
        surcharges = new[] { new { name = "Government funds", nameZh = "政府性基金及附加", price = 0.029 } },
        source = "test tariff built for this test",
        unverified = new[] { $"prices: the flat price {flat} ¥/kWh is made up for this test" },
    };

    /// <summary>The tenant tariff <c>test-2part</c> (a change on 16 June) and the site's account on it, both through the API.</summary>
    private async Task SetUpAccountAsync()
    {
        var (tariff, tariffProblem) = await SendAsync(HttpMethod.Put, "/api/v1/tariffs/test-2part",
            new { name = "Test two-part tariff", nameZh = "测试两部制电价", versions = new[] { Version("2025-06-16", 0.65, 30), Version("2025-01-01", 0.60, 32) } });
        Assert.True(tariff == HttpStatusCode.OK, tariffProblem.ToString());
        var (account, accountProblem) = await SendAsync(HttpMethod.Put, $"/api/v1/sites/{Site}/electricity-account",
            new { tariff = "test-2part", basis = "Demand", powerFactorStandard = 0.90, activeMeters = new[] { "bill.main" }, reactiveMeters = new[] { "bill.q" } });
        Assert.True(account == HttpStatusCode.OK, accountProblem.ToString());
    }

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        using (var put = await _client.PutAsync($"/api/v1/sites/{Site}", new StringContent(SiteJson, Encoding.UTF8, "application/json")))
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var readings = new List<(string, DateTimeOffset, double)>();
        for (var start = new DateTimeOffset(2025, 6, 1, 0, 0, 0, Shanghai); start < new DateTimeOffset(2025, 7, 1, 0, 0, 0, Shanghai); start = start.AddMinutes(15))
        {
            // 5 June 03:00-03:15 is missing from the incomer (a gap, not a zero).
            if (start != new DateTimeOffset(2025, 6, 5, 3, 0, 0, Shanghai))
                readings.Add(("bill.main", start.AddMinutes(15), start == new DateTimeOffset(2025, 6, 20, 10, 15, 0, Shanghai) ? 130 : 100));
            readings.Add(("bill.q", start.AddMinutes(15), 60));
        }
        foreach (var chunk in readings.Chunk(3000))
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

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string url, object? body)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task June_BillEqualsTheHandCalculation_MissingIntervalNotBilled_AccountAndTariffErrorsNamed()
    {
        var (noAccount, noAccountProblem) = await SendAsync(HttpMethod.Get, $"/api/v1/sites/{Site}/electricity-bill?month=2025-06", null);
        var (badTariff, badTariffProblem) = await SendAsync(HttpMethod.Put, "/api/v1/tariffs/test-2part",
            new { name = "Test", versions = new[] { new { validFrom = "2025-01-01", prices = new[] { new { band = "Peak", price = 1.0 } }, source = "x" } } });
        var (saved, _) = await SendAsync(HttpMethod.Put, "/api/v1/tariffs/test-2part", new { name = "Test two-part tariff", nameZh = "测试两部制电价", versions = new[] { Version("2025-06-16", 0.65, 30), Version("2025-01-01", 0.60, 32) } });
        var (badAccount, badAccountProblem) = await SendAsync(HttpMethod.Put, $"/api/v1/sites/{Site}/electricity-account",
            new { tariff = "nope", basis = "Capacity", activeMeters = new[] { "bill.q" }, reactiveMeters = new[] { "bill.main" } });
        var (account, _) = await SendAsync(HttpMethod.Put, $"/api/v1/sites/{Site}/electricity-account",
            new { tariff = "test-2part", basis = "Demand", powerFactorStandard = 0.90, activeMeters = new[] { "bill.main" }, reactiveMeters = new[] { "bill.q" } });
        var (status, bill) = await SendAsync(HttpMethod.Get, $"/api/v1/sites/{Site}/electricity-bill?month=2025-06", null);
        var (badMonth, _) = await SendAsync(HttpMethod.Get, $"/api/v1/sites/{Site}/electricity-bill?month=2025-13", null);
        var (_, tariffs) = await SendAsync(HttpMethod.Get, "/api/v1/tariffs", null);

        Assert.Equal(HttpStatusCode.NotFound, noAccount);
        Assert.Contains("electricity-account", noAccountProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badTariff);
        Assert.Contains("prices: the flat band needs a price", badTariffProblem.GetProperty("errors").GetProperty("versions[0]")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, saved);
        Assert.Equal(HttpStatusCode.BadRequest, badAccount);
        var errors = badAccountProblem.GetProperty("errors");
        Assert.Equal(["activeMeters", "capacityKva", "reactiveMeters", "tariff"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("bill.q: not a meter of this site counting kWh", errors.GetProperty("activeMeters")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, account);
        Assert.Equal(HttpStatusCode.BadRequest, badMonth);
        Assert.Contains(tariffs.EnumerateArray(), t => t.GetProperty("reference").GetBoolean() && t.GetProperty("tariff").GetProperty("key").GetString() == "cn-gd-industrial-2part-10kv");
        Assert.Contains(tariffs.EnumerateArray(), t => !t.GetProperty("reference").GetBoolean() && t.GetProperty("tariff").GetProperty("key").GetString() == "test-2part");

        Assert.Equal(HttpStatusCode.OK, status);
        var b = bill.GetProperty("bill");
        // Per day, 100 kWh a quarter hour: valley 00-08 3200 kWh, flat 08-10, 12-14, 19-24 3600, peak 10-11, 14-15, 17-19 1600,
        // critical 11-12, 15-17 1200. Version 1 (1-15 June, flat 0.60): valley (48000 - 100 missing on 5 June 03:00) × 0.228
        // = 10921.2; flat 54000 × 0.60 = 32400; peak 24000 × 1.02 = 24480; critical 18000 × 1.275 = 22950 → 90751.2.
        // Version 2 (16-30 June, flat 0.65): valley 48000 × 0.247 = 11856; flat 54000 × 0.65 = 35100; peak 24030 × 1.105 =
        // 26553.15 (30 kWh more at 10:15 on the 20th); critical 18000 × 1.38125 = 24862.5 → 98371.65.
        var energy = 90751.2 + 98371.65;
        // Demand: the highest 15-minute average, 130 kWh × 4 = 520 kW at 10:15 on 20 June; 520 × (32 × 15/30 + 30 × 15/30) = 16120.
        var basic = 16120.0;
        // Active 2879 × 100 + 30 = 287930 kWh, reactive 2880 × 60 = 172800 kvarh: cos φ = 287930 / √(287930² + 172800²)
        // = 0.8575 → 0.86; under the 0.90 standard +2.0 % (功率因数调整电费表) on basic + energy.
        var active = 287930.0;
        var pf = active / Math.Sqrt(active * active + 172800.0 * 172800.0);
        var adjustment = (energy + basic) * 0.02;
        var funds = active * 0.029;
        Assert.Equal(energy, b.GetProperty("energyCharge").GetDouble(), 6);
        Assert.Equal((520.0, "2025-06-20T10:15:00"), (b.GetProperty("basic").GetProperty("maxDemandKw").GetDouble(), b.GetProperty("basic").GetProperty("maxDemandAt").GetString()));
        Assert.Equal(basic, b.GetProperty("basic").GetProperty("amount").GetDouble(), 6);
        Assert.Equal(pf, b.GetProperty("powerFactor").GetProperty("powerFactor").GetDouble(), 9);
        Assert.Equal((0.86, 2.0), (b.GetProperty("powerFactor").GetProperty("billed").GetDouble(), b.GetProperty("powerFactor").GetProperty("percent").GetDouble()));
        Assert.Equal(adjustment, b.GetProperty("powerFactor").GetProperty("amount").GetDouble(), 6);
        Assert.Equal(funds, b.GetProperty("surcharges")[0].GetProperty("amount").GetDouble(), 6);
        Assert.Equal(energy + basic + adjustment + funds, b.GetProperty("total").GetDouble(), 6);
        Assert.Equal((2880, 2879), (bill.GetProperty("intervalsExpected").GetInt32(), bill.GetProperty("intervalsFound").GetInt32()));
        Assert.Equal(2879.0 / 2880, bill.GetProperty("completeness").GetDouble(), 12);
        Assert.Equal("CNY", bill.GetProperty("currency").GetString());
        Assert.Contains(bill.GetProperty("sources").EnumerateArray(), s => s.GetString()!.Contains("水电财字第215号", StringComparison.Ordinal));
    }

    private static readonly Dictionary<string, string> _bandLabels = new(StringComparer.Ordinal)
    {
        ["CriticalPeak"] = "尖峰 Critical peak", ["Peak"] = "高峰 Peak", ["Flat"] = "平段 Flat", ["Valley"] = "低谷 Valley", ["DeepValley"] = "深谷 Deep valley",
    };

    private static List<JsonElement> RowOf(List<List<JsonElement>> sheet, string label) =>
        sheet.Single(r => r.Count > 0 && r[0].ValueKind == JsonValueKind.String && r[0].GetString() == label);

    [Fact]
    public async Task June_WorkbookAndCsv_ReadBackByIndependentReaders_EqualTheJsonBill()
    {
        using (var none = await _client.GetAsync($"/api/v1/sites/{Site}/electricity-bill.xlsx?month=2025-06"))
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        await SetUpAccountAsync();
        var (status, view) = await SendAsync(HttpMethod.Get, $"/api/v1/sites/{Site}/electricity-bill?month=2025-06", null);
        using var xlsx = await _client.GetAsync($"/api/v1/sites/{Site}/electricity-bill.xlsx?month=2025-06");
        using var csv = await _client.GetAsync($"/api/v1/sites/{Site}/electricity-bill.csv?month=2025-06");

        Assert.Equal(HttpStatusCode.OK, status);
        var bill = view.GetProperty("bill");
        var lines = bill.GetProperty("energy").EnumerateArray()
            .Select(l => (l.GetProperty("validFrom").GetString(), _bandLabels[l.GetProperty("band").GetString()!], l.GetProperty("kwh").GetDouble(), l.GetProperty("price").GetDouble(), l.GetProperty("amount").GetDouble()))
            .ToList();
        // Two versions × four bands, as in the hand calculation above.
        Assert.Equal(8, lines.Count);
        var total = bill.GetProperty("total").GetDouble();
        var funds = bill.GetProperty("surcharges").EnumerateArray().Sum(f => f.GetProperty("amount").GetDouble());

        // The workbook, read by openpyxl.
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        Assert.Equal("electricity-bill-bill-2025-06.xlsx", xlsx.Content.Headers.ContentDisposition?.FileNameStar ?? xlsx.Content.Headers.ContentDisposition?.FileName);
        var book = await OpenPyxl.ReadAsync(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.Equal(["汇总 Summary", "电度电费 Energy charge", "基本电费 Basic charge", "力调电费 Power factor", "基金及附加 Funds", "来源 Sources"], book.Keys);
        var summary = book["汇总 Summary"];
        Assert.Equal((total, "¥"), (RowOf(summary, "电费合计 Total")[1].GetDouble(), RowOf(summary, "电费合计 Total")[2].GetString()));
        Assert.Equal(bill.GetProperty("kwh").GetDouble(), RowOf(summary, "电量 Energy")[1].GetDouble());
        Assert.Equal(2879.0 / 2880, RowOf(summary, "数据完整度 Completeness")[1].GetDouble(), 12);
        Assert.Contains("15-minute intervals missing, not billed: 1 (2879 / 2880)", RowOf(summary, "数据完整度 Completeness")[3].GetString(), StringComparison.Ordinal);
        var energy = book["电度电费 Energy charge"];
        Assert.Equal(["电价版本生效日 Tariff version from", "时段 Band", "电量 Energy (kWh)", "电价 Price (¥/kWh)", "金额 Amount (¥)"], energy[0].Select(c => c.GetString()));
        Assert.Equal(lines, energy.Skip(1).Where(r => r[0].GetString() != "合计 Total")
            .Select(r => (r[0].GetString(), r[1].GetString()!, r[2].GetDouble(), r[3].GetDouble(), r[4].GetDouble())));
        Assert.Equal(bill.GetProperty("energyCharge").GetDouble(), RowOf(energy, "合计 Total")[4].GetDouble());
        var basic = book["基本电费 Basic charge"];
        Assert.Equal(bill.GetProperty("basic").GetProperty("amount").GetDouble(), RowOf(basic, "基本电费 Basic charge")[1].GetDouble());
        Assert.Equal(520, RowOf(basic, "最大需量 Maximum demand")[1].GetDouble());
        Assert.Contains("2025-06-20 10:15–10:30", RowOf(basic, "最大需量 Maximum demand")[3].GetString(), StringComparison.Ordinal);
        var pf = book["力调电费 Power factor"];
        Assert.Equal(bill.GetProperty("powerFactor").GetProperty("amount").GetDouble(), RowOf(pf, "力调电费 Power-factor adjustment")[1].GetDouble());
        Assert.Equal((0.86, 2.0), (RowOf(pf, "结算功率因数 Billed cos φ")[1].GetDouble(), RowOf(pf, "调整比例 Adjustment")[1].GetDouble()));
        Assert.Equal(funds, RowOf(book["基金及附加 Funds"], "合计 Total")[4].GetDouble());
        var sources = book["来源 Sources"];
        Assert.Contains(sources, r => r[0].GetString() == "来源 Source" && r[1].GetString()!.Contains("水电财字第215号", StringComparison.Ordinal));
        Assert.Equal(view.GetProperty("unverified").EnumerateArray().Select(u => u.GetString()), sources.Where(r => r[0].GetString() == "待核实 UNVERIFIED").Select(r => r[1].GetString()));
        Assert.Equal(2, sources.Count(r => r[0].GetString() == "待核实 UNVERIFIED"));

        // The CSV, UTF-8 with a byte-order mark, read by Python's csv module.
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("electricity-bill-bill-2025-06.csv", csv.Content.Headers.ContentDisposition?.FileNameStar ?? csv.Content.Headers.ContentDisposition?.FileName);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var rows = await PythonCsv.ReadAsync(bytes);
        Assert.Equal(["项目 Item", "电价版本生效日 Tariff version from", "时段 Band", "电量 Energy (kWh)", "电价 Price (¥/kWh)", "金额 Amount (¥)"], rows[0]);
        static double Number(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(lines, rows.Where(r => r[0] == "电度电费 Energy charge").Select(r => ((string?)r[1], r[2], Number(r[3]), Number(r[4]), Number(r[5]))));
        var fundRow = Assert.Single(rows, r => r[0] == "政府性基金及附加 Government funds");
        Assert.Equal(funds, Number(fundRow[5]));
        Assert.Equal(bill.GetProperty("energyCharge").GetDouble(), Number(rows.Single(r => r[0] == "电度电费合计 Energy charge total")[5]));
        Assert.Equal(bill.GetProperty("basic").GetProperty("amount").GetDouble(), Number(rows.Single(r => r[0] == "基本电费 Basic charge")[5]));
        Assert.Equal(bill.GetProperty("powerFactor").GetProperty("amount").GetDouble(), Number(rows.Single(r => r[0] == "力调电费 Power-factor adjustment")[5]));
        Assert.Equal((bill.GetProperty("kwh").GetDouble(), total), (Number(rows[^1][3]), Number(rows[^1][5])));
        Assert.Equal("电费合计 Total", rows[^1][0]);
    }
}
