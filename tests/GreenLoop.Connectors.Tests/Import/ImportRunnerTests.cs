using System.Text;
using GreenLoop.Connectors.Import;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Testing;

namespace GreenLoop.Connectors.Tests.Import;

public sealed class ImportRunnerTests
{
    private const string FiveRows = """
        time,value
        2024-01-01T00:15:00+08:00,1
        2024-01-01T00:30:00+08:00,2
        2024-01-01T00:45:00+08:00,3
        2024-01-01T01:00:00+08:00,4
        2024-01-01T01:15:00+08:00,5
        """;

    [Fact]
    public async Task Run_IngestRejectsOneOfABatch_CountedAndMappedToItsFileRow()
    {
        var batches = new List<IReadOnlyList<ReadingInput>>();
        Task<IngestResult> Ingest(IReadOnlyList<ReadingInput> batch, CancellationToken cancellationToken)
        {
            batches.Add(batch);
            IReadOnlyList<RowRejection> rejected = batches.Count == 2 ? [new RowRejection(1, "meter", "unknown meter 'm1'")] : [];
            return Task.FromResult(new IngestResult(batch.Count, batch.Count - rejected.Count, 0, rejected));
        }

        var runner = new ImportRunner(Ingest) { BatchSize = 2 };
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(FiveRows));

        var result = await runner.RunAsync(new FileImporter(new ImportOptions { Meter = "m1" }) { ChunkSize = 2 }.ReadCsvAsync(stream));

        // Batches: rows 2-3, rows 4-5, row 6; index 1 of the second batch is file row 5 (value 4).
        Assert.Equal([2, 2, 1], batches.Select(b => b.Count));
        var issue = Assert.Single(result.Issues);
        Assert.Equal(new ImportIssue(5, "meter", "unknown meter 'm1'", "2024-01-01T01:00:00+08:00,4"), issue);
        Assert.Equal(4, result.Summary.Accepted);
        Assert.Equal(1, result.Summary.Rejected);
        Assert.Equal(11.0, result.Summary.SumByMeter["m1"]); // 1 + 2 + 3 + 5
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 1, 15, 0, TimeSpan.FromHours(8)), result.Summary.LastInstant);
    }

    [Fact]
    public async Task Run_IngestReportsStoredDuplicates_StillAcceptedAndCounted()
    {
        var runner = new ImportRunner((batch, _) => Task.FromResult(new IngestResult(batch.Count, batch.Count, batch.Count, [])));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(FiveRows));

        var result = await runner.RunAsync(new FileImporter(new ImportOptions { Meter = "m1" }).ReadCsvAsync(stream));

        Assert.Equal(5, result.Summary.Accepted);
        Assert.Equal(5, result.Summary.AlreadyStored);
    }

    [Fact]
    public async Task Run_RepairedRowRejectedByIngest_NotCountedAsRepaired()
    {
        const string csv = """
            date,kwh
            01/01/2018 23:30,1
            01/01/2018 23:45,2
            01/01/2018 00:00,3
            """;
        var runner = new ImportRunner((batch, _) =>
            Task.FromResult(new IngestResult(batch.Count, batch.Count - 1, 0, [new RowRejection(2, "ts", "period is locked")])));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var options = new ImportOptions { Meter = "m1", DateFormats = ["dd/MM/yyyy HH:mm"], TimeZone = "Asia/Seoul", RepairMidnightStamps = true };

        var result = await runner.RunAsync(new FileImporter(options).ReadCsvAsync(stream));

        Assert.Equal(0, result.Summary.Repaired);
        Assert.Single(result.Repairs);
        Assert.Equal(4, Assert.Single(result.Issues).Row);
        Assert.Equal(2, result.Summary.Accepted);
    }
}
