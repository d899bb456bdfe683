using System.Net;
using System.Text;
using GreenLoop.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// The import page (/import) against a server of its own: a small CSV is uploaded in the browser, previewed, mapped,
/// checked (dry run) and imported, and the page shows the report, the progress and the summary.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class ImportPageTests(Chromium chromium, ImportPageTests.ImportPlant plant, ITestOutputHelper output) : IClassFixture<ImportPageTests.ImportPlant>
{
    /// <summary>Site <c>uiimp</c> (Asia/Shanghai) with two 15-minute interval electricity meters, no readings.</summary>
    public sealed class ImportPlant : IAsyncLifetime
    {
        public const string Site = "uiimp";

        private const string SiteJson = """
            {"key":"uiimp","name":"Import page plant","nameZh":"导入页面测试工厂","timeZone":"Asia/Shanghai",
             "meters":[
               {"key":"uiimp.main","name":"Main incomer","nameZh":"总进线","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15},
               {"key":"uiimp.press","name":"Press","nameZh":"压机","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15}]}
            """;

        private UiServer? _server;

        public UiServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

        public async Task InitializeAsync()
        {
            _server = await UiServer.StartAsync(["--GreenLoop:Demo:Enabled=false"]);
            using var put = await Server.Client.PutAsync($"api/v1/sites/{Site}", new StringContent(SiteJson, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        public async Task DisposeAsync()
        {
            if (_server is not null) await _server.DisposeAsync();
        }
    }

    /// <summary>Four rows; line 3 has "n/a" for main_kwh. press_kwh is left unmapped, so only main_kwh is imported.</summary>
    private const string Csv = """
        time,main_kwh,press_kwh
        2026-06-01 00:15,2.5,1.0
        2026-06-01 00:30,n/a,1.5
        2026-06-01 00:45,3.25,2.0
        2026-06-01 01:00,4,2.5
        """;

    private UiServer Server => plant.Server;

    [Fact]
    public async Task ImportPage_UploadMapCheckImport_ReportProgressAndSummaryShown()
    {
        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;
        await watched.GotoAsync($"/import?site={ImportPlant.Site}", "import");
        Assert.Equal("Asia/Shanghai", await page.Locator("#time-zone").InputValueAsync());

        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "june.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(Csv) });
        await page.Locator("#upload-button").ClickAsync();

        await Expect(page.Locator("#preview-card")).ToBeVisibleAsync();
        await Expect(page.Locator("#upload-info")).ToContainTextAsync("june.csv");
        await Expect(page.Locator("#upload-info")).ToContainTextAsync($"uploaded by {TestCredentials.AdminUser}");
        await Expect(page.Locator("#preview-rows tr")).ToHaveCountAsync(4);
        Assert.Equal(["2", "2026-06-01 00:15", "2.5", "1.0"], await page.Locator("#preview-rows tr").First.Locator("td").AllInnerTextsAsync());
        // The stamps look like times, so the time column is chosen for the person.
        Assert.Equal("1", await page.Locator("#time-column").InputValueAsync());

        await page.Locator("select.meter-select[data-column='2']").SelectOptionAsync("uiimp.main");
        await page.Locator("#date-format").FillAsync("yyyy-MM-dd HH:mm");
        await page.Locator("#validate-button").ClickAsync();

        await Expect(page.Locator("#report-card")).ToBeVisibleAsync();
        // 4 rows, one mapped column: 4 values; line 3 is rejected, 3 pass.
        await Expect(page.Locator("#r-accepted")).ToHaveTextAsync("3");
        Assert.Equal("1", await page.Locator("#r-rejected").InnerTextAsync());
        Assert.Equal("4 rows", await page.Locator("#r-rows").InnerTextAsync());
        var issue = page.Locator("#issue-rows tr[data-row='3'] td");
        Assert.Equal("main_kwh", await issue.Nth(1).InnerTextAsync());
        Assert.StartsWith("cannot read 'n/a' as a number", await issue.Nth(2).InnerTextAsync(), StringComparison.Ordinal);
        // Interval meter: 2.5 + 3.25 + 4 = 9.75 kWh in the file.
        Assert.Equal("9.75 kWh", await page.Locator("#meter-sums tr[data-meter='uiimp.main'] td.num").InnerTextAsync());
        var stored = await Server.GetJsonAsync("api/v1/sites/uiimp/meters/uiimp.main/series?grain=hour&from=2026-06-01&to=2026-06-02");
        Assert.Equal(0, stored.GetProperty("points").GetArrayLength());

        await page.Locator("#commit-button").ClickAsync();

        await Expect(page.Locator("#commit-result")).ToBeVisibleAsync();
        await Expect(page.Locator("#commit-summary")).ToHaveTextAsync("Imported: 3 values accepted, 1 rejected, 0 repaired.");
        Assert.Equal("4 of 4 rows imported", await page.Locator("#progress-text").InnerTextAsync());
        Assert.Equal(1.0, await page.Locator("#commit-progress").EvaluateAsync<double>("(p) => p.value"));
        Assert.Equal("9.75 kWh", await page.Locator("#commit-meters tr[data-meter='uiimp.main'] td.num").InnerTextAsync());
        Assert.Equal("Imported", await page.Locator("#fact-state").InnerTextAsync());
        Assert.EndsWith("/api/v1/quarantine", await page.Locator("#quarantine-link").GetAttributeAsync("href"), StringComparison.Ordinal);
        output.WriteLine(await watched.ScreenshotAsync("import-en"));

        // Period-ending stamps 00:15, 00:45 and 01:00 all fall in the 00:00 hour: 2.5 + 3.25 + 4 = 9.75 kWh.
        await Server.WaitForDerivationAsync(TimeSpan.FromSeconds(60));
        var series = await Server.GetJsonAsync("api/v1/sites/uiimp/meters/uiimp.main/series?grain=hour&from=2026-06-01&to=2026-06-02");
        Assert.Equal(9.75, Assert.Single(series.GetProperty("points").EnumerateArray()).GetProperty("value").GetDouble(), 9);
        var quarantine = await Server.GetJsonAsync("api/v1/quarantine");
        Assert.Contains(quarantine.GetProperty("rows").EnumerateArray(), r => r.GetProperty("reason").GetString()!.StartsWith("row 3:", StringComparison.Ordinal));
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    [Fact]
    public async Task ImportPage_InChinese_IncompleteMappingExplainedNextToTheForm()
    {
        await using var watched = await chromium.NewPageAsync(Server, "zh-CN");
        var page = watched.Page;
        await watched.GotoAsync($"/import?site={ImportPlant.Site}", "import");
        Assert.Equal("导入 CSV / Excel 读数文件", await page.Locator("h1").InnerTextAsync());

        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "june.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(Csv) });
        await page.Locator("#upload-button").ClickAsync();
        await Expect(page.Locator("#preview-card")).ToBeVisibleAsync();
        // No column mapped to a meter: the server says which field is missing, the page shows it.
        await page.Locator("#validate-button").ClickAsync();

        await Expect(page.Locator("#map-errors li[data-field='map']")).ToContainTextAsync("map at least one value column to a meter");
        Assert.True(await page.Locator("#report-card").IsHiddenAsync());
        output.WriteLine(await watched.ScreenshotAsync("import-zh"));
        // The 400 of the check is the expected answer, which the browser also reports as a failed resource.
        watched.AssertNoErrors(e => e.Contains("400", StringComparison.Ordinal));
        Assert.Empty(Server.Log.Errors);
    }
}
