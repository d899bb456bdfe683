using GreenLoop.Pipeline.Meter.Ingest;

namespace GreenLoop.Connectors.Import;

/// <summary>
/// Drives a <see cref="FileImporter"/> and hands its readings in batches to an ingest delegate (the store, the HTTP
/// batch API, or a list in a test). Values the ingest rejects (by 0-based position in the batch passed) are counted as
/// rejected with the ingest's reason and mapped back to their file rows.
/// </summary>
public sealed class ImportRunner
{
    private readonly Func<IReadOnlyList<ReadingInput>, CancellationToken, Task<IngestResult>> _ingest;
    private readonly TimeProvider _timeProvider;

    public ImportRunner(Func<IReadOnlyList<ReadingInput>, CancellationToken, Task<IngestResult>> ingest, TimeProvider? timeProvider = null)
    {
        _ingest = ingest ?? throw new ArgumentNullException(nameof(ingest));
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Readings per ingest call at most. Default 5000.</summary>
    public int BatchSize
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "The batch size must be positive.");
    } = 5000;

    /// <summary>Imports a file. Bad options, a missing file or an unusable header give a result with <see cref="ImportResult.Error"/>.</summary>
    public async Task<ImportResult> RunFileAsync(string path, ImportOptions options, IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) return Failed(string.Join(" ", errors));
        if (!File.Exists(path)) return Failed($"File not found: {path}");
        var importer = new FileImporter(options) { ChunkSize = BatchSize };
        return await RunAsync(importer.ReadFileAsync(path, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Imports chunks from any <see cref="FileImporter"/> read (e.g. <see cref="FileImporter.ReadCsvAsync"/> on a stream).</summary>
    public async Task<ImportResult> RunAsync(IAsyncEnumerable<ImportChunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var started = _timeProvider.GetTimestamp();
        var tally = new Tally();
        string? error = null;
        try
        {
            await foreach (var chunk in chunks.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                tally.Add(chunk);
                for (var offset = 0; offset < chunk.Readings.Count; offset += BatchSize)
                    await IngestAsync(chunk, offset, Math.Min(BatchSize, chunk.Readings.Count - offset), tally, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ImportFormatException e)
        {
            error = e.Message;
        }

        return tally.ToResult(_timeProvider.GetElapsedTime(started), error);
    }

    private async Task IngestAsync(ImportChunk chunk, int offset, int count, Tally tally, CancellationToken cancellationToken)
    {
        var batch = new ReadingInput[count];
        for (var i = 0; i < count; i++) batch[i] = chunk.Readings[offset + i].Reading;
        var result = await _ingest(batch, cancellationToken).ConfigureAwait(false);

        var rejected = new HashSet<int>();
        foreach (var rejection in result.Rejected)
        {
            if ((uint)rejection.Index >= (uint)count)
                throw new InvalidOperationException($"The ingest rejected index {rejection.Index} of a batch of {count}.");
            if (!rejected.Add(rejection.Index)) continue;
            var index = offset + rejection.Index;
            tally.Issues.Add(new ImportIssue(chunk.Readings[index].Row, rejection.Field, rejection.Reason, chunk.RawLineOf(index)));
        }

        for (var i = 0; i < count; i++)
        {
            if (rejected.Contains(i)) continue;
            tally.Accept(chunk.Readings[offset + i].Reading, chunk.IsRepaired(offset + i));
        }

        tally.Rejected += rejected.Count;
        tally.AlreadyStored += result.Duplicates;
    }

    private ImportResult Failed(string error) => new Tally().ToResult(TimeSpan.Zero, error);

    private sealed class Tally
    {
        private readonly Dictionary<string, CompensatedSum> _sums = new(StringComparer.Ordinal);

        public List<ImportIssue> Issues { get; } = [];
        public List<ImportRepair> Repairs { get; } = [];
        public List<ImportDuplicate> Duplicates { get; } = [];
        public long RowsRead { get; set; }
        public long BlankLines { get; set; }
        public long Values { get; set; }
        public long Accepted { get; set; }
        public long Rejected { get; set; }
        public long Repaired { get; set; }
        public long AlreadyStored { get; set; }
        public DateTimeOffset? First { get; set; }
        public DateTimeOffset? Last { get; set; }

        public void Add(ImportChunk chunk)
        {
            RowsRead += chunk.RowsRead;
            BlankLines += chunk.BlankLines;
            Values += chunk.Values;
            Rejected += chunk.Rejected;
            Issues.AddRange(chunk.Issues);
            Repairs.AddRange(chunk.Repairs);
            Duplicates.AddRange(chunk.Duplicates);
        }

        public void Accept(ReadingInput reading, bool repaired)
        {
            Accepted++;
            if (repaired) Repaired++;
            if (First is null || reading.Ts < First) First = reading.Ts;
            if (Last is null || reading.Ts > Last) Last = reading.Ts;
            _sums[reading.Meter] = _sums.GetValueOrDefault(reading.Meter).Add(reading.Value);
        }

        public ImportResult ToResult(TimeSpan elapsed, string? error)
        {
            var summary = new ImportSummary
            {
                RowsRead = RowsRead,
                BlankLines = BlankLines,
                Values = Values,
                Accepted = Accepted,
                Rejected = Rejected,
                Repaired = Repaired,
                DuplicatesInFile = Duplicates.Count,
                AlreadyStored = AlreadyStored,
                FirstInstant = First,
                LastInstant = Last,
                SumByMeter = _sums.ToDictionary(p => p.Key, p => p.Value.Value, StringComparer.Ordinal),
                Elapsed = elapsed,
            };
            return new ImportResult(summary, [.. Issues.OrderBy(i => i.Row)], Repairs, Duplicates, error);
        }
    }

    /// <summary>Neumaier summation: a year of 15-minute values adds up without visible rounding drift.</summary>
    private readonly record struct CompensatedSum(double Sum, double Compensation)
    {
        public double Value => Sum + Compensation;

        public CompensatedSum Add(double value)
        {
            var total = Sum + value;
            var compensation = Compensation + (Math.Abs(Sum) >= Math.Abs(value) ? (Sum - total) + value : (value - total) + Sum);
            return new CompensatedSum(total, compensation);
        }
    }
}
