using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// Pages that update themselves from the site's live stream (js/live.js): new readings show without a reload, the top
/// bar says whether the stream is live, alarm events pop up as toasts.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class LivePageTests(Chromium chromium, LivePageTests.LivePlant plant, ITestOutputHelper output) : IClassFixture<LivePageTests.LivePlant>
{
    /// <summary>Well under the 30 s of the polling fallback: whatever changes within it came through the live stream.</summary>
    private static readonly LocatorAssertionsToHaveTextOptions _live = new() { Timeout = 15_000 };

    /// <summary>
    /// A site of its own (the shared test plant's figures must not move): <c>live.elec</c> (cumulative kWh, 10 kWh per
    /// quarter) and <c>live.gas</c> (cumulative m³, 1 m³ per quarter), read every 15 min from 00:00 to 11:00 today.
    /// </summary>
    public sealed class LivePlant : IAsyncLifetime
    {
        public const string Site = "livetest";

        /// <summary>12:07 on 2026-03-10 in Shanghai.</summary>
        public static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 7, 0, TimeSpan.FromHours(8));

        private const string SiteJson = """
            {"key":"livetest","name":"Live test plant","nameZh":"实时测试工厂","timeZone":"Asia/Shanghai",
             "meters":[
               {"key":"live.elec","name":"Incomer","nameZh":"进线","carrier":"electricity","unit":"kWh","kind":"Cumulative"},
               {"key":"live.gas","name":"Kiln gas","nameZh":"窑炉天然气","carrier":"natural_gas","unit":"m3","kind":"Cumulative"}]}
            """;

        private UiServer? _server;

        public UiServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

        public async Task InitializeAsync()
        {
            _server = await UiServer.StartAsync(["--GreenLoop:Demo:Enabled=false"], new FixedWallClock(Now));
            using (var put = await Server.Client.PutAsync($"api/v1/sites/{Site}", new StringContent(SiteJson, Encoding.UTF8, "application/json")))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }
            var csv = new StringBuilder("meter,ts,value\n");
            for (var q = 0; q <= 44; q++)
            {
                var stamp = Stamp(new TimeOnly(0, 0).AddMinutes(15 * q));
                csv.Append(CultureInfo.InvariantCulture, $"live.elec,{stamp},{1000 + 10 * q}\nlive.gas,{stamp},{100 + q}\n");
            }
            await PostCsvAsync(csv.ToString());
            await Server.WaitForDerivationAsync(TimeSpan.FromSeconds(60));
        }

        /// <summary>A local time of 2026-03-10 as the gateway writes it.</summary>
        public static string Stamp(TimeOnly time) => $"2026-03-10T{time:HH\\:mm}:00+08:00";

        public async Task PostCsvAsync(string csv)
        {
            using var post = await Server.Client.PostAsync("api/v1/readings", new StringContent(csv, Encoding.UTF8, "text/csv"));
            var answer = await post.Content.ReadAsStringAsync();
            Assert.True(post.StatusCode == HttpStatusCode.OK, answer);
            Assert.Contains("\"rejected\":[]", answer, StringComparison.Ordinal);
        }

        public async Task DisposeAsync()
        {
            if (_server is not null) await _server.DisposeAsync();
        }
    }

    private UiServer Server => plant.Server;

    [Fact]
    public async Task Overview_ReadingPosted_TodayUpdatesWithoutReloadAndIndicatorSaysLive()
    {
        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;
        await watched.GotoAsync($"/sites/{LivePlant.Site}", "overview");
        var status = page.Locator(".topbar #live-status");
        await Expect(status).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15_000 });
        Assert.Equal("Live", await status.InnerTextAsync());
        Assert.Equal("Updates live", await page.Locator(".refresh-dot").InnerTextAsync());
        var today = page.Locator("article.carrier-electricity .kpi-block").Nth(0).Locator(".kpi-value");
        // 44 quarters (00:00 to 11:00) x 10 kWh.
        Assert.Equal("440 kWh", await today.InnerTextAsync());
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        await plant.PostCsvAsync($"meter,ts,value\nlive.elec,{LivePlant.Stamp(new TimeOnly(11, 15))},1480\n");

        // The 11:00-11:15 quarter adds 1480 - 1440 = 40 kWh: 480 kWh.
        await Expect(today).ToHaveTextAsync("480 kWh", _live);
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        Assert.Equal("live", await status.GetAttributeAsync("data-state"));
        output.WriteLine(await watched.ScreenshotAsync("live-overview"));
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    [Fact]
    public async Task MeterPage_ReadingOfItsMeterPosted_TableGainsTheNewQuarterWithoutReload()
    {
        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;
        await watched.GotoAsync($"/sites/{LivePlant.Site}/meters/live.gas?grain=15m&from=2026-03-10&to=2026-03-10", "meter");
        await Expect(page.Locator("#live-status")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15_000 });
        var rows = page.Locator("#data-rows tr");
        // 00:00 to 11:00: 44 quarters of 1 m³.
        await Expect(rows).ToHaveCountAsync(44);
        await page.EvaluateAsync("() => { window.notReloaded = true; }");

        await plant.PostCsvAsync($"meter,ts,value\nlive.gas,{LivePlant.Stamp(new TimeOnly(11, 15))},146.5\n");

        // 146.5 - 144 = 2.5 m³ in the quarter from 11:00.
        await Expect(rows).ToHaveCountAsync(45, new() { Timeout = 15_000 });
        Assert.Equal(["2026-03-10 11:00", "2.5 m³", "100%", ""], await page.EvaluateAsync<string[]>(
            "() => [...[...document.querySelector('#data-rows').rows].at(-1).cells].map((c) => c.innerText.trim())"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    [Fact]
    public async Task Overview_AlarmEventInChinese_ToastWithTitleSeverityAndStateThenStreamLive()
    {
        await using var watched = await chromium.NewPageAsync(Server, "zh-CN");
        var page = watched.Page;
        // The first stream the page opens is this canned one (one alarm event, then it ends); the browser then
        // reconnects to the server's own stream.
        await page.RouteAsync($"**/api/v1/sites/{LivePlant.Site}/live", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = "text/event-stream",
            Body = "retry: 200\n\nevent: alarm\n"
                + """data: {"id":"a-1","site":"livetest","state":"active","severity":"critical","title":"Hourly energy above limit","titleZh":"小时能耗超限"}"""
                + "\n\n",
        }), new PageRouteOptions { Times = 1 });

        await watched.GotoAsync($"/sites/{LivePlant.Site}", "overview");

        var toast = page.Locator(".toasts .toast[data-alarm='a-1']");
        await Expect(toast).ToBeVisibleAsync(new() { Timeout = 15_000 });
        Assert.Equal("严重", await toast.Locator(".toast-severity").InnerTextAsync());
        Assert.Equal("告警 · 告警中", await toast.Locator(".toast-state").InnerTextAsync());
        Assert.Equal("小时能耗超限", await toast.Locator(".toast-title").InnerTextAsync());
        Assert.Contains("severity-critical", await toast.GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
        var status = page.Locator("#live-status");
        await Expect(status).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15_000 });
        Assert.Equal("实时", await status.InnerTextAsync());
        output.WriteLine(await watched.ScreenshotAsync("live-alarm-toast-zh"));

        await toast.Locator(".toast-close").ClickAsync();
        await Expect(toast).ToHaveCountAsync(0);
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }
}
