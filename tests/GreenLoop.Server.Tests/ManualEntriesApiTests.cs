using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Storage;
using GreenLoop.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GreenLoop.Server.Tests;

/// <summary>Manual entry for offline meters through the API (docs/data-entry.md): entries, corrections as versions, derivation.</summary>
public sealed class ManualEntriesApiTests : IAsyncLifetime
{
    private const string SiteJson = """
        {"key":"man","name":"Manual entry plant","nameZh":"手工录入测试工厂","timeZone":"Asia/Shanghai",
         "meters":[
           {"key":"man.water","name":"Fresh water (billed)","nameZh":"自来水（账单）","carrier":"fresh_water","unit":"m3","kind":"Cumulative"},
           {"key":"man.elec","name":"Workshop feeder","carrier":"electricity","unit":"kWh","kind":"Cumulative"},
           {"key":"man.coal","name":"Coal deliveries","carrier":"coal","unit":"t","kind":"Interval","intervalMinutes":60}]}
        """;

    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        using var put = await _client.PutAsync("/api/v1/sites/man", new StringContent(SiteJson, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    /// <summary>
    /// POST JSON with the test's administrator key, naming the person it acts for (percent-encoded, since headers are
    /// ASCII); the server records "{person} via key:bootstrap".
    /// </summary>
    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string url, string json, string? user = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (user is not null) request.Headers.Add("X-GreenLoop-User", Uri.EscapeDataString(user));
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<double?> StoredValueAsync(string meter, DateTimeOffset at)
    {
        var store = _factory.Services.GetRequiredService<GreenLoopStore>();
        var tenant = _factory.Services.GetRequiredService<Hosting.TenantContext>().TenantId;
        var id = (await store.LoadMetersAsync(tenant, CancellationToken.None))[meter].Id;
        var ms = at.ToUnixTimeMilliseconds();
        var readings = await store.ReadingsAsync(new MeterId(id), new Instant(ms), new Instant(ms), withNeighbours: false, CancellationToken.None);
        return readings.Length == 0 ? null : readings[0].Value;
    }

    private async Task<Dictionary<string, double>> MonthsAsync(string meter, string from, string to)
    {
        var series = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/sites/man/meters/{meter}/series?grain=month&from={from}&to={to}");
        return series.GetProperty("points").EnumerateArray().ToDictionary(p => p.GetProperty("start").GetString()![..7], p => p.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task CreateThenCorrect_MonthlyBillReadings_DerivedConsumptionFollowsTheCorrectionAndHistoryKeepsBothVersions()
    {
        // A water bill: previous reading 1200 m3 on 30 Sep 08:00, current reading 1350 m3 on 31 Oct 08:00 (local, +08:00).
        var (s1, first) = await PostAsync("/api/v1/manual-entries",
            """{"meter":"man.water","ts":"2026-09-30T08:00","timeZone":"Asia/Shanghai","value":1200,"document":"WB-2026-10","note":"上次读数"}""", "Wang Fang");
        var (s2, second) = await PostAsync("/api/v1/manual-entries",
            """{"meter":"man.water","ts":"2026-10-31T08:00:00+08:00","value":1350,"document":"WB-2026-10","note":"本次读数"}""", "Wang Fang");

        Assert.True(s1 == HttpStatusCode.Created, first.ToString());
        Assert.True(s2 == HttpStatusCode.Created, second.ToString());
        Assert.Equal(("2026-09-30T08:00:00+08:00", 1, "Wang Fang via key:bootstrap", "m3"),
            (first.GetProperty("ts").GetString(), first.GetProperty("version").GetInt32(), first.GetProperty("enteredBy").GetString(), first.GetProperty("unit").GetString()));
        Assert.Equal(1350, await StoredValueAsync("man.water", new DateTimeOffset(2026, 10, 31, 8, 0, 0, TimeSpan.FromHours(8))));
        await Http.WaitForDerivationAsync(_client);
        // 150 m3 between the readings, 31 days apart, spread evenly in time: September gets 16 h of it, October 30 d 8 h.
        // Sep: 150 x (16/24)/31 = 3.2258...; Oct: 150 x (30 + 8/24)/31 = 146.7742...
        var months = await MonthsAsync("man.water", "2026-09-01", "2026-11-01");
        Assert.Equal(150.0 * (16.0 / 24) / 31, months["2026-09"], 6);
        Assert.Equal(150.0 * (30 + 8.0 / 24) / 31, months["2026-10"], 6);

        var entryId = second.GetProperty("entryId").GetInt64();
        var (s3, corrected) = await PostAsync($"/api/v1/manual-entries/{entryId}/corrections",
            """{"value":1380,"reason":"supplier corrected the bill"}""", "李雷");

        Assert.True(s3 == HttpStatusCode.Created, corrected.ToString());
        Assert.Equal((entryId, 2, 1380.0, "李雷 via key:bootstrap", "supplier corrected the bill", "WB-2026-10"),
            (corrected.GetProperty("entryId").GetInt64(), corrected.GetProperty("version").GetInt32(), corrected.GetProperty("value").GetDouble(),
             corrected.GetProperty("enteredBy").GetString(), corrected.GetProperty("reason").GetString(), corrected.GetProperty("document").GetString()));
        Assert.Equal(1380, await StoredValueAsync("man.water", new DateTimeOffset(2026, 10, 31, 8, 0, 0, TimeSpan.FromHours(8))));
        await Http.WaitForDerivationAsync(_client);
        // Now 180 m3: Sep 180 x (16/24)/31 = 3.8710...; Oct 180 x (30 + 8/24)/31 = 176.1290...
        months = await MonthsAsync("man.water", "2026-09-01", "2026-11-01");
        Assert.Equal(180.0 * (16.0 / 24) / 31, months["2026-09"], 6);
        Assert.Equal(180.0 * (30 + 8.0 / 24) / 31, months["2026-10"], 6);

        var history = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/manual-entries/{entryId}");
        var versions = history.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal([(1, 1350.0, "Wang Fang via key:bootstrap", (string?)null), (2, 1380.0, "李雷 via key:bootstrap", "supplier corrected the bill")],
            versions.Select(v => (v.GetProperty("version").GetInt32(), v.GetProperty("value").GetDouble(), v.GetProperty("enteredBy").GetString(),
                v.GetProperty("reason").GetString())));
        Assert.All(versions, v => Assert.EndsWith("+08:00", v.GetProperty("enteredAt").GetString(), StringComparison.Ordinal));
        Assert.Equal(2, history.GetProperty("current").GetProperty("version").GetInt32());

        var list = await _client.GetFromJsonAsync<JsonElement>("/api/v1/manual-entries?meter=man.water");
        // Current versions only, newest reading first.
        Assert.Equal([(entryId, 2, 1380.0), (first.GetProperty("entryId").GetInt64(), 1, 1200.0)],
            list.EnumerateArray().Select(e => (e.GetProperty("entryId").GetInt64(), e.GetProperty("version").GetInt32(), e.GetProperty("value").GetDouble())));
    }

    [Fact]
    public async Task Correct_WithoutReason_400AndNothingChanged()
    {
        var (_, entry) = await PostAsync("/api/v1/manual-entries", """{"meter":"man.water","ts":"2026-10-31T08:00:00+08:00","value":1350}""");
        var id = entry.GetProperty("entryId").GetInt64();

        var (status, problem) = await PostAsync($"/api/v1/manual-entries/{id}/corrections", """{"value":1380,"reason":"  "}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("say why the value is corrected", problem.GetProperty("errors").GetProperty("reason")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(1350, await StoredValueAsync("man.water", new DateTimeOffset(2026, 10, 31, 8, 0, 0, TimeSpan.FromHours(8))));
        var history = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/manual-entries/{id}");
        Assert.Single(history.GetProperty("versions").EnumerateArray());
    }

    [Fact]
    public async Task Create_AtInstantHoldingAReading_409AndTheStoredReadingKept()
    {
        using (var device = await _client.PostAsync("/api/v1/readings", new StringContent(
            """{"readings":[{"meter":"man.elec","ts":"2026-10-01T00:00:00+08:00","value":5000}]}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, device.StatusCode);
        }

        var (fromDevice, deviceProblem) = await PostAsync("/api/v1/manual-entries", """{"meter":"man.elec","ts":"2026-10-01T00:00:00+08:00","value":5100}""");
        var (_, entry) = await PostAsync("/api/v1/manual-entries", """{"meter":"man.water","ts":"2026-10-01T00:00:00+08:00","value":10}""");
        // The same instant written in UTC is the same instant.
        var (twice, entryProblem) = await PostAsync("/api/v1/manual-entries", """{"meter":"man.water","ts":"2026-09-30T16:00:00Z","value":11}""");

        Assert.Equal(HttpStatusCode.Conflict, fromDevice);
        Assert.Equal("A reading is stored at that instant", deviceProblem.GetProperty("title").GetString());
        Assert.Equal(5000, await StoredValueAsync("man.elec", new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.FromHours(8))));
        Assert.Equal(HttpStatusCode.Conflict, twice);
        Assert.Equal(entry.GetProperty("entryId").GetInt64(), entryProblem.GetProperty("existingEntryId").GetInt64());
        Assert.Equal(10, await StoredValueAsync("man.water", new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.FromHours(8))));
    }

    [Theory]
    [InlineData("""{"meter":"man.gas","ts":"2026-10-01T00:00:00+08:00","value":1}""", "meter", "unknown meter 'man.gas'")]
    [InlineData("""{"ts":"2026-10-01T00:00:00+08:00","value":1}""", "meter", "choose the meter")]
    [InlineData("""{"meter":"man.water","ts":"2026-10-01T08:00","value":1}""", "ts", "'2026-10-01T08:00' has no UTC offset")]
    [InlineData("""{"meter":"man.water","ts":"1 Oct","value":1}""", "ts", "'1 Oct' is not a date and time")]
    [InlineData("""{"meter":"man.water","ts":"2026-10-01T08:00","timeZone":"Mars/Olympus","value":1}""", "timeZone", "unknown time zone 'Mars/Olympus'")]
    [InlineData("""{"meter":"man.water","ts":"2036-10-01T00:00:00+08:00","value":1}""", "ts", "2036-10-01 00:00 +08:00 is more than a day in the future")]
    [InlineData("""{"meter":"man.water","ts":"2026-10-01T00:00:00+08:00","value":-5}""", "value", "'man.water' is a cumulative register")]
    [InlineData("""{"meter":"man.coal","ts":"2026-10-01T00:00:00+08:00","value":-5}""", "value", "'man.coal' records consumption per interval")]
    [InlineData("""{"meter":"man.water","ts":"2026-10-01T00:00:00+08:00","value":"NaN"}""", "value", "'value' must be a JSON number")]
    [InlineData("""{"meter":"man.water","ts":"2026-10-01T00:00:00+08:00"}""", "value", "give the value as read")]
    [InlineData("""{"meter":7,"ts":"2026-10-01T00:00:00+08:00","value":1}""", "meter", "'meter' must be a string, not number")]
    public async Task Create_BadInput_400WithTheReasonUnderItsFieldAndNothingStored(string json, string field, string reason)
    {
        var (status, problem) = await PostAsync("/api/v1/manual-entries", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var reasons = problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Contains(reasons, r => r.StartsWith(reason, StringComparison.Ordinal));
        var list = await _client.GetFromJsonAsync<JsonElement>("/api/v1/manual-entries");
        Assert.Equal(0, list.GetArrayLength());
    }

    [Fact]
    public async Task CorrectAndGet_UnknownEntryOrMeter_404Or400()
    {
        var (correct, _) = await PostAsync("/api/v1/manual-entries/9999/corrections", """{"value":1,"reason":"typo"}""");
        using var get = await _client.GetAsync("/api/v1/manual-entries/9999");
        using var list = await _client.GetAsync("/api/v1/manual-entries?meter=man.gas");

        Assert.Equal(HttpStatusCode.NotFound, correct);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, list.StatusCode);
    }
}
