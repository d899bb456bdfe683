using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Storage;
using GreenLoop.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GreenLoop.Server.Tests;

/// <summary>File import through the API (docs/data-entry.md): upload, preview, dry run, commit with progress, quarantine.</summary>
public sealed class ImportsApiTests : IAsyncLifetime
{
    private const string SiteJson = """
        {"key":"imp","name":"Import test plant","nameZh":"导入测试工厂","timeZone":"Asia/Shanghai",
         "meters":[
           {"key":"imp.main","name":"Main incomer","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"},
           {"key":"imp.press","name":"Press","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding","parent":"imp.main","role":"SubMeter"},
           {"key":"imp.gas","name":"Kiln gas","carrier":"natural_gas","unit":"m3","kind":"Cumulative"}]}
        """;

    /// <summary>
    /// A wide file of two interval meters with known faults (line numbers in the file, header = line 1):
    /// line 3 main "n/a" (parser), line 4 main -1 (ingest: negative interval consumption), line 5 an unreadable stamp
    /// (parser, both values of the row), line 7 in 2030 (ingest: more than a day in the future, both values).
    /// </summary>
    private const string WideCsv = """
        time,main_kwh,press_kwh
        2026-06-01 00:15,2.5,1.0
        2026-06-01 00:30,n/a,1.5
        2026-06-01 00:45,-1,2.0
        not a time,3.0,2.0
        2026-06-01 01:00,4.0,2.5
        2030-01-01 00:15,1.0,1.0

        """;

    private static readonly object _wideMapping = new
    {
        layout = "wide",
        timeColumn = "time",
        map = new[] { new { column = "main_kwh", meter = "imp.main" }, new { column = "press_kwh", meter = "imp.press" } },
        dateFormats = new[] { "yyyy-MM-dd HH:mm" },
        timeZone = "Asia/Shanghai",
    };

    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        using var put = await _client.PutAsync("/api/v1/sites/imp", new StringContent(SiteJson, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    private static MultipartFormDataContent Form(byte[] content, string fileName)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".xlsx", StringComparison.Ordinal)
            ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv");
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    private static async Task<JsonElement> UploadAsync(HttpClient client, byte[] content, string fileName)
    {
        using var form = Form(content, fileName);
        using var response = await client.PostAsync("/api/v1/imports", form);
        var body = await Http.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        Assert.Equal($"/api/v1/imports/{body.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        return body;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostJsonAsync(string url, object body)
    {
        using var response = await _client.PostAsJsonAsync(url, body);
        return (response.StatusCode, await Http.JsonAsync(response));
    }

    private async Task<long> CountReadingsAsync(string meter)
    {
        var store = _factory.Services.GetRequiredService<GreenLoopStore>();
        var tenant = _factory.Services.GetRequiredService<Hosting.TenantContext>().TenantId;
        var meters = await store.LoadMetersAsync(tenant, CancellationToken.None);
        return await store.CountReadingsAsync(new MeterId(meters[meter].Id), CancellationToken.None);
    }

    private async Task<int> QuarantineTotalAsync() =>
        (await _client.GetFromJsonAsync<JsonElement>("/api/v1/quarantine")).GetProperty("total").GetInt32();

    /// <summary>Polls the upload until it is no longer committing; fails after 30 s.</summary>
    private Task<JsonElement> WaitCommittedAsync(string id) =>
        Wait.ForAsync(() => _client.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}"), status => status.GetProperty("state").GetString() != "committing",
            status => $"import {id} to be committed; it is still committing: {status}", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));

    private static List<(int Row, string Field, string Reason)> Issues(JsonElement report) =>
        [.. report.GetProperty("issues").EnumerateArray().Select(i => (i.GetProperty("row").GetInt32(), i.GetProperty("field").GetString()!, i.GetProperty("reason").GetString()!))];

    private static Dictionary<string, double?> Consumption(JsonElement summary) =>
        summary.GetProperty("meters").EnumerateArray().ToDictionary(m => m.GetProperty("meter").GetString()!,
            m => m.GetProperty("consumption").ValueKind == JsonValueKind.Null ? (double?)null : m.GetProperty("consumption").GetDouble());

    [Fact]
    public async Task Upload_Csv_AnswersColumnsWithGuessesAndFirstRowsWithLineNumbers()
    {
        var upload = await UploadAsync(_client, Encoding.UTF8.GetBytes(WideCsv), "june.csv");

        Assert.Equal(("june.csv", "csv", "uploaded", "key:bootstrap"),
            (upload.GetProperty("fileName").GetString(), upload.GetProperty("kind").GetString(), upload.GetProperty("state").GetString(), upload.GetProperty("uploadedBy").GetString()));
        Assert.Equal(Encoding.UTF8.GetByteCount(WideCsv), upload.GetProperty("sizeBytes").GetInt64());
        var preview = upload.GetProperty("preview");
        // "time" holds one unreadable stamp among dates, so it is text; the value columns hold "n/a", so main is text too.
        Assert.Equal([(1, "time", "text"), (2, "main_kwh", "text"), (3, "press_kwh", "number")],
            preview.GetProperty("columns").EnumerateArray().Select(c => (c.GetProperty("number").GetInt32(), c.GetProperty("name").GetString(), c.GetProperty("guess").GetString())));
        Assert.Equal(",", preview.GetProperty("delimiter").GetString());
        Assert.Equal(1, preview.GetProperty("headerRow").GetInt32());
        var rows = preview.GetProperty("rows").EnumerateArray().ToList();
        // Six data rows (the trailing blank line is not one), numbered by their line in the file.
        Assert.Equal([2, 3, 4, 5, 6, 7], rows.Select(r => r.GetProperty("row").GetInt32()));
        Assert.Equal(["2026-06-01 00:15", "2.5", "1.0"], rows[0].GetProperty("cells").EnumerateArray().Select(c => c.GetString()));

        var id = upload.GetProperty("id").GetString();
        var skipped = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}/preview?skipRows=1&hasHeader=false");
        Assert.Equal(["column 1", "column 2", "column 3"], skipped.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(2, skipped.GetProperty("rows")[0].GetProperty("row").GetInt32());
    }

    [Fact]
    public async Task Validate_FileWithBadRows_ReportsRowFieldAndReasonAndWritesNothing()
    {
        var id = (await UploadAsync(_client, Encoding.UTF8.GetBytes(WideCsv), "june.csv")).GetProperty("id").GetString();
        var quarantineBefore = await QuarantineTotalAsync();

        var (status, report) = await PostJsonAsync($"/api/v1/imports/{id}/validate", _wideMapping);

        Assert.True(status == HttpStatusCode.OK, report.ToString());
        var summary = report.GetProperty("summary");
        // 6 rows x 2 columns = 12 values. Rejected: line 3 main (1), line 4 main (1), line 5 both (2), line 7 both (2) = 6.
        Assert.Equal((6L, 12L, 6L, 6L), (summary.GetProperty("rowsRead").GetInt64(), summary.GetProperty("values").GetInt64(),
            summary.GetProperty("accepted").GetInt64(), summary.GetProperty("rejected").GetInt64()));
        var issues = Issues(report);
        // Line 7 (2030) is refused as a row by the importer, before any time-zone arithmetic: one issue for both values.
        Assert.Equal([(3, "main_kwh"), (4, "value"), (5, "time"), (7, "time")], issues.Select(i => (i.Row, i.Field)));
        Assert.Equal("cannot read 'n/a' as a number (decimal separator '.', no thousands separators)", issues[0].Reason);
        Assert.StartsWith("negative consumption -1 for interval meter 'imp.main'", issues[1].Reason, StringComparison.Ordinal);
        Assert.StartsWith("cannot read 'not a time' as a timestamp", issues[2].Reason, StringComparison.Ordinal);
        Assert.Contains("2030-01-01 00:15 is more than a day ahead", issues[3].Reason, StringComparison.Ordinal);
        Assert.Equal(4, report.GetProperty("issueCount").GetInt32());
        // Interval meters: main 2.5 (line 2) + 4.0 (line 6) = 6.5 kWh; press 1.0 + 1.5 + 2.0 + 2.5 (lines 2, 3, 4, 6) = 7.0 kWh.
        var consumption = Consumption(summary);
        Assert.Equal(6.5, consumption["imp.main"]!.Value, 9);
        Assert.Equal(7.0, consumption["imp.press"]!.Value, 9);
        Assert.Equal("kWh", summary.GetProperty("meters")[0].GetProperty("unit").GetString());

        Assert.Equal(0, await CountReadingsAsync("imp.main"));
        Assert.Equal(0, await CountReadingsAsync("imp.press"));
        Assert.Equal(quarantineBefore, await QuarantineTotalAsync());
        var after = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}");
        Assert.Equal("uploaded", after.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Commit_AfterValidate_StoresAcceptedQuarantinesRejectedSameAsDryRunAndProgressReachesTotal()
    {
        var id = (await UploadAsync(_client, Encoding.UTF8.GetBytes(WideCsv), "june.csv")).GetProperty("id").GetString();
        var (_, dryRun) = await PostJsonAsync($"/api/v1/imports/{id}/validate", _wideMapping);

        using var commit = await _client.PostAsJsonAsync($"/api/v1/imports/{id}/commit", _wideMapping);
        Assert.Equal(HttpStatusCode.Accepted, commit.StatusCode);
        var done = await WaitCommittedAsync(id!);

        Assert.Equal("committed", done.GetProperty("state").GetString());
        var progress = done.GetProperty("progress");
        Assert.Equal((6L, 6L, 1.0), (progress.GetProperty("rowsDone").GetInt64(), progress.GetProperty("rowsTotal").GetInt64(), progress.GetProperty("fraction").GetDouble()));
        var result = done.GetProperty("result");
        // The dry run foretold exactly what the import did.
        Assert.Equal(Issues(dryRun), Issues(result));
        Assert.Equal(dryRun.GetProperty("summary").GetProperty("accepted").GetInt64(), result.GetProperty("summary").GetProperty("accepted").GetInt64());
        Assert.Equal(2, await CountReadingsAsync("imp.main"));
        Assert.Equal(4, await CountReadingsAsync("imp.press"));
        // One quarantine entry per issue: 3 rows the importer could not take (lines 3, 5, 7) and 1 value the ingest refused (line 4).
        var quarantine = await _client.GetFromJsonAsync<JsonElement>("/api/v1/quarantine");
        Assert.Equal(4, quarantine.GetProperty("total").GetInt32());
        var rows = quarantine.GetProperty("rows").EnumerateArray().ToList();
        Assert.All(rows, r => Assert.Equal("import:june.csv", r.GetProperty("source").GetString()));
        var parsed = rows.Single(r => r.GetProperty("reason").GetString()!.StartsWith("row 3:", StringComparison.Ordinal));
        Assert.Equal(("main_kwh", "2026-06-01 00:30,n/a,1.5"), (parsed.GetProperty("field").GetString(), parsed.GetProperty("value").GetString()));
        Assert.False(Directory.Exists(Path.Combine(_factory.DataDirectory, "imports", id!)));

        // Period-ending 15-minute stamps: 00:15 covers 00:00-00:15 (2.5 kWh), 01:00 covers 00:45-01:00 (4.0 kWh): 6.5 kWh in the 00:00 hour.
        await Http.WaitForDerivationAsync(_client);
        var series = await _client.GetFromJsonAsync<JsonElement>("/api/v1/sites/imp/meters/imp.main/series?grain=hour&from=2026-06-01&to=2026-06-02");
        var hour = Assert.Single(series.GetProperty("points").EnumerateArray());
        Assert.Equal(6.5, hour.GetProperty("value").GetDouble(), 9);

        using var again = await _client.PostAsJsonAsync($"/api/v1/imports/{id}/commit", _wideMapping);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Validate_LongFileAgainstStoredReadings_AlreadyStoredCountedConflictAndUnknownMeterRejected()
    {
        using (var seed = await _client.PostAsync("/api/v1/readings", new StringContent(
            "meter,ts,value\nimp.gas,2026-06-01T00:00:00+08:00,100.5\nimp.gas,2026-06-01T01:00:00+08:00,103\n", Encoding.UTF8, "text/csv")))
        {
            Assert.Equal(HttpStatusCode.OK, seed.StatusCode);
        }

        // Semicolons and decimal commas; line 2 repeats a stored reading, line 3 differs from one, line 4 is new, line 5 names no meter of the tenant.
        const string Long = "meter;ts;value\nimp.gas;2026-06-01T00:00:00+08:00;100,5\nimp.gas;2026-06-01T01:00:00+08:00;104\nimp.gas;2026-06-01T02:00:00+08:00;106,25\nimp.oil;2026-06-01T02:00:00+08:00;7\n";
        var id = (await UploadAsync(_client, Encoding.UTF8.GetBytes(Long), "gas.txt")).GetProperty("id").GetString();
        var (status, report) = await PostJsonAsync($"/api/v1/imports/{id}/validate",
            new { layout = "long", timeColumn = "ts", meterColumn = "meter", valueColumn = "value", decimalSeparator = "," });

        Assert.True(status == HttpStatusCode.OK, report.ToString());
        var summary = report.GetProperty("summary");
        Assert.Equal((2L, 1L, 2L), (summary.GetProperty("accepted").GetInt64(), summary.GetProperty("alreadyStored").GetInt64(), summary.GetProperty("rejected").GetInt64()));
        Assert.Equal(
            [(3, "value", "conflict: 103 is already stored for 'imp.gas' at 2026-06-01T01:00:00.0000000+08:00; the stored reading is kept"),
             (5, "meter", "unknown meter 'imp.oil'; define it in a site document first, then replay the quarantine")],
            Issues(report));
        // A cumulative register's readings do not add up: no consumption is claimed for it.
        Assert.Null(Consumption(summary)["imp.gas"]);
        Assert.Equal(2, await CountReadingsAsync("imp.gas"));
    }

    [Fact]
    public async Task Commit_XlsxWorkbook_PreviewedValidatedAndStored()
    {
        var workbook = Workbook(
            ["time", "gas_m3"],
            ["2026-06-02 08:00", 5000.0],
            ["2026-06-02 09:00", 5012.5],
            ["2026-06-02 10:00", 5030.0]);
        var upload = await UploadAsync(_client, workbook, "gas.xlsx");
        Assert.Equal("xlsx", upload.GetProperty("kind").GetString());
        Assert.Equal(["time", "gas_m3"], upload.GetProperty("preview").GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(["2026-06-02 09:00", "5012.5"], upload.GetProperty("preview").GetProperty("rows")[1].GetProperty("cells").EnumerateArray().Select(c => c.GetString()));
        var id = upload.GetProperty("id").GetString();
        var mapping = new { meter = "imp.gas", valueColumn = "gas_m3", timeColumn = "time", dateFormats = new[] { "yyyy-MM-dd HH:mm" }, timeZone = "Asia/Shanghai" };

        var (status, report) = await PostJsonAsync($"/api/v1/imports/{id}/validate", mapping);
        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.Equal(3, report.GetProperty("summary").GetProperty("accepted").GetInt64());
        using var commit = await _client.PostAsJsonAsync($"/api/v1/imports/{id}/commit", mapping);
        Assert.Equal(HttpStatusCode.Accepted, commit.StatusCode);
        var done = await WaitCommittedAsync(id!);

        Assert.Equal("committed", done.GetProperty("state").GetString());
        Assert.Equal(3, await CountReadingsAsync("imp.gas"));
        // 08:00-10:00 local on a cumulative register: 5030 - 5000 = 30 m3 on 2 June.
        await Http.WaitForDerivationAsync(_client);
        var day = await _client.GetFromJsonAsync<JsonElement>("/api/v1/sites/imp/meters/imp.gas/series?grain=day&from=2026-06-02&to=2026-06-03");
        Assert.Equal(30.0, Assert.Single(day.GetProperty("points").EnumerateArray()).GetProperty("value").GetDouble(), 9);
    }

    [Theory]
    [InlineData(1_100_000)] // over 1 MB but within the multipart allowance: stopped while copying
    [InlineData(3_000_000)] // over by more than the allowance: refused from Content-Length before reading
    public async Task Upload_LargerThanConfiguredLimit_413WithReasonAndNothingKept(int size)
    {
        await using var small = _factory.WithWebHostBuilder(b => b.UseSetting("GreenLoop:MaxUploadMegabytes", "1"));
        using var client = small.CreateClient();
        var content = new byte[size];
        var line = Encoding.ASCII.GetBytes("2026-06-01 00:15,2.5,1.0\n");
        for (var i = 0; i < size; i++) content[i] = line[i % line.Length];

        using var form = Form(content, "big.csv");
        using var response = await client.PostAsync("/api/v1/imports", form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await Http.JsonAsync(response);
        Assert.Equal("The file is too large", problem.GetProperty("title").GetString());
        Assert.Contains("limited to 1 MB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var folder = Path.Combine(_factory.DataDirectory, "imports");
        Assert.True(!Directory.Exists(folder) || Directory.GetFileSystemEntries(folder).Length == 0);
    }

    [Fact]
    public async Task Upload_UnsupportedType_415WithReason()
    {
        using var form = Form([0xD0, 0xCF, 0x11, 0xE0], "old.xls");
        using var response = await _client.PostAsync("/api/v1/imports", form);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("only .csv, .txt, .tsv and .xlsx", (await Http.JsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_IncompleteMapping_400WithReasonsByField()
    {
        var id = (await UploadAsync(_client, Encoding.UTF8.GetBytes(WideCsv), "june.csv")).GetProperty("id").GetString();

        var (status, problem) = await PostJsonAsync($"/api/v1/imports/{id}/validate", new { layout = "long", timeColumn = "time", timeZone = "Mars/Olympus" });
        var (missingColumn, columnProblem) = await PostJsonAsync($"/api/v1/imports/{id}/validate", new { map = new[] { new { column = "kwh", meter = "imp.main" } } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = problem.GetProperty("errors");
        Assert.Equal("choose the column that holds the meter keys", errors.GetProperty("meterColumn")[0].GetString());
        Assert.Equal("choose the column that holds the values", errors.GetProperty("valueColumn")[0].GetString());
        Assert.StartsWith("unknown time zone 'Mars/Olympus'", errors.GetProperty("timeZone")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, missingColumn);
        Assert.Equal("Column 'kwh' is not in the header. The columns are: 'time', 'main_kwh', 'press_kwh'.",
            columnProblem.GetProperty("errors").GetProperty("mapping")[0].GetString());
    }

    [Fact]
    public async Task Get_UnknownUpload_404()
    {
        using var response = await _client.GetAsync("/api/v1/imports/0123456789abcdef01234567");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>A one-sheet workbook: strings as inline strings, doubles as number cells.</summary>
    private static byte[] Workbook(params object[][] rows)
    {
        using var stream = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var book = doc.AddWorkbookPart();
            book.Workbook = new Workbook();
            var sheetPart = book.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            for (var r = 0; r < rows.Length; r++)
            {
                var row = new Row { RowIndex = (uint)(r + 1) };
                for (var c = 0; c < rows[r].Length; c++)
                {
                    var reference = $"{(char)('A' + c)}{r + 1}";
                    row.Append(rows[r][c] switch
                    {
                        double d => new Cell { CellReference = reference, CellValue = new CellValue(d) },
                        var s => new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(s.ToString()!)) },
                    });
                }

                data.Append(row);
            }

            sheetPart.Worksheet = new Worksheet(data);
            book.Workbook.AppendChild(new Sheets(new Sheet { Id = book.GetIdOfPart(sheetPart), SheetId = 1, Name = "Readings" }));
        }

        return stream.ToArray();
    }
}
