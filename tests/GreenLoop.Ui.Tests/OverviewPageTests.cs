using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GreenLoop.Ui.Tests;

/// <summary>The overview page and the language switch, on the test plant (see <see cref="TestPlant"/>).</summary>
[Collection(UiCollection.Name)]
public sealed class OverviewPageTests(Chromium chromium, TestPlant plant, ITestOutputHelper output)
{
    private UiServer Server => plant.Server;

    [Fact]
    public async Task Overview_English_ShowsSiteLoadCurveCarrierTotalsAndCompleteness()
    {
        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;

        await watched.GotoAsync($"/sites/{TestPlant.Site}", "overview");

        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("UI test plant", await page.Locator("#site-name").InnerTextAsync());
        // The site's wall clock (Shanghai), not the browser's (Los Angeles, where it is still the 9th).
        Assert.Equal("2026-03-10", await page.Locator("#local-date").InnerTextAsync());
        Assert.Equal("14:07", await page.Locator("#local-time").InnerTextAsync());
        Assert.Equal("Asia/Shanghai", await page.Locator("#time-zone").InnerTextAsync());

        // The load curve: one point per finished quarter of today, 00:00 to 13:45 = 56, drawn on a canvas.
        Assert.True(await page.Locator("#load-chart canvas").CountAsync() >= 1);
        var curve = await page.EvaluateAsync<double[]>(
            "() => echarts.getInstanceByDom(document.getElementById('load-chart')).getOption().series[0].data.map((d) => d.value[1])");
        Assert.Equal(56, curve.Length);
        // 10 kWh per quarter is 40 kW before 08:00; 40 kWh per quarter is 160 kW from 08:00.
        Assert.Equal([40.0, 160.0], curve.Distinct().Order());

        var overview = await Server.GetJsonAsync($"api/v1/sites/{TestPlant.Site}/overview");
        var elecToday = Carrier(overview.GetProperty("today"), "electricity");
        // 00:00-08:00: 32 quarters x 10 kWh = 320; 08:00-14:00: 24 x 40 = 960; together 1,280 kWh.
        Assert.Equal(1280.0, elecToday.GetProperty("value").GetDouble());
        var electricity = page.Locator("article.carrier-electricity");
        Assert.Equal("Electricity", await electricity.Locator("h3").InnerTextAsync());
        var elecTodayText = await electricity.Locator(".kpi-block").Nth(0).Locator(".kpi-value").InnerTextAsync();
        Assert.Equal(PageFormat.Quantity(elecToday.GetProperty("value").GetDouble(), elecToday.GetProperty("unit").GetString()!), elecTodayText);
        Assert.Equal("1,280 kWh", elecTodayText);
        // This month: the 9th (14 h x 4 x 10 + 10 h x 4 x 40 = 560 + 1,600 = 2,160) and today's 1,280.
        Assert.Equal("3,440 kWh", await electricity.Locator(".kpi-block").Nth(1).Locator(".kpi-value").InnerTextAsync());
        // Today's gas: 56 quarters x 1.35 m3 = 75.6 m3, unit written m³.
        var gas = page.Locator("article.carrier-natural_gas");
        Assert.Equal("Natural gas", await gas.Locator("h3").InnerTextAsync());
        Assert.Equal("75.6 m³", await gas.Locator(".kpi-block").Nth(0).Locator(".kpi-value").InnerTextAsync());

        // Completeness today: 14 h measured of 14 h 07 min elapsed = 840 / 847 = 0.9917 -> 99.2%.
        Assert.Equal(0.9917, overview.GetProperty("completenessToday").GetDouble());
        Assert.Equal(0.9917, elecToday.GetProperty("completeness").GetDouble());
        Assert.Equal("Complete 99.2%", await electricity.Locator(".kpi-complete").Nth(0).InnerTextAsync());
        var gaugeText = await page.EvaluateAsync<string>(
            "() => { const o = echarts.getInstanceByDom(document.getElementById('completeness-chart')).getOption(); return o.series[0].detail.formatter(); }");
        Assert.Equal("99.2%", gaugeText);
        var meterRows = await TableAsync(page, "#meter-rows");
        Assert.Equal(
            [["ui.elec", "Press incomer", "Electricity", "Cumulative", "14:00", "99.2%"],
             ["ui.gas", "Kiln gas", "Natural gas", "Cumulative", "14:00", "99.2%"]],
            meterRows);

        output.WriteLine(await watched.ScreenshotAsync("overview-en"));
        await watched.AssertChartTextInsideAsync();
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    [Fact]
    public async Task LanguageSwitch_ChineseChosen_ChineseLabelsOnTheSamePageAndCookieKeptAcrossNavigation()
    {
        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;
        await watched.GotoAsync($"/sites/{TestPlant.Site}", "overview");

        await page.Locator(".langswitch a[hreflang='zh-CN']").ClickAsync();
        await page.WaitForURLAsync($"**/sites/{TestPlant.Site}");
        await watched.WaitLoadedAsync("overview");

        Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal($"/sites/{TestPlant.Site}", new Uri(page.Url).AbsolutePath);
        Assert.Equal("总览", await page.Locator(".mainnav a").Nth(0).InnerTextAsync());
        Assert.Equal("界面测试工厂", await page.Locator("#site-name").InnerTextAsync());
        Assert.Equal("true", await page.Locator(".langswitch a[hreflang='zh-CN']").GetAttributeAsync("aria-current"));
        var electricity = page.Locator("article.carrier-electricity");
        Assert.Equal("电力", await electricity.Locator("h3").InnerTextAsync());
        Assert.Equal("今日", await electricity.Locator(".kpi-label > span").Nth(0).InnerTextAsync());
        Assert.Equal("1,280 kWh", await electricity.Locator(".kpi-value").Nth(0).InnerTextAsync());
        Assert.Equal("完整率 99.2%", await electricity.Locator(".kpi-complete").Nth(0).InnerTextAsync());
        var cookie = Assert.Single(await watched.Context.CookiesAsync(), c => c.Name == "lang");
        Assert.Equal("zh-CN", cookie.Value);
        output.WriteLine(await watched.ScreenshotAsync("overview-zh"));
        await watched.AssertChartTextInsideAsync();

        await page.Locator(".mainnav a", new PageLocatorOptions { HasText = "计量表" }).ClickAsync();
        await page.WaitForURLAsync($"**/sites/{TestPlant.Site}/meters");
        await watched.WaitLoadedAsync("meters");

        Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("界面测试工厂", await page.Locator("#site-name").InnerTextAsync());
        Assert.Equal("共 2 块计量表", await page.Locator("#meter-count").InnerTextAsync());
        Assert.Equal(
            [["ui.elec", "压制车间进线", "电力", "累计型", "kWh", "2026-03-10 14:00", "99.2%"],
             ["ui.gas", "窑炉天然气", "天然气", "累计型", "m³", "2026-03-10 14:00", "99.2%"]],
            await TableAsync(page, "#meter-rows"));
        output.WriteLine(await watched.ScreenshotAsync("meters-zh"));

        await page.Locator(".langswitch a[hreflang='en']").ClickAsync();
        await page.WaitForURLAsync($"**/sites/{TestPlant.Site}/meters");
        await watched.WaitLoadedAsync("meters");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("2 meters", await page.Locator("#meter-count").InnerTextAsync());

        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    [Fact]
    public async Task Overview_UnknownSite_ShowsSiteNotFoundMessage()
    {
        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;

        await watched.GotoAsync("/sites/nowhere", "overview");

        var message = page.Locator("#message");
        Assert.True(await message.IsVisibleAsync());
        Assert.Equal("Site \"nowhere\" was not found. Check the address or go back to the overview. Overview", await message.TextContentAsync());
        Assert.True(await page.Locator("#content").IsHiddenAsync());
        Assert.Equal("Overview", await page.Locator(".mainnav a").Nth(0).InnerTextAsync());
        output.WriteLine(await watched.ScreenshotAsync("overview-unknown-site"));
        // The browser itself logs the API's 404; nothing else may appear.
        watched.AssertNoErrors(e => IsNotFoundResource(e, "/api/v1/sites/nowhere/overview"));
        Assert.Empty(Server.Log.Errors);
    }

    internal static bool IsNotFoundResource(string error, string path) =>
        error.StartsWith("console error: Failed to load resource: the server responded with a status of 404", StringComparison.Ordinal)
        && error.Contains(path, StringComparison.Ordinal);

    internal static JsonElement Carrier(JsonElement rows, string carrier) =>
        Assert.Single(rows.EnumerateArray(), r => r.GetProperty("carrier").GetString() == carrier);

    /// <summary>The text of every cell of a table body, row by row.</summary>
    internal static async Task<string[][]> TableAsync(IPage page, string tbodySelector) =>
        await page.EvaluateAsync<string[][]>(
            "(selector) => [...document.querySelector(selector).rows].map((r) => [...r.cells].map((c) => c.innerText.trim()))",
            tbodySelector);
}
