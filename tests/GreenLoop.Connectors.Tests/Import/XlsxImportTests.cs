using System.IO.Compression;
using System.Text;
using GreenLoop.Connectors.Import;
using GreenLoop.Testing;

namespace GreenLoop.Connectors.Tests.Import;

public sealed class XlsxImportTests
{
    private static readonly TimeSpan _plus8 = TimeSpan.FromHours(8);

    [Fact]
    public async Task ReadXlsx_DateCellsTextStampsAndNumbers_Imported()
    {
        // Row 2: a date cell (serial 45292.010416666664 = 2024-01-01 00:15) and a number cell;
        // row 3: a text stamp and a text number; row 4: an empty value cell (a gap); row 5: a text value.
        var sheet = """
            <row r="1"><c r="A1" t="inlineStr"><is><t>time</t></is></c><c r="B1" t="inlineStr"><is><t>kwh</t></is></c></row>
            <row r="2"><c r="A2" s="1"><v>45292.010416666664</v></c><c r="B2"><v>1.5</v></c></row>
            <row r="3"><c r="A3" t="inlineStr"><is><t>2024-01-01 00:30</t></is></c><c r="B3" t="inlineStr"><is><t>2.25</t></is></c></row>
            <row r="4"><c r="A4" s="1"><v>45292.03125</v></c></row>
            <row r="5"><c r="A5" s="1"><v>45292.041666666664</v></c><c r="B5" t="inlineStr"><is><t>n/a</t></is></c></row>
            """;
        using var workbook = Workbook(sheet);
        var harness = new ImportHarness();
        var importer = new FileImporter(new ImportOptions { Meter = "m1", DateFormats = ["yyyy-MM-dd HH:mm"], TimeZone = "Asia/Shanghai" });

        var result = await harness.Runner().RunAsync(importer.ReadXlsxAsync(workbook));
        Assert.True(result.Succeeded, result.Error + string.Join("; ", result.Issues));

        Assert.Equal(
            [new DateTimeOffset(2024, 1, 1, 0, 15, 0, _plus8), new DateTimeOffset(2024, 1, 1, 0, 30, 0, _plus8)],
            harness.Stored.Select(r => r.Ts));
        Assert.Equal([1.5, 2.25], harness.Stored.Select(r => r.Value));
        Assert.Equal(
            [(4, "kwh", "empty value; gaps are not zero"),
             (5, "kwh", "cannot read 'n/a' as a number (decimal separator '.', no thousands separators)")],
            result.Issues.Select(i => (i.Row, i.Field, i.Reason)));
        Assert.Equal(4, result.Summary.RowsRead);
    }

    /// <summary>A minimal .xlsx: one sheet, inline strings, style 1 = built-in date-time format 22 (m/d/yy h:mm).</summary>
    private static MemoryStream Workbook(string sheetRows)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
                <Default Extension="xml" ContentType="application/xml"/>
                <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
                <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
                <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
                </Types>
                """);
            Add(zip, "_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
                </Relationships>
                """);
            Add(zip, "xl/workbook.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
                <sheets><sheet name="Readings" sheetId="1" r:id="rId1"/></sheets>
                </workbook>
                """);
            Add(zip, "xl/_rels/workbook.xml.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
                <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
                </Relationships>
                """);
            Add(zip, "xl/styles.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
                <cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="22" applyNumberFormat="1"/></cellXfs>
                </styleSheet>
                """);
            Add(zip, "xl/worksheets/sheet1.xml", $"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                {sheetRows}
                </sheetData></worksheet>
                """);
        }

        stream.Position = 0;
        return stream;
    }

    private static void Add(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }
}
