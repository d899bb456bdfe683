using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;

namespace GreenLoop.Server.Tests;

/// <summary>The alarm API through WebApplicationFactory: rules with validation paths, a raise from posted readings, acknowledge and history.</summary>
public sealed class AlarmsApiTests : IAsyncLifetime
{
    private const string SiteJson = """
        {"key":"alarm","name":"Alarm test plant","timeZone":"Asia/Shanghai",
         "meters":[{"key":"alarm.main","name":"Main incomer","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"},
                   {"key":"alarm.nox","name":"Stack NOx","quantity":"Emission","carrier":"nox","unit":"mg/m3","kind":"Instantaneous"}]}
        """;

    private const string RuleJson = """
        {"key":"quarter-limit","name":"Above 100 kWh in 15 minutes","nameZh":"15分钟用电超过100 kWh","severity":"critical",
         "subject":{"kind":"meter","key":"alarm.main"},
         "condition":{"per":"15m","limit":100,"type":"consumption"},
         "recipients":["ops"]}
        """;

    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    private async Task<HttpResponseMessage> PutAsync(string url, string json) =>
        await _client.PutAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task PutRule_WithErrors_AnswersValidationProblemWithPaths()
    {
        (await PutAsync("/api/v1/sites/alarm", SiteJson)).EnsureSuccessStatusCode();

        using var response = await PutAsync("/api/v1/sites/alarm/alarm-rules/bad", """
            {"key":"bad","name":"Bad","subject":{"kind":"meter","key":"nope"},"condition":{"type":"range"},"clearRatio":2}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["clearRatio", "condition", "subject.key"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PostedReadingAboveTheLimit_RaisesAnAlarm_ThatCanBeAcknowledgedOnce()
    {
        (await PutAsync("/api/v1/sites/alarm", SiteJson)).EnsureSuccessStatusCode();
        (await PutAsync("/api/v1/sites/alarm/alarm-rules/quarter-limit", RuleJson)).EnsureSuccessStatusCode();
        var rules = await _client.GetFromJsonAsync<JsonElement>("/api/v1/sites/alarm/alarm-rules");
        Assert.Equal("quarter-limit", rules[0].GetProperty("rule").GetProperty("key").GetString());
        Assert.True(rules[0].GetProperty("judgedEarly").GetBoolean());

        // The quarter that ended last: 500 kWh against a limit of 100.
        var now = DateTimeOffset.UtcNow;
        var quarterEnd = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds() / 900_000 * 900_000);
        var body = $$"""{"readings":[{"meter":"alarm.main","ts":"{{quarterEnd.ToString("O", CultureInfo.InvariantCulture)}}","value":500}]}""";
        (await _client.PostAsync("/api/v1/readings", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var alarm = await WaitForAlarmAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("active", alarm.GetProperty("state").GetString());
        Assert.Equal("critical", alarm.GetProperty("severity").GetString());
        Assert.Equal(500, alarm.GetProperty("value").GetDouble());
        var id = alarm.GetProperty("id").GetInt64();

        using var ack = await _client.PostAsJsonAsync($"/api/v1/alarms/{id}/ack", new { comment = "on it" });
        using var again = await _client.PostAsJsonAsync($"/api/v1/alarms/{id}/ack", new { comment = "twice" });
        var history = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/alarms/{id}/history");
        var active = await _client.GetFromJsonAsync<JsonElement>("/api/v1/alarms?state=acknowledged&severity=critical&site=alarm");

        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(["raised", "acknowledged"], history.EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        // What the system wrote reads in both languages; a person's note is kept as written, with no translation.
        var raised = history[0];
        Assert.Contains("500", raised.GetProperty("textZh").GetString(), StringComparison.Ordinal);
        Assert.Contains("限值", raised.GetProperty("textZh").GetString(), StringComparison.Ordinal);
        Assert.Contains("limit", raised.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(("on it", JsonValueKind.Null), (history[1].GetProperty("text").GetString(), history[1].GetProperty("textZh").ValueKind));
        Assert.Equal(id, Assert.Single(active.EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task RangeRule_TwentySecondsAboveInTheRunningQuarter_RaisesNothing_TheCompletedQuarterAboveRaises()
    {
        (await PutAsync("/api/v1/sites/alarm", SiteJson)).EnsureSuccessStatusCode();
        (await PutAsync("/api/v1/sites/alarm/alarm-rules/nox", """
            {"key":"nox","name":"NOx above 180 mg/m3","severity":"critical","subject":{"kind":"meter","key":"alarm.nox"},
             "condition":{"type":"range","max":180},"forMinutes":0,"recipients":[]}
            """)).EnsureSuccessStatusCode();
        var rule = await _client.GetFromJsonAsync<JsonElement>("/api/v1/sites/alarm/alarm-rules/nox");
        Assert.False(rule.GetProperty("judgedEarly").GetBoolean());

        // Keep clear of a quarter's end, so the running quarter stays unfinished while the test watches it.
        static long QuarterMs(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / 900_000 * 900_000;
        if (900_000 - (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - QuarterMs(DateTimeOffset.UtcNow)) < 60_000)
            await Task.Delay(TimeSpan.FromMilliseconds(900_000 - (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - QuarterMs(DateTimeOffset.UtcNow)) + 500));
        var now = DateTimeOffset.UtcNow;
        string Readings(IEnumerable<DateTimeOffset> at, double value) =>
            "{\"readings\":[" + string.Join(",", at.Select(t => $$"""{"meter":"alarm.nox","ts":"{{t.ToString("O", CultureInfo.InvariantCulture)}}","value":{{value}}}""")) + "]}";
        // 20 s at 300 mg/m3, the last 20 s up to now, inside the running quarter.
        var burst = Enumerable.Range(0, 5).Select(i => now.AddSeconds(-20 + (5 * i))).Where(t => t.ToUnixTimeMilliseconds() >= QuarterMs(now));
        (await _client.PostAsync("/api/v1/readings", new StringContent(Readings(burst, 300), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var early = await _client.GetFromJsonAsync<JsonElement>("/api/v1/alarms?site=alarm&rule=nox");

        // The quarter before the running one, a reading each minute at 300 mg/m3: over, so judged at once.
        var previous = DateTimeOffset.FromUnixTimeMilliseconds(QuarterMs(now) - 900_000);
        (await _client.PostAsync("/api/v1/readings", new StringContent(Readings(Enumerable.Range(0, 15).Select(m => previous.AddMinutes(m)), 300), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var alarm = await WaitForAlarmAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, early.GetArrayLength());
        Assert.Equal("nox", alarm.GetProperty("rule").GetString());
        Assert.Equal(300, alarm.GetProperty("value").GetDouble());
        Assert.Equal(previous, DateTimeOffset.Parse(alarm.GetProperty("startedAt").GetString()!, CultureInfo.InvariantCulture));
    }

    private async Task<JsonElement> WaitForAlarmAsync(TimeSpan timeout) =>
        (await Wait.ForAsync(() => _client.GetFromJsonAsync<JsonElement>("/api/v1/alarms?site=alarm"), list => list.GetArrayLength() > 0,
            _ => "an alarm to be raised", timeout, TimeSpan.FromMilliseconds(50)))[0];
}
