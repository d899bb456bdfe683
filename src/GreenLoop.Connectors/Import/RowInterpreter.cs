using System.Globalization;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Meter.Ingest;

namespace GreenLoop.Connectors.Import;

/// <summary>
/// Turns rows into readings, issues, repairs and duplicates for one file: resolves the columns against the header,
/// then reads each row's meter, stamp and values. Keeps per-meter state across rows (previous stamp for the
/// midnight-stamp check, local times already seen in a fall-back hour) and every (meter, instant) accepted so far,
/// to catch a stamp repeated in the file.
/// </summary>
internal sealed partial class RowInterpreter
{
    private readonly ImportOptions _options;
    private readonly StampParser _stamps;
    private readonly TimeZoneInfo? _zone;
    private readonly TimeSpan _shift;
    private readonly long? _intervalTicks;
    private readonly NumberFormatInfo _numbers;
    private readonly Dictionary<string, int> _meterIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _meterLookup;
    private readonly List<string> _meterKeys = [];
    private readonly List<SeriesState> _series = [];
    private readonly Dictionary<(int Meter, long UtcTicks), (int Row, double Value)> _seen = [];
    private Column _time;
    private Column _meter;
    private Column _value;
    private ValueColumn[] _values = [];

    private readonly TimeProvider _clock;

    public RowInterpreter(ImportOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _options = options; // validated by FileImporter
        _stamps = new StampParser(options.DateFormats);
        if (options.TimeZone is not null) SiteCalendar.TryFindZone(options.TimeZone, out _zone);
        _shift = options.Shift;
        _intervalTicks = options.IntervalMinutes is { } minutes ? TimeSpan.FromMinutes(minutes).Ticks : null;
        _numbers = (NumberFormatInfo)NumberFormatInfo.InvariantInfo.Clone();
        _numbers.NumberDecimalSeparator = options.DecimalSeparator.ToString();
        _numbers.NumberGroupSeparator = options.DecimalSeparator == ',' ? "." : ",";
        _meterLookup = _meterIds.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Readings one data row produces when nothing is wrong with it.</summary>
    public int ValuesPerRow => _options.Layout == ImportLayout.Long ? 1 : _values.Length;

    /// <summary>Finds the configured columns in the header (null when the file has none).</summary>
    /// <exception cref="ImportFormatException">A named column is not in the header.</exception>
    public void ResolveColumns(RowReader? header)
    {
        var names = header is null ? [] : Enumerable.Range(0, header.FieldCount).Select(i => header.Text(i).ToString()).ToArray();
        _time = Resolve(_options.EffectiveTimeColumn, names);
        if (_options.Layout == ImportLayout.Long)
        {
            _meter = Resolve(_options.MeterColumn!, names);
            _value = Resolve(_options.ValueColumn!, names);
            return;
        }

        _values = [.. _options.EffectiveMap.Select(m => new ValueColumn(Resolve(m.Column, names), Intern(m.Meter.AsSpan().Trim())))];
        _series.Add(new SeriesState());
    }

    /// <summary>Reads the current row into <paramref name="chunk"/>: every value ends as a reading, an issue or a duplicate.</summary>
    public void Interpret(RowReader row, ImportChunk chunk)
    {
        if (row.RowError is { } error)
        {
            chunk.Reject(new ImportIssue(row.Row, "", error, row.RawLine), ValuesPerRow);
            return;
        }

        if (_options.Layout == ImportLayout.Long) InterpretLong(row, chunk);
        else InterpretWide(row, chunk);
    }

    private void InterpretWide(RowReader row, ImportChunk chunk)
    {
        if (!TryReadInstant(row, _series[0], chunk, _values.Length, out var instant, out var repaired)) return;
        foreach (var column in _values)
        {
            if (TryReadValue(row, column.Column, chunk, out var value))
                Accept(row, column.Column, column.Meter, instant, value, repaired, chunk);
        }
    }

    private void InterpretLong(RowReader row, ImportChunk chunk)
    {
        if (!HasField(row, _meter, chunk, 1)) return;
        var key = row.Text(_meter.Index);
        if (key.IsEmpty)
        {
            chunk.Reject(new ImportIssue(row.Row, _meter.Name, "empty meter key", row.RawLine), 1);
            return;
        }

        var meter = Intern(key);
        while (_series.Count <= meter) _series.Add(new SeriesState());
        if (!TryReadInstant(row, _series[meter], chunk, 1, out var instant, out var repaired)) return;
        if (TryReadValue(row, _value, chunk, out var value)) Accept(row, _value, meter, instant, value, repaired, chunk);
    }

    private void Accept(RowReader row, Column column, int meter, DateTimeOffset instant, double value, bool repaired, ImportChunk chunk)
    {
        if (_seen.TryGetValue((meter, instant.UtcTicks), out var first))
        {
            if (first.Value.Equals(value))
            {
                chunk.AddDuplicate(new ImportDuplicate(row.Row, column.Name, first.Row));
            }
            else
            {
                var reason = string.Create(CultureInfo.InvariantCulture,
                    $"duplicate stamp in file (row {first.Row}): {_meterKeys[meter]} at {instant:yyyy-MM-dd'T'HH:mm:sszzz} has {first.Value} there and {value} here");
                chunk.Reject(new ImportIssue(row.Row, column.Name, reason, row.RawLine), 1);
            }

            return;
        }

        _seen.Add((meter, instant.UtcTicks), (row.Row, value));
        chunk.AddReading(new ParsedReading(row.Row, new ReadingInput(_meterKeys[meter], instant, value)), row.RawLine, repaired);
    }

    private bool TryReadValue(RowReader row, Column column, ImportChunk chunk, out double value)
    {
        value = 0;
        if (!HasField(row, column, chunk, 1)) return false;
        string? reason = null;
        if (row.TryGetNumber(column.Index, out value))
        {
            if (!double.IsFinite(value)) reason = "not a finite number";
        }
        else
        {
            var text = row.Text(column.Index);
            if (text.IsEmpty)
                reason = "empty value; gaps are not zero";
            else if (!double.TryParse(text, NumberStyles.Float, _numbers, out value))
                reason = $"cannot read '{text}' as a number (decimal separator '{_options.DecimalSeparator}', no thousands separators)";
            else if (!double.IsFinite(value))
                reason = $"'{text}' is not a finite number";
        }

        if (reason is null) return true;
        chunk.Reject(new ImportIssue(row.Row, column.Name, reason, row.RawLine), 1);
        return false;
    }

    private static bool HasField(RowReader row, Column column, ImportChunk chunk, int values)
    {
        if (column.Index < row.FieldCount) return true;
        var reason = string.Create(CultureInfo.InvariantCulture, $"missing column (the row has {row.FieldCount} fields, this is column {column.Index + 1})");
        chunk.Reject(new ImportIssue(row.Row, column.Name, reason, row.RawLine), values);
        return false;
    }

    private int Intern(ReadOnlySpan<char> key)
    {
        if (_meterLookup.TryGetValue(key, out var id)) return id;
        var text = key.ToString();
        id = _meterKeys.Count;
        _meterKeys.Add(text);
        _meterIds.Add(text, id);
        return id;
    }

    private static Column Resolve(string reference, string[] header)
    {
        var index = Array.FindIndex(header, h => string.Equals(h, reference, StringComparison.Ordinal));
        if (index < 0) index = Array.FindIndex(header, h => string.Equals(h, reference, StringComparison.OrdinalIgnoreCase));
        if (index < 0 && int.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (header.Length > 0 && number > header.Length)
                throw new ImportFormatException($"Column {number} does not exist: the header has {header.Length} columns.");
            index = number - 1;
        }

        if (index < 0)
        {
            throw new ImportFormatException(
                $"Column '{reference}' is not in the header. The columns are: {string.Join(", ", header.Select(h => $"'{h}'"))}.");
        }

        var name = index < header.Length && header[index].Length > 0 ? header[index] : $"column {index + 1}";
        return new Column(index, name);
    }

    private readonly record struct Column(int Index, string Name);

    private readonly record struct ValueColumn(Column Column, int Meter);
}
