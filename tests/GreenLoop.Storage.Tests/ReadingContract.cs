using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Testing;

namespace GreenLoop.Storage.Tests;

/// <summary>Raw readings: append outcomes, dirty marks in the same transaction, neighbours, quarantine.</summary>
public abstract class ReadingContract : StoreContract
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private static async Task<(PipelineHarness H, long Main, long Gas)> StartWithPlantAsync(Func<DateTimeOffset, Task<PipelineHarness>> start)
    {
        var h = await start(_now);
        await h.ApplyAsync(TestSites.PlantWithKilnElec());
        return (h, (await h.MeterAsync(TestSites.MainMeter)).Id, (await h.MeterAsync(TestSites.GasMeter)).Id);
    }

    [Fact]
    public async Task AppendReadings_NewDuplicateAndConflict_ReportsEachAndKeepsTheStoredValue()
    {
        var (h, main, _) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;

        var first = await h.Store.AppendReadingsAsync([new(new MeterId(main), new Instant(1000), 1.0), new(new MeterId(main), new Instant(2000), 2.0)], new Instant(10), Ct);
        var second = await h.Store.AppendReadingsAsync([new(new MeterId(main), new Instant(1000), 1.0), new(new MeterId(main), new Instant(2000), 2.5), new(new MeterId(main), new Instant(3000), 3.0)], new Instant(20), Ct);

        Assert.Equal([new(AppendStatus.Inserted, null), new(AppendStatus.Inserted, null)], first);
        Assert.Equal([new(AppendStatus.Duplicate, null), new(AppendStatus.Conflict, 2.0), new(AppendStatus.Inserted, null)], second);
        Assert.Equal([new RawReading(1000, 1.0), new RawReading(2000, 2.0), new RawReading(3000, 3.0)], await h.Store.ReadingsAsync(new MeterId(main), new Instant(0), new Instant(10_000), false, Ct));
        Assert.Equal(3, await h.Store.CountReadingsAsync(new MeterId(main), Ct));
    }

    [Fact]
    public async Task AppendReadings_SameInstantTwiceInOneBatch_TheFirstDecidesAndTheLaterOnesCompareWithIt()
    {
        var (h, main, gas) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        await h.Store.AppendReadingsAsync([new(new MeterId(gas), new Instant(5000), 5.0)], new Instant(1), Ct);

        // main@1000 is new: the first goes in, the same value again is a duplicate, another value conflicts with 1.0.
        // gas@5000 holds 5.0 already: 5.0 is a duplicate and 6.0 conflicts with the stored 5.0 (not with the batch).
        var outcomes = await h.Store.AppendReadingsAsync(
            [new(new MeterId(main), new Instant(1000), 1.0), new(new MeterId(gas), new Instant(5000), 5.0), new(new MeterId(main), new Instant(1000), 1.0), new(new MeterId(main), new Instant(1000), 9.0), new(new MeterId(gas), new Instant(5000), 6.0)], new Instant(2), Ct);

        Assert.Equal(
            [new(AppendStatus.Inserted, null), new(AppendStatus.Duplicate, null), new(AppendStatus.Duplicate, null), new(AppendStatus.Conflict, 1.0), new(AppendStatus.Conflict, 5.0)],
            outcomes);
        Assert.Equal([new RawReading(1000, 1.0)], await h.Store.ReadingsAsync(new MeterId(main), new Instant(0), new Instant(10_000), false, Ct));
        Assert.Equal([new RawReading(5000, 5.0)], await h.Store.ReadingsAsync(new MeterId(gas), new Instant(0), new Instant(10_000), false, Ct));
    }

    [Fact]
    public async Task AppendReadings_FourWritersWithOverlappingBatchesAtOnce_EachInstantInsertedExactlyOnce()
    {
        var (h, main, gas) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        // 2 meters x 1500 instants; each writer sends all 3000 in its own order, so every key is contested by all four.
        var rows = Enumerable.Range(0, 1500).SelectMany(k => new[] { new StoredReading(new MeterId(main), new Instant(k * 1000L), k), new StoredReading(new MeterId(gas), new Instant(k * 1000L), -k) }).ToArray();
        var orders = Enumerable.Range(0, 4).Select(w => rows.OrderBy(r => (r.Ts.UnixMs * 7919 + w * 104_729 + r.Meter.Value) % 3001).ToArray()).ToArray();

        var outcomes = await Task.WhenAll(orders.Select(o => Task.Run(() => h.Store.AppendReadingsAsync(o, new Instant(1), Ct))));

        var all = outcomes.SelectMany(x => x).ToList();
        Assert.Equal(3000, all.Count(o => o.Status == AppendStatus.Inserted));
        Assert.Equal(9000, all.Count(o => o.Status == AppendStatus.Duplicate));
        Assert.Equal(1500, await h.Store.CountReadingsAsync(new MeterId(main), Ct));
        Assert.Equal(new RawReading(1_499_000, -1499), (await h.Store.ReadingsAsync(new MeterId(gas), new Instant(1_499_000), new Instant(1_499_000), false, Ct))[0]);
        var dirty = (await h.Store.GetDirtyAsync(10, Ct)).OrderBy(d => d.Meter.Value).ToList();
        Assert.Equal([(main, 0L, 1_499_000L), (gas, 0L, 1_499_000L)], dirty.Select(d => (d.Meter.Value, d.First.UnixMs, d.Last.UnixMs)));
    }

    [Fact]
    public async Task AppendReadings_EmptyBatch_ReturnsNoOutcomesAndMarksNothing()
    {
        var (h, _, _) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;

        var outcomes = await h.Store.AppendReadingsAsync([], new Instant(1), Ct);

        Assert.Empty(outcomes);
        Assert.Equal(0, await h.Store.CountDirtyAsync(Ct));
    }

    [Fact]
    public async Task AppendReadings_InsertedRows_MarkTheirMetersDirtyOverTheInsertedSpanOnly()
    {
        var (h, main, gas) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;

        await h.Store.AppendReadingsAsync([new(new MeterId(main), new Instant(5000), 1), new(new MeterId(main), new Instant(7000), 2), new(new MeterId(gas), new Instant(6000), 1)], new Instant(1), Ct);
        var afterFirst = await h.Store.GetDirtyAsync(10, Ct);
        // 3000 is new (the span grows to 3000..7000, version 2); 7000 again is a duplicate; gas only repeats: unchanged.
        await h.Store.AppendReadingsAsync([new(new MeterId(main), new Instant(3000), 0.5), new(new MeterId(main), new Instant(7000), 2), new(new MeterId(gas), new Instant(6000), 1)], new Instant(2), Ct);
        var afterSecond = await h.Store.GetDirtyAsync(10, Ct);

        Assert.Equal([new DirtyMeter(new MeterId(main), new Instant(5000), new Instant(7000), 1), new DirtyMeter(new MeterId(gas), new Instant(6000), new Instant(6000), 1)], afterFirst.OrderBy(d => d.Meter.Value));
        Assert.Equal([new DirtyMeter(new MeterId(main), new Instant(3000), new Instant(7000), 2), new DirtyMeter(new MeterId(gas), new Instant(6000), new Instant(6000), 1)], afterSecond.OrderBy(d => d.Meter.Value));
        Assert.Equal(2, await h.Store.CountDirtyAsync(Ct));
    }

    [Fact]
    public async Task GetDirty_MoreMetersThanAsked_ReturnsTheShortestSpansFirstThenTheLowestMeterIds()
    {
        var (h, main, gas) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        await h.Store.MarkDirtyAsync(new MeterId(gas), new Instant(10), new Instant(20), Ct);
        await h.Store.MarkDirtyAsync(new MeterId(main), new Instant(30), new Instant(40), Ct);
        await h.Store.MarkDirtyAsync(new MeterId(main), new Instant(5), new Instant(35), Ct);

        // main was applied first, so it has the lower id; its second mark widened 30..40 to 5..40 (35 ms) and bumped the
        // version. gas's span (10 ms) is shorter: a live reading is derived before a back-fill.
        Assert.True(main < gas);
        Assert.Equal([new DirtyMeter(new MeterId(gas), new Instant(10), new Instant(20), 1)], await h.Store.GetDirtyAsync(1, Ct));
        Assert.Equal([new DirtyMeter(new MeterId(gas), new Instant(10), new Instant(20), 1), new DirtyMeter(new MeterId(main), new Instant(5), new Instant(40), 2)],
            await h.Store.GetDirtyAsync(5, Ct));

        // Spans of the same length: the lower meter id first.
        await h.Store.MarkDirtyAsync(new MeterId(main), new Instant(40), new Instant(40), Ct);
        await h.Store.MarkDirtyAsync(new MeterId(gas), new Instant(10), new Instant(45), Ct);
        Assert.Equal([main, gas], (await h.Store.GetDirtyAsync(5, Ct)).Select(d => d.Meter.Value));
    }

    [Fact]
    public async Task NeighbourInstants_ReadingsEverySecond_FindsTheNthBeforeAndTheFirstAfter()
    {
        var (h, main, _) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        await h.Store.AppendReadingsAsync([.. Enumerable.Range(1, 5).Select(k => new StoredReading(new MeterId(main), new Instant(k * 1000L), k))], new Instant(1), Ct);

        // Before 3000: 2000 is the first back, 1000 the second; with 5 back there are only two, so the earliest (1000).
        Assert.Equal(((Instant?)new Instant(2000), (Instant?)new Instant(4000)), await h.Store.NeighbourInstantsAsync(new MeterId(main), new Instant(3000), new Instant(3000), 1, Ct));
        Assert.Equal(((Instant?)new Instant(1000), (Instant?)new Instant(4000)), await h.Store.NeighbourInstantsAsync(new MeterId(main), new Instant(3000), new Instant(3000), 2, Ct));
        Assert.Equal(((Instant?)new Instant(1000), (Instant?)new Instant(5000)), await h.Store.NeighbourInstantsAsync(new MeterId(main), new Instant(2500), new Instant(4500), 5, Ct));
        Assert.Equal(((Instant?)null, (Instant?)null), await h.Store.NeighbourInstantsAsync(new MeterId(main), new Instant(1000), new Instant(5000), 1, Ct));
    }

    [Fact]
    public async Task Readings_WithAndWithoutNeighbours_InclusiveRangeInInstantOrder()
    {
        var (h, main, gas) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        // Appended out of order, and another meter's readings in between that must not leak in.
        await h.Store.AppendReadingsAsync([new(new MeterId(main), new Instant(4000), 4), new(new MeterId(main), new Instant(2000), 2), new(new MeterId(gas), new Instant(3000), 99), new(new MeterId(main), new Instant(3000), 3), new(new MeterId(main), new Instant(1000), 1), new(new MeterId(main), new Instant(5000), 5)], new Instant(1), Ct);

        Assert.Equal([new RawReading(3000, 3)], await h.Store.ReadingsAsync(new MeterId(main), new Instant(2500), new Instant(3500), false, Ct));
        Assert.Equal([new RawReading(2000, 2), new RawReading(3000, 3), new RawReading(4000, 4)], await h.Store.ReadingsAsync(new MeterId(main), new Instant(2500), new Instant(3500), true, Ct));
        Assert.Equal([new RawReading(2000, 2), new RawReading(3000, 3), new RawReading(4000, 4)], await h.Store.ReadingsAsync(new MeterId(main), new Instant(2000), new Instant(4000), false, Ct));
        Assert.Equal([new RawReading(4000, 4), new RawReading(5000, 5)], await h.Store.ReadingsAsync(new MeterId(main), new Instant(4500), new Instant(9000), true, Ct));
        Assert.Empty(await h.Store.ReadingsAsync(new MeterId(main), new Instant(6000), new Instant(9000), false, Ct));
    }

    [Fact]
    public async Task LastReadings_Site_NewestInstantOfEachMeterThatHasReadings()
    {
        var (h, main, gas) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        await h.Store.AppendReadingsAsync([new(new MeterId(main), new Instant(4000), 4), new(new MeterId(main), new Instant(9000), 9), new(new MeterId(gas), new Instant(3000), 1)], new Instant(1), Ct);
        var site = (await h.Store.GetSiteAsync(h.TenantId, "plant", Ct))!;

        var last = await h.Store.LastReadingsAsync(site.Id, Ct);

        Assert.Equal(new Dictionary<long, long> { [main] = 9000, [gas] = 3000 }, last);
    }

    [Fact]
    public async Task Quarantine_TwoTenants_ListedNewestFirstCountedAndDeletedPerTenant()
    {
        var (h, _, _) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        var other = await h.Store.EnsureTenantAsync("other", "Other", Ct);
        QuarantineEntry Entry(long tenant, string? meter, string reason) =>
            new() { TenantId = tenant, ReceivedAt = 100, Source = "mqtt:plc", Meter = meter, Ts = meter is null ? null : "2026-11-23T00:00:00Z", Value = "x", Field = "value", Reason = reason };
        await h.Store.QuarantineAsync([Entry(h.TenantId, "a", "first"), Entry(other, "b", "theirs"), Entry(h.TenantId, null, "second"), Entry(h.TenantId, "c", "third")], Ct);

        var mine = await h.Store.ListQuarantineAsync(h.TenantId, new QuarantineQuery { Limit = 10 }, Ct);
        var newestTwo = await h.Store.ListQuarantineAsync(h.TenantId, new QuarantineQuery { Limit = 2 }, Ct);
        var theirs = Assert.Single(await h.Store.ListQuarantineAsync(other, new QuarantineQuery { Limit = 10 }, Ct));
        // Deleting the other tenant's entry through my tenant does nothing; my second entry goes.
        await h.Store.DeleteQuarantineAsync(h.TenantId, [theirs.Id, mine[1].Id], Ct);

        Assert.Equal(["third", "second", "first"], mine.Select(e => e.Reason));
        Assert.Equal(mine[0] with { }, newestTwo[0]);
        Assert.Equal(2, newestTwo.Count);
        Assert.Null(mine[1].Meter);
        Assert.Null(mine[1].Ts);
        Assert.Equal(new QuarantineEntry { Id = mine[2].Id, TenantId = h.TenantId, ReceivedAt = 100, Source = "mqtt:plc", Meter = "a", Ts = "2026-11-23T00:00:00Z", Value = "x", Field = "value", Reason = "first" }, mine[2]);
        Assert.Equal(2, await h.Store.CountQuarantineAsync(h.TenantId, null, Ct));
        Assert.Equal(1, await h.Store.CountQuarantineAsync(other, null, Ct));
        Assert.Equal(["third", "first"], (await h.Store.ListQuarantineAsync(h.TenantId, new QuarantineQuery { Limit = 10 }, Ct)).Select(e => e.Reason));
    }

    [Fact]
    public async Task Quarantine_ProvenanceKept_FiltersPagesAndPurgeWithinTheTenant()
    {
        var (h, _, _) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        var other = await h.Store.EnsureTenantAsync("other", "Other", Ct);
        QuarantineEntry Entry(long tenant, long at, string meter, string source) => new()
        {
            TenantId = tenant, ReceivedAt = at, Source = source, Meter = meter, Ts = "2026-11-23T00:00:00Z", Value = "1", Field = "meter", Reason = "unknown",
            Sender = "key:gateway-1", Scope = "east,west", RawLength = at == 300 ? 31_457_280 : null,
        };
        await h.Store.QuarantineAsync([Entry(h.TenantId, 100, "a", "http-json"), Entry(h.TenantId, 200, "b", "mqtt:plc"), Entry(h.TenantId, 300, "a", "http-csv"),
            Entry(h.TenantId, 400, "a", "http-json"), Entry(other, 150, "a", "http-json")], Ct);

        var all = await h.Store.ListQuarantineAsync(h.TenantId, new QuarantineQuery { Limit = 10 }, Ct);
        var page1 = await h.Store.ListQuarantineAsync(h.TenantId, new QuarantineQuery { Limit = 2 }, Ct);
        var page2 = await h.Store.ListQuarantineAsync(h.TenantId, new QuarantineQuery { Limit = 2, BeforeId = page1[^1].Id }, Ct);
        var meterA = await h.Store.ListQuarantineAsync(h.TenantId, new QuarantineQuery { Limit = 10, Meter = "a" }, Ct);
        var jsonSince200 = await h.Store.ListQuarantineAsync(h.TenantId, new QuarantineQuery { Limit = 10, Source = "http-json", From = 200 }, Ct);
        var countA = await h.Store.CountQuarantineAsync(h.TenantId, new QuarantineQuery { Meter = "a", BeforeId = all[0].Id }, Ct);
        var selected = await h.Store.ListQuarantineAsync(h.TenantId, new QuarantineQuery { Limit = 10, Ids = [all[1].Id, all[3].Id, 999_999] }, Ct);
        var purgedOld = await h.Store.PurgeQuarantineAsync(h.TenantId, new QuarantineQuery { To = 250 }, Ct);
        var left = await h.Store.ListQuarantineAsync(h.TenantId, new QuarantineQuery { Limit = 10 }, Ct);

        Assert.Equal([400L, 300, 200, 100], all.Select(e => e.ReceivedAt));
        Assert.Equal(("key:gateway-1", "east,west"), (all[0].Sender, all[0].Scope));
        Assert.Equal([null, 31_457_280, null, null], all.Select(e => e.RawLength));
        Assert.Equal([400L, 300, 200, 100], page1.Concat(page2).Select(e => e.ReceivedAt));
        Assert.Equal([400L, 300, 100], meterA.Select(e => e.ReceivedAt));
        Assert.Equal([400L], jsonSince200.Select(e => e.ReceivedAt));
        // A count ignores the page: every row matching the filters.
        Assert.Equal(3, countA);
        Assert.Equal([300L, 100], selected.Select(e => e.ReceivedAt));
        Assert.Equal(2, purgedOld);
        Assert.Equal([400L, 300], left.Select(e => e.ReceivedAt));
        Assert.Single(await h.Store.ListQuarantineAsync(other, new QuarantineQuery { Limit = 10 }, Ct));
    }
}
