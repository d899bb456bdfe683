using System.Text;

namespace GreenLoop.Connectors.Import;

/// <summary>
/// Reads delimited text line by line (UTF-8, a byte order mark is honoured) and splits a line into fields only when a
/// field is asked for, as ranges over the line: no string per field. Quoted fields (RFC 4180, <c>""</c> for a quote)
/// are supported within one line; a quoted line break is not (the row is then reported as an unterminated quote).
/// </summary>
internal sealed class CsvRowReader : RowReader
{
    private const int MaxFields = 4096;
    private readonly CountingStream _counter;
    private readonly StreamReader _text;
    private readonly long? _totalBytes;
    private char? _delimiter;
    private string _line = "";
    private bool _split;
    private string? _rowError;
    private int _fieldCount;
    private FieldRange[] _fields = new FieldRange[16];

    public CsvRowReader(Stream stream, char? delimiter, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _counter = new CountingStream(stream, leaveOpen);
        _text = new StreamReader(_counter, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        _totalBytes = stream.CanSeek ? stream.Length - stream.Position : null;
        _delimiter = delimiter;
    }

    /// <summary>The delimiter in use: the given one, or the one detected on the first row that was split.</summary>
    public char? Delimiter => _delimiter;

    public override int FieldCount
    {
        get
        {
            EnsureSplit();
            return _fieldCount;
        }
    }

    public override bool IsBlank => _line.AsSpan().IsWhiteSpace();

    public override string RawLine => _line;

    public override string? RowError
    {
        get
        {
            EnsureSplit();
            return _rowError;
        }
    }

    public override long BytesRead => _counter.BytesRead;

    public override long? TotalBytes => _totalBytes;

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        var line = await _text.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (line is null) return false;
        Row++;
        _line = line;
        _split = false;
        return true;
    }

    public override ReadOnlySpan<char> Text(int field)
    {
        EnsureSplit();
        if ((uint)field >= (uint)_fieldCount) return [];
        var range = _fields[field];
        return range.Unescaped is { } unescaped ? unescaped.AsSpan() : _line.AsSpan(range.Start, range.Length);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _text.Dispose();
            _counter.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Picks <c>;</c>, tab or <c>,</c>, whichever occurs most often outside quotes; <c>,</c> when none does.</summary>
    internal static char DetectDelimiter(ReadOnlySpan<char> line)
    {
        int commas = 0, semicolons = 0, tabs = 0;
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (quoted) continue;
            else if (c == ',') commas++;
            else if (c == ';') semicolons++;
            else if (c == '\t') tabs++;
        }

        if (semicolons > commas && semicolons >= tabs) return ';';
        if (tabs > commas && tabs > semicolons) return '\t';
        return ',';
    }

    private void EnsureSplit()
    {
        if (_split) return;
        _split = true;
        _delimiter ??= DetectDelimiter(_line);
        Split(_delimiter.Value);
    }

    private void Split(char delimiter)
    {
        var line = _line.AsSpan();
        _fieldCount = 0;
        _rowError = null;
        var position = 0;
        while (true)
        {
            if (_fieldCount == _fields.Length)
            {
                if (_fields.Length >= MaxFields)
                {
                    _rowError = $"more than {MaxFields} fields";
                    return;
                }

                Array.Resize(ref _fields, _fields.Length * 2);
            }

            var rest = line[position..];
            var lead = rest.Length - rest.TrimStart(' ').Length;
            if (lead < rest.Length && rest[lead] == '"')
            {
                if (!TryReadQuoted(line, position + lead + 1, delimiter, out var field, out position))
                {
                    _rowError = "unterminated quote (a quoted line break is not supported)";
                    _fields[_fieldCount++] = field;
                    return;
                }

                _fields[_fieldCount++] = field;
            }
            else
            {
                var length = rest.IndexOf(delimiter);
                var end = length < 0 ? line.Length : position + length;
                _fields[_fieldCount++] = Trimmed(line, position, end);
                position = end;
            }

            if (position >= line.Length) return;
            position++; // past the delimiter; a trailing delimiter gives a last, empty field
        }
    }

    /// <summary>Reads a quoted field whose content starts at <paramref name="start"/>; ends on the delimiter after it.</summary>
    private static bool TryReadQuoted(ReadOnlySpan<char> line, int start, char delimiter, out FieldRange field, out int end)
    {
        StringBuilder? unescaped = null;
        var position = start;
        while (true)
        {
            var quote = line[position..].IndexOf('"');
            if (quote < 0)
            {
                field = new FieldRange(start, line.Length - start, null);
                end = line.Length;
                return false;
            }

            var at = position + quote;
            if (at + 1 < line.Length && line[at + 1] == '"')
            {
                unescaped ??= new StringBuilder();
                unescaped.Append(line[position..(at + 1)]);
                position = at + 2;
                continue;
            }

            string? text = null;
            if (unescaped is not null)
            {
                unescaped.Append(line[position..at]);
                text = unescaped.ToString().Trim();
            }

            var contentStart = start;
            var contentEnd = at;
            while (contentStart < contentEnd && char.IsWhiteSpace(line[contentStart])) contentStart++;
            while (contentEnd > contentStart && char.IsWhiteSpace(line[contentEnd - 1])) contentEnd--;
            field = new FieldRange(contentStart, contentEnd - contentStart, text);

            // Anything between the closing quote and the delimiter is ignored white space or stray text.
            var next = line[(at + 1)..].IndexOf(delimiter);
            end = next < 0 ? line.Length : at + 1 + next;
            return true;
        }
    }

    private static FieldRange Trimmed(ReadOnlySpan<char> line, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(line[start])) start++;
        while (end > start && char.IsWhiteSpace(line[end - 1])) end--;
        return new FieldRange(start, end - start, null);
    }

    private readonly record struct FieldRange(int Start, int Length, string? Unescaped);
}
