using System.Collections.Concurrent;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Pipeline.Monitor.Derivation;
using GreenLoop.Pipeline.Monitor.Query;
using GreenLoop.Storage;
using GreenLoop.Storage.Postgres;
using GreenLoop.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Testing;

/// <summary>
/// A migrated store with the default tenant and the application's one registration on it (<c>AddGreenLoopStore</c>,
/// <c>AddGreenLoopPipeline</c>, as the server and the command line register them) with the clock the test chooses:
/// catalog, ingest, derivation, queries, site documents and every other service of the pipeline resolved from that
/// container. The other harnesses (alarms, connectors, MQTT) wrap this one.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<PostgresServer, Task<string>> _templates = new();

    private readonly Func<GreenLoopStore> _open;
    private readonly Action<IServiceCollection>? _register;
    private readonly TemporaryFolder? _folder;
    private ServiceProvider _services = null!;

    private PipelineHarness(Func<GreenLoopStore> open, TimeProvider clock, Action<IServiceCollection>? register = null, TemporaryFolder? folder = null)
    {
        _open = open;
        _register = register;
        _folder = folder;
        Clock = clock;
    }

    public GreenLoopStore Store { get; private set; } = null!;
    public TimeProvider Clock { get; }
    public long TenantId { get; private set; }

    /// <summary>The SQLite file of a harness on a new SQLite store (its folder is deleted with the harness); null otherwise.</summary>
    public string? DatabaseFile => _folder is null ? null : SqliteFile(_folder);

    public MeterCatalog Catalog => Get<MeterCatalog>();
    public IngestService Ingest => Get<IngestService>();
    public DerivationService Derivation => Get<DerivationService>();
    public QueryService Query => Get<QueryService>();
    public SiteService Sites => Get<SiteService>();

    public static CancellationToken Ct => CancellationToken.None;

    /// <summary>Any other service of the pipeline, as the server would have it.</summary>
    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>A store in a new SQLite file in a temporary folder (deleted with the harness); a fake clock starts at <paramref name="now"/>.</summary>
    public static Task<PipelineHarness> SqliteAsync(DateTimeOffset now) => SqliteAsync(new FakeTimeProvider(now));

    /// <summary>
    /// A store in a new SQLite file in a temporary folder (deleted with the harness) on <paramref name="clock"/>;
    /// <paramref name="register"/> adds services before the registration (a registered <see cref="Pipeline.Alarms.IAlarmNotifier"/>
    /// wins over the default); <paramref name="synchronous"/> is SQLite's <c>synchronous</c> setting.
    /// </summary>
    public static async Task<PipelineHarness> SqliteAsync(TimeProvider clock, Action<IServiceCollection>? register = null, string synchronous = "FULL")
    {
        var harness = NewSqlite(clock, register, synchronous);
        await harness.StartStoreAsync();
        return harness;
    }

    /// <summary>
    /// A store in a new, empty SQLite file that no migration has touched, for tests of the migrations themselves; no
    /// tenant yet (<see cref="TenantId"/> is 0).
    /// </summary>
    public static PipelineHarness SqliteUnmigrated(DateTimeOffset now)
    {
        var harness = NewSqlite(new FakeTimeProvider(now), null, "FULL");
        harness.Build(harness._open());
        return harness;
    }

    /// <summary>
    /// A store in a new database of the test run's PostgreSQL server, copied from a template database that was migrated
    /// from empty once per server (a copy takes a fraction of the time the migrations take).
    /// </summary>
    public static async Task<PipelineHarness> PostgresAsync(PostgresServer server, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(server);
        var template = await _templates.GetOrAdd(server, MigratedTemplateAsync);
        var connection = await server.CreateDatabaseAsync("t", template);
        var harness = new PipelineHarness(() => new PostgresStore(new PostgresStoreOptions { ConnectionString = connection }), new FakeTimeProvider(now));
        await harness.StartStoreAsync();
        return harness;
    }

    /// <summary>
    /// A store in a new, empty database of the test run's PostgreSQL server (not the migrated template), for tests of
    /// the migrations themselves; no tenant yet (<see cref="TenantId"/> is 0).
    /// </summary>
    public static async Task<PipelineHarness> PostgresUnmigratedAsync(PostgresServer server, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(server);
        var connection = await server.CreateDatabaseAsync("empty");
        var harness = new PipelineHarness(() => new PostgresStore(new PostgresStoreOptions { ConnectionString = connection }), new FakeTimeProvider(now));
        harness.Build(harness._open());
        return harness;
    }

    /// <summary>
    /// The pipeline on a store the test opened itself (a data directory a command wrote, say): migrated, with the default
    /// tenant. Disposing the harness disposes the store and leaves its files; it cannot be restarted.
    /// </summary>
    public static async Task<PipelineHarness> OpenAsync(GreenLoopStore store, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(store);
        var harness = new PipelineHarness(() => store, clock);
        await harness.StartStoreAsync();
        return harness;
    }

    /// <summary>Closes the store and opens everything again on the same file, as a restarted server would.</summary>
    public async Task RestartAsync()
    {
        await CloseAsync();
        await StartStoreAsync();
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

    public async Task<MeterSeries> SeriesAsync(string site, string meter, Grain grain, string from, string to) =>
        await Query.MeterSeriesAsync(TenantId, site, meter, grain, Ranges.Dates(from, to), Ct)
        ?? throw new InvalidOperationException($"no meter '{meter}' in site '{site}'");

    public async Task<MeterRef> MeterAsync(string key) => (await Store.LoadMetersAsync(TenantId, Ct))[key];

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _folder?.Dispose();
    }

    /// <summary>Readings every <paramref name="step"/> from <paramref name="first"/> through <paramref name="last"/> (inclusive).</summary>
    public static IEnumerable<DateTimeOffset> Every(TimeSpan step, DateTimeOffset first, DateTimeOffset last)
    {
        for (var t = first; t <= last; t += step) yield return t;
    }

    /// <summary>UTC instant of a local wall-clock time in a zone.</summary>
    public static DateTimeOffset Local(string zone, int year, int month, int day, int hour = 0, int minute = 0)
    {
        var calendar = SiteCalendar.ForZone(zone);
        var utc = calendar.LocalToUtc(new DateTime(year, month, day, hour, minute, 0));
        return calendar.ToLocalOffset(utc);
    }

    private static PipelineHarness NewSqlite(TimeProvider clock, Action<IServiceCollection>? register, string synchronous)
    {
        var folder = new TemporaryFolder("pipeline");
        return new PipelineHarness(() => new SqliteStore(new SqliteStoreOptions { Path = SqliteFile(folder), Synchronous = synchronous }), clock, register, folder);
    }

    private static string SqliteFile(TemporaryFolder folder) => Path.Combine(folder.Path, "greenloop.db");

    private static async Task<string> MigratedTemplateAsync(PostgresServer server)
    {
        var connection = await server.CreateDatabaseAsync("template");
        await using (var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = connection }))
        {
            await store.MigrateAsync(Ct);
        }
        return PostgresServer.DatabaseOf(connection);
    }

    /// <summary>Opens the store, migrates it, makes sure of the default tenant and builds the services on it.</summary>
    private async Task StartStoreAsync()
    {
        var store = _open();
        await store.MigrateAsync(Ct);
        TenantId = await store.EnsureTenantAsync("default", "default", Ct);
        Build(store);
    }

    /// <summary>The server's own registration, on this store and clock.</summary>
    private void Build(GreenLoopStore store)
    {
        Store = store;
        var services = new ServiceCollection().AddSingleton(Clock);
        _register?.Invoke(services);
        _services = services.AddGreenLoopStore(_ => store).AddGreenLoopPipeline().BuildServiceProvider();
    }

    private async Task CloseAsync()
    {
        await _services.DisposeAsync();
        await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
