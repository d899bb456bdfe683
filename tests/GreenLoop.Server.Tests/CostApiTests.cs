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
    };

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
}
