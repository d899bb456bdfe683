using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Model;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Pipeline.Monitor.Alarms;
using GreenLoop.Pipeline.Monitor.Derivation;
using GreenLoop.Storage;
using GreenLoop.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Pipeline.Tests.Monitor.Alarms;

/// <summary>
/// The real pipeline and alarm engine on a real SQLite file, wired by the application's registration (derivation posts
/// to the change feed, the engine drains it), with a fake clock and a recording notifier. <see cref="RestartAsync"/>
/// reopens everything on the same file.
/// </summary>
internal sealed class AlarmHarness : IAsyncDisposable
{
    public const string Site = "works";
    public const string Line = "works.line.elec";
    public const string Nox = "works.stack.nox";
    public const string Counter = "works.main.elec";
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private readonly PipelineHarness _pipeline;
    private readonly CancellationToken _ct = CancellationToken.None;

    private AlarmHarness(PipelineHarness pipeline, FakeTimeProvider clock, RecordingNotifier notifier)
    {
        _pipeline = pipeline;
        Clock = clock;
        Notifier = notifier;
    }

    public FakeTimeProvider Clock { get; }
    public RecordingNotifier Notifier { get; }
    public GreenLoopStore Store => _pipeline.Store;
    public long TenantId => _pipeline.TenantId;
    public IngestService Ingest => _pipeline.Ingest;
    public DerivationService Derivation => _pipeline.Derivation;
    public DerivedChangeFeed Feed => _pipeline.Get<DerivedChangeFeed>();
    public AlarmService Alarms => _pipeline.Get<AlarmService>();
    public SiteService Sites => _pipeline.Sites;
    public MeterCatalog Catalog => _pipeline.Catalog;

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
        var clock = new FakeTimeProvider(T0);
        var notifier = new RecordingNotifier();
        var pipeline = await PipelineHarness.SqliteAsync(clock, services => services.AddSingleton<IAlarmNotifier>(notifier));
        var h = new AlarmHarness(pipeline, clock, notifier);
        await pipeline.ApplyAsync(Works());
        foreach (var rule in rules)
        {
            var saved = await h.Alarms.SaveRuleAsync(h.TenantId, Site, rule, h._ct);
            Assert.True(saved.Rule is not null, string.Join("; ", saved.Errors.Select(e => $"{e.Path}: {e.Reason}")));
        }
        return h;
    }

    /// <summary>Closes the store and opens everything again on the same file, as a restarted server would.</summary>
    public Task RestartAsync() => _pipeline.RestartAsync();

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

    public ValueTask DisposeAsync() => _pipeline.DisposeAsync();
}
