using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Storage;
using GreenLoop.Testing;
using static GreenLoop.Testing.TestSites;

namespace GreenLoop.Pipeline.Tests.Monitor.Derivation;

/// <summary>"Late or out-of-order readings re-derive exactly the span they touch" (ARCHITECTURE.md, the data path).</summary>
public sealed class LateDataTests
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _midnight = new(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset _holeStart = _midnight.AddHours(10);
    private static readonly DateTimeOffset _holeEnd = _midnight.AddHours(12);

    /// <summary>A day of 15-minute readings of all three meters, uneven values, 00:00 through 24:00 local.</summary>
    private static List<ReadingInput> Day()
    {
        var list = new List<ReadingInput>();
        var register = 5000.0;
        for (var k = 0; k <= 96; k++)
        {
            var ts = _midnight.AddMinutes(15 * k);
            if (k > 0) register += 3 + (k * 7 % 11) * 0.25;
            list.Add(new ReadingInput(MainMeter, ts, register));
            if (k > 0) list.Add(new ReadingInput(GasMeter, ts, 1 + (k * 5 % 7) * 0.5));
            list.Add(new ReadingInput(TempMeter, ts, 800 + (k * 13 % 17)));
        }
        return list;
    }

    private static bool InHole(ReadingInput r) => r.Ts > _holeStart && r.Ts < _holeEnd;

    [Fact]
    public async Task Derive_HoleFilledLateAndOutOfOrder_EqualsDerivingEverythingInOrder()
    {
        var day = Day();
        var hole = day.Where(InHole).ToList();
        Assert.Equal(3 * 7, hole.Count);

        await using var inOrder = await PipelineHarness.SqliteAsync(_now);
        await inOrder.ApplyAsync(Plant());
        Assert.Equal(day.Count, (await inOrder.IngestAsync(day)).Accepted);
        await inOrder.DeriveAsync();

        await using var late = await PipelineHarness.SqliteAsync(_now);
        await late.ApplyAsync(Plant());
        await late.IngestAsync(day.Where(r => !InHole(r)).ToList());
        await late.DeriveAsync();
        var before = await SnapshotAsync(late);
        // With the hole, hour 10 and 11 of the counter are spread across a 2 h gap: estimated, not measured.
        var mainHoursBefore = before[(MainMeter, Grain.Hour)];
        Assert.Contains(mainHoursBefore, r => r.Flags.HasFlag(QualityFlags.Gap) && r.CoveredMs == 0);
        Assert.NotEqual(await SnapshotAsync(inOrder), before, SnapshotComparer.Instance);

        // The hole arrives late, newest first and in two batches, with a derivation in between.
        var reversed = Enumerable.Reverse(hole).ToList();
        await late.IngestAsync(reversed.Where((_, i) => i % 2 == 0).ToList());
        await late.DeriveAsync();
        await late.IngestAsync(reversed.Where((_, i) => i % 2 == 1).ToList());
        await late.DeriveAsync();

        var expected = await SnapshotAsync(inOrder);
        var actual = await SnapshotAsync(late);
        foreach (var key in expected.Keys)
        {
            Assert.True(expected[key].Count > 0, $"{key} has rows");
            Assert.Equal(expected[key], actual[key]);
        }
        Assert.Equal(await FindingsAsync(inOrder), await FindingsAsync(late));
        Assert.Equal(await NodeRowsAsync(inOrder), await NodeRowsAsync(late));
    }

    [Fact]
    public async Task Derive_ReadingsOneByOneNewestFirstAcrossMonthEnd_EqualsDerivingEverythingInOrder()
    {
        // 21:00 on 30 November to 03:00 on 1 December local: every reading touches a day and a month boundary span.
        var start = new DateTimeOffset(2026, 11, 30, 21, 0, 0, TimeSpan.FromHours(8));
        var readings = new List<ReadingInput>();
        for (var k = 0; k <= 24; k++)
        {
            var ts = start.AddMinutes(15 * k);
            readings.Add(new ReadingInput(MainMeter, ts, 7000 + 2.5 * k + (k % 3) * 0.75));
            if (k > 0) readings.Add(new ReadingInput(GasMeter, ts, 0.5 + k % 4));
            readings.Add(new ReadingInput(TempMeter, ts, 790 + k % 5));
        }

        await using var inOrder = await PipelineHarness.SqliteAsync(_now.AddDays(7));
        await inOrder.ApplyAsync(Plant());
        await inOrder.IngestAsync(readings);
        await inOrder.DeriveAsync();

        await using var late = await PipelineHarness.SqliteAsync(_now.AddDays(7));
        await late.ApplyAsync(Plant());
        foreach (var r in Enumerable.Reverse(readings))
        {
            Assert.Equal(1, (await late.IngestAsync([r])).Accepted);
            await late.DeriveAsync();
        }

        var expected = await SnapshotAsync(inOrder);
        var actual = await SnapshotAsync(late);
        Assert.Equal(2, expected[(MainMeter, Grain.Month)].Count);
        Assert.Equal(2, expected[(GasMeter, Grain.Day)].Count);
        foreach (var key in expected.Keys) Assert.Equal(expected[key], actual[key]);
        Assert.Equal(await FindingsAsync(inOrder), await FindingsAsync(late));
        Assert.Equal(await NodeRowsAsync(inOrder), await NodeRowsAsync(late));
    }

    /// <summary>Every derived row of every meter at every grain, over November and December 2026.</summary>
    private static async Task<Dictionary<(string Meter, Grain Grain), IReadOnlyList<PeriodRow>>> SnapshotAsync(PipelineHarness h)
    {
        var (from, to) = Range();
        var snapshot = new Dictionary<(string, Grain), IReadOnlyList<PeriodRow>>();
        foreach (var meter in new[] { MainMeter, GasMeter, TempMeter })
        {
            var id = (await h.MeterAsync(meter)).Id;
            foreach (var grain in Enum.GetValues<Grain>())
                snapshot[(meter, grain)] = await h.Store.MeterSeriesAsync(new MeterId(id), grain, new Instant(from), new Instant(to), CancellationToken.None);
        }
        return snapshot;
    }

    private static async Task<List<StoredFinding>> FindingsAsync(PipelineHarness h)
    {
        var (from, to) = Range();
        var all = new List<StoredFinding>();
        foreach (var meter in new[] { MainMeter, GasMeter, TempMeter })
            all.AddRange(await h.Store.FindingsAsync(new MeterId((await h.MeterAsync(meter)).Id), new Instant(from), new Instant(to), CancellationToken.None));
        return all;
    }

    private static async Task<List<NodeCarrierRow>> NodeRowsAsync(PipelineHarness h)
    {
        var (from, to) = Range();
        var site = (await h.Store.GetSiteAsync(h.TenantId, "plant", CancellationToken.None))!;
        var rows = new List<NodeCarrierRow>();
        foreach (var grain in Enum.GetValues<Grain>())
            rows.AddRange(await h.Store.NodeTotalsAsync(site.Nodes.Select(n => n.Id).ToList(), grain, new Instant(from), new Instant(to), CancellationToken.None));
        Assert.NotEmpty(rows);
        return rows;
    }

    private static (long From, long To) Range() =>
        (new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds(),
         new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds());

    private sealed class SnapshotComparer : IEqualityComparer<Dictionary<(string Meter, Grain Grain), IReadOnlyList<PeriodRow>>>
    {
        public static readonly SnapshotComparer Instance = new();

        public bool Equals(Dictionary<(string Meter, Grain Grain), IReadOnlyList<PeriodRow>>? x, Dictionary<(string Meter, Grain Grain), IReadOnlyList<PeriodRow>>? y) =>
            x is not null && y is not null && x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var other) && p.Value.SequenceEqual(other));

        public int GetHashCode(Dictionary<(string Meter, Grain Grain), IReadOnlyList<PeriodRow>> obj) => obj.Count;
    }
}
