using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Derivation;
using GreenLoop.Pipeline.Ingest;
using GreenLoop.Pipeline.Query;
using GreenLoop.Storage;
using GreenLoop.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Pipeline.Tests.Pipeline;

/// <summary>
/// The real pipeline on a real SQLite file in a temporary folder, with a fake clock: store, catalog, ingest,
/// derivation, queries and site documents wired as the server wires them.
/// </summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private readonly string _folder;

    private readonly ServiceProvider _services;

    private PipelineHarness(string folder, SqliteStore store, FakeTimeProvider clock, long tenantId)
    {
        _folder = folder;
        Store = store;
        Clock = clock;
        TenantId = tenantId;
        // The server's own registration, on this store and clock.
        _services = new ServiceCollection().AddSingleton<TimeProvider>(clock).AddGreenLoopStore(_ => store).AddGreenLoopPipeline().BuildServiceProvider();
        Catalog = _services.GetRequiredService<MeterCatalog>();
        Ingest = _services.GetRequiredService<IngestService>();
        Derivation = _services.GetRequiredService<DerivationService>();
        Query = _services.GetRequiredService<QueryService>();
        Sites = _services.GetRequiredService<SiteService>();
    }

    /// <summary>Any other service of the pipeline, as the server would have it.</summary>
    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public SqliteStore Store { get; }
    public FakeTimeProvider Clock { get; }
    public long TenantId { get; }
    public MeterCatalog Catalog { get; }
    public IngestService Ingest { get; }
    public DerivationService Derivation { get; }
    public QueryService Query { get; }
    public SiteService Sites { get; }

    /// <summary>Opens a fresh store; the fake clock starts at <paramref name="now"/>.</summary>
    public static async Task<PipelineHarness> StartAsync(DateTimeOffset now)
    {
        var folder = Path.Combine(Path.GetTempPath(), "greenloop-pipeline-" + Guid.NewGuid().ToString("N"));
        var store = new SqliteStore(new SqliteStoreOptions { Path = Path.Combine(folder, "greenloop.db") });
        await store.MigrateAsync(CancellationToken.None);
        var tenant = await store.EnsureTenantAsync("default", "default", CancellationToken.None);
        return new PipelineHarness(folder, store, new FakeTimeProvider(now), tenant);
    }

    public async Task<ApplyResult> ApplyAsync(SiteDefinition site)
    {
        var outcome = await Sites.ApplyAsync(TenantId, site, CancellationToken.None);
        Assert.True(outcome.Result is not null, string.Join("; ", outcome.Errors.Select(e => $"{e.Path}: {e.Reason}")));
        return outcome.Result!;
    }

    public Task<IngestResult> IngestAsync(IReadOnlyList<ReadingInput> readings, string source = "test") =>
        Ingest.IngestAsync(TenantId, readings, source, CancellationToken.None);

    public Task DeriveAsync() => Derivation.RunUntilIdleAsync(CancellationToken.None);

    public async Task<MeterSeries> SeriesAsync(string site, string meter, string grain, string from, string to) =>
        await Query.MeterSeriesAsync(TenantId, site, meter, grain, from, to, CancellationToken.None)
        ?? throw new InvalidOperationException($"no meter '{meter}' in site '{site}'");

    public async Task<MeterRef> MeterAsync(string key) =>
        (await Store.LoadMetersAsync(TenantId, CancellationToken.None))[key];

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
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
}
