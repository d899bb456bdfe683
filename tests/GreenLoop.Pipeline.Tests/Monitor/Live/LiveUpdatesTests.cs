using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Pipeline.Monitor.Derivation;
using GreenLoop.Pipeline.Monitor.Live;
using GreenLoop.Testing;
using static GreenLoop.Testing.TestSites;

namespace GreenLoop.Pipeline.Tests.Monitor.Live;

/// <summary>The live-event hub: per-site fan-out, bounded drop-oldest queues, and what derivation publishes.</summary>
public sealed class LiveUpdatesTests
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _midnight = new(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(8));
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(10);

    private static List<string> Drain(LiveSubscription subscription)
    {
        var ids = new List<string>();
        while (subscription.Reader.TryRead(out var e)) ids.Add(((AlarmEvent)e).Id);
        return ids;
    }

    [Fact]
    public async Task Publish_SubscriberThatNeverReads_OldestDroppedPublisherNeverWaitsOthersGetEverything()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        var live = new LiveUpdates(h.Catalog);
        using var slow = live.Subscribe(h.TenantId, "plant", capacity: 4);
        using var fast = live.Subscribe(h.TenantId, "plant", capacity: 1000);

        // Nobody reads while this runs: a publisher that waited for room would never finish.
        await Task.Run(() =>
        {
            for (var i = 0; i < 100; i++) live.PublishAlarm(h.TenantId, "plant", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "active", "major", "t");
        }).WaitAsync(_timeout);

        // The slow subscriber keeps the newest 4 (96..99) and counts the 96 it lost; the other one lost nothing.
        Assert.Equal(["96", "97", "98", "99"], Drain(slow));
        Assert.Equal(96, slow.Dropped);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Drain(fast));
        Assert.Equal(0, fast.Dropped);
    }

    [Fact]
    public async Task Publish_OtherSiteOrTenant_OnlyTheSubscribedSitesEventsArrive()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        var live = new LiveUpdates(h.Catalog);
        using var subscription = live.Subscribe(h.TenantId, "plant");

        live.PublishAlarm(h.TenantId, "elsewhere", "1", "active", "major", "other site");
        live.PublishAlarm(h.TenantId + 1, "plant", "2", "active", "major", "other tenant");
        live.PublishAlarm(h.TenantId, "plant", "3", "cleared", "minor", "ours", "我们的");

        Assert.True(subscription.Reader.TryRead(out var e));
        Assert.Equal(new AlarmEvent(h.TenantId, "plant", "3", "cleared", "minor", "ours", "我们的"), e);
        Assert.False(subscription.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Dispose_Subscription_RemovedAndReaderCompletes()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        var live = new LiveUpdates(h.Catalog);
        var subscription = live.Subscribe(h.TenantId, "plant");
        Assert.Equal(1, live.SubscriberCount);

        subscription.Dispose();
        live.PublishAlarm(h.TenantId, "plant", "1", "active", "major", "after");

        Assert.Equal(0, live.SubscriberCount);
        Assert.False(await subscription.Reader.WaitToReadAsync().AsTask().WaitAsync(_timeout));
    }

    [Fact]
    public async Task RunOnce_WithLiveUpdates_OneDerivedEventPerSiteWithSortedMeterKeysAndLocalSpan()
    {
        await using var h = await PipelineHarness.SqliteAsync(_now);
        await h.ApplyAsync(Plant());
        var live = new LiveUpdates(h.Catalog);
        var derivation = new DerivationService(h.Store, h.Catalog, new DerivedChangeHub([live]));
        using var subscription = live.Subscribe(h.TenantId, "plant");
        // Main incomer (cumulative): 00:00 to 02:00 every 30 min; kiln gas (15-min period ending): 00:15 to 02:00.
        var readings = Enumerable.Range(0, 5).Select(k => new ReadingInput(MainMeter, _midnight.AddMinutes(30 * k), 1000 + 20 * k))
            .Concat(Enumerable.Range(1, 8).Select(q => new ReadingInput(GasMeter, _midnight.AddMinutes(15 * q), 1.5)))
            .ToList();
        await h.IngestAsync(readings);

        var derived = await derivation.RunOnceAsync(200, CancellationToken.None);

        Assert.Equal(2, derived);
        Assert.True(subscription.Reader.TryRead(out var e));
        var d = Assert.IsType<DerivedEvent>(e);
        Assert.Equal(("plant", h.TenantId), (d.Site, d.TenantId));
        Assert.Equal([GasMeter, MainMeter], d.Meters);
        // Main: 00:00 to the quarter after its last reading (02:15); gas: one period either side (00:00 to 02:15);
        // both widened to whole local hours: 00:00 to 03:00 at +08:00.
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(8)), d.From);
        Assert.Equal(TimeSpan.FromHours(8), d.From.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.FromHours(8)), d.To);
        Assert.False(subscription.Reader.TryRead(out _));
    }
}
