using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Testing;
using static GreenLoop.Testing.TestSites;

namespace GreenLoop.Storage.Tests;

/// <summary>
/// The real pipeline (IngestService, DerivationService, QueryService) on each provider, checked against figures
/// computed by hand: one local day in Asia/Shanghai (UTC+8, no DST) of three meter kinds.
/// </summary>
public abstract class PipelineContract : StoreContract
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _midnight = new(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Main incomer (cumulative, x2): raw 1000 + 20k every 30 minutes, except the 02:30 reading taken at 02:40 (1100).</summary>
    internal static IEnumerable<ReadingInput> MainReadings() =>
        Enumerable.Range(0, 49).Select(k => k == 5
            ? new ReadingInput(MainMeter, _midnight.AddMinutes(160), 1100)
            : new ReadingInput(MainMeter, _midnight.AddMinutes(30 * k), 1000 + 20 * k));

    /// <summary>Kiln gas (interval, period ending): 1.5 m3 per 15 minutes, 3.0 during local hour 12.</summary>
    internal static IEnumerable<ReadingInput> GasReadings() =>
        Enumerable.Range(1, 96).Select(q => new ReadingInput(GasMeter, _midnight.AddMinutes(15 * q), (q - 1) / 4 == 12 ? 3.0 : 1.5));

    /// <summary>Kiln temperature: 800 on the hour, 820 on the half hour (00:00 through 24:00), plus 900 at 10:10.</summary>
    internal static IEnumerable<ReadingInput> TempReadings() =>
        Enumerable.Range(0, 49).Select(k => new ReadingInput(TempMeter, _midnight.AddMinutes(30 * k), k % 2 == 0 ? 800 : 820))
            .Append(new ReadingInput(TempMeter, _midnight.AddMinutes(610), 900));

    internal static List<ReadingInput> AllReadings() => [.. MainReadings(), .. GasReadings(), .. TempReadings()];

    private static double Value(GreenLoop.Pipeline.Monitor.Query.MeterSeries series, int index) => series.Points[index].Value!.Value;

    [Fact]
    public async Task IngestAndDerive_ShanghaiDayOfThreeMeterKinds_HoursDaysMonthsAndNodesMatchHandCalculation()
    {
        await using var h = await StartAsync(_now);
        await h.ApplyAsync(PlantWithKilnElec());

        var result = await h.IngestAsync(AllReadings());
        await h.DeriveAsync();

        Assert.Equal((195, 195, 0), (result.Received, result.Accepted, result.Duplicates));
        Assert.Empty(result.Rejected);
        Assert.Equal(0, await h.Store.CountDirtyAsync(Ct));
        // Main: raw 20 per 30 min x 2 = 40 kWh per half hour, 80 per hour. The 02:40 reading (1100) splits 02:00-03:00
        // into 20 over 40 min and 20 over 20 min: buckets 15, 15, 20, 30 kWh. Day (1960 - 1000) x 2 = 1920 kWh.
        var main15 = await h.Query.MeterSeriesAsync(h.TenantId, "plant", MainMeter, Grain.Minutes15, Ranges.Dates("2026-11-23", "2026-11-24"), Ct);
        Assert.Equal(96, main15!.Points.Count);
        Assert.Equal([20, 20, 15, 15, 20, 30, 20], Enumerable.Range(6, 7).Select(q => Value(main15, q)));
        var mainHours = await h.Query.MeterSeriesAsync(h.TenantId, "plant", MainMeter, Grain.Hour, Ranges.Dates("2026-11-23", "2026-11-24"), Ct);
        Assert.All(mainHours!.Points, p => Assert.Equal(80, p.Value!.Value, 9));
        Assert.Equal(1920, Value((await h.Query.MeterSeriesAsync(h.TenantId, "plant", MainMeter, Grain.Day, Ranges.Dates("2026-11-23", "2026-11-24"), Ct))!, 0), 9);
        Assert.Equal(1920, Value((await h.Query.MeterSeriesAsync(h.TenantId, "plant", MainMeter, Grain.Month, Ranges.Dates("2026-11-01", "2026-12-01"), Ct))!, 0), 9);
        // Gas: 23 hours of 6 m3 and hour 12 of 12 m3 = 150 m3.
        Assert.Equal(150, Value((await h.Query.MeterSeriesAsync(h.TenantId, "plant", GasMeter, Grain.Day, Ranges.Dates("2026-11-23", "2026-11-24"), Ct))!, 0), 9);
        // Temperature: hour 10 = (833.33 x 15 + 900 x 15 + 820 x 30) / 60 = 843.33; day = (23 x 810 + 843.33) / 24 = 58420 / 72.
        var tempHours = await h.Query.MeterSeriesAsync(h.TenantId, "plant", TempMeter, Grain.Hour, Ranges.Dates("2026-11-23", "2026-11-24"), Ct);
        Assert.Equal(50600.0 / 60, Value(tempHours!, 10), 9);
        Assert.Equal(810, Value(tempHours!, 11), 9);
        var tempDay = (await h.Query.MeterSeriesAsync(h.TenantId, "plant", TempMeter, Grain.Day, Ranges.Dates("2026-11-23", "2026-11-24"), Ct))!.Points[0];
        Assert.Equal((58420.0 / 72, 800.0, 900.0), (Math.Round(tempDay.Value!.Value, 9), tempDay.Min, tempDay.Max), new RoundedTriple());
        // The site's electricity is the main incomer; the kiln's gas is its gas meter, also the site's gas.
        var siteElec = await h.Query.NodeSeriesAsync(h.TenantId, "plant", "_site", "electricity", Grain.Day, Ranges.Dates("2026-11-23", "2026-11-24"), Ct);
        var kilnGas = await h.Query.NodeSeriesAsync(h.TenantId, "plant", "kiln", "natural_gas", Grain.Day, Ranges.Dates("2026-11-23", "2026-11-24"), Ct);
        var siteGasHours = await h.Query.NodeSeriesAsync(h.TenantId, "plant", "_site", "natural_gas", Grain.Hour, Ranges.Dates("2026-11-23", "2026-11-24"), Ct);
        Assert.Equal(1920, siteElec!.Points[0].Value!.Value, 9);
        Assert.Equal(150, kilnGas!.Points[0].Value!.Value, 9);
        Assert.Equal(12, siteGasHours!.Points[12].Value!.Value, 9);
    }

    [Fact]
    public async Task Ingest_SameBatchAgainAndAConflict_DuplicatesChangeNothingAndTheConflictIsQuarantined()
    {
        await using var h = await StartAsync(_now);
        await h.ApplyAsync(PlantWithKilnElec());
        await h.IngestAsync(AllReadings());
        await h.DeriveAsync();

        var again = await h.IngestAsync(AllReadings());
        var conflict = await h.IngestAsync([new ReadingInput(MainMeter, _midnight.AddMinutes(60), 1234.5)], "gateway-7");

        Assert.Equal((195, 0, 195), (again.Received, again.Accepted, again.Duplicates));
        Assert.Equal(0, conflict.Accepted);
        Assert.Contains("1040", Assert.Single(conflict.Rejected).Reason, StringComparison.Ordinal);
        Assert.Equal(0, await h.Store.CountDirtyAsync(Ct));
        var quarantined = Assert.Single(await h.Store.ListQuarantineAsync(h.TenantId, new GreenLoop.Storage.QuarantineQuery { Limit = 10 }, Ct));
        Assert.Equal(("gateway-7", MainMeter, "1234.5"), (quarantined.Source, quarantined.Meter, quarantined.Value));
    }

    [Fact]
    public async Task Ingest_LateReadingInTheMiddleOfADay_OnlyItsHoursChangeAndTheDayFollows()
    {
        await using var h = await StartAsync(_now);
        await h.ApplyAsync(PlantWithKilnElec());
        // Gas without the 12:15 period (15-minute periods ending 12:00 .. 12:30 minus one): the day is 150 - 3 = 147.
        await h.IngestAsync([.. GasReadings().Where(r => r.Ts != _midnight.AddMinutes(12 * 60 + 15))]);
        await h.DeriveAsync();
        var before = (await h.Query.MeterSeriesAsync(h.TenantId, "plant", GasMeter, Grain.Day, Ranges.Dates("2026-11-23", "2026-11-24"), Ct))!.Points[0].Value;

        await h.IngestAsync([new ReadingInput(GasMeter, _midnight.AddMinutes(12 * 60 + 15), 3.0)]);
        await h.DeriveAsync();

        Assert.Equal(147, before!.Value, 9);
        Assert.Equal(150, (await h.Query.MeterSeriesAsync(h.TenantId, "plant", GasMeter, Grain.Day, Ranges.Dates("2026-11-23", "2026-11-24"), Ct))!.Points[0].Value!.Value, 9);
        Assert.Equal(150, (await h.Query.NodeSeriesAsync(h.TenantId, "plant", "kiln", "natural_gas", Grain.Day, Ranges.Dates("2026-11-23", "2026-11-24"), Ct))!.Points[0].Value!.Value, 9);
    }

    [Fact]
    public async Task NodeSeries_AMeterPeriodSpreadOverAGap_SiteAndWorkshopTotalsCarryEstimatedUntilTheGapIsFilled()
    {
        await using var h = await StartAsync(_now);
        await h.ApplyAsync(PlantWithKilnElec());
        // The main incomer (counted toward the site) misses 02:30-05:30: the 120 kWh of 02:00-06:00 (raw 60 x 2) is spread
        // over a gap longer than its 60-minute maximum, so hours 02-05 are estimated; hour 01 is measured.
        var gap = MainReadings().Where(r => r.Ts < _midnight.AddMinutes(150) || r.Ts >= _midnight.AddMinutes(360)).Where(r => r.Ts != _midnight.AddMinutes(160)).ToList();
        Assert.Empty((await h.IngestAsync(gap)).Rejected);
        await h.DeriveAsync();

        var day = Ranges.Dates("2026-11-23", "2026-11-24");
        var hours = (await h.Query.NodeSeriesAsync(h.TenantId, "plant", "_site", "electricity", Grain.Hour, day, Ct))!.Points;
        Assert.Equal(["estimated", "gap"], hours[3].Flags);
        Assert.Empty(hours[1].Flags);
        var siteDay = (await h.Query.NodeSeriesAsync(h.TenantId, "plant", "_site", "electricity", Grain.Day, day, Ct))!.Points.Single();
        Assert.Contains("estimated", siteDay.Flags);
        var energy = (await h.Query.EnergyAsync(h.TenantId, "plant", Grain.Day, day, null, Ct))!.Rows.Single(r => r.Node == "_site" && r.Carrier == "electricity");
        Assert.Contains("estimated", energy.Flags);

        // The missing readings arrive: the flags go away at every grain (a flag a meter period loses is recomputed, not kept).
        Assert.Empty((await h.IngestAsync(MainReadings().Where(r => !gap.Contains(r)).ToList())).Rejected);
        await h.DeriveAsync();
        Assert.All((await h.Query.NodeSeriesAsync(h.TenantId, "plant", "_site", "electricity", Grain.Hour, day, Ct))!.Points, p => Assert.Empty(p.Flags));
        Assert.Empty((await h.Query.NodeSeriesAsync(h.TenantId, "plant", "_site", "electricity", Grain.Day, day, Ct))!.Points.Single().Flags);
        Assert.Equal(1920, (await h.Query.NodeSeriesAsync(h.TenantId, "plant", "_site", "electricity", Grain.Day, day, Ct))!.Points.Single().Value!.Value, 9);
    }

    /// <summary>Compares (value, min, max) triples to 9 decimals.</summary>
    private sealed class RoundedTriple : IEqualityComparer<(double, double?, double?)>
    {
        public bool Equals((double, double?, double?) x, (double, double?, double?) y) =>
            Math.Abs(x.Item1 - y.Item1) < 1e-9 && x.Item2 == y.Item2 && x.Item3 == y.Item3;

        public int GetHashCode((double, double?, double?) obj) => 0;
    }
}
