using System.Text;

namespace GreenLoop.Pipeline.Meter.Ingest;

/// <summary>One CSV record: its cells, or why it could not be read (an unclosed quote, text after a closing quote).</summary>
public sealed record CsvRecord(IReadOnlyList<string> Cells, string? Error);

/// <summary>
/// Reads CSV records as RFC 4180 defines them: comma-separated cells, a cell in double quotes may contain commas,
/// line breaks and doubled quotes (<c>"a ""b"""</c> is <c>a "b"</c>); records end at CRLF or LF. Lenient where
/// gateways are (spaces around an unquoted cell are kept for the caller to trim).
/// </summary>
public sealed class CsvRecords(TextReader reader)
{
    /// <summary>The longest quoted cell accepted (an unclosed quote would otherwise swallow the rest of the body).</summary>
    public const int MaxQuotedLength = 64 * 1024;

    /// <summary>The next record, or null at the end of the input.</summary>
    public async Task<CsvRecord?> NextAsync(CancellationToken ct)
    {
        var line = await reader.ReadLineAsync(ct);
        if (line is null) return null;
        var cells = new List<string>();
        var cell = new StringBuilder();
        var i = 0;
        while (true)
        {
            // Spaces before an opening quote are allowed (", \"b\"" reads as b).
            var start = i;
            while (start < line.Length && line[start] == ' ') start++;
            if (start < line.Length && line[start] == '"')
            {
                i = start;
                // A quoted cell, possibly over several lines.
                i++;
                while (true)
                {
                    var close = line.IndexOf('"', i);
                    if (close < 0)
                    {
                        cell.Append(line, i, line.Length - i);
                        if (cell.Length > MaxQuotedLength) return new CsvRecord(cells, $"a quoted cell runs on for more than {MaxQuotedLength} characters (an unclosed quote?)");
                        var more = await reader.ReadLineAsync(ct);
                        if (more is null) return new CsvRecord(cells, "a quoted cell is not closed before the end of the body");
                        cell.Append('\n');
                        line = more;
                        i = 0;
                        continue;
                    }
                    cell.Append(line, i, close - i);
                    if (close + 1 < line.Length && line[close + 1] == '"')
                    {
                        cell.Append('"');
                        i = close + 2;
                        continue;
                    }
                    i = close + 1;
                    break;
                }
                var rest = line.AsSpan(i);
                var comma = rest.IndexOf(',');
                var trailing = comma < 0 ? rest : rest[..comma];
                if (!trailing.IsWhiteSpace()) return new CsvRecord(cells, $"text after a closing quote: '{trailing.ToString()}'");
                cells.Add(cell.ToString());
                cell.Clear();
                if (comma < 0) return new CsvRecord(cells, null);
                i += comma + 1;
                continue;
            }
            var next = line.IndexOf(',', i);
            if (next < 0)
            {
                cells.Add(line[i..]);
                return new CsvRecord(cells, null);
            }
            cells.Add(line[i..next]);
            i = next + 1;
        }
    }
}
