using System.Text;
using GreenLoop.Connectors.Import;
using GreenLoop.Pipeline.Meter.Ingest;

namespace GreenLoop.Testing;

/// <summary>Runs the importer over CSV text with an in-memory ingest that accepts everything and keeps what it got.</summary>
public sealed class ImportHarness
{
    public List<ReadingInput> Stored { get; } = [];

    public int Batches { get; private set; }

    public ImportRunner Runner(int batchSize = 5000) => new(IngestAsync) { BatchSize = batchSize };

    public async Task<ImportResult> ImportCsvAsync(string csv, ImportOptions options, IProgress<ImportProgress>? progress = null, int batchSize = 5000)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var importer = new FileImporter(options) { ChunkSize = batchSize };
        return await Runner(batchSize).RunAsync(importer.ReadCsvAsync(stream, progress));
    }

    public static Task<ImportResult> RunAsync(string csv, ImportOptions options) => new ImportHarness().ImportCsvAsync(csv, options);

    private Task<IngestResult> IngestAsync(IReadOnlyList<ReadingInput> batch, CancellationToken cancellationToken)
    {
        Batches++;
        Stored.AddRange(batch);
        return Task.FromResult(new IngestResult(batch.Count, batch.Count, 0, []));
    }
}

/// <summary>An <see cref="IProgress{T}"/> that records reports synchronously (Progress&lt;T&gt; would post them later).</summary>
public sealed class RecordingProgress<T> : IProgress<T>
{
    public List<T> Reports { get; } = [];

    public void Report(T value) => Reports.Add(value);
}
