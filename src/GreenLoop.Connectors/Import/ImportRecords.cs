using GreenLoop.Pipeline.Meter.Ingest;

namespace GreenLoop.Connectors.Import;

/// <summary>A reading the parser accepted, with the 1-based line (Excel: row) of the file it came from.</summary>
public readonly record struct ParsedReading(int Row, ReadingInput Reading);

/// <summary>
/// Why a row, or one value of a row, was not imported. <paramref name="Row"/> is the 1-based line number in the file
/// (the header is line 1 unless rows were skipped); <paramref name="Field"/> is the column at fault.
/// </summary>
public sealed record ImportIssue(int Row, string Field, string Reason, string RawLine)
{
    /// <summary>The reason in Chinese (<see cref="ImportText"/>).</summary>
    public string ReasonZh => ImportText.Zh(Reason);
}

/// <summary>A change the importer made to a row before accepting it (only when asked to, e.g. midnight stamps).</summary>
public sealed record ImportRepair(int Row, string Field, string What)
{
    /// <summary>What was changed, in Chinese (<see cref="ImportText"/>).</summary>
    public string WhatZh => ImportText.Zh(What);
}

/// <summary>
/// A row that repeats an earlier row exactly (same meter, instant and value). It is neither sent again nor counted
/// twice: the file's energy stays what it is.
/// </summary>
public sealed record ImportDuplicate(int Row, string Field, int FirstRow);

/// <summary>How far an import has got. <see cref="TotalBytes"/> is null when the size is unknown (a pipe).</summary>
public readonly record struct ImportProgress(long RowsRead, long BytesRead, long? TotalBytes, bool Completed)
{
    /// <summary>Share of the file read, 0 to 1, or null when the size is unknown.</summary>
    public double? Fraction => Completed ? 1 : TotalBytes is > 0 and var total ? Math.Min(1, (double)BytesRead / total) : null;
}

/// <summary>
/// One piece of a parsed file: at most the importer's chunk size of readings, plus the issues, repairs and exact
/// duplicates found in the same rows. Every value of every data row of the file ends in exactly one chunk as a
/// reading, an issue or a duplicate.
/// </summary>
public sealed class ImportChunk
{
    private readonly List<ParsedReading> _readings = [];
    private readonly List<string> _rawLines = [];
    private readonly List<bool> _repaired = [];
    private readonly List<ImportIssue> _issues = [];
    private readonly List<ImportRepair> _repairs = [];
    private readonly List<ImportDuplicate> _duplicates = [];

    public IReadOnlyList<ParsedReading> Readings => _readings;
    public IReadOnlyList<ImportIssue> Issues => _issues;
    public IReadOnlyList<ImportRepair> Repairs => _repairs;
    public IReadOnlyList<ImportDuplicate> Duplicates => _duplicates;

    /// <summary>Non-blank data rows in this chunk.</summary>
    public int RowsRead { get; internal set; }

    /// <summary>Empty lines between data rows: no data, not counted as rows, reported in the summary.</summary>
    public int BlankLines { get; internal set; }

    /// <summary>Values rejected in this chunk (a row-level problem in a wide file rejects every value of the row once).</summary>
    public int Rejected { get; internal set; }

    /// <summary>Values the rows of this chunk carried: readings + rejected + duplicates.</summary>
    public int Values => _readings.Count + Rejected + _duplicates.Count;

    internal string RawLineOf(int readingIndex) => _rawLines[readingIndex];

    internal bool IsRepaired(int readingIndex) => _repaired[readingIndex];

    internal void AddReading(ParsedReading reading, string rawLine, bool repaired)
    {
        _readings.Add(reading);
        _rawLines.Add(rawLine);
        _repaired.Add(repaired);
    }

    internal void Reject(ImportIssue issue, int values)
    {
        _issues.Add(issue);
        Rejected += values;
    }

    internal void AddRepair(ImportRepair repair) => _repairs.Add(repair);

    internal void AddDuplicate(ImportDuplicate duplicate) => _duplicates.Add(duplicate);
}

/// <summary>The file cannot be imported as configured at all (unsupported type, a named column missing from the header).</summary>
public sealed class ImportFormatException : Exception
{
    public ImportFormatException()
    {
    }

    public ImportFormatException(string message)
        : base(message)
    {
    }

    public ImportFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
