using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using static GreenLoop.Testing.AccountingTestPlant;

namespace GreenLoop.Server.Tests;

/// <summary>
/// PDCA reviews and actions through the real server (issue 13, item 4): a held review freezes its KPI values and
/// later data shows as an adjustment; an action's effectiveness check compares its KPI before and after; done needs
/// evidence and verified needs done; an action opened from an alarm is in the alarm's history; the minutes open as a
/// workbook. The plant: <see cref="AccountingTestPlant"/>, May 2025 with twice the electricity, June 2025 in two halves.
/// </summary>
public sealed class ReviewsApiTests : IAsyncLifetime
{
    private const string Site = "pdca";

    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        using var put = await _client.PutAsync($"/api/v1/sites/{Site}", new StringContent(SiteJson(Site), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        // An hourly electricity limit every May hour breaks (200 kWh > 150): alarms for the action to come from.
        using var rule = await _client.PutAsJsonAsync($"/api/v1/sites/{Site}/alarm-rules/elec-hour", new
        {
            key = "elec-hour", name = "Electricity above 150 kWh/h", severity = "major", subject = new { kind = "meter", key = $"{Site}.elec" },
            condition = new { type = "consumption", per = "hour", limit = 150 }, recipients = Array.Empty<string>(),
        });
        Assert.True(rule.StatusCode == HttpStatusCode.OK, await rule.Content.ReadAsStringAsync());
        var may = Readings(Site, new DateOnly(2025, 5, 1), new DateOnly(2025, 5, 31))
            .Select(r => r.Meter.EndsWith(".elec", StringComparison.Ordinal) ? (r.Meter, r.Ts, r.Value * 2) : r).ToList();
        await PostAsync(may.Concat(Readings(Site, new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 15))));
        await SaveKpiAsync("unit-energy", "unit_energy()", "kgce/m2", "Ratio");
        await SaveKpiAsync("energy", "energy()", "kgce", "Sum");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    private async Task PostAsync(IEnumerable<(string Meter, DateTimeOffset Ts, double Value)> readings)
    {
        foreach (var chunk in readings.Chunk(2000))
        {
            using var response = await _client.PostAsync("/api/v1/readings", Body(chunk));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await Http.WaitForDerivationAsync(_client);
    }

    private async Task SaveKpiAsync(string key, string formula, string unit, string aggregation)
    {
        using var response = await _client.PutAsJsonAsync($"/api/v1/sites/{Site}/kpis/{key}", new
        {
            key, name = key, area = "Energy", unit, direction = "Lower", formula, aggregation, target = new { period = "2025-06", value = 0.6 },
        });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string url, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {url}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static object Review() => new
    {
        title = "2025 Q2 management review", meetingDate = "2025-06-16", period = "2025-06", cycle = "quarterly",
        attendees = new[] { "王建国", "李娜", "陈伟" },
        findings = new[] { new { kpi = "unit-energy", analysis = "Kiln 2 burners ran rich in the first half of June." } },
        decisions = new[] { "Tune kiln 2 burners", "Review the target for H2" },
    };

    [Fact]
    public async Task HeldReview_FreezesItsKpiValues_LaterDataShowsAsAnAdjustment()
    {
        var created = await SendAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/reviews", Review(), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal("draft", created.GetProperty("state").GetString());

        var held = await SendAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/reviews/{id}/hold", null, HttpStatusCode.OK);
        await SendAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/reviews/{id}/hold", null, HttpStatusCode.BadRequest);
        // 1-15 June: 36,000 kWh x 0.1229 + 3,600 m3 x 1.2143 = 4,424.4 + 4,371.48 = 8,795.88 kgce.
        double Frozen(JsonElement review, string key) => review.GetProperty("frozen").EnumerateArray().Single(f => f.GetProperty("key").GetString() == key).GetProperty("value").GetDouble();
        Assert.Equal(("held", 8_795.88), (held.GetProperty("state").GetString(), Math.Round(Frozen(held, "energy"), 6)));
        Assert.Empty(held.GetProperty("adjustments").EnumerateArray());
        // Half of June metered: the status stands, marked provisional (data 50 % complete, below 95 %).
        var half = (await SendAsync(HttpMethod.Get, $"/api/v1/sites/{Site}/kpis?period=2025-06", null, HttpStatusCode.OK)).GetProperty("kpis").EnumerateArray()
            .Single(k => k.GetProperty("kpi").GetProperty("key").GetString() == "unit-energy").GetProperty("status");
        Assert.True(half.GetProperty("provisional").GetBoolean());
        Assert.Contains("provisional: data 50 % complete", half.GetProperty("reason").GetString(), StringComparison.Ordinal);

        await PostAsync(Readings(Site, new DateOnly(2025, 6, 16), new DateOnly(2025, 6, 30)));
        var later = await SendAsync(HttpMethod.Get, $"/api/v1/sites/{Site}/reviews/{id}", null, HttpStatusCode.OK);

        // The frozen value stays; the whole of June (17,591.76 kgce) shows as an adjustment of +8,795.88.
        Assert.Equal(8_795.88, Frozen(later, "energy"), 6);
        var adjustment = later.GetProperty("adjustments").EnumerateArray().Single(a => a.GetProperty("key").GetString() == "energy");
        Assert.Equal(17_591.76, adjustment.GetProperty("current").GetDouble(), 6);
        Assert.Equal(8_795.88, adjustment.GetProperty("difference").GetDouble(), 6);
        // Unit energy is the same ratio in both halves: no adjustment.
        Assert.DoesNotContain(later.GetProperty("adjustments").EnumerateArray(), a => a.GetProperty("key").GetString() == "unit-energy");

        using var minutes = await _client.GetAsync($"/api/v1/sites/{Site}/reviews/{id}/minutes.xlsx");
        Assert.Equal(HttpStatusCode.OK, minutes.StatusCode);
        var bytes = await minutes.Content.ReadAsByteArrayAsync();
        // An independent reader (openpyxl): the frozen value and the one now, side by side.
        var sheets = await OpenPyxl.ReadAsync(bytes);
        var energyRow = sheets["指标 KPIs"].Single(r => r[0].ValueKind == JsonValueKind.String && r[0].GetString() == "energy");
        Assert.Equal((8_795.88, 17_591.76), (Math.Round(energyRow[2].GetDouble(), 6), Math.Round(energyRow[7].GetDouble(), 6)));
        using var book = new XlsxBook(bytes);
        Assert.Empty(book.ValidationErrors());
        Assert.Equal(["会议 Meeting", "指标 KPIs", "措施 Actions"], book.SheetNames);
        Assert.Equal("王建国、李娜、陈伟", book.Cell("会议 Meeting", "参会人 Attendees", 1));
    }

    [Fact]
    public async Task Action_EffectivenessComparesTheKpiBeforeAndAfter_DoneNeedsEvidence_VerifiedNeedsDone()
    {
        var review = await SendAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/reviews", Review(), HttpStatusCode.Created);
        var opened = await SendAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/actions", new
        {
            reviewId = review.GetProperty("id").GetInt64(),
            action = new { title = "Tune kiln 2 burners", owner = "陈伟", dueDate = "2025-07-31", kpi = "unit-energy", beforePeriod = "2025-05", afterPeriod = "2025-06" },
        }, HttpStatusCode.Created);
        var id = opened.GetProperty("id").GetInt64();

        // May: 148,800 kWh x 0.1229 + 7,440 m3 x 1.2143 = 18,287.52 + 9,034.392 = 27,321.912 kgce / 37,200 m2 = 0.734460 kgce/m2;
        // June 1-15: 8,795.88 / 18,000 = 0.488660 kgce/m2: lower, so improved.
        var check = opened.GetProperty("effectiveness");
        Assert.Equal(27_321.912 / 37_200, check.GetProperty("before").GetProperty("value").GetDouble(), 12);
        Assert.Equal(8_795.88 / 18_000, check.GetProperty("after").GetProperty("value").GetDouble(), 12);
        Assert.Equal(8_795.88 / 18_000 - 27_321.912 / 37_200, check.GetProperty("change").GetDouble(), 12);
        Assert.True(check.GetProperty("improved").GetBoolean());
        // Due 2025-07-31 and still open: overdue today.
        Assert.Equal(("Open", true), (opened.GetProperty("state").GetString(), opened.GetProperty("overdue").GetBoolean()));

        await SendAsync(HttpMethod.Put, $"/api/v1/sites/{Site}/actions/{id}", new { state = "Verified" }, HttpStatusCode.BadRequest);
        await SendAsync(HttpMethod.Put, $"/api/v1/sites/{Site}/actions/{id}", new { state = "Done" }, HttpStatusCode.BadRequest);
        var done = await SendAsync(HttpMethod.Put, $"/api/v1/sites/{Site}/actions/{id}", new { state = "Done", evidence = "Burner tuning report BT-2025-07", note = "air ratio 1.08" }, HttpStatusCode.OK);
        var verified = await SendAsync(HttpMethod.Put, $"/api/v1/sites/{Site}/actions/{id}", new { state = "Verified" }, HttpStatusCode.OK);

        Assert.Equal(("Done", false), (done.GetProperty("state").GetString(), done.GetProperty("overdue").GetBoolean()));
        Assert.Equal("Verified", verified.GetProperty("state").GetString());
        var history = verified.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("what").GetString()).ToList();
        Assert.Equal(["opened", "state Open -> Done; evidence recorded", "state Done -> Verified"], history);
        var reviewNow = await SendAsync(HttpMethod.Get, $"/api/v1/sites/{Site}/reviews/{review.GetProperty("id").GetInt64()}", null, HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(reviewNow.GetProperty("actions").EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task ActionFromAnAlarm_IsInTheAlarmsHistory_AndNamesTheAlarm()
    {
        var alarms = await SendAsync(HttpMethod.Get, $"/api/v1/alarms?site={Site}", null, HttpStatusCode.OK);
        var alarmId = alarms[0].GetProperty("id").GetInt64();

        var opened = await SendAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/actions", new
        {
            alarmId, action = new { title = "Check the compressor schedule", owner = "李娜", dueDate = "2199-01-01" },
        }, HttpStatusCode.Created);
        await SendAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/actions", new { alarmId = 987_654_321, action = new { title = "x", owner = "y", dueDate = "2199-01-01" } }, HttpStatusCode.BadRequest);
        var history = await SendAsync(HttpMethod.Get, $"/api/v1/alarms/{alarmId}/history", null, HttpStatusCode.OK);

        Assert.Equal(alarmId, opened.GetProperty("alarmId").GetInt64());
        Assert.False(opened.GetProperty("overdue").GetBoolean());
        Assert.Contains(history.EnumerateArray(), h => h.GetProperty("kind").GetString() == "commented"
            && h.GetProperty("text").GetString()!.StartsWith($"corrective action #{opened.GetProperty("id").GetInt64()} opened: Check the compressor schedule", StringComparison.Ordinal));
    }
}
