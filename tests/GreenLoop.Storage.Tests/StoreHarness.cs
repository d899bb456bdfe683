using GreenLoop.Domain.Model;
using GreenLoop.Pipeline;
using GreenLoop.Pipeline.Derivation;
using GreenLoop.Pipeline.Ingest;
using GreenLoop.Pipeline.Query;
using GreenLoop.Storage.Postgres;
using GreenLoop.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Storage.Tests;

/// <summary>
/// A fresh, migrated store of one provider with the default tenant, and the real pipeline wired on it as the server
/// wires it (catalog, ingest, derivation, queries, site documents) with a fake clock.
/// </summary>
public sealed class StoreHarness : IAsyncDisposable
{
    private readonly Func<ValueTask> _cleanup;

    private StoreHarness(GreenLoopStore store, FakeTimeProvider clock, long tenantId, Func<ValueTask> cleanup)
    {
        Store = store;
        Clock = clock;
        TenantId = tenantId;
        _cleanup = cleanup;
        // The server's own registration, on this store and clock.
        _services = new ServiceCollection().AddSingleton<TimeProvider>(clock).AddGreenLoopStore(_ => store).AddGreenLoopPipeline().BuildServiceProvider();
        Catalog = _services.GetRequiredService<MeterCatalog>();
        Ingest = _services.GetRequiredService<IngestService>();
        Derivation = _services.GetRequiredService<DerivationService>();
        Query = _services.GetRequiredService<QueryService>();
        Sites = _services.GetRequiredService<SiteService>();
    }

    private readonly ServiceProvider _services;

    public GreenLoopStore Store { get; }
    public FakeTimeProvider Clock { get; }
    public long TenantId { get; }
    public MeterCatalog Catalog { get; }
    public IngestService Ingest { get; }
    public DerivationService Derivation { get; }
    public QueryService Query { get; }
    public SiteService Sites { get; }

    public static CancellationToken Ct => CancellationToken.None;

    /// <summary>A store in a new SQLite file in a temporary folder (deleted with the harness).</summary>
    public static Task<StoreHarness> SqliteAsync(DateTimeOffset now)
    {
        var (store, cleanup) = NewSqliteStore();
        return StartAsync(store, now, cleanup);
    }

    /// <summary>
    /// A store in a new, empty SQLite file that no migration has touched, for tests of the migrations themselves; no
    /// tenant yet (<see cref="TenantId"/> is 0).
    /// </summary>
    public static StoreHarness SqliteUnmigrated(DateTimeOffset now)
    {
        var (store, cleanup) = NewSqliteStore();
        return new StoreHarness(store, new FakeTimeProvider(now), 0, cleanup);
    }

    private static (SqliteStore Store, Func<ValueTask> Cleanup) NewSqliteStore()
    {
        var folder = Path.Combine(Path.GetTempPath(), "greenloop-storage-" + Guid.NewGuid().ToString("N"));
        var store = new SqliteStore(new SqliteStoreOptions { Path = Path.Combine(folder, "greenloop.db") });
        return (store, () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>
    /// A store in a new database of the test run's PostgreSQL server, copied from a template database that was migrated
    /// from empty once per server (a copy takes a fraction of the time the migrations take).
    /// </summary>
    public static async Task<StoreHarness> PostgresAsync(PostgresServer server, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(server);
        var template = await _templates.GetOrAdd(server, MigratedTemplateAsync);
        var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = await server.CreateDatabaseAsync("t", template) });
        return await StartAsync(store, now, () => ValueTask.CompletedTask);
    }

    /// <summary>
    /// A store in a new, empty database of the test run's PostgreSQL server (not the migrated template), for tests of
    /// the migrations themselves; no tenant yet (<see cref="TenantId"/> is 0).
    /// </summary>
    public static async Task<StoreHarness> PostgresUnmigratedAsync(PostgresServer server, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(server);
        var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = await server.CreateDatabaseAsync("empty") });
        return new StoreHarness(store, new FakeTimeProvider(now), 0, () => ValueTask.CompletedTask);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<PostgresServer, Task<string>> _templates = new();

    private static async Task<string> MigratedTemplateAsync(PostgresServer server)
    {
        var connection = await server.CreateDatabaseAsync("template");
        await using (var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = connection }))
        {
            await store.MigrateAsync(Ct);
        }
        return PostgresServer.DatabaseOf(connection);
    }

    private static async Task<StoreHarness> StartAsync(GreenLoopStore store, DateTimeOffset now, Func<ValueTask> cleanup)
    {
        await store.MigrateAsync(Ct);
        var tenant = await store.EnsureTenantAsync("default", "default", Ct);
        return new StoreHarness(store, new FakeTimeProvider(now), tenant, cleanup);
    }

    public async Task<ApplyResult> ApplyAsync(SiteDefinition site)
    {
        var outcome = await Sites.ApplyAsync(TenantId, site, Ct);
        Assert.True(outcome.Result is not null, string.Join("; ", outcome.Errors.Select(e => $"{e.Path}: {e.Reason}")));
        return outcome.Result!;
    }

    public Task<IngestResult> IngestAsync(IReadOnlyList<ReadingInput> readings, string source = "test") =>
        Ingest.IngestAsync(TenantId, readings, source, Ct);

    public Task DeriveAsync() => Derivation.RunUntilIdleAsync(Ct);

    public async Task<MeterRef> MeterAsync(string key) => (await Store.LoadMetersAsync(TenantId, Ct))[key];

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Store.DisposeAsync();
        await _cleanup();
    }
}
