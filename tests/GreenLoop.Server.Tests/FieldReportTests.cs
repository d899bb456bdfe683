using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Server.Tests;

/// <summary>
/// The field-work report against a hand count on a constructed week (issue 15, item 6): a round due daily at 09:00 and
/// 15:00 (60-minute window) from Monday 2025-03-03; the server's clock is moved through the week and inspections are
/// submitted at chosen local times; the compliance, failure rate, mean time to repair and open work equal the table
/// written here, and the workbook (read by openpyxl) says the same.
/// </summary>
public sealed class FieldReportTests : IAsyncLifetime
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);
    private readonly GreenLoopAppFactory _base = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 3, 3, 8, 0, 0, Shanghai));
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;

    private const string SiteJson = """
        {"key":"fr","name":"Report plant","timeZone":"Asia/Shanghai",
         "nodes":[{"key":"kiln","name":"Kiln","kind":"Equipment"}],
         "meters":[{"key":"fr.main","name":"Main","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":60}]}
        """;

    public async Task InitializeAsync()
    {
        _factory = _base.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(_clock)));
        _client = _factory.CreateClient();
        (await _client.PutAsync("/api/v1/sites/fr", new StringContent(SiteJson, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        await OkAsync(await _client.PostAsJsonAsync("/api/v1/sites/fr/checklist-templates", new
        {
            key = "kiln-daily", name = "Kiln daily check", nameZh = "窑炉日检",
            items = new object[]
            {
                new { key = "ok", text = "Burners alight", type = "PassFail" },
                new { key = "dp", text = "Flue draught", type = "Number", unit = "Pa", min = 20, max = 60, onFail = new { severity = "High", workOrder = true } },
            },
        }));
        await OkAsync(await _client.PostAsJsonAsync("/api/v1/sites/fr/rounds", new
        {
            round = new { name = "Kiln round", template = "kiln-daily", node = "kiln", schedule = new { kind = "Daily", times = new[] { "09:00", "15:00" }, windowMinutes = 60 },
                assignee = new { role = "operator" } },
        }));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _base.DisposeAsync();
        Assert.Empty(_base.ErrorLogs.Errors);
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private void At(int day, int hour, int minute) => _clock.SetUtcNow(new DateTimeOffset(2025, 3, day, hour, minute, 0, Shanghai));

    private async Task<JsonElement> SubmitAsync(string due, double dp) =>
        await OkAsync(await _client.PostAsJsonAsync("/api/v1/sites/fr/inspections", new
        {
            submissionId = $"sub-{due}", roundId = 1, due,
            answers = new object[] { new { item = "ok", pass = true }, new { item = "dp", number = dp } },
        }));

    [Fact]
    public async Task Report_EqualsTheHandCountOfTheConstructedWeek()
    {
        At(3, 9, 30);
        await SubmitAsync("2025-03-03T09:00", 40);              // on time
        At(3, 16, 30);
        await SubmitAsync("2025-03-03T15:00", 41);              // late (window ended 16:00)
        // Tuesday 09:00 is never done: missed.
        At(4, 15, 10);
        var failed = await SubmitAsync("2025-03-04T15:00", 75); // on time, draught above 60 Pa: a work order
        var orderId = Assert.Single(failed.GetProperty("workOrders").EnumerateArray()).GetInt64();
        At(4, 18, 10);
        await OkAsync(await _client.PutAsJsonAsync($"/api/v1/sites/fr/work-orders/{orderId}", new { state = "Done", hours = 2.5 }));
        At(4, 18, 20);
        await OkAsync(await _client.PostAsJsonAsync("/api/v1/sites/fr/work-orders", new { title = "Replace the sight glass", node = "kiln" }));
        At(10, 8, 0);

        var report = await OkAsync(await _client.GetAsync("/api/v1/sites/fr/field-report?from=2025-03-03&to=2025-03-10"));

        // Week of 3 March: 7 days x 2 = 14 due; on time Mon 09:00 and Tue 15:00; late Mon 15:00; Sunday 15:00 is overdue
        // (open) until the next occurrence, Monday 09:00, comes; the other 10 missed.
        // Week of 10 March: Monday 09:00 and 15:00 not yet due at 08:00 -> 2 open.
        var rows = report.GetProperty("compliance").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        var week1 = rows[0];
        Assert.Equal(("kiln-daily", "2025-03-03"), (week1.GetProperty("template").GetString(), week1.GetProperty("week").GetString()));
        Assert.Equal((14, 2, 1, 10, 1), (week1.GetProperty("due").GetInt32(), week1.GetProperty("onTime").GetInt32(), week1.GetProperty("late").GetInt32(),
            week1.GetProperty("missed").GetInt32(), week1.GetProperty("open").GetInt32()));
        Assert.Equal(2.0 / 13, week1.GetProperty("onTimeRate").GetDouble(), 12);
        Assert.Equal((2, 0, 2), (rows[1].GetProperty("due").GetInt32(), rows[1].GetProperty("onTime").GetInt32(), rows[1].GetProperty("open").GetInt32()));
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("onTimeRate").ValueKind);

        // Three inspections: 'dp' failed once of three, 'ok' never.
        var failures = report.GetProperty("failures").EnumerateArray().ToDictionary(f => f.GetProperty("item").GetString()!);
        Assert.Equal((3, 1), (failures["dp"].GetProperty("answered").GetInt32(), failures["dp"].GetProperty("failed").GetInt32()));
        Assert.Equal(1.0 / 3, failures["dp"].GetProperty("rate").GetDouble(), 12);
        Assert.Equal(0, failures["ok"].GetProperty("failed").GetInt32());

        // Opened 15:10, done 18:10: three hours to repair. The sight glass, opened Tuesday 18:20, is open 5 d 13 h 40 min.
        Assert.Equal(3.0, report.GetProperty("mttrHours").GetDouble(), 9);
        Assert.Equal(1, report.GetProperty("repaired").GetInt32());
        var open = Assert.Single(report.GetProperty("openWork").EnumerateArray());
        Assert.Equal(("kiln", 1, 0), (open.GetProperty("node").GetString(), open.GetProperty("open").GetInt32(), open.GetProperty("overdue").GetInt32()));
        Assert.Equal(5 + (13 + (40 / 60.0)) / 24, open.GetProperty("oldestAgeDays").GetDouble(), 9);

        // The round was made on Monday 3 March: a range from the day before counts nothing more.
        var earlier = await OkAsync(await _client.GetAsync("/api/v1/sites/fr/field-report?from=2025-03-02&to=2025-03-10"));
        Assert.Equal(14, earlier.GetProperty("compliance").EnumerateArray().Where(r => r.GetProperty("week").GetString() == "2025-03-03").Sum(r => r.GetProperty("due").GetInt32()));
        Assert.DoesNotContain(earlier.GetProperty("compliance").EnumerateArray(), r => r.GetProperty("week").GetString() == "2025-02-24");

        using var xlsx = await _client.GetAsync("/api/v1/sites/fr/field-report.xlsx?from=2025-03-03&to=2025-03-10");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        var book = await OpenPyxl.ReadAsync(await xlsx.Content.ReadAsByteArrayAsync());
        var sheet = book.Single(s => s.Key.StartsWith("巡检合规", StringComparison.Ordinal)).Value;
        var first = sheet.First(r => r.Count > 1 && r[0].ValueKind == JsonValueKind.String && r[0].GetString() == "2025-03-03");
        Assert.Equal(14, first[2].GetDouble());
        Assert.Equal(2.0 / 13, first[7].GetDouble(), 12);
    }
}
