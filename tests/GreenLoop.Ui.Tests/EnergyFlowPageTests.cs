using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// The energy-flow page and the meter balance page (issue 16, item 4) on a plant of their own (see
/// <see cref="FlowPlant"/>), whose every figure is worked out by hand.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class EnergyFlowPageTests(Chromium chromium, EnergyFlowPageTests.FlowPlant plant, ITestOutputHelper output) : IClassFixture<EnergyFlowPageTests.FlowPlant>
{
    /// <summary>
    /// A main incomer at the site (100 kWh a quarter hour), workshop A (60) and workshop B (30; 35 on 10 March) under it,
    /// process A1 (20) under workshop A; 15-minute interval readings for 9, 10 and 11 March 2026 (+08:00), the clock
    /// standing at 10:00 on the 12th. By hand, 9-11 March: main 28,800 kWh, A 17,280, B 9,120, A1 5,760; the site's
    /// remainder 28,800 − 17,280 − 9,120 = 2,400 kWh, workshop A's 17,280 − 5,760 = 11,520 kWh. On 10 March the main
    /// meter's sub-meters take 5,760 + 3,360 = 9,120 of its 9,600 kWh: a difference of 480 kWh, 5 %.
    /// </summary>
    public sealed class FlowPlant : IAsyncLifetime
    {
        public const string Site = "flowui";
        public static readonly DateTimeOffset Now = new(2026, 3, 12, 10, 0, 0, TimeSpan.FromHours(8));
        private static readonly DateTimeOffset _first = new(2026, 3, 9, 0, 0, 0, TimeSpan.FromHours(8));

        private const string SiteJson = """
            {"key":"flowui","name":"Flow UI plant","nameZh":"能流界面测试厂","timeZone":"Asia/Shanghai",
             "nodes":[{"key":"wsA","name":"Workshop A","nameZh":"A车间"},{"key":"wsB","name":"Workshop B","nameZh":"B车间"},
                      {"key":"procA1","name":"Process A1","nameZh":"A1工序","kind":"Process","parent":"wsA"}],
             "meters":[
               {"key":"flowui.main","name":"Main incomer","nameZh":"总进线","carrier":"electricity","unit":"kWh","kind":"Interval"},
               {"key":"flowui.a","name":"Workshop A feeder","nameZh":"A车间馈线","node":"wsA","carrier":"electricity","unit":"kWh","kind":"Interval","parent":"flowui.main"},
               {"key":"flowui.b","name":"Workshop B feeder","nameZh":"B车间馈线","node":"wsB","carrier":"electricity","unit":"kWh","kind":"Interval","parent":"flowui.main"},
               {"key":"flowui.a1","name":"Process A1 feeder","nameZh":"A1工序馈线","node":"procA1","carrier":"electricity","unit":"kWh","kind":"Interval","parent":"flowui.a"}]}
            """;

        private UiServer? _server;

        public UiServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

        public async Task InitializeAsync()
        {
            _server = await UiServer.StartAsync(["--GreenLoop:Demo:Enabled=false"], new FixedWallClock(Now));
            using (var put = await Server.Client.PutAsync($"api/v1/sites/{Site}", new StringContent(SiteJson, Encoding.UTF8, "application/json")))
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            var csv = new StringBuilder("meter,ts,value\n");
            for (var start = _first; start < _first.AddDays(3); start = start.AddMinutes(15))
            {
                var stamp = start.AddMinutes(15).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                var b = start.Day == 10 ? 35 : 30;
                csv.Append(CultureInfo.InvariantCulture, $"flowui.main,{stamp},100\nflowui.a,{stamp},60\nflowui.b,{stamp},{b}\nflowui.a1,{stamp},20\n");
            }
            using (var post = await Server.Client.PostAsync("api/v1/readings", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv")))
            {
                Assert.Equal(HttpStatusCode.OK, post.StatusCode);
                Assert.StartsWith("""{"received":1152,"accepted":1152,""", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            await Server.WaitForDerivationAsync(TimeSpan.FromSeconds(60));
        }

        public async Task DisposeAsync()
        {
            if (_server is not null) await _server.DisposeAsync();
        }
    }

    private UiServer Server => plant.Server;

    private const string Range = "from=2026-03-09&to=2026-03-11";

    /// <summary>The ids of the nodes the page's ECharts instance holds.</summary>
    private static Task<string[]> ChartNodesAsync(IPage page) =>
        page.EvaluateAsync<string[]>("() => echarts.getInstanceByDom(document.getElementById('flow-chart')).getOption().series[0].data.map((d) => d.name)");

    /// <summary>Where a node of the Sankey is drawn on screen: the middle of its bar, in viewport coordinates.</summary>
    private static async Task<(float X, float Y)> NodeCentreAsync(IPage page, string id)
    {
        await page.Locator("#flow-chart").ScrollIntoViewIfNeededAsync();
        var xy = await page.EvaluateAsync<float[]>("""
            (id) => {
              const dom = document.getElementById('flow-chart');
              const series = echarts.getInstanceByDom(dom).getModel().getSeriesByIndex(0);
              const data = series.getData();
              const l = data.getItemLayout(data.indexOfName(id));
              const r = dom.getBoundingClientRect();
              return [r.left + series.layoutInfo.x + l.x + l.dx / 2, r.top + series.layoutInfo.y + l.y + l.dy / 2];
            }
            """, id);
        return (xy[0], xy[1]);
    }

    [Theory]
    [InlineData(1280, 800, "en-US")]
    [InlineData(390, 844, "zh-CN")]
    public async Task EnergyFlowPage_SankeyHasTheApisNodes_TableListsTheRemainders_ANodeDrillsIn(int width, int height, string locale)
    {
        var flow = await Server.GetJsonAsync($"api/v1/sites/{FlowPlant.Site}/energy-flow?from=2026-03-09&to=2026-03-12");
        var apiNodes = flow.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).Order(StringComparer.Ordinal).ToList();
        await using var watched = await chromium.NewPageAsync(Server, locale);
        var page = watched.Page;
        await page.SetViewportSizeAsync(width, height);

        await watched.GotoAsync($"/energy-flow?site={FlowPlant.Site}&{Range}", "energy-flow");

        Assert.True(await page.Locator("#flow-chart canvas").CountAsync() >= 1);
        Assert.Equal(apiNodes, (await ChartNodesAsync(page)).Order(StringComparer.Ordinal));
        Assert.Contains("rest:_site:electricity", apiNodes);
        Assert.Contains("rest:wsA:electricity", apiNodes);
        // The table holds the same flows; the remainders are rows of their own, with the amounts worked out by hand.
        Assert.Equal(flow.GetProperty("links").GetArrayLength(), await page.Locator("#flow-rows tr").CountAsync());
        Assert.Equal(2, await page.Locator("#flow-rows tr.flow-remainder").CountAsync());
        var siteRest = page.Locator("#flow-rows tr[data-target='rest:_site:electricity'] td");
        Assert.Equal(locale == "zh-CN" ? "未计量/损耗" : "Unmetered / losses", await siteRest.Nth(2).InnerTextAsync());
        Assert.Equal("2,400 kWh", await siteRest.Nth(4).InnerTextAsync());
        Assert.Equal("11,520 kWh", await page.Locator("#flow-rows tr[data-target='rest:wsA:electricity'] td").Nth(4).InnerTextAsync());
        Assert.Equal(locale == "zh-CN" ? "未发现计量问题。" : "No metering problems found.", await page.Locator("#problems li").InnerTextAsync());
        Assert.Equal(["2026-03-09", "2026-03-11"], [await page.InputValueAsync("#controls input[name=from]"), await page.InputValueAsync("#controls input[name=to]")]);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"the page scrolls sideways at {width} px");
        await watched.AssertChartTextInsideAsync();
        output.WriteLine(await watched.ScreenshotAsync($"energy-flow-{width}-{locale}"));

        // Into workshop A: on the desktop by clicking its node in the chart, on the phone by the table's drill link.
        if (width >= 1000)
        {
            var (x, y) = await NodeCentreAsync(page, "node:wsA:electricity");
            await page.Mouse.ClickAsync(x, y);
        }
        else
        {
            await page.Locator("#flow-rows tr[data-target='node:wsA:electricity'] a.drill-link").ClickAsync();
        }
        await page.WaitForFunctionAsync("""
            () => new URLSearchParams(location.search).get('node') === 'wsA' && document.getElementById('energy-flow').getAttribute('aria-busy') === 'false'
              && echarts.getInstanceByDom(document.getElementById('flow-chart')).getOption().series[0].data.some((d) => d.name === 'node:procA1:electricity')
            """);
        Assert.Equal(["carrier:electricity", "node:procA1:electricity", "node:wsA:electricity", "rest:wsA:electricity"], (await ChartNodesAsync(page)).Order(StringComparer.Ordinal));
        Assert.Equal([locale == "zh-CN" ? "能流界面测试厂" : "Flow UI plant", locale == "zh-CN" ? "A车间" : "Workshop A"],
            (await page.Locator("#flow-path > a, #flow-path > span[aria-current]").AllInnerTextsAsync()).ToArray());
        Assert.Equal("11,520 kWh", await page.Locator("#flow-rows tr[data-target='rest:wsA:electricity'] td").Nth(4).InnerTextAsync());
        output.WriteLine(await watched.ScreenshotAsync($"energy-flow-{width}-{locale}-wsA"));

        // Back up by the breadcrumb, then standard coal: 28,800 kWh × 0.1229 kgce/kWh (GB/T 2589-2020) = 3.53952 tce in.
        await page.Locator("#flow-path a").First.ClickAsync();
        await page.WaitForFunctionAsync("() => !new URLSearchParams(location.search).has('node') && document.getElementById('energy-flow').getAttribute('aria-busy') === 'false'");
        await page.GetByRole(AriaRole.Radio, new() { Name = locale == "zh-CN" ? "折标准煤" : "Standard coal", Exact = true }).CheckAsync();
        await page.WaitForFunctionAsync("() => new URLSearchParams(location.search).get('unit') === 'tce' && document.getElementById('energy-flow').getAttribute('aria-busy') === 'false'");
        Assert.Equal("3.54 tce", await page.Locator("#flow-rows tr[data-source='carrier:electricity'] td").Nth(4).InnerTextAsync());
        Assert.False(await page.Locator("#coefficients-card").IsHiddenAsync());
        Assert.Contains("0.1229", await page.Locator("#coefficient-rows").InnerTextAsync(), StringComparison.Ordinal);
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    [Theory]
    [InlineData(1280, 800, "en-US")]
    [InlineData(390, 844, "zh-CN")]
    public async Task BalancePage_FromTheMeterPage_ShowsTheKnownDaysDifference(int width, int height, string locale)
    {
        await using var watched = await chromium.NewPageAsync(Server, locale);
        var page = watched.Page;
        await page.SetViewportSizeAsync(width, height);
        await watched.GotoAsync($"/sites/{FlowPlant.Site}/meters/flowui.main", "meter");

        await page.Locator("#to-balance").ClickAsync();
        await page.WaitForURLAsync("**/balance**");
        await watched.WaitLoadedAsync("balance");
        await page.FillAsync("#controls input[name=from]", "2026-03-09");
        await page.FillAsync("#controls input[name=to]", "2026-03-11");
        await page.ClickAsync("#controls button[type=submit]");
        await page.WaitForFunctionAsync("() => new URLSearchParams(location.search).get('from') === '2026-03-09' && document.getElementById('balance').getAttribute('aria-busy') === 'false'");

        Assert.Equal("flowui.main", await page.InputValueAsync("#controls select[name=meter]"));
        Assert.Equal(3, await page.Locator("#balance-rows tr").CountAsync());
        // Day, main, A, B, sub-meters total, difference, difference %.
        var tenth = await page.Locator("#balance-rows tr[data-day='2026-03-10'] td").AllInnerTextsAsync();
        Assert.Equal(["2026-03-10", "9,600 kWh", "5,760 kWh", "3,360 kWh", "9,120 kWh", "480 kWh", "5%"], tenth);
        var ninth = await page.Locator("#balance-rows tr[data-day='2026-03-09'] td").AllInnerTextsAsync();
        Assert.Equal(["2026-03-09", "9,600 kWh", "5,760 kWh", "2,880 kWh", "8,640 kWh", "960 kWh", "10%"], ninth);
        // Over the three days: 28,800 against 26,400, 2,400 kWh = 8.33 %.
        Assert.Equal(["28,800 kWh", "17,280 kWh", "9,120 kWh", "26,400 kWh", "2,400 kWh", "8.33%"],
            (await page.Locator("#balance-total td.num").AllInnerTextsAsync()).ToArray());
        Assert.Equal("2,400 kWh · 8.33%", await page.Locator("#fact-difference").InnerTextAsync());
        Assert.True(await page.EvaluateAsync<int>("() => echarts.getInstanceByDom(document.getElementById('balance-chart')).getOption().series[0].data.length") == 3);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"the page scrolls sideways at {width} px");
        output.WriteLine(await watched.ScreenshotAsync($"balance-{width}-{locale}"));
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    [Fact]
    public async Task EnergyPage_LinksToTheFlowAndBalancePages()
    {
        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;
        await watched.GotoAsync($"/sites/{FlowPlant.Site}/energy?period=2026-03", "energy");

        await page.Locator("#to-flow").ClickAsync();
        await page.WaitForURLAsync("**/energy-flow**");
        await watched.WaitLoadedAsync("energy-flow");
        Assert.Equal("active", await page.Locator(".mainnav a.active").GetAttributeAsync("class"));
        Assert.EndsWith($"/sites/{FlowPlant.Site}/energy", await page.Locator(".mainnav a.active").GetAttributeAsync("href"), StringComparison.Ordinal);
        // This month so far (1-12 March): the three days metered.
        Assert.Equal(["2026-03-01", "2026-03-12"], [await page.InputValueAsync("#controls input[name=from]"), await page.InputValueAsync("#controls input[name=to]")]);
        Assert.Equal("28,800 kWh", await page.Locator("#flow-rows tr[data-source='carrier:electricity'] td").Nth(4).InnerTextAsync());
        watched.AssertNoErrors();
    }
}
