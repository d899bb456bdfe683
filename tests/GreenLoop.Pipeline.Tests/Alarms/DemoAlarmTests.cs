using GreenLoop.Demo;
using GreenLoop.Domain.Alarms;
using GreenLoop.Pipeline.Alarms;
using GreenLoop.Pipeline.Derivation;
using GreenLoop.Pipeline.Ingest;
using GreenLoop.Pipeline.Tests.Demo;
using GreenLoop.Storage;
using GreenLoop.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Pipeline.Tests.Alarms;

public sealed class DemoAlarmTests
{
    [Fact]
    public async Task DemoPlant_BackfillNewestDayFirst_PlantedEventsRaiseTheExpectedAlarms()
    {
        var ct = CancellationToken.None;
        var folder = Path.Combine(Path.GetTempPath(), "greenloop-demo-alarms-" + Guid.NewGuid().ToString("N"));
        try
        {
            var plant = DemoTestData.Shared;
            var now = DemoTestData.Local(0, 8);
            var clock = new FakeTimeProvider(now);
            await using var store = new SqliteStore(new SqliteStoreOptions { Path = Path.Combine(folder, "greenloop.db"), Synchronous = "NORMAL" });
            await store.MigrateAsync(ct);
            var tenant = await store.EnsureTenantAsync("default", "default", ct);
            var catalog = new MeterCatalog(store, clock);
            var signal = new DerivationSignal();
            var sites = new SiteService(store, catalog, signal, clock);
            var ingest = new IngestService(store, catalog, signal, clock);
            var feed = new DerivedChangeFeed();
            var derivation = new DerivationService(store, catalog, new DerivedChangeHub([feed]));
            var notifier = new RecordingNotifier();
            var alarms = new AlarmService(store, store, store, catalog, notifier, Options.Create(new AlarmOptions()), clock, NullLogger<AlarmService>.Instance);
            Assert.NotNull((await sites.ApplyAsync(tenant, plant.Definition, ct)).Result);
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
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static string Day(int daysBefore) => DemoTestData.Anchor.AddDays(-daysBefore).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
