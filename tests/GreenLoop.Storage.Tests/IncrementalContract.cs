using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Testing;

namespace GreenLoop.Storage.Tests;

/// <summary>
/// Derivation keeps days, months and node totals from the change of each bucket (<see cref="NodeDeltas"/>). This
/// checks it against a full recompute: the same final readings and events derived from scratch in a fresh store.
/// The workload is randomized (fixed seeds, so a failure can be replayed): readings posted in shuffled batches of
/// random size with a derivation pass after each (late data, overlapping spans), a gap long enough to be spread as
/// estimated, a register rollover, a meter replacement recorded after its readings were derived, and the days around
/// the end of daylight saving time in Berlin (a 25-hour local day).
/// </summary>
public abstract class IncrementalContract : StoreContract
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private const string Zone = "Europe/Berlin";
    // Local 2026-10-24 00:00 to 2026-10-27 00:00: Sunday 2026-10-25 has 25 hours.
    private static readonly DateTimeOffset _first = new(2026, 10, 23, 22, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _last = new(2026, 10, 26, 23, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _replaced = new(2026, 10, 25, 9, 7, 0, TimeSpan.Zero);

    private static SiteDefinition Site(bool withReplacement) => new()
    {
        Key = "inc",
        Name = "Incremental plant",
        NameZh = "增量工厂",
        TimeZone = Zone,
        Nodes = [new NodeDefinition { Key = "press", Name = "Press shop", NameZh = "压机车间" }, new NodeDefinition { Key = "kiln", Name = "Kiln", NameZh = "窑炉" }],
        Meters =
        [
            new MeterDefinition { Key = "inc.a", Name = "Press A", Node = "press", Carrier = "electricity", Unit = "kWh", Kind = MeterKind.Cumulative, Multiplier = 2 },
            new MeterDefinition { Key = "inc.b", Name = "Press B", Node = "press", Carrier = "electricity", Unit = "kWh", Kind = MeterKind.Cumulative, RolloverAt = 10_000 },
            new MeterDefinition { Key = "inc.c", Name = "Kiln", Node = "kiln", Carrier = "electricity", Unit = "kWh", Kind = MeterKind.Cumulative },
            new MeterDefinition { Key = "inc.gas", Name = "Kiln gas", Node = "kiln", Carrier = "natural_gas", Unit = "m3", Kind = MeterKind.Interval, IntervalMinutes = 15 },
        ],
        Events = withReplacement
            ? [new MeterEventDefinition { Meter = "inc.a", Kind = MeterEventKind.Replacement, Ts = _replaced, OldValue = null, NewValue = 0 }]
            : [],
    };

    /// <summary>The final readings: every 5 minutes (gas every 15), with a 3-hour gap on A and B wrapping at 10,000.</summary>
    private static List<ReadingInput> Readings()
    {
        var random = new Random(20261207);
        var readings = new List<ReadingInput>();
        double a = 500, b = 9_700, c = 0, aAtReplacement = double.NaN;
        var gapFrom = new DateTimeOffset(2026, 10, 24, 10, 0, 0, TimeSpan.Zero);
        for (var t = _first; t <= _last; t = t.AddMinutes(5))
        {
            a += random.NextDouble() * 3;
            b = (b + random.NextDouble() * 4) % 10_000;
            c += random.NextDouble() * 10;
            // Meter A's new register starts from 0 at its replacement.
            if (t >= _replaced && double.IsNaN(aAtReplacement)) aAtReplacement = a;
            var aValue = t >= _replaced ? a - aAtReplacement : a;
            if (t < gapFrom || t >= gapFrom.AddHours(3)) readings.Add(new ReadingInput("inc.a", t, Math.Round(aValue, 3)));
            readings.Add(new ReadingInput("inc.b", t, Math.Round(b, 3)));
            readings.Add(new ReadingInput("inc.c", t, Math.Round(c, 3)));
            if (t.Minute % 15 == 0) readings.Add(new ReadingInput("inc.gas", t, Math.Round(random.NextDouble() * 4, 3)));
        }
        return readings;
    }

    [Fact]
    public async Task IncrementalDerivation_RandomizedLateDataReplacementRolloverGapAndDstDay_EqualsAFullRecompute()
    {
        var readings = Readings();

        // Full recompute: everything at once, derived in one go.
        await using var full = await StartAsync(_now);
        await full.ApplyAsync(Site(withReplacement: true));
        Assert.Empty((await full.IngestAsync(readings)).Rejected);
        await full.DeriveAsync();

        // Incremental: shuffled batches of 1 to 400 readings, a pass after each; the replacement recorded half-way.
        await using var inc = await StartAsync(_now);
        await inc.ApplyAsync(Site(withReplacement: false));
        var random = new Random(7);
        var shuffled = readings.OrderBy(_ => random.Next()).ToList();
        var posted = 0;
        while (posted < shuffled.Count)
        {
            var n = Math.Min(shuffled.Count - posted, 1 + random.Next(400));
            Assert.Empty((await inc.IngestAsync(shuffled.GetRange(posted, n))).Rejected);
            posted += n;
            await inc.Derivation.RunOnceAsync(1 + random.Next(4), Ct);
            if (posted >= shuffled.Count / 2 && posted - n < shuffled.Count / 2) await inc.ApplyAsync(Site(withReplacement: true));
        }
        await inc.DeriveAsync();

        var fullSite = (await full.Store.GetSiteAsync(full.TenantId, "inc", Ct))!;
        var incSite = (await inc.Store.GetSiteAsync(inc.TenantId, "inc", Ct))!;
        var (from, to) = (new Instant(_first.AddDays(-40).ToUnixTimeMilliseconds()), new Instant(_last.AddDays(40).ToUnixTimeMilliseconds()));
        var compared = 0;
        foreach (var grain in new[] { Grain.Minutes15, Grain.Hour, Grain.Day, Grain.Month })
        {
            foreach (var meter in fullSite.Meters)
            {
                var expected = await full.Store.MeterSeriesAsync(new MeterId(meter.Id), grain, from, to, Ct);
                var actual = await inc.Store.MeterSeriesAsync(new MeterId(incSite.Meters.Single(m => m.Definition.Key == meter.Definition.Key).Id), grain, from, to, Ct);
                compared += AssertSame(expected.Select(r => (r.Ts, r.Value, r.CoveredMs, r.Flags, r.Meters)).ToList(),
                    actual.Select(r => (r.Ts, r.Value, r.CoveredMs, r.Flags, r.Meters)).ToList(), $"{meter.Definition.Key} {grain}");
            }
            foreach (var node in fullSite.Nodes)
            {
                var expected = await full.Store.NodeTotalsAsync([node.Id], grain, from, to, Ct);
                var actual = await inc.Store.NodeTotalsAsync([incSite.Nodes.Single(n => n.Key == node.Key).Id], grain, from, to, Ct);
                foreach (var carrier in new[] { "electricity", "natural_gas" })
                {
                    compared += AssertSame(
                        expected.Where(r => r.Carrier == carrier).Select(r => (r.Ts, r.Value, r.CoveredMs, r.Flags, r.Meters)).ToList(),
                        actual.Where(r => r.Carrier == carrier).Select(r => (r.Ts, r.Value, r.CoveredMs, r.Flags, r.Meters)).ToList(), $"{node.Key} {carrier} {grain}");
                }
            }
        }
        // Every grain of every meter and node was compared, and the workload produced what it is meant to test.
        Assert.True(compared > 3 * 4 * 24 * 3, $"only {compared} periods compared");
        var siteDays = await inc.Store.NodeTotalsAsync([incSite.Root.Id], Grain.Day, from, to, Ct);
        Assert.Contains(siteDays, r => r.Flags.HasFlag(QualityFlags.Estimated) && r.Flags.HasFlag(QualityFlags.Gap));
        Assert.Contains(siteDays, r => r.Flags.HasFlag(QualityFlags.Rollover));
        Assert.Contains(siteDays, r => r.Flags.HasFlag(QualityFlags.Replacement));
        // The DST day is 25 local hours long.
        var dstDay = new DateTimeOffset(2026, 10, 24, 22, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal(25, (await inc.Store.NodeTotalsAsync([incSite.Root.Id], Grain.Hour, new Instant(dstDay), new Instant(dstDay + 25 * 3_600_000L), Ct))
            .Count(r => r.Carrier == "electricity"));
    }

    private static int AssertSame(List<(long Ts, double? Value, long Covered, QualityFlags Flags, int Meters)> expected,
        List<(long Ts, double? Value, long Covered, QualityFlags Flags, int Meters)> actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {actual.Count} periods, expected {expected.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.True(e.Ts == a.Ts && e.Covered == a.Covered && e.Flags == a.Flags && e.Meters == a.Meters,
                $"{what} at {e.Ts}: ({a.Ts}, covered {a.Covered}, {a.Flags}, {a.Meters} meters), expected ({e.Ts}, covered {e.Covered}, {e.Flags}, {e.Meters} meters)");
            Assert.True(e.Value is null == a.Value is null, $"{what} at {e.Ts}: value {a.Value}, expected {e.Value}");
            // Sums kept by differences may differ from sums taken afresh in the last bits only.
            if (e.Value is { } ev) Assert.True(Math.Abs(ev - a.Value!.Value) <= 1e-9 * Math.Max(1, Math.Abs(ev)), $"{what} at {e.Ts}: {a.Value}, expected {ev}");
        }
        return expected.Count;
    }
}
