using System.Globalization;
using System.Text.Json;

namespace GreenLoop.Pipeline.Meter.Ingest;

/// <summary>The outcome of reading a batch body: what could be read, and the rows (or the whole body) that could not.</summary>
public sealed record ParsedBatch(IngestRequest Request, string? BodyError)
{
    public static ParsedBatch Fail(string error) => new(new IngestRequest([], ""), error);
}

/// <summary>
/// Parsers for the ingest contract: JSON <c>{"readings":[{"meter","ts","value"}]}</c> and CSV <c>meter,ts,value</c>.
/// A row that cannot be read is answered by index, field and reason; only an unreadable body fails as a whole.
/// </summary>
public static class ReadingParsers
{
    public static ParsedBatch ParseJson(JsonDocument doc, string source)
    {
        ArgumentNullException.ThrowIfNull(doc);
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("readings", out var array) || array.ValueKind != JsonValueKind.Array)
            return ParsedBatch.Fail("the body must be a JSON object with a 'readings' array: {\"readings\":[{\"meter\":\"...\",\"ts\":\"2026-01-01T00:00:00+08:00\",\"value\":1.5}]}");
        var readings = new List<ReadingInput>(array.GetArrayLength());
        var indexes = new List<int>(array.GetArrayLength());
        var rejected = new List<RejectedRow>();
        var i = -1;
        foreach (var e in array.EnumerateArray())
        {
            i++;
            if (e.ValueKind != JsonValueKind.Object)
            {
                rejected.Add(new RejectedRow(new RowRejection(i, "reading", "each reading must be an object with meter, ts and value"), null, null, e.GetRawText()));
                continue;
            }
            // A field written twice would silently take its last value: refused, naming the field.
            var duplicate = e.EnumerateObject().GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
            var meter = e.TryGetProperty("meter", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var tsText = e.TryGetProperty("ts", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            string? valueText = e.TryGetProperty("value", out var v) ? v.GetRawText() : null;
            void Reject(string field, string reason) => rejected.Add(new RejectedRow(new RowRejection(i, field, reason), meter, tsText ?? (e.TryGetProperty("ts", out var raw) ? raw.GetRawText() : null), valueText));

            if (duplicate is not null) { Reject(duplicate, $"'{duplicate}' appears more than once in this reading; send each field once"); continue; }
            if (string.IsNullOrWhiteSpace(meter)) { Reject("meter", "'meter' must be a non-empty string (the meter key)"); continue; }
            if (tsText is null) { Reject("ts", "'ts' must be a string: an ISO 8601 instant with offset, e.g. 2026-01-01T08:00:00+08:00"); continue; }
            if (!TryParseInstant(tsText, out var ts, out var tsError)) { Reject("ts", tsError); continue; }
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var value))
            {
                Reject("value", v.ValueKind == JsonValueKind.Undefined ? "'value' is missing" : $"'value' must be a JSON number, not {v.ValueKind.ToString().ToLowerInvariant()}");
                continue;
            }
            readings.Add(new ReadingInput(meter, ts, value));
            indexes.Add(i);
        }
        return new ParsedBatch(new IngestRequest(readings, source) { Indexes = indexes, ParseRejections = rejected }, null);
    }

    /// <summary>
    /// CSV (RFC 4180: cells may be quoted, a quoted cell may hold commas, doubled quotes and line breaks) with a header
    /// naming the columns meter, ts and value (any order, any case). Row numbers are 1-based data rows.
    /// </summary>
    public static async Task<ParsedBatch> ParseCsvAsync(TextReader reader, string source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var records = new CsvRecords(reader);
        var header = await records.NextAsync(ct);
        if (header is null) return ParsedBatch.Fail("the CSV body is empty; the first line must be the header meter,ts,value");
        if (header.Error is not null) return ParsedBatch.Fail($"the CSV header cannot be read: {header.Error}");
        var columns = header.Cells.Select((c, k) => (k == 0 ? c.TrimStart('\uFEFF') : c).Trim().ToLowerInvariant()).ToList();
        int im = columns.IndexOf("meter"), it = columns.IndexOf("ts"), iv = columns.IndexOf("value");
        if (im < 0 || it < 0 || iv < 0) return ParsedBatch.Fail($"the CSV header must name the columns meter, ts and value; found: {string.Join(",", header.Cells)}");
        var readings = new List<ReadingInput>();
        var indexes = new List<int>();
        var rejected = new List<RejectedRow>();
        var row = 0;
        while (await records.NextAsync(ct) is { } record)
        {
            if (record.Cells.Count == 1 && record.Cells[0].Length == 0 && record.Error is null) continue;
            row++;
            var cells = record.Cells;
            string? Cell(int k) => k < cells.Count ? cells[k].Trim() : null;
            string? meter = Cell(im), tsText = Cell(it), valueText = Cell(iv);
            void Reject(string field, string reason) => rejected.Add(new RejectedRow(new RowRejection(row, field, reason), meter, tsText, valueText));
            if (record.Error is not null) { Reject("row", record.Error); continue; }
            if (cells.Count < columns.Count) { Reject("row", $"expected {columns.Count} cells, found {cells.Count}"); continue; }
            if (string.IsNullOrEmpty(meter)) { Reject("meter", "meter key is empty"); continue; }
            if (!TryParseInstant(tsText ?? "", out var ts, out var tsError)) { Reject("ts", tsError); continue; }
            if (string.IsNullOrEmpty(valueText)) { Reject("value", "value is empty; a gap is sent as no row, never as zero"); continue; }
            if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) { Reject("value", $"'{valueText}' is not a number (use '.' as the decimal point)"); continue; }
            readings.Add(new ReadingInput(meter, ts, value));
            indexes.Add(row);
        }
        return new ParsedBatch(new IngestRequest(readings, source) { Indexes = indexes, ParseRejections = rejected }, null);
    }

    /// <summary>An ISO 8601 instant that states its offset; a local time without offset is ambiguous and refused.</summary>
    public static bool TryParseInstant(string text, out DateTimeOffset ts, out string error)
    {
        ts = default;
        error = "";
        var s = text.AsSpan().Trim();
        var hasOffset = s.Length > 6 && (s[^1] is 'Z' or 'z' || ((s[^6] is '+' or '-') && s[^3] == ':'));
        if (!DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out ts) || s.IndexOf('T') < 0 && s.IndexOf(' ') < 0)
        {
            error = $"'{text}' is not an ISO 8601 instant, e.g. 2026-01-01T08:00:00+08:00";
            return false;
        }
        if (!hasOffset)
        {
            error = $"'{text}' has no UTC offset; add one (e.g. +08:00 or Z) so the instant is unambiguous";
            return false;
        }
        return true;
    }
}
