using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Model;
using GreenLoop.Notifications;
using GreenLoop.Pipeline.Alarms;
using GreenLoop.Pipeline.Derivation;
using GreenLoop.Pipeline.Ingest;
using GreenLoop.Storage;
using GreenLoop.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Pipeline.Tests.Alarms;

/// <summary>Records what the alarm engine would send.</summary>
internal sealed class RecordingNotifier : IAlarmNotifier
{
    public List<(NotificationMessage Message, IReadOnlyList<string> To)> Sent { get; } = [];

    public Task NotifyAsync(long tenantId, NotificationMessage message, IReadOnlyList<string> channelKeys, CancellationToken ct)
    {
        lock (Sent) Sent.Add((message, channelKeys));
        return Task.CompletedTask;
    }
}

/// <summary>
/// The real pipeline and alarm engine on a real SQLite file, wired as the server wires them (derivation posts to the
/// change feed, the engine drains it), with a fake clock. <see cref="RestartAsync"/> reopens everything on the same file.
/// </summary>
internal sealed class AlarmHarness : IAsyncDisposable
{
    public const string Site = "works";
    public const string Line = "works.line.elec";
    public const string Nox = "works.stack.nox";
    public const string Counter = "works.main.elec";
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private readonly string _folder;
    private readonly CancellationToken _ct = CancellationToken.None;

    private AlarmHarness(string folder, FakeTimeProvider clock, RecordingNotifier notifier)
    {
        _folder = folder;
        Clock = clock;
        Notifier = notifier;
    }

    public FakeTimeProvider Clock { get; }
    public RecordingNotifier Notifier { get; }
    public SqliteStore Store { get; private set; } = null!;
    public long TenantId { get; private set; }
    public IngestService Ingest { get; private set; } = null!;
    public DerivationService Derivation { get; private set; } = null!;
    public DerivedChangeFeed Feed { get; private set; } = null!;
    public AlarmService Alarms { get; private set; } = null!;
    public SiteService Sites { get; private set; } = null!;
    public MeterCatalog Catalog { get; private set; } = null!;

    public static SiteDefinition Works() => new()
    {
        Key = Site,
        Name = "Works",
        NameZh = "工厂",
        TimeZone = "Etc/UTC",
        Nodes = [new NodeDefinition { Key = "line", Name = "Line", NameZh = "产线" }],
        Meters =
        [
            new MeterDefinition { Key = Line, Name = "Line feeder", NameZh = "产线馈线", Node = "line", Carrier = "electricity", Unit = "kWh", Kind = MeterKind.Interval, IntervalMinutes = 15 },
            new MeterDefinition { Key = Nox, Name = "Stack NOx", Node = "line", Quantity = MeterQuantity.Emission, Carrier = "nox", Unit = "mg/m3", Kind = MeterKind.Instantaneous },
            new MeterDefinition { Key = Counter, Name = "Main incomer", Carrier = "electricity", Unit = "kWh", Kind = MeterKind.Cumulative },
        ],
    };

    public static async Task<AlarmHarness> StartAsync(params AlarmRule[] rules)
    {
        var folder = Path.Combine(Path.GetTempPath(), "greenloop-alarms-" + Guid.NewGuid().ToString("N"));
        var h = new AlarmHarness(folder, new FakeTimeProvider(T0), new RecordingNotifier());
        await h.OpenAsync();
        var outcome = await h.Sites.ApplyAsync(h.TenantId, Works(), h._ct);
        Assert.True(outcome.Result is not null, string.Join("; ", outcome.Errors.Select(e => $"{e.Path}: {e.Reason}")));
        foreach (var rule in rules)
        {
            var saved = await h.Alarms.SaveRuleAsync(h.TenantId, Site, rule, h._ct);
            Assert.True(saved.Rule is not null, string.Join("; ", saved.Errors.Select(e => $"{e.Path}: {e.Reason}")));
        }
        return h;
    }

    private async Task OpenAsync()
    {
        Store = new SqliteStore(new SqliteStoreOptions { Path = Path.Combine(_folder, "greenloop.db") });
        await Store.MigrateAsync(_ct);
        TenantId = await Store.EnsureTenantAsync("default", "default", _ct);
        // The server's own registration, on this store, clock and recording notifier.
        var store = Store;
        _services = new ServiceCollection().AddSingleton<TimeProvider>(Clock).AddSingleton<IAlarmNotifier>(Notifier)
            .AddGreenLoopStore(_ => store).AddGreenLoopPipeline().BuildServiceProvider();
        Catalog = _services.GetRequiredService<MeterCatalog>();
        Ingest = _services.GetRequiredService<IngestService>();
        Feed = _services.GetRequiredService<DerivedChangeFeed>();
        Derivation = _services.GetRequiredService<DerivationService>();
        Sites = _services.GetRequiredService<SiteService>();
        Alarms = _services.GetRequiredService<AlarmService>();
    }

    private ServiceProvider _services = null!;

    /// <summary>Closes the store and opens everything again on the same file, as a restarted server would.</summary>
    public async Task RestartAsync()
    {
        await _services.DisposeAsync();
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await OpenAsync();
    }

    /// <summary>Sets the clock, ingests the readings, derives, and lets the alarm engine judge what changed.</summary>
    public async Task PostAsync(DateTimeOffset now, params ReadingInput[] readings)
    {
        Clock.SetUtcNow(now);
        var result = await Ingest.IngestAsync(TenantId, readings, "test", _ct);
        Assert.Equal(readings.Length, result.Accepted);
        await Derivation.RunUntilIdleAsync(_ct);
        await Alarms.EvaluateChangesAsync(Feed.Drain(), _ct);
        await Alarms.DeliverQueuedAsync(_ct);
    }

    public async Task TickAsync(DateTimeOffset now)
    {
        Clock.SetUtcNow(now);
        await Alarms.TickAsync(_ct);
        await Alarms.DeliverQueuedAsync(_ct);
    }

    /// <summary>Four 15-minute interval readings of the line meter for the hour starting at <paramref name="hour"/>, each a quarter of <paramref name="kWh"/>.</summary>
    public static ReadingInput[] Hour(DateTimeOffset hour, double kWh) =>
        [.. Enumerable.Range(1, 4).Select(q => new ReadingInput(Line, hour.AddMinutes(15 * q), kWh / 4))];

    public async Task<IReadOnlyList<Alarm>> AlarmsAsync() =>
        (await Alarms.ListAsync(TenantId, new AlarmFilter(), _ct)).OrderBy(a => a.Id).ToList();

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
