using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Storage.Catalog;
using GreenLoop.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace GreenLoop.Storage.Tests;

/// <summary>
/// Upgrading an installation: an empty database is brought to the schema of the release before the newest migration
/// (every migration but the last; with a single migration, nothing at all), then the store's own
/// <see cref="IGreenLoopStore.MigrateAsync"/> runs as a new server starting on it would, and the store must work. The
/// migrations are read from the provider's history, so when a migration is added this test upgrades from the one
/// before it without being changed.
/// </summary>
public abstract class MigrationUpgradeContract : StoreContract
{
    private static readonly DateTimeOffset _now = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A store on a new, empty database that no migration has touched.</summary>
    protected abstract Task<PipelineHarness> StartUnmigratedAsync(DateTimeOffset now);

    [Fact]
    public async Task Migrate_FromTheMigrationBeforeTheLast_AppliesTheRestAndTheStoreWorks()
    {
        await using var h = await StartUnmigratedAsync(_now);
        var store = (CatalogStore)h.Store;
        IReadOnlyList<string> migrations;
        IReadOnlyList<string> before;
        await using (var db = store.CreateDb(0))
        {
            migrations = [.. db.Database.GetMigrations()];
            Assert.NotEmpty(migrations);
            Assert.Empty(await db.Database.GetAppliedMigrationsAsync(Ct));
            var previous = migrations.Count > 1 ? migrations[^2] : Migration.InitialDatabase;
            await db.GetService<IMigrator>().MigrateAsync(previous, Ct);
            before = [.. await db.Database.GetAppliedMigrationsAsync(Ct)];
        }

        await h.Store.MigrateAsync(Ct);

        var tenant = await h.Store.EnsureTenantAsync("default", "default", Ct);
        var applied = await h.Store.ApplySiteAsync(tenant, TestSites.PlantWithKilnElec(), 1, Ct);
        var main = (await h.Store.LoadMetersAsync(tenant, Ct))[TestSites.MainMeter].Id;
        var appended = await h.Store.AppendReadingsAsync([new(new MeterId(main), new Instant(1000), 1), new(new MeterId(main), new Instant(2000), 2)], new Instant(3), Ct);
        await using var after = store.CreateDb(tenant);
        Assert.Equal(migrations.SkipLast(1), before);
        Assert.Equal(migrations, await after.Database.GetAppliedMigrationsAsync(Ct));
        Assert.Empty(await after.Database.GetPendingMigrationsAsync(Ct));
        Assert.Equal(tenant, await h.Store.EnsureTenantAsync("default", "default", Ct));
        // Site 1 + the kiln node 1 + meters 4.
        Assert.Equal(new ApplyResult(6, 0, 0), applied);
        Assert.All(appended, a => Assert.Equal(AppendStatus.Inserted, a.Status));
        Assert.Equal(2, await h.Store.CountReadingsAsync(new MeterId(main), Ct));
    }
}
