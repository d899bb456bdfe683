using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GreenLoop.Server.Tests;

/// <summary>
/// An alarm rule that says "open a work order" (issue 15, item 5): the field watcher opens exactly one work order per
/// alarm however many passes run, linked both ways (the work order names the alarm, the alarm's history names the work
/// order), and a click on the alarm afterwards answers the same work order; its verification shows in the alarm.
/// </summary>
public sealed class AlarmWorkOrderTests : IAsyncLifetime
{
    private const string SiteJson = """
        {"key":"awo","name":"Work-order plant","timeZone":"Asia/Shanghai",
         "meters":[{"key":"awo.main","name":"Main incomer","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"}]}
        """;

    private const string RuleJson = """
        {"key":"quarter-limit","name":"Above 100 kWh in 15 minutes","nameZh":"15分钟用电超过100 kWh","severity":"major",
         "subject":{"kind":"meter","key":"awo.main"},"condition":{"per":"15m","limit":100,"type":"consumption"},"openWorkOrder":true}
        """;

    private readonly GreenLoopAppFactory _base = new();
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        // A watcher pass every second, so several passes run while the test watches.
        _factory = _base.WithWebHostBuilder(b => b.UseSetting("GreenLoop:Field:CheckSeconds", "1"));
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _base.DisposeAsync();
        Assert.Empty(_base.ErrorLogs.Errors);
    }

    private async Task<JsonElement> GetAsync(string url) => await _client.GetFromJsonAsync<JsonElement>(url);

    [Fact]
    public async Task RuleOpensOneWorkOrderPerAlarm_LinkedBothWays()
    {
        (await _client.PutAsync("/api/v1/sites/awo", new StringContent(SiteJson, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        using (var put = await _client.PutAsync("/api/v1/sites/awo/alarm-rules/quarter-limit", new StringContent(RuleJson, Encoding.UTF8, "application/json")))
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var rule = (await GetAsync("/api/v1/sites/awo/alarm-rules"))[0].GetProperty("rule");
        Assert.True(rule.GetProperty("openWorkOrder").GetBoolean());

        var quarterEnd = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 900_000 * 900_000);
        var body = $$"""{"readings":[{"meter":"awo.main","ts":"{{quarterEnd.ToString("O", CultureInfo.InvariantCulture)}}","value":500}]}""";
        (await _client.PostAsync("/api/v1/readings", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        // The rule's alarm, then the watcher's work order for it.
        var alarm = await Wait.ForAsync(() => GetAsync("/api/v1/alarms?site=awo"), a => a.GetArrayLength() > 0, _ => "no alarm was raised");
        var order = await Wait.ForAsync(() => GetAsync("/api/v1/sites/awo/work-orders"), o => o.GetArrayLength() > 0, _ => "no work order was opened for the alarm");
        var alarmId = alarm[0].GetProperty("id").GetInt64();
        var orderId = order[0].GetProperty("id").GetInt64();

        // More passes of the watcher (run here, not waited for): none opens another.
        var watcher = _factory.Services.GetRequiredService<GreenLoop.Pipeline.Optimise.Field.FieldWatcher>();
        for (var pass = 0; pass < 3; pass++) Assert.Equal(0, (await watcher.CheckAsync(CancellationToken.None)).Opened);
        var all = await GetAsync("/api/v1/sites/awo/work-orders");
        Assert.Equal(1, all.GetArrayLength());
        Assert.Equal(alarmId, all[0].GetProperty("alarm").GetInt64());
        Assert.Equal("alarm", all[0].GetProperty("source").GetString());
        // A major alarm makes a high-priority work order, opened by the rule.
        Assert.Equal("High", all[0].GetProperty("order").GetProperty("priority").GetString());
        Assert.Equal("rule:quarter-limit", all[0].GetProperty("createdBy").GetString());

        // The alarm's history names it; a click on the alarm answers the same work order.
        var history = (await GetAsync($"/api/v1/alarms/{alarmId}/history")).EnumerateArray().Select(h => h.GetProperty("text").GetString() ?? "").ToList();
        Assert.Single(history, t => t.Contains($"work order #{orderId} opened", StringComparison.Ordinal));
        using (var click = await _client.PostAsync($"/api/v1/alarms/{alarmId}/work-order", null))
        {
            Assert.Equal(HttpStatusCode.OK, click.StatusCode);
            Assert.Equal(orderId, (await click.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        }

        // Done, then verified: the alarm's history says so.
        foreach (var change in new object[] { new { state = "InProgress" }, new { state = "Done", hours = 1.5, comment = "replaced the contactor" }, new { state = "Verified" } })
        {
            using var put = await _client.PutAsJsonAsync($"/api/v1/sites/awo/work-orders/{orderId}", change);
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }
        history = (await GetAsync($"/api/v1/alarms/{alarmId}/history")).EnumerateArray().Select(h => h.GetProperty("text").GetString() ?? "").ToList();
        Assert.Contains(history, t => t.Contains($"work order #{orderId} verified", StringComparison.Ordinal));
        Assert.Equal(1, (await GetAsync("/api/v1/sites/awo/work-orders")).GetArrayLength());
    }
}
