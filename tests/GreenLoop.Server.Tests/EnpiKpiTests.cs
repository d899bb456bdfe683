using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using static GreenLoop.Testing.AccountingTestPlant;

namespace GreenLoop.Server.Tests;

/// <summary>
/// A regression-model EnPI (ISO 50006) as a KPI (issue 14, item 6): the KPI functions <c>baseline_expected</c>,
/// <c>savings</c> and <c>enpi_improvement</c> read a baseline model's savings for the KPI's period and equal the
/// savings API's figures for the same days; a model id that does not exist is refused when the KPI is saved or gives
/// no value with its reason.
/// </summary>
public sealed class EnpiKpiTests : IAsyncLifetime
{
    private const string Site = "enpi";
    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    private const string SiteJson = """
        {"key":"enpi","name":"EnPI plant","timeZone":"Asia/Shanghai",
         "meters":[
          {"key":"enpi.air","name":"Compressors","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":1440},
          {"key":"enpi.out","name":"Output","quantity":"ProductOutput","carrier":"tile","unit":"m2","kind":"Interval","intervalMinutes":1440}]}
        """;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        using var put = await _client.PutAsync($"/api/v1/sites/{Site}", new StringContent(SiteJson, Encoding.UTF8, "application/json"));
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        // January to April 2025: energy = 1000 + 0.1 x output, ± 1 % noise; May: 5 % less for the same output.
        var readings = new List<(string, DateTimeOffset, double)>();
        var random = new Random(14);
        for (var day = new DateOnly(2025, 1, 1); day <= new DateOnly(2025, 5, 31); day = day.AddDays(1))
        {
            var output = 20_000 * (0.8 + (0.4 * random.NextDouble()));
            var energy = (1000 + (0.1 * output)) * (1 + (0.01 * ((2 * random.NextDouble()) - 1))) * (day.Month == 5 ? 0.95 : 1);
            var end = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), Shanghai);
            readings.Add(("enpi.air", end, Math.Round(energy, 3)));
            readings.Add(("enpi.out", end, Math.Round(output, 1)));
        }
        (await _client.PostAsync("/api/v1/readings", Body(readings))).EnsureSuccessStatusCode();
        await Http.WaitForDerivationAsync(_client);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    private async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task EnpiFunctions_EqualTheModelsSavingsForTheKpiPeriod()
    {
        var model = await JsonAsync(await _client.PostAsJsonAsync($"/api/v1/sites/{Site}/mv-models", new
        {
            name = "Compressors on output", subject = "meter:enpi.air", grain = "day", form = "Linear", drivers = new[] { "meter:enpi.out" },
            baselineFrom = "2025-01-01", baselineTo = "2025-04-30", reportingFrom = "2025-05-01", reportingTo = "2025-05-31",
        }));
        var id = model.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        Assert.True(model.GetProperty("result").GetProperty("usable").GetBoolean(), model.GetProperty("result").ToString());

        foreach (var (key, formula, unit) in new[] { ("enb", $"baseline_expected('{id}')", "kWh"), ("saved", $"savings('{id}')", "kWh"), ("enpi", $"enpi_improvement('{id}')", "%") })
        {
            using var response = await _client.PutAsJsonAsync($"/api/v1/sites/{Site}/kpis/{key}",
                new { key, name = key, area = "Energy", unit, direction = key == "enb" ? "Lower" : "Higher", formula });
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        var savings = await JsonAsync(await _client.GetAsync($"/api/v1/sites/{Site}/mv-models/{id}/savings?from=2025-05-01&to=2025-05-31"));
        var periods = savings.GetProperty("periods").EnumerateArray().ToList();
        Assert.Equal(31, periods.Count);
        // Hand sums over the periods the savings API lists.
        var baseline = periods.Sum(p => p.GetProperty("adjustedBaseline").GetDouble());
        var actual = periods.Sum(p => p.GetProperty("actual").GetDouble());
        var board = (await JsonAsync(await _client.GetAsync($"/api/v1/sites/{Site}/kpis?period=2025-05"))).GetProperty("kpis").EnumerateArray()
            .ToDictionary(r => r.GetProperty("kpi").GetProperty("key").GetString()!, r => r.GetProperty("current"));
        Assert.Equal(baseline, board["enb"].GetProperty("value").GetDouble(), 1e-6);
        Assert.Equal(baseline - actual, board["saved"].GetProperty("value").GetDouble(), 1e-6);
        Assert.Equal((baseline - actual) / baseline * 100, board["enpi"].GetProperty("value").GetDouble(), 1e-9);
        // The planted 5 % is what the EnPI shows (within the noise of a month).
        Assert.InRange(board["enpi"].GetProperty("value").GetDouble(), 4, 6);
        Assert.Equal(1, board["enpi"].GetProperty("completeness").GetDouble());

        // A period inside the baseline is not a reporting period: no value, and the reason says why.
        var april = (await JsonAsync(await _client.GetAsync($"/api/v1/sites/{Site}/kpis?period=2025-04"))).GetProperty("kpis").EnumerateArray()
            .Single(r => r.GetProperty("kpi").GetProperty("key").GetString() == "enpi").GetProperty("current");
        Assert.Equal(JsonValueKind.Null, april.GetProperty("value").ValueKind);
        Assert.Contains("after the baseline", april.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnpiFunction_WithoutAModelId_IsRefusedWhenSaved()
    {
        using var response = await _client.PutAsJsonAsync($"/api/v1/sites/{Site}/kpis/bad",
            new { key = "bad", name = "bad", area = "Energy", unit = "%", direction = "Higher", formula = "enpi_improvement('compressors')" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not a baseline model id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
