using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;

namespace GreenLoop.Testing;

/// <summary>Reads a workbook back with the Open XML SDK: sheet names, rows of strings and numbers, schema validation.</summary>
public sealed class XlsxBook : IDisposable
{
    private readonly MemoryStream _stream;
    private readonly SpreadsheetDocument _doc;

    public XlsxBook(byte[] bytes)
    {
        _stream = new MemoryStream(bytes, writable: false);
        _doc = SpreadsheetDocument.Open(_stream, isEditable: false);
    }

    public IReadOnlyList<string> SheetNames => [.. _doc.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!)];

    /// <summary>Every problem the SDK's schema validator finds (Office 2019 rules); empty for a valid workbook.</summary>
    public IReadOnlyList<string> ValidationErrors() =>
        [.. new OpenXmlValidator(DocumentFormat.OpenXml.FileFormatVersions.Office2019).Validate(_doc).Select(e => $"{e.Path?.XPath}: {e.Description}")];

    /// <summary>The rows of a sheet, header first; a cell is a string, a double, or null when absent.</summary>
    public List<object?[]> Rows(string sheet)
    {
        var part = (WorksheetPart)_doc.WorkbookPart!.GetPartById(_doc.WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheet).Id!);
        var rows = new List<object?[]>();
        foreach (var row in part.Worksheet.GetFirstChild<SheetData>()!.Elements<Row>())
        {
            var cells = row.Elements<Cell>().ToList();
            var width = cells.Count == 0 ? 0 : cells.Max(c => Column(c.CellReference!.Value!)) + 1;
            var values = new object?[width];
            foreach (var c in cells)
            {
                values[Column(c.CellReference!.Value!)] = c.DataType?.Value == CellValues.InlineString
                    ? c.InlineString!.InnerText
                    : double.Parse(c.CellValue!.Text, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            rows.Add(values);
        }
        return rows;
    }

    /// <summary>The cell in <paramref name="column"/> of the first row whose first cell starts with <paramref name="label"/>.</summary>
    public object? Cell(string sheet, string label, int column)
    {
        var row = Rows(sheet).First(r => r.Length > 0 && r[0] is string s && s.StartsWith(label, StringComparison.Ordinal));
        return column < row.Length ? row[column] : null;
    }

    /// <summary>The frozen pane of a sheet: the top-left cell of the scrolling part.</summary>
    public string? FrozenAt(string sheet)
    {
        var part = (WorksheetPart)_doc.WorkbookPart!.GetPartById(_doc.WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheet).Id!);
        var pane = part.Worksheet.Descendants<Pane>().SingleOrDefault();
        return pane?.State?.Value == PaneStateValues.Frozen ? pane.TopLeftCell?.Value : null;
    }

    private static int Column(string reference)
    {
        var n = 0;
        foreach (var ch in reference.TakeWhile(char.IsAsciiLetterUpper)) n = n * 26 + (ch - 'A' + 1);
        return n - 1;
    }

    public void Dispose()
    {
        _doc.Dispose();
        _stream.Dispose();
    }
}
