using System.Globalization;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;

namespace GreenLoop.Connectors.Import;

/// <summary>
/// The mapping a person chose in the import page, as JSON sends it: the same settings as <c>greenloop import</c>'s
/// options, by name. <see cref="ToOptions"/> turns it into <see cref="ImportOptions"/> or into reasons keyed by field.
/// </summary>
public sealed record ImportMapping
{
    /// <summary><c>wide</c> (a time column and value columns mapped to meters, or one column to <see cref="Meter"/>) or <c>long</c> (meter, time and value columns). Null: inferred.</summary>
    public string? Layout { get; init; }

    /// <summary>Header name or 1-based column number of the stamps. Default: column 1.</summary>
    public string? TimeColumn { get; init; }

    /// <summary>Long layout: the column of meter keys.</summary>
    public string? MeterColumn { get; init; }

    /// <summary>Long layout, or a single value column for <see cref="Meter"/>.</summary>
    public string? ValueColumn { get; init; }

    /// <summary>Wide layout: value columns and their meters.</summary>
    public IReadOnlyList<ColumnMapping>? Map { get; init; }

    /// <summary>One meter for a file with a single value column.</summary>
    public string? Meter { get; init; }

    /// <summary>.NET date formats tried in order (e.g. <c>dd/MM/yyyy HH:mm</c>); empty means ISO 8601.</summary>
    public IReadOnlyList<string>? DateFormats { get; init; }

    /// <summary>IANA zone of stamps without an offset, e.g. <c>Asia/Shanghai</c>.</summary>
    public string? TimeZone { get; init; }

    /// <summary><c>periodEnding</c>, <c>periodBeginning</c> or null (not stated).</summary>
    public string? Stamp { get; init; }

    public int? IntervalMinutes { get; init; }

    /// <summary><c>periodEnding</c> or <c>periodBeginning</c>: convert stamps to the meters' convention (needs <see cref="Stamp"/> and <see cref="IntervalMinutes"/>).</summary>
    public string? ShiftToMeterConvention { get; init; }

    public bool RepairMidnight { get; init; }

    /// <summary>One character, <c>tab</c>, or null / <c>auto</c> to detect. CSV only.</summary>
    public string? Delimiter { get; init; }

    /// <summary><c>.</c> (default) or <c>,</c>.</summary>
    public string? DecimalSeparator { get; init; }

    public int SkipRows { get; init; }

    public bool HasHeader { get; init; } = true;

    /// <summary>The import options, or every problem keyed by field (camelCase, as sent); never both.</summary>
    public (ImportOptions? Options, IReadOnlyDictionary<string, string[]> Errors) ToOptions()
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string reason)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(reason);
        }

        var map = (Map ?? []).Where(m => !string.IsNullOrWhiteSpace(m.Column) || !string.IsNullOrWhiteSpace(m.Meter))
            .Select(m => new ColumnMapping(m.Column?.Trim() ?? "", m.Meter?.Trim() ?? "")).ToList();
        var layout = Layout?.Trim().ToLowerInvariant();
        var meterColumn = Blank(MeterColumn);
        var valueColumn = Blank(ValueColumn);
        var meter = Blank(Meter);
        switch (layout)
        {
            case "long":
                if (meterColumn is null) Add("meterColumn", "choose the column that holds the meter keys");
                if (valueColumn is null) Add("valueColumn", "choose the column that holds the values");
                if (map.Count > 0 || meter is not null) Add("layout", "a long file takes its meters from the meter column: leave the column map and the single meter empty");
                break;
            case "wide":
                if (meterColumn is not null) Add("meterColumn", "a wide file has no meter column; choose the long layout for one");
                if (map.Count == 0 && meter is null) Add("map", "map at least one value column to a meter");
                if (map.Count > 0 && meter is not null) Add("meter", "use either the column map or one meter for the value column, not both");
                break;
            case null or "":
                if (meterColumn is null && map.Count == 0 && meter is null)
                    Add("map", "say which meter the values belong to: map value columns to meters, or choose a meter column (long layout)");
                break;
            default:
                Add("layout", $"'{Layout}' is not a layout: use wide or long");
                break;
        }

        foreach (var (entry, i) in map.Select((m, i) => (m, i)))
        {
            if (entry.Column.Length == 0) Add($"map[{i}].column", "choose a column");
            if (entry.Meter.Length == 0) Add($"map[{i}].meter", $"choose the meter for column '{entry.Column}'");
        }

        var stamp = ParseStamp(Stamp, "stamp", Add);
        var shiftTo = ParseStamp(ShiftToMeterConvention, "shiftToMeterConvention", Add);
        if (IntervalMinutes is { } minutes && minutes is <= 0 or > 1440) Add("intervalMinutes", "the interval must be between 1 and 1440 minutes");
        if (shiftTo is not null && (stamp is null || IntervalMinutes is null))
            Add("shiftToMeterConvention", "shifting stamps needs the file's stamp convention and the interval length");

        var zone = Blank(TimeZone);
        if (zone is not null && !SiteCalendar.TryFindZone(zone, out _)) Add("timeZone", $"unknown time zone '{zone}' (use an IANA id such as Asia/Shanghai)");

        var delimiter = ParseDelimiter(Delimiter, Add);

        var decimalSeparator = '.';
        if (DecimalSeparator is { Length: > 0 } separator)
        {
            if (separator is "." or ",") decimalSeparator = separator[0];
            else Add("decimalSeparator", $"the decimal separator must be . or , not '{separator}'");
        }

        if (SkipRows is < 0 or > 10_000) Add("skipRows", "rows to skip must be between 0 and 10000");

        if (errors.Count > 0) return (null, Freeze(errors));
        var options = new ImportOptions
        {
            MeterColumn = meterColumn,
            TimeColumn = Blank(TimeColumn),
            ValueColumn = valueColumn,
            Map = map,
            Meter = meter,
            DateFormats = [.. (DateFormats ?? []).Select(f => f.Trim()).Where(f => f.Length > 0)],
            TimeZone = zone,
            Stamp = stamp,
            IntervalMinutes = IntervalMinutes,
            ShiftToMeterConvention = shiftTo,
            Delimiter = delimiter,
            DecimalSeparator = decimalSeparator,
            SkipRows = SkipRows,
            HasHeader = HasHeader,
            RepairMidnightStamps = RepairMidnight,
        };

        // What remains (a column used twice, an unusable date format...) is in the importer's own words.
        foreach (var problem in options.Validate()) Add("mapping", problem);
        return errors.Count > 0 ? (null, Freeze(errors)) : (options, Freeze(errors));
    }

    /// <summary>Just the settings a preview needs (rows to skip, header, delimiter), or reasons keyed by field.</summary>
    public (PreviewSettings? Settings, IReadOnlyDictionary<string, string[]> Errors) ToPreviewSettings()
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string reason)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(reason);
        }

        var delimiter = ParseDelimiter(Delimiter, Add);
        if (SkipRows is < 0 or > 10_000) Add("skipRows", "rows to skip must be between 0 and 10000");
        return errors.Count > 0 ? (null, Freeze(errors)) : (new PreviewSettings(SkipRows, HasHeader, delimiter), Freeze(errors));
    }

    private static char? ParseDelimiter(string? text, Action<string, string> add)
    {
        switch (text)
        {
            case null or "" or "auto":
                return null;
            case "tab" or "\\t" or "\t":
                return '\t';
            case { Length: 1 } d when d[0] is not ('"' or '\r' or '\n') && !char.IsLetterOrDigit(d[0]):
                return d[0];
            default:
                add("delimiter", $"the delimiter must be one character (not a letter, digit or quote), tab or auto, not '{text}'");
                return null;
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static IntervalStamp? ParseStamp(string? text, string field, Action<string, string> add)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "none":
                return null;
            case "periodending" or "period-ending":
                return IntervalStamp.PeriodEnding;
            case "periodbeginning" or "period-beginning":
                return IntervalStamp.PeriodBeginning;
            default:
                add(field, string.Create(CultureInfo.InvariantCulture, $"'{text}' is not a stamp convention: use periodEnding or periodBeginning"));
                return null;
        }
    }

    private static Dictionary<string, string[]> Freeze(Dictionary<string, List<string>> errors) =>
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
