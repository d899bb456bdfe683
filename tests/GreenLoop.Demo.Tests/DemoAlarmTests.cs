using GreenLoop.Domain.Alarms;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Pipeline.Monitor.Alarms;
using GreenLoop.Pipeline.Monitor.Derivation;
using GreenLoop.Storage;
using GreenLoop.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Demo.Tests;

public sealed class DemoAlarmTests
{
    [Fact]
    public async Task DemoPlant_BackfillNewestDayFirst_PlantedEventsRaiseTheExpectedAlarms()
    {
        var ct = CancellationToken.None;
        var plant = DemoTestData.Shared;
        var now = DemoTestData.Local(0, 8);
        var notifier = new RecordingNotifier();
        // SQLite's synchronous NORMAL: three weeks of the plant, day by day, are many commits.
        await using var h = await PipelineHarness.SqliteAsync(new FakeTimeProvider(now), services => services.AddSingleton<IAlarmNotifier>(notifier), synchronous: "NORMAL");
        var tenant = h.TenantId;
        var ingest = h.Ingest;
        var derivation = h.Derivation;
        var feed = h.Get<DerivedChangeFeed>();
        var alarms = h.Get<AlarmService>();
        await h.ApplyAsync(plant.Definition);
        Assert.Equal(DemoAlarmRules.All.Count, await alarms.EnsureRulesAsync(tenant, DemoPlant.SiteKey, DemoAlarmRules.All, ct));

        // As the demo gateway does: 21 days at 15-minute steps, the most recent local day first, the late batch after.
        var late = new List<ReadingInput>();
        for (var day = 0; day <= 21; day++)
        {
            var end = day == 0 ? now : DemoTestData.Local(day - 1, 0);
            var start = DemoTestData.Local(day, 0) < now.AddDays(-21) ? now.AddDays(-21) : DemoTestData.Local(day, 0);
            if (end <= start) continue;
            var readings = plant.Readings(start, end, DemoTestData.Quarter).ToList();
            late.AddRange(readings.Where(plant.IsLate));
            Assert.True((await ingest.IngestAsync(tenant, [.. readings.Where(r => !plant.IsLate(r))], "demo", ct)).Rejected.Count == 0);
            await derivation.RunUntilIdleAsync(ct);
            await alarms.EvaluateChangesAsync(feed.Drain(), ct);
        }
        await ingest.IngestAsync(tenant, late, "demo", ct);
        await derivation.RunUntilIdleAsync(ct);
        await alarms.EvaluateChangesAsync(feed.Drain(), ct);
        await alarms.DeliverQueuedAsync(ct);

        var raised = (await alarms.ListAsync(tenant, new AlarmFilter(), ct)).OrderBy(a => a.StartedAt).ThenBy(a => a.RuleKey, StringComparer.Ordinal).ToList();
        var summary = raised.Select(a => $"{a.RuleKey} {a.Subject} {DateTimeOffset.FromUnixTimeMilliseconds(a.StartedAt).ToOffset(DemoPlant.UtcOffset):yyyy-MM-dd HH:mm} {a.State}").ToList();

        // Each planted event, by local start (UTC+8) of the period in which it shows.
        Assert.Equal(
        [
            $"counter-drop {DemoMeterKeys.Packing} {Day(20)} 14:00 ClearedUnack",
            $"electricity-completeness {DemoMeterKeys.Glazing} {Day(10)} 00:00 ClearedUnack",
            $"nox-permit {DemoMeterKeys.StackNox} {Day(5)} 14:15 ClearedUnack",
            $"air-hour-limit {DemoMeterKeys.AirCompressors} {Day(5)} 21:00 ClearedUnack",
            $"air-jump {DemoMeterKeys.AirCompressors} {Day(5)} 21:00 ClearedUnack",
        ], summary);
        Assert.All(raised, a => Assert.True(a.Historical));
        // History is recorded, not sent to phones.
        Assert.Empty(notifier.Sent);
    }

    private static string Day(int daysBefore) => DemoTestData.Anchor.AddDays(-daysBefore).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
