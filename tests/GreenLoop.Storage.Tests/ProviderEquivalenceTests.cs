using System.Text.Json;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Testing;

namespace GreenLoop.Storage.Tests;

/// <summary>
/// The same three weeks of messy readings (gaps, an unexplained drop, a spike, a rollover, a meter replacement, late
/// batches, export) go through the real pipeline on SQLite and on PostgreSQL; every derived row both stores hold must
/// be the same. Values may differ in the last bits only (SQLite sums with compensated summation, PostgreSQL does not).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProviderEquivalenceTests(PostgresServer server)
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan _cst = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset _start = new(2026, 10, 20, 0, 0, 0, _cst);
    private static readonly DateTimeOffset _replaced = _start.AddDays(10);
    private const int Days = 21;
    private static readonly CancellationToken _ct = CancellationToken.None;

    private static SiteDefinition Site() => TestSites.PlantWithKilnElec() with
    {
        Meters =
        [
            .. TestSites.PlantWithKilnElec().Meters.Select(m => m.Key == TestSites.MainMeter ? m with { MaxRatePerHour = 500 } : m),
            new MeterDefinition { Key = "plant.solar", Name = "Rooftop PV", Carrier = "electricity", Unit = "kWh", Direction = MeterDirection.Export },
            new MeterDefinition { Key = "plant.water", Name = "Water", Node = "kiln", Carrier = "fresh_water", Unit = "m3", RolloverAt = 10_000 },
        ],
        Events = [new MeterEventDefinition { Meter = TestSites.MainMeter, Kind = MeterEventKind.Replacement, Ts = _replaced, OldValue = 0, NewValue = 0, Note = "new meter" }],
    };

    /// <summary>Readings every 5 minutes (gauges and registers) or 15 minutes (gas), with faults, in arrival batches.</summary>
    private static List<List<ReadingInput>> Batches()
    {
        var random = new Random(20261120);
        var all = new List<ReadingInput>();
        double main = 5000, kiln = 100, solar = 0, water = 9_000;
        for (var t = _start; t < _start.AddDays(Days); t = t.AddMinutes(5))
        {
            var hour = t.ToOffset(_cst).Hour;
            var skip = random.NextDouble() < 0.02 || (t >= _start.AddDays(3).AddHours(2) && t < _start.AddDays(3).AddHours(5));
            main += 20 + 10 * random.NextDouble();
            kiln += 5 + 2 * random.NextDouble();
            if (hour is >= 8 and < 17) solar += 3 * random.NextDouble();
            water += 4 * random.NextDouble();
            if (water >= 10_000) water -= 10_000;
            if (t == _replaced) main = 0;
            if (skip) continue;
            var mainValue = t == _start.AddDays(5) ? main - 300 : t == _start.AddDays(7).AddHours(1) ? main + 2000 : main;
            all.Add(new ReadingInput(TestSites.MainMeter, t, Math.Round(mainValue, 3)));
            all.Add(new ReadingInput(TestSites.KilnElec, t, Math.Round(kiln, 3)));
            all.Add(new ReadingInput("plant.solar", t, Math.Round(solar, 3)));
            all.Add(new ReadingInput("plant.water", t, Math.Round(water, 3)));
            all.Add(new ReadingInput(TestSites.TempMeter, t, Math.Round(800 + 50 * Math.Sin(t.ToUnixTimeSeconds() / 7200.0) + 5 * random.NextDouble(), 2)));
            if (t.Minute % 15 == 0) all.Add(new ReadingInput(TestSites.GasMeter, t, Math.Round(1 + random.NextDouble(), 3)));
        }
        // Mostly in order in batches of 3000; every fifth batch arrives late, after the one that follows it.
        var batches = all.Chunk(3000).Select(c => c.ToList()).ToList();
        for (var i = 0; i + 1 < batches.Count; i += 5) (batches[i], batches[i + 1]) = (batches[i + 1], batches[i]);
        return batches;
    }

    [Fact]
    public async Task Pipeline_SameMessyReadingsOnBothProviders_EveryDerivedRowIsTheSame()
    {
        await using var sqlite = await PipelineHarness.SqliteAsync(_now);
        await using var postgres = await PipelineHarness.PostgresAsync(server, _now);
        var batches = Batches();
        foreach (var h in new[] { sqlite, postgres })
        {
            await h.ApplyAsync(Site());
            for (var i = 0; i < batches.Count; i++)
            {
                var result = await h.IngestAsync(batches[i]);
                Assert.Equal(batches[i].Count, result.Accepted + result.Duplicates + result.Rejected.Count);
                if (i % 3 == 2) await h.DeriveAsync();
            }
            await h.DeriveAsync();
        }

        var a = (await sqlite.Store.GetSiteAsync(sqlite.TenantId, "plant", _ct))!;
        var b = (await postgres.Store.GetSiteAsync(postgres.TenantId, "plant", _ct))!;
        Assert.Equal(JsonSerializer.Serialize(a.Definition), JsonSerializer.Serialize(b.Definition));
        long from = _start.AddDays(-1).ToUnixTimeMilliseconds(), to = _start.AddDays(Days + 35).ToUnixTimeMilliseconds();
        var compared = 0;
        foreach (var meter in a.Meters)
        {
            var other = b.Meters.Single(m => m.Definition.Key == meter.Definition.Key);
            Assert.Equal(await sqlite.Store.CountReadingsAsync(new MeterId(meter.Id), _ct), await postgres.Store.CountReadingsAsync(new MeterId(other.Id), _ct));
            Assert.Equal(await sqlite.Store.FindingsAsync(new MeterId(meter.Id), new Instant(from), new Instant(to), _ct), await postgres.Store.FindingsAsync(new MeterId(other.Id), new Instant(from), new Instant(to), _ct));
            foreach (var grain in Enum.GetValues<Grain>())
            {
                var left = await sqlite.Store.MeterSeriesAsync(new MeterId(meter.Id), grain, new Instant(from), new Instant(to), _ct);
                var right = await postgres.Store.MeterSeriesAsync(new MeterId(other.Id), grain, new Instant(from), new Instant(to), _ct);
                AssertSame($"{meter.Definition.Key} {grain}", left, right);
                compared += left.Count;
            }
        }
        foreach (var node in a.Nodes)
        {
            var other = b.Nodes.Single(n => n.Key == node.Key);
            foreach (var grain in Enum.GetValues<Grain>())
            {
                var left = await sqlite.Store.NodeTotalsAsync([node.Id], grain, new Instant(from), new Instant(to), _ct);
                var right = await postgres.Store.NodeTotalsAsync([other.Id], grain, new Instant(from), new Instant(to), _ct);
                AssertSame($"{node.Key} {grain}",
                    left.Select(r => new PeriodRow(r.Ts, r.Value, null, null, r.CoveredMs, default, r.Meters)).ToList(),
                    right.Select(r => new PeriodRow(r.Ts, r.Value, null, null, r.CoveredMs, default, r.Meters)).ToList());
                Assert.Equal(left.Select(r => (r.Carrier, r.Direction)), right.Select(r => (r.Carrier, r.Direction)));
                compared += left.Count;
            }
        }
        // Three weeks of six meters at four grains and two nodes: well over 10,000 rows compared, and the faults were seen.
        Assert.True(compared > 10_000, $"only {compared} rows compared");
        var mainFindings = await postgres.Store.FindingsAsync(new MeterId(b.Meters.Single(m => m.Definition.Key == TestSites.MainMeter).Id), new Instant(from), new Instant(to), _ct);
        Assert.Contains(mainFindings, f => f.Kind == GreenLoop.Domain.Derivation.FindingKind.Drop);
        Assert.Contains(mainFindings, f => f.Kind == GreenLoop.Domain.Derivation.FindingKind.Replacement);
        Assert.Contains(await postgres.Store.FindingsAsync(new MeterId(b.Meters.Single(m => m.Definition.Key == "plant.water").Id), new Instant(from), new Instant(to), _ct),
            f => f.Kind == GreenLoop.Domain.Derivation.FindingKind.Rollover);
    }

    private static void AssertSame(string what, IReadOnlyList<PeriodRow> expected, IReadOnlyList<PeriodRow> actual)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {expected.Count} rows in SQLite, {actual.Count} in PostgreSQL");
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.True(e with { Value = null, Min = null, Max = null } == a with { Value = null, Min = null, Max = null }, $"{what} row {i}: {e} vs {a}");
            Assert.True(Close(e.Value, a.Value) && Close(e.Min, a.Min) && Close(e.Max, a.Max), $"{what} row {i}: {e} vs {a}");
        }
    }

    private static bool Close(double? x, double? y) =>
        x is null ? y is null : y is not null && Math.Abs(x.Value - y.Value) <= 1e-9 * Math.Max(1, Math.Abs(x.Value));
}
