using System.Net;
using System.Text;
using GreenLoop.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// The manual entry page (/manual-entry) against a server of its own: a water bill's two register readings are entered
/// in the browser, one is corrected with a reason, and the list, the version history and the derived consumption follow.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class ManualEntryPageTests(Chromium chromium, ManualEntryPageTests.ManualPlant plant, ITestOutputHelper output) : IClassFixture<ManualEntryPageTests.ManualPlant>
{
    /// <summary>Site <c>uiman</c> (Asia/Shanghai) with an offline cumulative water meter, no readings.</summary>
    public sealed class ManualPlant : IAsyncLifetime
    {
        public const string Site = "uiman";

        private const string SiteJson = """
            {"key":"uiman","name":"Manual entry plant","nameZh":"手工录入测试工厂","timeZone":"Asia/Shanghai",
             "meters":[{"key":"uiman.water","name":"Fresh water (billed)","nameZh":"自来水（账单）","carrier":"fresh_water","unit":"m3","kind":"Cumulative"}]}
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

    private UiServer Server => plant.Server;

    private static async Task EnterAsync(IPage page, string date, string time, string value, string document)
    {
        await page.Locator("#entry-date").FillAsync(date);
        await page.Locator("#entry-time").FillAsync(time);
        await page.Locator("#entry-value").FillAsync(value);
        await page.Locator("#entry-document").FillAsync(document);
        await page.Locator("#entry-save").ClickAsync();
    }

    [Fact]
    public async Task ManualEntryPage_TwoBillReadingsThenACorrection_ListHistoryAndDerivedConsumptionFollow()
    {
        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;
        await watched.GotoAsync($"/manual-entry?site={ManualPlant.Site}", "manual-entry");
        Assert.Equal("uiman.water", await page.Locator("#entry-meter").InputValueAsync());
        Assert.Equal("m³", await page.Locator("#entry-unit").InnerTextAsync());
        Assert.Equal("Site time (Asia/Shanghai)", await page.Locator("#entry-zone").InnerTextAsync());

        // The bill: previous reading 1200 m³ on 30 Sep 08:00, current reading 1350 m³ on 31 Oct 08:00 (site time).
        await EnterAsync(page, "2026-09-30", "08:00", "1200", "WB-2026-10");
        await Expect(page.Locator("#entry-rows tr.entry-row")).ToHaveCountAsync(1);
        await EnterAsync(page, "2026-10-31", "08:00", "1350", "WB-2026-10");
        var rows = page.Locator("#entry-rows tr.entry-row");
        await Expect(rows).ToHaveCountAsync(2);

        var current = rows.First; // newest reading first
        Assert.Equal(["uiman.water", "2026-10-31 08:00", "1,350 m³", "v1", TestCredentials.AdminUser],
            (await current.Locator("td").AllInnerTextsAsync()).Take(5).Select(s => s.Trim()));
        Assert.Equal("WB-2026-10", (await current.Locator("td").Nth(6).InnerTextAsync()).Trim());
        Assert.Equal("2", await page.Locator("#fact-entries").InnerTextAsync());

        await current.Locator("button[data-action='correct']").ClickAsync();
        var detail = page.Locator("tr.entry-detail");
        await Expect(detail.Locator(".version-rows tr")).ToHaveCountAsync(1);
        await detail.Locator("input[name='value']").FillAsync("1380");
        await detail.Locator("button[type='submit']").ClickAsync();
        // The page asks for the reason before sending anything.
        await Expect(detail.Locator(".correction-errors")).ToHaveTextAsync("Say why the value is corrected.");
        await detail.Locator("input[name='reason']").FillAsync("supplier corrected the bill");
        await detail.Locator("button[type='submit']").ClickAsync();

        await Expect(page.Locator("#message")).ToHaveTextAsync("Corrected: version 2.");
        await Expect(rows.First.Locator("td.version")).ToHaveTextAsync("v2");
        Assert.Equal("1,380 m³", await rows.First.Locator("td.value").InnerTextAsync());
        Assert.Equal(TestCredentials.AdminUser, await rows.First.Locator("td.by").InnerTextAsync());
        var versions = page.Locator("tr.entry-detail .version-rows tr");
        await Expect(versions).ToHaveCountAsync(2);
        Assert.Equal(["v1", "1,350 m³", TestCredentials.AdminUser], (await versions.Nth(0).Locator("td").AllInnerTextsAsync()).Take(3));
        Assert.Equal(["v2", "1,380 m³", TestCredentials.AdminUser], (await versions.Nth(1).Locator("td").AllInnerTextsAsync()).Take(3));
        Assert.Equal("supplier corrected the bill", await versions.Nth(1).Locator("td").Nth(5).InnerTextAsync());
        output.WriteLine(await watched.ScreenshotAsync("manual-entry-en"));

        // 180 m³ over the 31 days between the readings, spread evenly: October (from its 1st 00:00 to the 31st 08:00,
        // 30 d 8 h of the 31 d) gets 180 x (30 + 8/24) / 31 = 176.129... m³.
        await Server.WaitForDerivationAsync(TimeSpan.FromSeconds(60));
        var months = await Server.GetJsonAsync("api/v1/sites/uiman/meters/uiman.water/series?grain=month&from=2026-10-01&to=2026-11-01");
        Assert.Equal(180.0 * (30 + 8.0 / 24) / 31, Assert.Single(months.GetProperty("points").EnumerateArray()).GetProperty("value").GetDouble(), 6);

        // The same instant again is refused; the page says so and opens the entry that holds it.
        await EnterAsync(page, "2026-10-31", "08:00", "1390", "");
        await Expect(page.Locator("#entry-errors")).ToContainTextAsync("That instant already holds a reading");
        watched.AssertNoErrors(e => e.Contains("409", StringComparison.Ordinal));
        Assert.Empty(Server.Log.Errors);
    }

    [Fact]
    public async Task ManualEntryPage_InChinese_LabelsUnitsAndBillHint()
    {
        await using var watched = await chromium.NewPageAsync(Server, "zh-CN");
        var page = watched.Page;
        await watched.GotoAsync($"/manual-entry?site={ManualPlant.Site}", "manual-entry");

        Assert.Equal("离线表计手工录入", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("上次读数", await page.Locator("#bill-hint").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("站点时间（Asia/Shanghai）", await page.Locator("#entry-zone").InnerTextAsync());
        Assert.Contains("自来水（账单）", await page.Locator("#entry-meter option[value='uiman.water']").InnerTextAsync(), StringComparison.Ordinal);
        await Expect(page.Locator(".mainnav a[aria-current='page']")).ToHaveTextAsync("手工录入");
        watched.AssertNoErrors();
    }
}
