using System.Text.Json;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Testing;

namespace GreenLoop.Storage.Tests;

/// <summary>Tenants, site documents, the node tree and which meters count toward which node, meter look-ups.</summary>
public abstract class SiteContract : StoreContract
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    private static SiteDefinition PlantWithEvent() => TestSites.PlantWithKilnElec() with
    {
        GridRegion = "CN-Guangdong",
        Nodes = [.. TestSites.PlantWithKilnElec().Nodes, new NodeDefinition { Key = "kiln.line1", Name = "Line 1", Kind = NodeKind.Line, Parent = "kiln" }],
        Events = [new MeterEventDefinition { Meter = TestSites.MainMeter, Kind = MeterEventKind.Replacement, Ts = _now.AddDays(-3), OldValue = 123456.5, NewValue = 0, Note = "CT upgrade" }],
    };

    /// <summary>Empties the dirty list by saving an empty derivation at each meter's current version.</summary>
    private static async Task ClearDirtyAsync(PipelineHarness h)
    {
        var dirty = await h.Store.GetDirtyAsync(100, Ct);
        await h.Store.SaveDerivedAsync([.. dirty.Select(d => new DerivedSpan
        {
            Meter = d.Meter, From = new Instant(0), To = new Instant(0), Buckets = [], Hours = [], Findings = [], Days = [], Months = [], DirtyVersion = d.Version,
        })], Ct);
        Assert.Equal(0, await h.Store.CountDirtyAsync(Ct));
    }

    [Fact]
    public async Task EnsureTenant_SameKeyTwice_SameId()
    {
        await using var h = await StartAsync(_now);

        var a = await h.Store.EnsureTenantAsync("acme", "ACME", Ct);
        var b = await h.Store.EnsureTenantAsync("acme", "ACME again", Ct);
        var c = await h.Store.EnsureTenantAsync("other", "Other", Ct);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(h.TenantId, a);
    }

    [Fact]
    public async Task ApplySite_SameDocumentTwice_SecondTimeNothingCreatedOrUpdated()
    {
        await using var h = await StartAsync(_now);

        var first = await h.Store.ApplySiteAsync(h.TenantId, PlantWithEvent(), 1, Ct);
        var second = await h.Store.ApplySiteAsync(h.TenantId, PlantWithEvent(), 2, Ct);

        // Site 1 + nodes 2 + meters 4 + events 1.
        Assert.Equal(new ApplyResult(8, 0, 0), first);
        Assert.Equal(new ApplyResult(0, 0, 8), second);
    }

    [Fact]
    public async Task GetSite_ExportedDocument_EqualsAppliedAndAppliesBackUnchanged()
    {
        await using var h = await StartAsync(_now);
        var site = PlantWithEvent();
        await h.Store.ApplySiteAsync(h.TenantId, site, 1, Ct);

        var exported = (await h.Store.GetSiteAsync(h.TenantId, "plant", Ct))!.Definition;
        var reapplied = await h.Store.ApplySiteAsync(h.TenantId, exported, 2, Ct);

        Assert.Equal(new ApplyResult(0, 0, 8), reapplied);
        Assert.Equal(JsonSerializer.Serialize(site, _json), JsonSerializer.Serialize(exported, _json));
        Assert.Null(await h.Store.GetSiteAsync(h.TenantId, "nope", Ct));
    }

    [Fact]
    public async Task GetSite_PlantTree_NodesMetersAndCountedClosureWithoutDoubleCounting()
    {
        await using var h = await StartAsync(_now);
        await h.Store.ApplySiteAsync(h.TenantId, TestSites.PlantWithKilnElec(), 1, Ct);

        var site = (await h.Store.GetSiteAsync(h.TenantId, "plant", Ct))!;
        long Node(string key) => site.Nodes.Single(n => n.Key == key).Id;
        long Meter(string key) => site.Meters.Single(m => m.Definition.Key == key).Id;

        Assert.Equal([SiteNode.RootKey, "kiln"], site.Nodes.Select(n => n.Key));
        Assert.Equal(site.Root.Id, site.Nodes[1].ParentId);
        Assert.Null(site.Root.ParentId);
        Assert.Equal([TestSites.MainMeter, TestSites.GasMeter, TestSites.TempMeter, TestSites.KilnElec], site.Meters.Select(m => m.Definition.Key));
        Assert.All(site.Meters, m => Assert.Equal((h.TenantId, site.Id, "plant", TestSites.Shanghai), (m.TenantId, m.SiteId, m.SiteKey, m.TimeZone)));
        // The main incomer counts toward the site; the gas meter toward the kiln and the site; the temperature gauge
        // toward nothing; the kiln's electricity toward the kiln only, because its parent (the main incomer) already
        // counts toward the site.
        Assert.Equal(
            new[] { (Node("_site"), Meter(TestSites.MainMeter)), (Node("kiln"), Meter(TestSites.GasMeter)), (Node("_site"), Meter(TestSites.GasMeter)), (Node("kiln"), Meter(TestSites.KilnElec)) }.Order(),
            site.Counted.Order());
    }

    [Fact]
    public async Task ApplySite_MultiplierChanged_UpdatesTheMeterAndMarksItsWholeHistoryDirty()
    {
        await using var h = await StartAsync(_now);
        await h.Store.ApplySiteAsync(h.TenantId, TestSites.PlantWithKilnElec(), 1, Ct);
        var main = (await h.MeterAsync(TestSites.MainMeter)).Id;
        var gas = (await h.MeterAsync(TestSites.GasMeter)).Id;
        await h.Store.AppendReadingsAsync([new(new MeterId(main), new Instant(1000), 1), new(new MeterId(main), new Instant(3000), 3), new(new MeterId(gas), new Instant(2000), 1)], new Instant(1), Ct);
        await ClearDirtyAsync(h);
        var site = TestSites.PlantWithKilnElec();
        SiteDefinition With(Func<MeterDefinition, MeterDefinition> change) => site with { Meters = [.. site.Meters.Select(m => m.Key == TestSites.MainMeter ? change(m) : m)] };

        var renamed = await h.Store.ApplySiteAsync(h.TenantId, With(m => m with { Name = "Incomer" }), 2, Ct);
        var dirtyAfterRename = await h.Store.CountDirtyAsync(Ct);
        var remultiplied = await h.Store.ApplySiteAsync(h.TenantId, With(m => m with { Name = "Incomer", Multiplier = 3 }), 3, Ct);

        // Site, kiln node and three meters unchanged, the main meter updated; a new name re-derives nothing.
        Assert.Equal(new ApplyResult(0, 1, 5), renamed);
        Assert.Equal(0, dirtyAfterRename);
        Assert.Equal(new ApplyResult(0, 1, 5), remultiplied);
        Assert.Equal([new DirtyMeter(new MeterId(main), new Instant(1000), new Instant(3000), 1)], await h.Store.GetDirtyAsync(10, Ct));
        Assert.Equal(3, (await h.MeterAsync(TestSites.MainMeter)).Definition.Multiplier);
    }

    [Fact]
    public async Task ApplySite_EventNoteChanged_EventUpdatedAndItsInstantMarkedDirty()
    {
        await using var h = await StartAsync(_now);
        await h.Store.ApplySiteAsync(h.TenantId, PlantWithEvent(), 1, Ct);
        await ClearDirtyAsync(h);
        var site = PlantWithEvent();
        var changed = site with { Events = [site.Events[0] with { Note = "CT upgrade 2000/5" }] };
        var main = (await h.MeterAsync(TestSites.MainMeter)).Id;
        var at = _now.AddDays(-3).ToUnixTimeMilliseconds();

        var result = await h.Store.ApplySiteAsync(h.TenantId, changed, 2, Ct);

        Assert.Equal(new ApplyResult(0, 1, 7), result);
        Assert.Equal([new DirtyMeter(new MeterId(main), new Instant(at), new Instant(at), 1)], await h.Store.GetDirtyAsync(10, Ct));
        var ev = Assert.Single(await h.Store.EventsAsync(main, Ct));
        Assert.Equal((at, MeterEventKind.Replacement, 123456.5, 0.0), (ev.Ts, ev.Kind, ev.OldValue, ev.NewValue));
        Assert.Equal("CT upgrade 2000/5", Assert.Single((await h.Store.GetSiteAsync(h.TenantId, "plant", Ct))!.Definition.Events).Note);
    }

    [Fact]
    public async Task ApplySite_MeterKeyOfAnotherSite_ThrowsAndNothingOfTheDocumentIsKept()
    {
        await using var h = await StartAsync(_now);
        await h.Store.ApplySiteAsync(h.TenantId, TestSites.PlantWithKilnElec(), 1, Ct);
        var intruder = TestSites.PlantWithKilnElec("second", "second") with
        {
            Meters = [.. TestSites.PlantWithKilnElec("second", "second").Meters, new MeterDefinition { Key = TestSites.MainMeter, Name = "Stolen", Carrier = "electricity", Unit = "kWh" }],
        };

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Store.ApplySiteAsync(h.TenantId, intruder, 2, Ct));

        Assert.Null(await h.Store.GetSiteAsync(h.TenantId, "second", Ct));
        Assert.Equal(4, (await h.Store.LoadMetersAsync(h.TenantId, Ct)).Count);
    }

    [Fact]
    public async Task ListSitesAndMeters_TwoTenantsWithTheSameKeys_EachSeesOnlyItsOwn()
    {
        await using var h = await StartAsync(_now);
        var other = await h.Store.EnsureTenantAsync("other", "Other", Ct);
        // Byte order, as SQLite compares text: upper case before lower case.
        foreach (var key in new[] { "b", "a", "B" }) await h.Store.ApplySiteAsync(h.TenantId, TestSites.PlantWithKilnElec(key, "m" + key), 1, Ct);
        await h.Store.ApplySiteAsync(other, TestSites.PlantWithKilnElec("a", "ma"), 1, Ct);

        var mine = await h.Store.ListSitesAsync(h.TenantId, Ct);
        var theirs = await h.Store.ListSitesAsync(other, Ct);
        var myMeters = await h.Store.LoadMetersAsync(h.TenantId, Ct);
        var theirMeters = await h.Store.LoadMetersAsync(other, Ct);
        var all = await h.Store.LoadAllMetersAsync(Ct);

        Assert.Equal(["B", "a", "b"], mine.Select(s => s.Definition.Key));
        Assert.Equal(["a"], theirs.Select(s => s.Definition.Key));
        Assert.NotEqual(mine[1].Id, theirs[0].Id);
        Assert.Equal(12, myMeters.Count);
        Assert.Equal(4, theirMeters.Count);
        Assert.NotEqual(myMeters["ma.main.elec"].Id, theirMeters["ma.main.elec"].Id);
        Assert.Equal(other, theirMeters["ma.main.elec"].TenantId);
        Assert.Equal(theirs[0].Id, theirMeters["ma.main.elec"].SiteId);
        Assert.Equal(16, all.Count);
        Assert.Equal(myMeters.Values.Concat(theirMeters.Values).Select(m => m.Id).Order(), all.Select(m => m.Id).Order());
    }
}
