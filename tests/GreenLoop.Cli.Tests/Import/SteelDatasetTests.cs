using GreenLoop.Cli.Import;
using GreenLoop.Connectors.Import;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Testing;

namespace GreenLoop.Cli.Tests.Import;

/// <summary>
/// The real UCI "Steel Industry Energy Consumption" year (shared/datasets/steel-industry-2018.csv, see its README):
/// 35,040 rows of 15-minute data, Usage_kWh summing to 959,636.71 kWh.
/// </summary>
public sealed class SteelDatasetTests
{
    private static readonly TimeSpan _seoul = TimeSpan.FromHours(9);

    [Fact]
    public async Task RunFile_SteelYearWithRepairMidnight_EveryRowAccountedFor()
    {
        var parsed = ImportCommandLine.Parse(
            ["import", Repository.SteelDataset, "--map", "Usage_kWh=steel.main.kwh", "--format", "dd/MM/yyyy HH:mm", "--tz", "Asia/Seoul", "--repair-midnight"]);
        Assert.True(parsed.Succeeded, parsed.Error);
        var stored = new List<ReadingInput>();
        var batchSizes = new List<int>();
        var runner = new ImportRunner((batch, _) =>
        {
            batchSizes.Add(batch.Count);
            stored.AddRange(batch);
            return Task.FromResult(new IngestResult(batch.Count, batch.Count, 0, []));
        });

        var result = await runner.RunFileAsync(parsed.Command!.File, parsed.Command.Options);

        var summary = result.Summary;
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(35_040, summary.RowsRead);
        Assert.Equal(35_040, summary.Values);
        Assert.Equal(35_040, summary.Accepted + summary.Rejected);
        Assert.Equal(0, summary.Rejected);
        Assert.Empty(result.Issues);
        Assert.Equal(0, summary.DuplicatesInFile);
        // One "dd/MM/yyyy 00:00" row per day of 2018, each after 23:45 of the same date: 365 repairs.
        Assert.Equal(365, summary.Repaired);
        Assert.Equal(365, result.Repairs.Count);
        Assert.Equal(97, result.Repairs[0].Row); // line 97: the 96th data row, after the header
        Assert.Equal(959_636.71, summary.SumByMeter["steel.main.kwh"], 0.005);
        Assert.Equal(new DateTimeOffset(2018, 1, 1, 0, 15, 0, _seoul), summary.FirstInstant);
        Assert.Equal(new DateTimeOffset(2019, 1, 1, 0, 0, 0, _seoul), summary.LastInstant);
        Assert.Equal(_seoul, summary.FirstInstant!.Value.Offset);

        Assert.Equal(35_040, stored.Count);
        Assert.Equal(35_040, stored.Select(r => r.Ts.UtcTicks).Distinct().Count());
        Assert.Equal([5000, 5000, 5000, 5000, 5000, 5000, 5000, 40], batchSizes);
        // Ordered and evenly spaced once repaired: every step is one 15-minute interval.
        Assert.All(stored.Zip(stored.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(15), pair.Second.Ts - pair.First.Ts));
    }

    [Fact]
    public async Task RunFile_SteelYearWithoutRepair_EveryMidnightRowRejectedNotDropped()
    {
        var options = new ImportOptions
        {
            Map = [new ColumnMapping("Usage_kWh", "steel.main.kwh")],
            DateFormats = ["dd/MM/yyyy HH:mm"],
            TimeZone = "Asia/Seoul",
        };
        var runner = new ImportRunner((batch, _) => Task.FromResult(new IngestResult(batch.Count, batch.Count, 0, [])));

        var result = await runner.RunFileAsync(Repository.SteelDataset, options);

        Assert.Equal(35_040 - 365, result.Summary.Accepted);
        Assert.Equal(365, result.Summary.Rejected);
        Assert.All(result.Issues, i => Assert.StartsWith("midnight stamp quirk", i.Reason, StringComparison.Ordinal));
        Assert.Equal(0, result.Summary.Repaired);
    }
}
