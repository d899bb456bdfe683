using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Monitor.Query;
using GreenLoop.Storage;
using GreenLoop.Storage.Sqlite;
using GreenLoop.Testing;

namespace GreenLoop.Cli.Tests;

/// <summary>
/// The real UCI steel year (shared/datasets/steel-industry-2018.csv: 35,040 quarter hours, Usage_kWh summing to
/// 959,636.71 kWh) end to end through the command line: site apply, import, derivation, roll-ups.
/// </summary>
public sealed class SteelDatasetCliTests : IDisposable
{
    private readonly TemporaryFolder _data = new("steel");

    public void Dispose() => _data.Dispose();

    private static string SiteDocument => Path.Combine(Repository.Root, "docs", "examples", "steel-site.json");

    private Task<CliRun> RunAsync(params string[] args) => CommandLine.RunAsync([.. args, "--data", _data.Path]);

    /// <summary>The value of the first line starting with the label ("Label   value"): the summary comes before the lists.</summary>
    private static string SummaryLine(string output, string label) =>
        output.Split('\n').First(l => l.StartsWith(label + " ", StringComparison.Ordinal))[label.Length..].Trim();

    private async Task ApplySiteAsync()
    {
        var apply = await RunAsync("site", "apply", SiteDocument);
        Assert.True(apply.Exit == 0, apply.Error);
        Assert.Contains("site 'steel' applied: 2 created, 0 updated, 0 unchanged", apply.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_SteelYearWithRepairMidnight_EveryRowAcceptedAndMonthlyRollupsSumToTheDatasetTotal()
    {
        await ApplySiteAsync();

        var import = await RunAsync("import", Repository.SteelDataset, "--map", "Usage_kWh=steel.main.kwh", "--format", "dd/MM/yyyy HH:mm", "--tz", "Asia/Seoul",
            "--repair-midnight", "--period-ending", "--interval", "15");

        Assert.True(import.Exit == 0, import.Output + import.Error);
        Assert.Equal("35,040", SummaryLine(import.Output, "Rows read 读取行数"));
        Assert.Equal("35,040 (repaired 修复 365)", SummaryLine(import.Output, "Accepted 接受"));
        Assert.Equal("0", SummaryLine(import.Output, "Rejected 拒绝"));
        Assert.Equal("959,636.71", SummaryLine(import.Output, "Sum 合计 steel.main.kwh"));
        Assert.Equal("2018-01-01T00:15:00+09:00 .. 2019-01-01T00:00:00+09:00", SummaryLine(import.Output, "Time span 时间范围"));
        Assert.Contains("row 97 [date]: midnight stamp 2018-01-01 00:00 (after 2018-01-01 23:45) moved one day forward to 2018-01-02 00:00", import.Output, StringComparison.Ordinal);

        await using var h = await PipelineHarness.OpenAsync(new SqliteStore(new SqliteStoreOptions { Path = Path.Combine(_data.Path, "greenloop.db") }), TimeProvider.System);
        Assert.Equal(0, await h.Store.CountDirtyAsync(CancellationToken.None));
        async Task<IReadOnlyList<SeriesPoint>> Series(Grain grain) =>
            (await h.Query.MeterSeriesAsync(h.TenantId, "steel", "steel.main.kwh", grain, Ranges.Dates("2018-01-01", "2019-01-01"), CancellationToken.None))!.Points;

        // Local months of Asia/Seoul (UTC+9, no DST in 2018): the year's intervals run from 2018-01-01 00:00 to 2019-01-01 00:00.
        var months = await Series(Grain.Month);
        Assert.Equal(12, months.Count);
        Assert.Equal("2018-01-01T00:00:00+09:00", months[0].Start);
        Assert.Equal("2018-12-01T00:00:00+09:00", months[^1].Start);
        Assert.Equal(959_636.71, months.Sum(m => m.Value!.Value), 0.01);
        var quarters = await Series(Grain.Minutes15);
        Assert.Equal(35_040, quarters.Count);
        Assert.Equal("2018-01-01T00:00:00+09:00", quarters[0].Start);
        Assert.Equal("2018-12-31T23:45:00+09:00", quarters[^1].Start);
        Assert.Equal(959_636.71, quarters.Sum(q => q.Value!.Value), 0.01);
        var hours = await Series(Grain.Hour);
        var days = await Series(Grain.Day);
        Assert.Equal(8760, hours.Count);
        Assert.Equal(365, days.Count);
        Assert.All(quarters.Concat(hours).Concat(days).Concat(months), p => Assert.Equal(1.0, p.Completeness));
        Assert.All(quarters, p => Assert.Empty(p.Flags));
    }

    [Fact]
    public async Task Import_SteelYearWithoutRepair_ExactlyTheMidnightRowsRejectedNamingTheQuirk()
    {
        await ApplySiteAsync();

        var import = await RunAsync("import", Repository.SteelDataset, "--map", "Usage_kWh=steel.main.kwh", "--format", "dd/MM/yyyy HH:mm", "--tz", "Asia/Seoul",
            "--period-ending", "--interval", "15");

        // Exit code 3: the import finished with rejected rows.
        Assert.Equal(3, import.Exit);
        Assert.Equal("34,675", SummaryLine(import.Output, "Accepted 接受"));
        Assert.Equal("365", SummaryLine(import.Output, "Rejected 拒绝"));
        Assert.Contains("Rejected 拒绝 (20 of 365):", import.Output, StringComparison.Ordinal);
        Assert.Contains("row 97 [date]: midnight stamp quirk: 2018-01-01 00:00 follows 2018-01-01 23:45", import.Output, StringComparison.Ordinal);
        Assert.Contains("--repair-midnight", import.Output, StringComparison.Ordinal);

        // Exactly the midnight rows: 365 of them in the file (one per day), and no stored reading at local midnight.
        await using var store = new SqliteStore(new SqliteStoreOptions { Path = Path.Combine(_data.Path, "greenloop.db") });
        var meter = (await store.LoadAllMetersAsync(CancellationToken.None)).Single(m => m.Definition.Key == "steel.main.kwh");
        var readings = await store.ReadingsAsync(new MeterId(meter.Id), new Instant(long.MinValue), new Instant(long.MaxValue), withNeighbours: false, CancellationToken.None);
        Assert.Equal(34_675, readings.Length);
        var seoul = TimeSpan.FromHours(9);
        Assert.DoesNotContain(readings, r => DateTimeOffset.FromUnixTimeMilliseconds(r.Ts).ToOffset(seoul).TimeOfDay == TimeSpan.Zero);
        var midnightRows = File.ReadLines(Repository.SteelDataset).Skip(1).Count(l => l.Split(',')[0].EndsWith(" 00:00", StringComparison.Ordinal));
        Assert.Equal(365, midnightRows);
    }
}
