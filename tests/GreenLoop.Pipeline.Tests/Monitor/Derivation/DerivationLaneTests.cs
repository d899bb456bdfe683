using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Pipeline.Monitor.Derivation;
using GreenLoop.Storage;
using GreenLoop.Testing;
using static GreenLoop.Testing.TestSites;

namespace GreenLoop.Pipeline.Tests.Monitor.Derivation;

/// <summary>
/// Live data first (issue 11): a fresh reading's short span is derived in a pass of its own, never behind a back-fill;
/// the live lane takes only live-sized spans, the back-fill lane only longer ones.
/// </summary>
public sealed class DerivationLaneTests
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _start = new(2026, 11, 20, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>A back-fill of three days of the main incomer, and the last two quarter-hours of kiln gas (a 15-minute span).</summary>
    private static async Task<PipelineHarness> PendingAsync()
    {
        var h = await PipelineHarness.SqliteAsync(_now);
        await h.ApplyAsync(Plant());
        var backfill = Enumerable.Range(0, 3 * 96).Select(q => new ReadingInput(MainMeter, _start.AddMinutes(15 * q), 1000 + q));
        var live = Enumerable.Range(1, 2).Select(q => new ReadingInput(GasMeter, _now.AddHours(-1).AddMinutes(15 * q), 1.5));
        Assert.Empty((await h.IngestAsync([.. backfill, .. live])).Rejected);
        Assert.Equal(2, await h.Store.CountDirtyAsync(PipelineHarness.Ct));
        return h;
    }

    private static async Task<int> QuartersAsync(PipelineHarness h, string meter) =>
        (await h.Store.MeterSeriesAsync(new MeterId((await h.MeterAsync(meter)).Id), Grain.Minutes15,
            new Instant(_start.AddDays(-1).ToUnixTimeMilliseconds()), new Instant(_now.ToUnixTimeMilliseconds()), PipelineHarness.Ct)).Count;

    [Fact]
    public async Task AnyLane_LiveAndBackfillPending_FirstPassDerivesOnlyTheLiveMeterAndSaysMoreIsWaiting()
    {
        await using var h = await PendingAsync();

        var first = await h.Derivation.RunPassAsync(500, DerivationLane.All, PipelineHarness.Ct);

        Assert.Equal(new DerivationPass(1, Backlog: true), first);
        Assert.Equal(2, await QuartersAsync(h, GasMeter));
        Assert.Equal(0, await QuartersAsync(h, MainMeter));
        var second = await h.Derivation.RunPassAsync(500, DerivationLane.All, PipelineHarness.Ct);
        Assert.Equal(1, second.Derived);
        // 287 quarter-hours between the first and the last of 288 readings.
        Assert.Equal(287, await QuartersAsync(h, MainMeter));
        Assert.Equal(0, await h.Store.CountDirtyAsync(PipelineHarness.Ct));
    }

    [Fact]
    public async Task Lanes_EachTakesOnlyItsOwnSpans()
    {
        await using var h = await PendingAsync();

        Assert.Equal(1, (await h.Derivation.RunPassAsync(500, DerivationLane.Backfill, PipelineHarness.Ct)).Derived);
        Assert.Equal((0, 287), (await QuartersAsync(h, GasMeter), await QuartersAsync(h, MainMeter)));
        Assert.Equal(0, (await h.Derivation.RunPassAsync(500, DerivationLane.Backfill, PipelineHarness.Ct)).Derived);
        Assert.Equal(1, (await h.Derivation.RunPassAsync(500, DerivationLane.Live, PipelineHarness.Ct)).Derived);
        Assert.Equal(2, await QuartersAsync(h, GasMeter));
        Assert.Equal(0, await h.Store.CountDirtyAsync(PipelineHarness.Ct));
    }
}
