using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using GreenLoop.Pipeline.Optimise.Field;

namespace GreenLoop.Server.Tests;

/// <summary>
/// The field watcher's reminders (issue 15) on a fixed clock, delivered through a real webhook channel to a receiver on
/// 127.0.0.1: a round's occurrence not done by the end of its window is told once, naming its due time; one done on
/// time is never told; an overdue work order is told once. Two passes at the same moment (two servers) still send each
/// once. The passes are run by the test (the background worker is removed), so every count is exact.
/// </summary>
public sealed class FieldRemindersTests : IAsyncLifetime
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);
    private readonly GreenLoopAppFactory _base = new();
    // Monday 3 March 2025, 08:00 in Shanghai.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 3, 3, 8, 0, 0, Shanghai));
    private readonly ConcurrentQueue<JsonElement> _received = new();
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;
    private WebApplication? _receiver;

    private const string SiteJson = """
        {"key":"rem","name":"Reminder plant","nameZh":"提醒测试厂","timeZone":"Asia/Shanghai","nodes":[{"key":"stack","name":"Kiln stack"}],
         "meters":[{"key":"rem.main","name":"Main","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":60}]}
        """;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _receiver = builder.Build();
        _receiver.MapPost("/hook", async (HttpRequest request) =>
        {
            _received.Enqueue(await JsonSerializer.DeserializeAsync<JsonElement>(request.Body));
            return Results.Ok();
        });
        await _receiver.StartAsync();

        _factory = _base.WithWebHostBuilder(b => b.ConfigureServices(s =>
        {
            s.AddSingleton<TimeProvider>(_clock);
            foreach (var worker in s.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "FieldWatcherWorker").ToList()) s.Remove(worker);
        }));
        _client = _factory.CreateClient();
        (await _client.PutAsync("/api/v1/sites/rem", new StringContent(SiteJson, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        await OkAsync(await _client.PutAsJsonAsync("/api/v1/notification-channels/ehs", new { key = "ehs", kind = "webhook", name = "EHS lead", url = _receiver.Urls.First() + "/hook" }));
        await OkAsync(await _client.PostAsJsonAsync("/api/v1/sites/rem/checklist-templates", new
        {
            key = "stack", name = "Stack check", nameZh = "排气筒检查",
            items = new object[] { new { key = "ok", text = "Bag filter normal", type = "PassFail" } },
        }));
        await OkAsync(await _client.PostAsJsonAsync("/api/v1/sites/rem/rounds", new
        {
            round = new { name = "Stack round", nameZh = "排气筒巡检", template = "stack", node = "stack",
                schedule = new { kind = "Daily", times = new[] { "09:00" }, windowMinutes = 60 }, assignee = new { role = "inspector" }, recipients = new[] { "ehs" } },
        }));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await _base.DisposeAsync();
        if (_receiver is not null) await _receiver.DisposeAsync();
        Assert.Empty(_base.ErrorLogs.Errors);
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private void At(int day, int hour, int minute) => _clock.SetUtcNow(new DateTimeOffset(2025, 3, day, hour, minute, 0, Shanghai));

    /// <summary>Two passes at once, as two servers would run them; what they sent between them.</summary>
    private async Task<int> PassesAsync()
    {
        var watcher = _factory.Services.GetRequiredService<FieldWatcher>();
        var passes = await Task.WhenAll(watcher.CheckAsync(CancellationToken.None), watcher.CheckAsync(CancellationToken.None));
        return passes.Sum(p => p.Reminded);
    }

    private List<string> Titles() => [.. _received.Select(m => m.GetProperty("titleEn").GetString() ?? "")];

    [Fact]
    public async Task LateRoundToldOncePerOccurrence_OnTimeNever_OverdueWorkOrderOnce_TwoPassesAtOnceSendOnce()
    {
        // An urgent work order (1 service day: due Tuesday 4 March) whose overdue reminder goes to the EHS lead.
        var order = await OkAsync(await _client.PostAsJsonAsync("/api/v1/sites/rem/work-orders",
            new { title = "Replace torn filter bags", node = "stack", priority = "Urgent", recipients = new[] { "ehs" } }));
        Assert.Equal("2025-03-04", order.GetProperty("order").GetProperty("dueDate").GetString());

        // Monday: before the round is due, and inside its window, nothing; after the window (10:00), one message.
        var before = await PassesAsync();
        At(3, 9, 30);
        var inWindow = await PassesAsync();
        At(3, 10, 1);
        var monday = await PassesAsync();
        var mondayAgain = await PassesAsync();
        var mondayTitles = Titles();

        // Tuesday: done on time at 09:20; a pass at 12:00 tells nothing (the work order is due today, not overdue yet).
        At(4, 9, 20);
        await OkAsync(await _client.PostAsJsonAsync("/api/v1/sites/rem/inspections",
            new { submissionId = "rem-2025-03-04", roundId = 1, due = "2025-03-04T09:00", answers = new[] { new { item = "ok", pass = true } } }));
        At(4, 12, 0);
        var tuesday = await PassesAsync();

        // Wednesday noon: the 09:00 round is late, and the work order is overdue: one message each.
        At(5, 12, 0);
        var wednesday = await PassesAsync();
        // Thursday noon: Wednesday's is now missed (told already); Thursday's is late: one message; the work order is not told again.
        At(6, 12, 0);
        var thursday = await PassesAsync();

        Assert.Equal((0, 0, 1, 0, 0, 2, 1), (before, inWindow, monday, mondayAgain, tuesday, wednesday, thursday));
        Assert.Equal(["Round not done on time: Stack round (1 time(s), assigned to inspector)"], mondayTitles);
        var messages = _received.ToList();
        Assert.Equal(4, messages.Count);
        var rounds = messages.Where(m => m.GetProperty("alarmId").GetString()!.StartsWith("round:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["2025-03-03 09:00", "2025-03-05 09:00", "2025-03-06 09:00"],
            rounds.Select(m => m.GetProperty("detailEn").GetString()!.Split(';')[0]["due (local): ".Length..]));
        Assert.All(rounds, m => Assert.StartsWith("巡检未按时完成：排气筒巡检", m.GetProperty("titleZh").GetString(), StringComparison.Ordinal));
        var overdue = Assert.Single(messages, m => m.GetProperty("alarmId").GetString() == $"work-order:{order.GetProperty("id").GetInt64()}");
        Assert.Equal("Work order overdue: Replace torn filter bags (assignee: none)", overdue.GetProperty("titleEn").GetString());
    }
}
