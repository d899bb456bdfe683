using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace GreenLoop.Pipeline.Model.Accounting;

/// <summary>How a cell looks; the index into the workbook's cell formats (see <see cref="ReportWorkbook.Stylesheet"/>).</summary>
internal enum XlStyle : uint
{
    Text = 0,
    Header = 1,
    /// <summary>#,##0.00 (kgce, quantities).</summary>
    Number2 = 2,
    /// <summary>#,##0.000 (tce, tCO2e).</summary>
    Number3 = 3,
    /// <summary>General: factors keep every digit the source gives.</summary>
    Factor = 4,
    /// <summary>0.0 %: completeness and shares, stored as fractions.</summary>
    Percent = 5,
    /// <summary>Bold dark red: UNVERIFIED, estimated, not counted, above the limit.</summary>
    Warning = 6,
    BoldText = 7,
    BoldNumber2 = 8,
    BoldNumber3 = 9,
}

/// <summary>A cell value with an explicit style, where the column's default does not fit (the Summary sheet's value column).</summary>
internal readonly record struct Styled(object? Value, XlStyle Style);

/// <summary>A column: bilingual header (units in the header), width in characters and the style of its numbers.</summary>
internal readonly record struct SheetColumn(string Header, double Width, XlStyle Style = XlStyle.Text);

/// <summary>One worksheet being built: a frozen header row, then rows of strings, numbers and <see cref="Styled"/> values.</summary>
internal sealed class SheetBuilder(string name, IReadOnlyList<SheetColumn> columns, bool filter = true)
{
    private readonly List<(object?[] Cells, bool Bold)> _rows = [];

    public string Name => name;

    public SheetBuilder Row(params object?[] cells) => Add(cells, bold: false);

    /// <summary>A total or subtotal row, in bold.</summary>
    public SheetBuilder TotalRow(params object?[] cells) => Add(cells, bold: true);

    private SheetBuilder Add(object?[] cells, bool bold)
    {
        if (cells.Length > columns.Count) throw new ArgumentException($"{cells.Length} cells for {columns.Count} columns in sheet '{name}'", nameof(cells));
        _rows.Add((cells, bold));
        return this;
    }

    public Worksheet Build()
    {
        var data = new SheetData();
        var header = new Row { RowIndex = 1 };
        for (var c = 0; c < columns.Count; c++) header.Append(TextCell(Reference(c, 1), columns[c].Header, XlStyle.Header));
        data.Append(header);
        for (var r = 0; r < _rows.Count; r++)
        {
            var (cells, bold) = _rows[r];
            var rowIndex = (uint)(r + 2);
            var row = new Row { RowIndex = rowIndex };
            for (var c = 0; c < cells.Length; c++)
            {
                if (CellOf(Reference(c, rowIndex), cells[c], columns[c].Style, bold) is { } cell) row.Append(cell);
            }
            data.Append(row);
        }

        var view = new SheetView { WorkbookViewId = 0 };
        view.Append(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen });
        view.Append(new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } });
        var cols = new Columns();
        for (var c = 0; c < columns.Count; c++)
            cols.Append(new Column { Min = (uint)(c + 1), Max = (uint)(c + 1), Width = columns[c].Width, CustomWidth = true });
        var sheet = new Worksheet(new SheetViews(view), new SheetFormatProperties { DefaultRowHeight = 15 }, cols, data);
        if (filter && columns.Count > 0)
            sheet.Append(new AutoFilter { Reference = $"A1:{Column(columns.Count - 1)}{_rows.Count + 1}" });
        return sheet;
    }

    private static Cell? CellOf(string reference, object? value, XlStyle columnStyle, bool bold)
    {
        if (value is Styled s) return CellOf(reference, s.Value, s.Style, bold);
        var style = bold ? Bold(columnStyle) : columnStyle;
        switch (value)
        {
            case null:
                return null;
            case string text:
                return TextCell(reference, text, style is XlStyle.Number2 or XlStyle.Number3 or XlStyle.Factor or XlStyle.Percent ? (bold ? XlStyle.BoldText : XlStyle.Text) : style);
            case double d when !double.IsFinite(d):
                return null;
            case double d:
                return new Cell { CellReference = reference, CellValue = new CellValue(d), DataType = CellValues.Number, StyleIndex = (uint)NumberStyle(style) };
            case int i:
                return new Cell { CellReference = reference, CellValue = new CellValue(i), DataType = CellValues.Number, StyleIndex = (uint)NumberStyle(style) };
            default:
                return TextCell(reference, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", style);
        }
    }

    /// <summary>Numbers in a text column (the Summary's value column) are shown with General rather than as text.</summary>
    private static XlStyle NumberStyle(XlStyle style) => style switch
    {
        XlStyle.Text or XlStyle.Warning or XlStyle.Header => XlStyle.Factor,
        XlStyle.BoldText => XlStyle.BoldNumber3,
        _ => style,
    };

    private static XlStyle Bold(XlStyle style) => style switch
    {
        XlStyle.Text => XlStyle.BoldText,
        XlStyle.Number2 => XlStyle.BoldNumber2,
        XlStyle.Number3 => XlStyle.BoldNumber3,
        _ => style,
    };

    private static Cell TextCell(string reference, string text, XlStyle style) => new()
    {
        CellReference = reference,
        DataType = CellValues.InlineString,
        StyleIndex = (uint)style,
        InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }),
    };

    private static string Reference(int column, uint row) => Column(column) + row.ToString(CultureInfo.InvariantCulture);

    /// <summary>Spreadsheet column letters of a zero-based index: 0 -> A, 25 -> Z, 26 -> AA.</summary>
    internal static string Column(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + ((n - 1) % 26)) + name;
        return name;
    }
}

public static partial class ReportWorkbook
{
    /// <summary>Writes the sheets as one workbook, the first sheet selected.</summary>
    private static void Write(Stream stream, string title, IReadOnlyList<SheetBuilder> sheets)
    {
        using var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook);
        doc.PackageProperties.Title = title;
        doc.PackageProperties.Creator = "GreenLoop";
        var workbookPart = doc.AddWorkbookPart();
        workbookPart.Workbook = new Workbook();
        var styles = workbookPart.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = Stylesheet();
        var list = new Sheets();
        for (var i = 0; i < sheets.Count; i++)
        {
            var part = workbookPart.AddNewPart<WorksheetPart>();
            part.Worksheet = sheets[i].Build();
            if (i == 0) part.Worksheet.GetFirstChild<SheetViews>()!.GetFirstChild<SheetView>()!.TabSelected = true;
            list.Append(new Sheet { Id = workbookPart.GetIdOfPart(part), SheetId = (uint)(i + 1), Name = sheets[i].Name });
        }
        workbookPart.Workbook.Append(list);
        workbookPart.Workbook.Save();
    }

    /// <summary>The cell formats, in the order of <see cref="XlStyle"/>.</summary>
    internal static Stylesheet Stylesheet()
    {
        const uint Two = 164, Three = 165, Percent = 166;
        var numberFormats = new NumberingFormats(
            new NumberingFormat { NumberFormatId = Two, FormatCode = "#,##0.00" },
            new NumberingFormat { NumberFormatId = Three, FormatCode = "#,##0.000" },
            new NumberingFormat { NumberFormatId = Percent, FormatCode = "0.0%" });
        var fonts = new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new Color { Rgb = "FFC00000" }, new FontName { Val = "Calibri" }));
        var fills = new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFE2EFDA" }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid }));
        var borders = new Borders(
            new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()),
            new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder { Style = BorderStyleValues.Thin, Color = new Color { Auto = true } }, new DiagonalBorder()));
        static CellFormat Format(uint numberFormat = 0, uint font = 0, uint fill = 0, uint border = 0, bool wrap = false)
        {
            var f = new CellFormat { NumberFormatId = numberFormat, FontId = font, FillId = fill, BorderId = border, FormatId = 0 };
            if (numberFormat != 0) f.ApplyNumberFormat = true;
            if (font != 0) f.ApplyFont = true;
            if (fill != 0) f.ApplyFill = true;
            if (border != 0) f.ApplyBorder = true;
            if (wrap)
            {
                f.ApplyAlignment = true;
                f.Append(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Center });
            }
            return f;
        }
        var cellFormats = new CellFormats(
            Format(),                                     // Text
            Format(font: 1, fill: 2, border: 1, wrap: true), // Header
            Format(numberFormat: Two),                    // Number2
            Format(numberFormat: Three),                  // Number3
            Format(),                                     // Factor (General)
            Format(numberFormat: Percent),                // Percent
            Format(font: 2),                              // Warning
            Format(font: 1),                              // BoldText
            Format(numberFormat: Two, font: 1),           // BoldNumber2
            Format(numberFormat: Three, font: 1));        // BoldNumber3
        return new Stylesheet(
            numberFormats, fonts, fills, borders,
            new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }),
            cellFormats,
            new CellStyles(new DocumentFormat.OpenXml.Spreadsheet.CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }));
    }
}
