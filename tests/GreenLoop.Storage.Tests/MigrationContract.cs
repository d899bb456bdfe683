using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Testing;

namespace GreenLoop.Storage.Tests;

/// <summary>Schema migrations: applying them again is a no-op, and the data survives it.</summary>
public abstract class MigrationContract : StoreContract
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Migrate_AgainOnAMigratedStore_ChangesNothing()
    {
        await using var h = await StartAsync(_now);
        await h.Store.ApplySiteAsync(h.TenantId, TestSites.PlantWithKilnElec(), 1, Ct);
        var main = (await h.MeterAsync(TestSites.MainMeter)).Id;
        await h.Store.AppendReadingsAsync([new(new MeterId(main), new Instant(1000), 1)], new Instant(1), Ct);

        await h.Store.MigrateAsync(Ct);
        await h.Store.MigrateAsync(Ct);

        Assert.Equal(1, await h.Store.CountReadingsAsync(new MeterId(main), Ct));
        Assert.Equal(h.TenantId, await h.Store.EnsureTenantAsync("default", "default", Ct));
        Assert.Single(await h.Store.ListSitesAsync(h.TenantId, Ct));
    }
}
