using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using static GreenLoop.Testing.AccountingTestPlant;

namespace GreenLoop.Server.Tests;

/// <summary>
/// Weather drivers of a baseline model through the real server (issue 14, item 3): cooling degree-days computed from a
/// temperature gauge's daily means with a chosen base, and a 3-parameter cooling change-point model that finds the
/// change point of data made with one. A cooling plant: 600 kWh a day plus 45 kWh per degree above 24 °C.
/// </summary>
public sealed class WeatherDriverTests : IAsyncLifetime
{
    private const string Site = "wx";
    private const double Base = 600, Slope = 45, ChangePoint = 24;
    private readonly GreenLoopAppFactory _factory = new();
    private readonly Dictionary<DateOnly, double> _temperature = [];
    private HttpClient _client = null!;

    private const string SiteJson = """
        {"key":"wx","name":"Cooling plant","timeZone":"Asia/Shanghai",
         "meters":[
          {"key":"wx.chiller","name":"Chillers","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":1440},
          {"key":"wx.temp","name":"Outdoor temperature","quantity":"ProcessVariable","carrier":"air_temperature","unit":"degC","kind":"Instantaneous"}]}
        """;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        using var put = await _client.PutAsync($"/api/v1/sites/{Site}", new StringContent(SiteJson, Encoding.UTF8, "application/json"));
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var readings = new List<(string, DateTimeOffset, double)>();
        var random = new Random(7);
        for (var day = new DateOnly(2025, 4, 1); day <= new DateOnly(2025, 7, 31); day = day.AddDays(1))
        {
            // One temperature for the whole day, sampled every hour.
            var t = Math.Round(16 + (18 * random.NextDouble()), 1);
            _temperature[day] = t;
            var midnight = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Shanghai);
            for (var h = 0; h < 24; h++) readings.Add(("wx.temp", midnight.AddHours(h), t));
            var energy = (Base + (Slope * Math.Max(0, t - ChangePoint))) * (1 + (0.01 * ((2 * random.NextDouble()) - 1)));
            readings.Add(("wx.chiller", midnight.AddDays(1), Math.Round(energy, 3)));
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

    private async Task<JsonElement> ModelAsync(string form, string[] drivers)
    {
        using var response = await _client.PostAsJsonAsync($"/api/v1/sites/{Site}/mv-models", new
        {
            name = form, subject = "meter:wx.chiller", grain = "day", form, drivers, baselineFrom = "2025-04-01", baselineTo = "2025-07-31",
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task CoolingDegreeDays_FromTheGaugesDailyMeans_AreTheDriverAndCarryTheSlope()
    {
        var model = await ModelAsync("Linear", ["cdd:wx.temp:24"]);
        var result = model.GetProperty("result");
        // The driver of each day is max(0, the gauge's daily mean - 24), the mean as the meter's day series gives it
        // (time-weighted, so the hour before midnight leans toward the next day's temperature).
        using var seriesResponse = await _client.GetAsync("/api/v1/sites/wx/meters/wx.temp/series?grain=day&from=2025-04-01&to=2025-08-01");
        var series = JsonDocument.Parse(await seriesResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("points").EnumerateArray()
            .ToDictionary(p => p.GetProperty("start").GetString()![..10], p => p.GetProperty("value").GetDouble());
        var checkedDays = 0;
        foreach (var point in result.GetProperty("baseline").EnumerateArray().Where(p => p.GetProperty("excluded").ValueKind == JsonValueKind.Null))
        {
            var mean = series[point.GetProperty("period").GetString()!];
            Assert.Equal(Math.Max(0, mean - 24), point.GetProperty("drivers")[0].GetDouble(), 9);
            // And the daily mean is the day's temperature within what the last hour's slope can move it.
            var day = DateOnly.ParseExact(point.GetProperty("period").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.InRange(mean, _temperature[day] - 0.4, _temperature[day] + 0.4);
            checkedDays++;
        }
        Assert.True(checkedDays >= 120, $"{checkedDays} days");
        var coefficients = result.GetProperty("fit").GetProperty("ols").GetProperty("coefficients");
        Assert.Equal(Base, coefficients[0].GetProperty("estimate").GetDouble(), Base * 0.01);
        Assert.Equal(Slope, coefficients[1].GetProperty("estimate").GetDouble(), Slope * 0.03);
        Assert.True(result.GetProperty("usable").GetBoolean(), result.GetProperty("refusal").ToString());
    }

    [Fact]
    public async Task ThreeParameterCooling_OnTheTemperature_FindsTheChangePoint()
    {
        var model = await ModelAsync("ThreeParameterCooling", ["meter:wx.temp"]);
        var fit = model.GetProperty("result").GetProperty("fit");
        var cp = fit.GetProperty("changePoints")[0].GetDouble();
        // The grid spans P10..P90 of 16-34 °C in 100 steps (about 0.15 °C); noise of 1 % moves the best point a little.
        Assert.InRange(cp, ChangePoint - 0.6, ChangePoint + 0.6);
        Assert.Equal(3, fit.GetProperty("parameters").GetInt32());
        Assert.Equal(Slope, fit.GetProperty("ols").GetProperty("coefficients")[1].GetProperty("estimate").GetDouble(), Slope * 0.05);
        Assert.True(model.GetProperty("result").GetProperty("usable").GetBoolean(), model.GetProperty("result").GetProperty("refusal").ToString());
    }

    [Fact]
    public async Task DegreeDays_ThatAreNotAGauge_AreRefusedNamingTheDriver()
    {
        using var response = await _client.PostAsJsonAsync($"/api/v1/sites/{Site}/mv-models", new
        {
            name = "bad", subject = "meter:wx.chiller", grain = "day", form = "Linear", drivers = new[] { "hdd:wx.chiller:18" },
            baselineFrom = "2025-04-01", baselineTo = "2025-07-31",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not a gauge", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
