using GreenLoop.Storage.Postgres;
using GreenLoop.Testing;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Storage.Tests;

/// <summary>Two servers starting together on one empty PostgreSQL database: both migrate, one after the other.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresConcurrentMigrationTests(PostgresServer server)
{
    [Fact]
    public async Task Migrate_TwoStoresAtOnceOnAnEmptyDatabase_BothSucceedEachMigrationAppliedOnce()
    {
        var connection = await server.CreateDatabaseAsync("race");
        await using var first = new PostgresStore(new PostgresStoreOptions { ConnectionString = connection });
        await using var second = new PostgresStore(new PostgresStoreOptions { ConnectionString = connection });

        await Task.WhenAll(Task.Run(() => first.MigrateAsync(CancellationToken.None)), Task.Run(() => second.MigrateAsync(CancellationToken.None)));

        var applied = await first.AppliedMigrationsAsync(CancellationToken.None);
        await using var db = first.CreateDb(0);
        Assert.Equal(db.Database.GetMigrations(), applied);
        Assert.Equal(applied, await second.AppliedMigrationsAsync(CancellationToken.None));
        Assert.True(await first.EnsureTenantAsync("default", "default", CancellationToken.None) > 0);
    }
}
