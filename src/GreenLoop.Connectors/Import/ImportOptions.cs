using System.Globalization;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;

namespace GreenLoop.Connectors.Import;

/// <summary>One value column of a wide file and the meter its values belong to.</summary>
/// <param name="Column">Header name, or a 1-based column number.</param>
/// <param name="Meter">Meter key, e.g. <c>steel.main.kwh</c>.</param>
public sealed record ColumnMapping(string Column, string Meter);

/// <summary>How a file's values reach meters.</summary>
public enum ImportLayout
{
    /// <summary>One reading per row: a meter column, a time column and a value column.</summary>
    Long,
    /// <summary>A time column and one or more value columns, each mapped to a meter.</summary>
    Wide,
}

/// <summary>
/// How to read one CSV or Excel (.xlsx) file of readings. Columns are named by header text or by 1-based number.
/// Three ways to say which meter a value belongs to, exactly one of which must be used:
/// <list type="bullet">
/// <item><see cref="MeterColumn"/> (long format: meter key, time and value per row; <see cref="ValueColumn"/> required),</item>
/// <item><see cref="Map"/> (wide format: each listed value column goes to its meter),</item>
/// <item><see cref="Meter"/> (one value column, <see cref="ValueColumn"/>, default column 2, all to one meter).</item>
/// </list>
/// The time column defaults to column 1.
/// </summary>
public sealed record ImportOptions
{
    /// <summary>Long format: the column holding the meter key.</summary>
    public string? MeterColumn { get; init; }

    /// <summary>The timestamp column. Default: column 1.</summary>
    public string? TimeColumn { get; init; }

    /// <summary>The value column for long format (required) or for a fixed <see cref="Meter"/> (default column 2).</summary>
    public string? ValueColumn { get; init; }

    /// <summary>Wide format: value columns and their meters, e.g. <c>Usage_kWh</c> -> <c>steel.main.kwh</c>.</summary>
    public IReadOnlyList<ColumnMapping> Map { get; init; } = [];

    /// <summary>A fixed meter key for a file with a single value column.</summary>
    public string? Meter { get; init; }

    /// <summary>
    /// .NET custom date and time format strings tried in order, e.g. <c>dd/MM/yyyy HH:mm</c>. Empty means ISO 8601
    /// (<c>2018-01-01T00:15:00+09:00</c>, <c>T</c> or a space between date and time, seconds, fractions and offset optional).
    /// An offset or <c>Z</c> in the stamp wins over <see cref="TimeZone"/>.
    /// </summary>
    public IReadOnlyList<string> DateFormats { get; init; } = [];

    /// <summary>
    /// IANA time zone of stamps that carry no offset (e.g. <c>Asia/Seoul</c>). A local time inside a daylight-saving gap
    /// is rejected. An ambiguous local time (the repeated hour of a fall-back) is resolved in file order, per meter:
    /// its first occurrence is the earlier instant (daylight time), a repeat of the same local stamp the later one
    /// (standard time); a third occurrence is then a duplicate.
    /// Without a zone, stamps without an offset are rejected.
    /// </summary>
    public string? TimeZone { get; init; }

    /// <summary>
    /// Which end of its period the file's interval stamps mark. Stamps are passed through unchanged (the meter's
    /// definition says how to read them) unless <see cref="ShiftToMeterConvention"/> asks for a conversion.
    /// </summary>
    public IntervalStamp? Stamp { get; init; }

    /// <summary>
    /// Length of one interval in minutes. Used by <see cref="ShiftToMeterConvention"/> and by the midnight-stamp check;
    /// when absent, that check uses the step between the two previous stamps of the same meter.
    /// </summary>
    public int? IntervalMinutes { get; init; }

    /// <summary>
    /// The target meters' stamp convention. When it differs from <see cref="Stamp"/>, every instant is moved by
    /// <see cref="IntervalMinutes"/>: period-beginning to period-ending adds one interval, the reverse subtracts one.
    /// </summary>
    public IntervalStamp? ShiftToMeterConvention { get; init; }

    /// <summary>Field delimiter; null detects <c>,</c>, <c>;</c> or tab from the first line read. CSV only.</summary>
    public char? Delimiter { get; init; }

    /// <summary>Decimal separator of values: <c>.</c> (default) or <c>,</c>. Thousands separators are not accepted.</summary>
    public char DecimalSeparator { get; init; } = '.';

    /// <summary>Lines (Excel: rows) to skip before the header, e.g. a title block. Row numbers still count them.</summary>
    public int SkipRows { get; init; }

    /// <summary>Whether the first line after <see cref="SkipRows"/> is a header. Without one, columns must be numbers.</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>
    /// Repair the "midnight stamp" quirk: in a time-ordered file, the last interval of a day stamped <c>00:00</c> with the
    /// date of the day it ends in (so it lands 24 hours early). When true such a row is moved one day forward and
    /// reported as an <see cref="ImportRepair"/>; when false it is rejected with a reason naming the quirk.
    /// </summary>
    public bool RepairMidnightStamps { get; init; }

    /// <summary>Which layout the options describe (valid only when <see cref="Validate"/> finds no error).</summary>
    public ImportLayout Layout => MeterColumn is not null ? ImportLayout.Long : ImportLayout.Wide;

    /// <summary>The time column, with its default applied.</summary>
    internal string EffectiveTimeColumn => TimeColumn ?? "1";

    /// <summary>Wide-format value columns and meters, with a fixed <see cref="Meter"/> turned into a one-entry map.</summary>
    internal IReadOnlyList<ColumnMapping> EffectiveMap =>
        Meter is not null ? [new ColumnMapping(ValueColumn ?? "2", Meter)] : Map;

    /// <summary>The shift applied to every instant by <see cref="ShiftToMeterConvention"/>.</summary>
    internal TimeSpan Shift =>
        ShiftToMeterConvention is { } target && Stamp is { } file && target != file && IntervalMinutes is { } minutes
            ? TimeSpan.FromMinutes(file == IntervalStamp.PeriodBeginning ? minutes : -minutes)
            : TimeSpan.Zero;

    /// <summary>Every problem with these options, as sentences a user can act on; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var ways = (MeterColumn is not null ? 1 : 0) + (Map.Count > 0 ? 1 : 0) + (Meter is not null ? 1 : 0);
        if (ways == 0)
        {
            errors.Add("Say which meter the values belong to: --meter KEY, --map COLUMN=METER or --meter-column NAME.");
        }
        else if (ways > 1)
        {
            errors.Add("Use only one of --meter, --map and --meter-column.");
        }

        if (MeterColumn is not null)
        {
            if (ValueColumn is null) errors.Add("Long format (--meter-column) also needs --value-column.");
            var columns = new[] { MeterColumn, EffectiveTimeColumn, ValueColumn }.Where(c => c is not null).ToList();
            if (columns.Distinct(StringComparer.OrdinalIgnoreCase).Count() != columns.Count)
                errors.Add("The meter, time and value columns must be different columns (the time column defaults to column 1).");
        }

        if (Map.Count > 0 && ValueColumn is not null)
            errors.Add("--value-column does not go with --map: the map names the value columns.");

        foreach (var mapping in Map)
        {
            if (string.IsNullOrWhiteSpace(mapping.Column) || string.IsNullOrWhiteSpace(mapping.Meter))
                errors.Add($"Map entry '{mapping.Column}={mapping.Meter}' needs both a column and a meter key.");
        }

        if (Map.Select(m => m.Column).Distinct(StringComparer.OrdinalIgnoreCase).Count() != Map.Count)
            errors.Add("A column is mapped twice.");
        if (Map.Select(m => m.Meter).Distinct(StringComparer.Ordinal).Count() != Map.Count)
            errors.Add("A meter is mapped from two columns.");
        if (EffectiveMap.Any(m => string.Equals(m.Column, EffectiveTimeColumn, StringComparison.OrdinalIgnoreCase)))
            errors.Add("A value column is also the time column (the time column defaults to column 1).");
        if (Meter is not null && string.IsNullOrWhiteSpace(Meter)) errors.Add("--meter needs a meter key.");

        foreach (var column in AllColumns().Where(c => c is not null))
        {
            if (string.IsNullOrWhiteSpace(column)) errors.Add("A column name is empty.");
            else if (!HasHeader && !int.TryParse(column, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                errors.Add($"Column '{column}' must be a number (1, 2, ...) because the file has no header.");
            else if (int.TryParse(column, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < 1)
                errors.Add($"Column numbers start at 1 ('{column}').");
        }

        foreach (var format in DateFormats)
        {
            if (!IsUsableFormat(format)) errors.Add($"'{format}' is not a usable date format (e.g. dd/MM/yyyy HH:mm).");
        }

        if (TimeZone is not null && !SiteCalendar.TryFindZone(TimeZone, out _))
            errors.Add($"Unknown time zone '{TimeZone}' (use an IANA id such as Asia/Shanghai).");

        if (IntervalMinutes is { } interval && (interval <= 0 || interval > 1440))
            errors.Add("The interval must be between 1 and 1440 minutes.");
        if (ShiftToMeterConvention is not null && (Stamp is null || IntervalMinutes is null))
            errors.Add("Shifting to the meter's stamp convention needs the file's convention (--period-ending or --period-beginning) and --interval.");

        if (DecimalSeparator is not ('.' or ','))
            errors.Add("The decimal separator must be '.' or ','.");
        if (Delimiter is { } delimiter && (delimiter == DecimalSeparator || delimiter == '"' || char.IsLetterOrDigit(delimiter) || delimiter is '\r' or '\n'))
            errors.Add($"'{delimiter}' cannot be the delimiter.");
        if (SkipRows < 0) errors.Add("--skip cannot be negative.");

        return errors;
    }

    private IEnumerable<string?> AllColumns()
    {
        yield return MeterColumn;
        yield return TimeColumn;
        yield return ValueColumn;
        foreach (var mapping in Map) yield return mapping.Column;
    }

    private static bool IsUsableFormat(string format)
    {
        if (string.IsNullOrWhiteSpace(format) || format.Length == 1) return false; // one letter is a standard format
        try
        {
            var sample = new DateTime(2018, 12, 31, 23, 45, 30, DateTimeKind.Unspecified);
            var text = sample.ToString(format, CultureInfo.InvariantCulture);
            return DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
