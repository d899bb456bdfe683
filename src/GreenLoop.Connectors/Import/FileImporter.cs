using System.Runtime.CompilerServices;

namespace GreenLoop.Connectors.Import;

/// <summary>
/// Streams a CSV (.csv, .txt, .tsv) or Excel (.xlsx) file of readings as chunks of parsed readings, issues, repairs and
/// exact duplicates, per <see cref="ImportOptions"/>. Every value of every data row ends in exactly one place: a
/// <see cref="ParsedReading"/>, an <see cref="ImportIssue"/> (with the reason) or an <see cref="ImportDuplicate"/>;
/// nothing is dropped silently and an empty value is a gap, never zero. Blank lines carry no data and are only counted.
/// Legacy .xls is not supported.
/// </summary>
public sealed class FileImporter
{
    private const int ProgressEveryRows = 1024;
    private readonly ImportOptions _options;
    private readonly TimeProvider _clock;

    /// <param name="options">Must be valid (<see cref="ImportOptions.Validate"/> returns no errors).</param>
    /// <param name="clock">The clock that decides which stamps are in the future (the system's when not given).</param>
    public FileImporter(ImportOptions options, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join(" ", errors), nameof(options));
        _options = options;
    }

    /// <summary>Readings per chunk at most (and rows per chunk at most). Default 5000.</summary>
    public int ChunkSize
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "The chunk size must be positive.");
    } = 5000;

    /// <summary>Whether the file's extension is one this importer reads (.csv, .txt, .tsv, .xlsx).</summary>
    public static bool IsSupported(string path) => KindOf(path) is not null;

    /// <summary>Reads a file, choosing CSV or Excel by its extension.</summary>
    /// <exception cref="ImportFormatException">Unsupported file type, or a configured column is not in the header.</exception>
    public async IAsyncEnumerable<ImportChunk> ReadFileAsync(string path, IProgress<ImportProgress>? progress = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = OpenReader(path, _options.Delimiter);
        await foreach (var chunk in ReadAsync(reader, progress, cancellationToken).ConfigureAwait(false)) yield return chunk;
    }

    /// <summary>Reads delimited text from a stream (left open). The delimiter is detected when the options give none.</summary>
    public async IAsyncEnumerable<ImportChunk> ReadCsvAsync(Stream stream, IProgress<ImportProgress>? progress = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new CsvRowReader(stream, _options.Delimiter, leaveOpen: true);
        await foreach (var chunk in ReadAsync(reader, progress, cancellationToken).ConfigureAwait(false)) yield return chunk;
    }

    /// <summary>Reads the first sheet of an .xlsx workbook from a stream (left open).</summary>
    public async IAsyncEnumerable<ImportChunk> ReadXlsxAsync(Stream stream, IProgress<ImportProgress>? progress = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new XlsxRowReader(stream, leaveOpen: true);
        await foreach (var chunk in ReadAsync(reader, progress, cancellationToken).ConfigureAwait(false)) yield return chunk;
    }

    private async IAsyncEnumerable<ImportChunk> ReadAsync(RowReader reader, IProgress<ImportProgress>? progress,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var interpreter = new RowInterpreter(_options, _clock);
        for (var i = 0; i < _options.SkipRows; i++)
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) break;
        }

        if (_options.HasHeader)
        {
            var found = false;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.IsBlank) continue;
                found = true;
                break;
            }

            if (!found) throw new ImportFormatException("The file has no header line (it is empty after the skipped rows).");
            interpreter.ResolveColumns(reader);
        }
        else
        {
            interpreter.ResolveColumns(null);
        }

        var chunk = new ImportChunk();
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if ((chunk.Readings.Count > 0 && chunk.Readings.Count + interpreter.ValuesPerRow > ChunkSize) || chunk.RowsRead >= ChunkSize)
            {
                yield return chunk;
                chunk = new ImportChunk();
            }

            if (reader.IsBlank)
            {
                chunk.BlankLines++;
                continue;
            }

            chunk.RowsRead++;
            interpreter.Interpret(reader, chunk);
            if (++rows % ProgressEveryRows == 0)
                progress?.Report(new ImportProgress(rows, reader.BytesRead, reader.TotalBytes, Completed: false));
        }

        yield return chunk;
        progress?.Report(new ImportProgress(rows, reader.BytesRead, reader.TotalBytes, Completed: true));
    }

    /// <summary>Opens a file's rows, choosing CSV or Excel by its extension (shared with <see cref="FilePreview"/>).</summary>
    /// <exception cref="ImportFormatException">Unsupported file type, or not a readable workbook.</exception>
    internal static RowReader OpenReader(string path, char? delimiter)
    {
        var kind = KindOf(path) ?? throw new ImportFormatException(
            $"Cannot import '{Path.GetFileName(path)}': only .csv, .txt, .tsv and .xlsx files are supported (save .xls files as .xlsx or CSV).");
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, useAsync: true);
        return kind == FileKind.Xlsx
            ? new XlsxRowReader(stream, leaveOpen: false)
            : new CsvRowReader(stream, delimiter, leaveOpen: false);
    }

    /// <summary>Whether the file is an Excel workbook (.xlsx) rather than delimited text.</summary>
    public static bool IsWorkbook(string path) => KindOf(path) == FileKind.Xlsx;

    private static FileKind? KindOf(string path) => Path.GetExtension(path).ToUpperInvariant() switch
    {
        ".CSV" or ".TXT" or ".TSV" => FileKind.Csv,
        ".XLSX" => FileKind.Xlsx,
        _ => null,
    };

    private enum FileKind
    {
        Csv,
        Xlsx,
    }
}
