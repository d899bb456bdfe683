using GreenLoop.Domain.Model;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Storage;
using GreenLoop.Testing;

namespace GreenLoop.Pipeline.Tests.Monitor.Derivation;

/// <summary>Node totals without double counting, and the balance of a main meter against its sub-meters.</summary>
public sealed class NodeTotalsTests
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _midnight = new(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>A main incomer at the site and one meter per workshop, both counted and both children of the main meter.</summary>
    private static SiteDefinition Works() => new()
    {
        Key = "works",
        Name = "Works",
        TimeZone = "Asia/Shanghai",
        Nodes =
        [
            new NodeDefinition { Key = "press", Name = "Press shop", NameZh = "压制车间" },
            new NodeDefinition { Key = "glaze", Name = "Glaze line", NameZh = "施釉线" },
        ],
        Meters =
        [
            new MeterDefinition { Key = "works.main", Name = "Main incomer", Carrier = "electricity", Unit = "kWh", Kind = MeterKind.Interval },
            new MeterDefinition { Key = "works.press", Name = "Press shop", Node = "press", Parent = "works.main", Carrier = "electricity", Unit = "kWh", Kind = MeterKind.Interval },
            new MeterDefinition { Key = "works.glaze", Name = "Glaze line", Node = "glaze", Parent = "works.main", Carrier = "electricity", Unit = "kWh", Kind = MeterKind.Interval },
        ],
    };

    private static async Task<PipelineHarness> DerivedDayAsync()
    {
        var h = await PipelineHarness.SqliteAsync(_now);
        await h.ApplyAsync(Works());
        // Per 15 minutes: main 10 kWh, press 4 kWh, glaze 5 kWh (1 kWh lost in cables and transformers).
        var readings = new List<ReadingInput>();
        foreach (var t in PipelineHarness.Every(TimeSpan.FromMinutes(15), _midnight.AddMinutes(15), _midnight.AddDays(1)))
        {
            readings.Add(new ReadingInput("works.main", t, 10));
            readings.Add(new ReadingInput("works.press", t, 4));
            readings.Add(new ReadingInput("works.glaze", t, 5));
        }
        Assert.Equal(288, (await h.IngestAsync(readings)).Accepted);
        await h.DeriveAsync();
        return h;
    }

    [Fact]
    public async Task NodeSeries_MainMeterWithWorkshopSubMeters_SiteTotalIsMainMeterOnly()
    {
        await using var h = await DerivedDayAsync();

        async Task<double?> DayTotal(string node) =>
            Assert.Single((await h.Query.NodeSeriesAsync(h.TenantId, "works", node, "electricity", Grain.Day, Ranges.Dates("2026-11-23", "2026-11-24"), CancellationToken.None))!.Points).Value;

        // 96 quarters: site 96 x 10 = 960 (not 960 + 384 + 480), press 96 x 4 = 384, glaze 96 x 5 = 480.
        Assert.Equal(960.0, await DayTotal("_site"));
        Assert.Equal(384.0, await DayTotal("press"));
        Assert.Equal(480.0, await DayTotal("glaze"));
        var site15 = (await h.Query.NodeSeriesAsync(h.TenantId, "works", "_site", "electricity", Grain.Minutes15, Ranges.Dates("2026-11-23", "2026-11-24"), CancellationToken.None))!.Points;
        Assert.Equal(96, site15.Count);
        Assert.All(site15, p => Assert.Equal((10.0, 1.0), (p.Value!.Value, p.Completeness)));
        var energy = (await h.Query.EnergyAsync(h.TenantId, "works", Grain.Day, Ranges.Dates("2026-11-23", "2026-11-24"), null, CancellationToken.None))!;
        Assert.Equal([("_site", 960.0), ("glaze", 480.0), ("press", 384.0)],
            energy.Rows.Select(r => (r.Node, r.Value!.Value)).OrderByDescending(r => r.Item2));
        Assert.All(energy.Rows, r => Assert.Equal(1.0, r.Completeness));
    }

    [Fact]
    public async Task Balance_MainAgainstWorkshopMeters_LossIsMainMinusChildren()
    {
        await using var h = await DerivedDayAsync();

        var day = (await h.Query.BalanceAsync(h.TenantId, "works", "works.main", Grain.Day, Ranges.Dates("2026-11-23", "2026-11-24"), CancellationToken.None))!;
        var hours = (await h.Query.BalanceAsync(h.TenantId, "works", "works.main", Grain.Hour, Ranges.Dates("2026-11-23", "2026-11-24"), CancellationToken.None))!;

        Assert.Equal(["works.press", "works.glaze"], day.Children);
        Assert.Equal("kWh", day.Unit);
        // Day: 960 - (384 + 480) = 96 kWh lost, 96 / 960 = 10 %. Hour: 40 - 36 = 4 kWh, 10 %.
        var point = Assert.Single(day.Points);
        Assert.Equal(("2026-11-23T00:00:00+08:00", 960.0, 864.0, 96.0, 10.0), (point.Start, point.Parent!.Value, point.Children!.Value, point.Loss!.Value, point.LossPercent!.Value));
        Assert.Equal(24, hours.Points.Count);
        Assert.All(hours.Points, p => Assert.Equal((40.0, 36.0, 4.0, 10.0), (p.Parent!.Value, p.Children!.Value, p.Loss!.Value, p.LossPercent!.Value)));
    }
}
