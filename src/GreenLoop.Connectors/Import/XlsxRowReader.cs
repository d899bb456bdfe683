using System.Globalization;
using System.Text;
using ExcelDataReader;

namespace GreenLoop.Connectors.Import;

/// <summary>
/// Reads the first sheet of an Office Open XML workbook (.xlsx). Cells keep their types: a date cell is a wall-clock
/// time, a number cell a number; text cells are parsed like CSV fields. Legacy .xls is not supported (untested here);
/// save such files as .xlsx or CSV.
/// </summary>
internal sealed class XlsxRowReader : RowReader
{
    private readonly CountingStream _counter;
    private readonly IExcelDataReader _reader;
    private readonly long? _totalBytes;
    private readonly object?[] _noCells = [];
    private object?[] _cells = [];
    private string? _rawLine;

    // ExcelDataReader 3.6 resolves code page 1252 (its fallback encoding) even for .xlsx; .NET carries the code pages
    // but only serves them once the provider is registered. Registering is process-wide and idempotent.
    static XlsxRowReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public XlsxRowReader(Stream stream, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _counter = new CountingStream(stream, leaveOpen);
        _totalBytes = stream.CanSeek ? stream.Length : null;
        try
        {
            _reader = ExcelReaderFactory.CreateOpenXmlReader(_counter, new ExcelReaderConfiguration { LeaveOpen = true });
        }
        catch (Exception e) when (e is ExcelDataReader.Exceptions.HeaderException or InvalidDataException or NotSupportedException)
        {
            _counter.Dispose();
            throw new ImportFormatException($"Not a readable .xlsx workbook: {e.Message}", e);
        }
    }

    public override int FieldCount => _cells.Length;

    public override bool IsBlank => _cells.All(c => c is null || (c is string s && string.IsNullOrWhiteSpace(s)));

    public override string RawLine => _rawLine ??= string.Join(',', _cells.Select(Format));

    // The zip directory at the end is read first, so the share of bytes read runs ahead of the rows: a rough guide.
    public override long BytesRead => _counter.BytesRead;

    public override long? TotalBytes => _totalBytes;

    public override ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_reader.Read())
        {
            _cells = _noCells;
            return ValueTask.FromResult(false);
        }

        Row++;
        // Every row has the sheet's width: an empty cell is an empty value (a gap), not a missing column.
        var cells = new object?[_reader.FieldCount];
        for (var i = 0; i < cells.Length; i++) cells[i] = _reader.GetValue(i);
        _cells = cells;
        _rawLine = null;
        return ValueTask.FromResult(true);
    }

    public override ReadOnlySpan<char> Text(int field) =>
        (uint)field < (uint)_cells.Length ? Format(_cells[field]).AsSpan().Trim() : [];

    public override bool TryGetNumber(int field, out double value)
    {
        value = 0;
        if ((uint)field >= (uint)_cells.Length) return false;
        switch (_cells[field])
        {
            case double d:
                value = d;
                return true;
            case int i:
                value = i;
                return true;
            default:
                return false;
        }
    }

    public override bool TryGetDateTime(int field, out DateTime value)
    {
        value = default;
        if ((uint)field >= (uint)_cells.Length) return false;
        switch (_cells[field])
        {
            case DateTime d:
                value = DateTime.SpecifyKind(d, DateTimeKind.Unspecified);
                return true;
            // A date cell without a date style arrives as its serial number (days since 1899-12-30).
            case double serial when serial is > 0 and < 2958466:
                value = DateTime.SpecifyKind(DateTime.FromOADate(serial), DateTimeKind.Unspecified);
                return true;
            default:
                return false;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _reader.Dispose();
            _counter.Dispose();
        }

        base.Dispose(disposing);
    }

    private static string Format(object? cell) => cell switch
    {
        null => "",
        string s => s,
        DateTime d => d.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };
}
