using GreenLoop.Testing;

namespace GreenLoop.Storage.Tests;

/// <summary>Factor overrides (append-only) and locked periods (never replaced).</summary>
public abstract class AccountingContract : StoreContract
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AddOverride_ThreeOverridesOnTwoSites_ListedPerSiteInTheOrderAdded()
    {
        await using var h = await StartAsync(_now);
        await h.Store.ApplySiteAsync(h.TenantId, TestSites.PlantWithKilnElec("a", "a"), 1, Ct);
        await h.Store.ApplySiteAsync(h.TenantId, TestSites.PlantWithKilnElec("b", "b"), 1, Ct);
        var a = (await h.Store.GetSiteAsync(h.TenantId, "a", Ct))!.Id;
        var b = (await h.Store.GetSiteAsync(h.TenantId, "b", Ct))!.Id;

        var first = await h.Store.AddOverrideAsync(a, new StoredOverride(0, "grid.CN-South", "2025", 0.5271, "tCO2/MWh", "provincial factor published", "zhang", 100), Ct);
        var theirs = await h.Store.AddOverrideAsync(b, new StoredOverride(0, "grid.CN-South", null, 0.6, "tCO2/MWh", "other site", "li", 150), Ct);
        var second = await h.Store.AddOverrideAsync(a, new StoredOverride(0, "grid.CN-South", "2025", 0.5366, "tCO2/MWh", "corrected", "zhang", 200), Ct);

        Assert.True(first < theirs && theirs < second);
        Assert.Equal(
            [new StoredOverride(first, "grid.CN-South", "2025", 0.5271, "tCO2/MWh", "provincial factor published", "zhang", 100),
             new StoredOverride(second, "grid.CN-South", "2025", 0.5366, "tCO2/MWh", "corrected", "zhang", 200)],
            await h.Store.OverridesAsync(a, Ct));
        Assert.Equal([new StoredOverride(theirs, "grid.CN-South", null, 0.6, "tCO2/MWh", "other site", "li", 150)], await h.Store.OverridesAsync(b, Ct));
    }

    [Fact]
    public async Task LockPeriod_SamePeriodTwice_FirstLockStandsAndPeriodsListInOrder()
    {
        await using var h = await StartAsync(_now);
        await h.Store.ApplySiteAsync(h.TenantId, TestSites.PlantWithKilnElec(), 1, Ct);
        var site = (await h.Store.GetSiteAsync(h.TenantId, "plant", Ct))!.Id;

        var may = await h.Store.LockPeriodAsync(site, new StoredLock("2026-05", 10, "zhang", """{"co2":1}"""), Ct);
        var april = await h.Store.LockPeriodAsync(site, new StoredLock("2026-04", 20, "zhang", """{"co2":2}"""), Ct);
        var mayAgain = await h.Store.LockPeriodAsync(site, new StoredLock("2026-05", 30, "li", """{"co2":3}"""), Ct);

        Assert.Equal((true, true, false), (may, april, mayAgain));
        Assert.Equal([new StoredLock("2026-04", 20, "zhang", """{"co2":2}"""), new StoredLock("2026-05", 10, "zhang", """{"co2":1}""")], await h.Store.LocksAsync(site, Ct));
    }
}
