namespace GreenLoop.Connectors.Import;

/// <summary>
/// What an import did. Counts are of values: in a long file or a one-column file one data row is one value; in a wide
/// file each mapped column of a row is one. Every value ends as exactly one of accepted, rejected or duplicate in file:
/// <c>Accepted + Rejected + DuplicatesInFile == Values</c>. Repaired values are accepted ones, counted again in
/// <see cref="Repaired"/>.
/// </summary>
public sealed record ImportSummary
{
    /// <summary>Non-blank data rows (header and skipped rows excluded).</summary>
    public long RowsRead { get; init; }

    /// <summary>Empty lines among the data rows: no values, only counted.</summary>
    public long BlankLines { get; init; }

    /// <summary>Values the data rows carried.</summary>
    public long Values { get; init; }

    /// <summary>Values accepted by the parser and by the ingest (including ones the store already held identically).</summary>
    public long Accepted { get; init; }

    /// <summary>Values rejected by the parser or by the ingest; each has an issue with the reason.</summary>
    public long Rejected { get; init; }

    /// <summary>Accepted values whose row was repaired first (e.g. a midnight stamp moved one day forward).</summary>
    public long Repaired { get; init; }

    /// <summary>Exact repeats of an earlier row of the file (same meter, instant and value): not sent twice, not summed twice.</summary>
    public long DuplicatesInFile { get; init; }

    /// <summary>Accepted values the store already held with the same value (a file imported again changes nothing).</summary>
    public long AlreadyStored { get; init; }

    /// <summary>Earliest and latest accepted instant; null when nothing was accepted.</summary>
    public DateTimeOffset? FirstInstant { get; init; }

    public DateTimeOffset? LastInstant { get; init; }

    /// <summary>Sum of accepted raw values per meter key (before any meter multiplier), e.g. kWh for an interval meter.</summary>
    public IReadOnlyDictionary<string, double> SumByMeter { get; init; } = new Dictionary<string, double>();

    /// <summary>Wall time the import took.</summary>
    public TimeSpan Elapsed { get; init; }
}

/// <summary>
/// The outcome of <see cref="ImportRunner"/>: the summary and every issue, repair and in-file duplicate, ordered by row.
/// <see cref="Error"/> is set when the file could not be imported at all (bad options, unsupported type, a missing
/// header column); the summary then covers what happened before.
/// </summary>
public sealed record ImportResult(
    ImportSummary Summary,
    IReadOnlyList<ImportIssue> Issues,
    IReadOnlyList<ImportRepair> Repairs,
    IReadOnlyList<ImportDuplicate> Duplicates,
    string? Error)
{
    public bool Succeeded => Error is null;
}
