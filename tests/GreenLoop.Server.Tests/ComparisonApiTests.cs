using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using static GreenLoop.Testing.AccountingTestPlant;

namespace GreenLoop.Server.Tests;

/// <summary>
/// Year-on-year (同比) and month-on-month (环比) through the real server (issue 16): June 2025 against May 2025 and June
/// 2024, equal to the differences of the two periods' totals that <c>GET …/energy</c> answers and to a hand count of the
/// readings written; a day with no data is no value (and no change), never a zero; unit consumption per m² of output.
/// </summary>
public sealed class ComparisonApiTests : IAsyncLifetime
{
    private const string Site = "yoy";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);
    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    private const string SiteJson = """
        {"key":"yoy","name":"Comparison plant","timeZone":"Asia/Shanghai","nodes":[{"key":"kiln","name":"Kiln"}],
         "meters":[{"key":"yoy.elec","name":"Kiln electricity","node":"kiln","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":60,"stamp":"PeriodEnding"},
                   {"key":"yoy.out","name":"Tile output","carrier":"tile_output","unit":"m2","kind":"Interval","intervalMinutes":60,"stamp":"PeriodEnding"}]}
        """;

    /// <summary>Hourly readings: electricity per hour and output per hour over [from, to), except the hours of <paramref name="skipDay"/>.</summary>
    private static IEnumerable<(string, DateTimeOffset, double)> Hours(DateTimeOffset from, DateTimeOffset to, double kwh, double m2, DateTimeOffset? skipDay = null)
    {
        for (var t = from; t < to; t = t.AddHours(1))
        {
            if (skipDay is { } d && t >= d && t < d.AddDays(1)) continue;
            yield return ("yoy.elec", t.AddHours(1), kwh);
            yield return ("yoy.out", t.AddHours(1), m2);
        }
    }

    private static DateTimeOffset Day(int y, int m, int d) => new(y, m, d, 0, 0, 0, Shanghai);

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        using (var put = await _client.PutAsync($"/api/v1/sites/{Site}", new StringContent(SiteJson, Encoding.UTF8, "application/json")))
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var readings = Hours(Day(2024, 6, 1), Day(2024, 7, 1), 80, 8)
            .Concat(Hours(Day(2025, 5, 1), Day(2025, 6, 1), 90, 10))
            // June 2025: 100 kWh and 10 m² an hour, but nothing at all on 10 June.
            .Concat(Hours(Day(2025, 6, 1), Day(2025, 7, 1), 100, 10, skipDay: Day(2025, 6, 10))).ToList();
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

    private async Task<JsonElement> GetAsync(string url)
    {
        using var response = await _client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The node's total of a carrier over a month as <c>GET …/energy?grain=month</c> answers it.</summary>
    private async Task<double> EnergyMonthAsync(string node, string carrier, string from, string to) =>
        (await GetAsync($"/api/v1/sites/{Site}/energy?grain=month&from={from}&to={to}&node={node}")).GetProperty("rows").EnumerateArray()
            .Where(r => r.GetProperty("node").GetString() == node && r.GetProperty("carrier").GetString() == carrier).Sum(r => r.GetProperty("value").GetDouble());

    [Fact]
    public async Task June2025_MomAndYoyEqualTheEnergyTotalsDifferences_AndTheHandCount_UnitConsumptionPerM2()
    {
        var month = await GetAsync($"/api/v1/sites/{Site}/comparison?period=2025-06&node=kiln");
        var site = await GetAsync($"/api/v1/sites/{Site}/comparison?period=2025-06");
        var june = await EnergyMonthAsync("kiln", "electricity", "2025-06-01", "2025-07-01");
        var may = await EnergyMonthAsync("kiln", "electricity", "2025-05-01", "2025-06-01");
        var june2024 = await EnergyMonthAsync("kiln", "electricity", "2024-06-01", "2024-07-01");

        // By hand: June 2025 29 days × 24 h × 100 kWh = 69600 (10 June has no data); May 31 × 24 × 90 = 66960; June 2024 30 × 24 × 80 = 57600.
        Assert.Equal((69600.0, 66960.0, 57600.0), (june, may, june2024));
        var row = Assert.Single(month.GetProperty("rows").EnumerateArray());
        Assert.Equal(("electricity", "kWh", "2025-06", "2025-05", "2024-06"), (row.GetProperty("carrier").GetString(), row.GetProperty("unit").GetString(),
            month.GetProperty("period").GetString(), month.GetProperty("previousPeriod").GetString(), month.GetProperty("lastYearPeriod").GetString()));
        Assert.Equal((june, may, june2024), (row.GetProperty("current").GetProperty("value").GetDouble(), row.GetProperty("previous").GetProperty("value").GetDouble(),
            row.GetProperty("lastYear").GetProperty("value").GetDouble()));
        Assert.Equal(june - may, row.GetProperty("mom").GetProperty("difference").GetDouble(), 9);
        Assert.Equal((june - may) / may * 100, row.GetProperty("mom").GetProperty("percent").GetDouble(), 9);
        Assert.Equal(june - june2024, row.GetProperty("yoy").GetProperty("difference").GetDouble(), 9);
        Assert.Equal((june - june2024) / june2024 * 100, row.GetProperty("yoy").GetProperty("percent").GetDouble(), 9);
        // 29 of 30 days measured.
        Assert.Equal(Math.Round(29.0 / 30, 4), row.GetProperty("current").GetProperty("completeness").GetDouble(), 4);

        // The site: electricity and the output; kWh per m²: June 69600 / 6960 = 10, May 66960 / 7440 = 9, June 2024 57600 / 5760 = 10.
        var unit = Assert.Single(site.GetProperty("unitConsumption").EnumerateArray());
        Assert.Equal(("electricity", "kWh/m2", "tile_output"), (unit.GetProperty("carrier").GetString(), unit.GetProperty("unit").GetString(), unit.GetProperty("perOutput").GetString()));
        Assert.Equal((10.0, 9.0, 10.0), (unit.GetProperty("current").GetProperty("value").GetDouble(), unit.GetProperty("previous").GetProperty("value").GetDouble(),
            unit.GetProperty("lastYear").GetProperty("value").GetDouble()));
        Assert.Equal(100.0 / 9, unit.GetProperty("mom").GetProperty("percent").GetDouble(), 9);
        Assert.Equal(0.0, unit.GetProperty("yoy").GetProperty("percent").GetDouble(), 9);
    }

    [Fact]
    public async Task DayWithoutData_NoValueNoChange_NextDayAgainstIt_BadPeriod400()
    {
        var tenth = await GetAsync($"/api/v1/sites/{Site}/comparison?period=2025-06-10&node=kiln");
        var eleventh = await GetAsync($"/api/v1/sites/{Site}/comparison?period=2025-06-11&node=kiln");
        using var bad = await _client.GetAsync($"/api/v1/sites/{Site}/comparison?period=2025-13");
        using var missingNode = await _client.GetAsync($"/api/v1/sites/{Site}/comparison?period=2025-06&node=nowhere");

        var t = Assert.Single(tenth.GetProperty("rows").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, t.GetProperty("current").GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.Null, t.GetProperty("mom").GetProperty("difference").ValueKind);
        // 9 June: 2400 kWh; 10 June 2024: 1920 kWh.
        Assert.Equal((2400.0, 1920.0), (t.GetProperty("previous").GetProperty("value").GetDouble(), t.GetProperty("lastYear").GetProperty("value").GetDouble()));
        var e = Assert.Single(eleventh.GetProperty("rows").EnumerateArray());
        Assert.Equal((2400.0, JsonValueKind.Null, JsonValueKind.Null), (e.GetProperty("current").GetProperty("value").GetDouble(),
            e.GetProperty("previous").GetProperty("value").ValueKind, e.GetProperty("mom").GetProperty("percent").ValueKind));
        Assert.Equal(480.0, e.GetProperty("yoy").GetProperty("difference").GetDouble(), 9);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("yyyy-MM-dd (a day), yyyy-MM (a month) or yyyy (a year)", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missingNode.StatusCode);
    }
}
