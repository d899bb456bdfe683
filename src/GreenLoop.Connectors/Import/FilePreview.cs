using System.Globalization;

namespace GreenLoop.Connectors.Import;

/// <summary>How to split a file into a header and data rows, before any column is mapped (a subset of <see cref="ImportOptions"/>).</summary>
/// <param name="SkipRows">Lines (Excel: rows) before the header, e.g. a title block.</param>
/// <param name="HasHeader">Whether the first line after the skipped ones names the columns.</param>
/// <param name="Delimiter">CSV field delimiter; null detects <c>,</c>, <c>;</c> or tab.</param>
public sealed record PreviewSettings(int SkipRows = 0, bool HasHeader = true, char? Delimiter = null)
{
    /// <summary>The settings of a full set of import options.</summary>
    public static PreviewSettings Of(ImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new PreviewSettings(options.SkipRows, options.HasHeader, options.Delimiter);
    }
}

/// <summary>What a value column's first cells look like, to suggest a mapping.</summary>
public enum ColumnGuess
{
    /// <summary>No non-empty cell among the rows read.</summary>
    Empty,
    /// <summary>Every non-empty cell is a date cell or an ISO 8601-like stamp.</summary>
    Time,
    /// <summary>Every non-empty cell is a number (with <c>.</c> or <c>,</c> as the decimal mark).</summary>
    Number,
    Text,
}

/// <summary>One column of a previewed file: 1-based number, header text (or <c>column N</c>), and a guess at its content.</summary>
public sealed record PreviewColumn(int Number, string Name, ColumnGuess Guess);

/// <summary>One data row as text, with its 1-based line (Excel: row) number in the file.</summary>
public sealed record PreviewRow(int Row, IReadOnlyList<string> Cells);

/// <summary>
/// The head of a file: its columns and first data rows as text, the delimiter in use (CSV), and how many data rows the
/// file has when they were counted. Blank lines are skipped, as the importer does.
/// </summary>
public sealed record FilePreviewResult(
    IReadOnlyList<PreviewColumn> Columns,
    IReadOnlyList<PreviewRow> Rows,
    char? Delimiter,
    int? HeaderRow,
    long? DataRows);

/// <summary>
/// Reads the head of a CSV or .xlsx file with the importer's own row readers, so the preview shows exactly what the
/// import will see (same delimiter detection, same Excel cell formatting, same row numbers).
/// </summary>
public static class FilePreview
{
    /// <summary>Widest row shown; wider sheets are cut (the importer still reads every column).</summary>
    public const int MaxColumns = 200;

    /// <summary>Reads the header and up to <paramref name="maxRows"/> data rows; with <paramref name="countAll"/> also counts every data row.</summary>
    /// <exception cref="ImportFormatException">Unsupported type, unreadable workbook, or no header line.</exception>
    public static async Task<FilePreviewResult> ReadAsync(string path, PreviewSettings settings, int maxRows, bool countAll,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);
        using var reader = FileImporter.OpenReader(path, settings.Delimiter);
        for (var i = 0; i < settings.SkipRows; i++)
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) break;
        }

        string[]? header = null;
        int? headerRow = null;
        if (settings.HasHeader)
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.IsBlank) continue;
                header = Cells(reader);
                headerRow = reader.Row;
                break;
            }

            if (header is null) throw new ImportFormatException("The file has no header line (it is empty after the skipped rows).");
        }

        var rows = new List<PreviewRow>();
        long dataRows = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (reader.IsBlank) continue;
            dataRows++;
            if (rows.Count < maxRows) rows.Add(new PreviewRow(reader.Row, Cells(reader)));
            else if (!countAll) break;
        }

        var width = Math.Max(header?.Length ?? 0, rows.Count == 0 ? 0 : rows.Max(r => r.Cells.Count));
        var columns = new PreviewColumn[width];
        for (var i = 0; i < width; i++)
        {
            var name = header is not null && i < header.Length && header[i].Length > 0 ? header[i] : $"column {i + 1}";
            columns[i] = new PreviewColumn(i + 1, name, Guess(rows.Select(r => i < r.Cells.Count ? r.Cells[i] : "")));
        }

        var delimiter = reader is CsvRowReader csv ? csv.Delimiter : null;
        return new FilePreviewResult(columns, rows, delimiter, headerRow, countAll ? dataRows : null);
    }

    /// <summary>Counts the data rows the importer will read with these settings: non-blank rows after the skipped rows and the header.</summary>
    public static async Task<long> CountRowsAsync(string path, PreviewSettings settings, CancellationToken cancellationToken)
    {
        var result = await ReadAsync(path, settings, 0, countAll: true, cancellationToken).ConfigureAwait(false);
        return result.DataRows ?? 0;
    }

    private static string[] Cells(RowReader reader)
    {
        var count = Math.Min(reader.FieldCount, MaxColumns);
        var cells = new string[count];
        for (var i = 0; i < count; i++) cells[i] = reader.Text(i).ToString();
        return cells;
    }

    private static ColumnGuess Guess(IEnumerable<string> cells)
    {
        var seen = false;
        bool numbers = true, times = true;
        foreach (var cell in cells)
        {
            if (cell.Length == 0) continue;
            seen = true;
            // A decimal comma counts too: the mapping form has a setting for it.
            numbers &= double.TryParse(cell.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out _);
            times &= LooksLikeTime(cell);
        }

        if (!seen) return ColumnGuess.Empty;
        if (times) return ColumnGuess.Time;
        return numbers ? ColumnGuess.Number : ColumnGuess.Text;
    }

    // A stamp has digits, a date separator and a time or date shape; a plain number (an Excel serial, a year) does not count.
    private static bool LooksLikeTime(string cell) =>
        cell.Length >= 8 && char.IsAsciiDigit(cell[0]) && (cell.Contains('-', StringComparison.Ordinal) || cell.Contains('/', StringComparison.Ordinal)
            || cell.Contains('.', StringComparison.Ordinal) && cell.Contains(':', StringComparison.Ordinal))
        && !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
