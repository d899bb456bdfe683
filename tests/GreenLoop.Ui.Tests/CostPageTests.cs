using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GreenLoop.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// The electricity cost page (<c>/cost</c>, issue 16) on a phone at 390 × 844: a constructed June (a tenant tariff that
/// changes on the 16th, 15-minute readings posted through the API with one interval missing, an account with a reactive
/// meter) shows the API's total, the interval that set the maximum demand, the power-factor line, the sources and the
/// UNVERIFIED values and the completeness warning; a site without an account shows how to set one up, and a user with
/// 'configure' saves the account from the page (a refusal shown at the field it names first).
/// </summary>
[Collection(UiCollection.Name)]
public sealed class CostPageTests(Chromium chromium, CostPageTests.CostPlant plant, ITestOutputHelper output) : IClassFixture<CostPageTests.CostPlant>
{
    /// <summary>
    /// A server (no demo plant, wall clock at 10:00 on 2025-07-10 in Shanghai) with the tenant tariff <c>ui-2part</c>
    /// (flat 0.60 ¥/kWh and 32 ¥/kW·month from 2025-01-01, flat 0.65 and 30 from 2025-06-16, 22.6 ¥/kVA·month; the June bands of
    /// 粤发改价格〔2021〕331号), the site <c>costtest</c> with a June of readings (100 kWh and 60 kvarh a quarter hour; 130 kWh
    /// at 10:15 on 20 June; the incomer's 03:00 on 5 June missing) and an account billing its incomer with the reactive
    /// meter under the 0.90 standard, and the site <c>costnew</c> without an account.
    /// </summary>
    public sealed class CostPlant : IAsyncLifetime
    {
        public const string Site = "costtest";

        public const string NewSite = "costnew";

        public const string Tariff = "ui-2part";

        public static readonly DateTimeOffset Now = new(2025, 7, 10, 10, 0, 0, Shanghai);

        private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

        private static readonly string[] _june =
        [
            "00:00-08:00 Valley", "08:00-10:00 Flat", "10:00-11:00 Peak", "11:00-12:00 CriticalPeak", "12:00-14:00 Flat",
            "14:00-15:00 Peak", "15:00-17:00 CriticalPeak", "17:00-19:00 Peak", "19:00-24:00 Flat",
        ];

        private static string SiteJson(string key, string prefix) => $$"""
            {"key":"{{key}}","name":"Cost test plant {{key}}","nameZh":"电费测试厂 {{key}}","timeZone":"Asia/Shanghai",
             "meters":[{"key":"{{prefix}}.main","name":"10 kV incomer","nameZh":"10千伏进线","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"},
                       {"key":"{{prefix}}.q","name":"10 kV incomer, reactive","nameZh":"10千伏进线无功","carrier":"reactive_electricity","unit":"kvarh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"},
                       {"key":"{{prefix}}.gas","name":"Kiln gas","nameZh":"窑炉燃气","carrier":"natural_gas","unit":"m3","kind":"Interval","intervalMinutes":15}]}
            """;

        private static object Version(string from, double flat, double demand) => new
        {
            validFrom = from,
            prices = new object[] { new { band = "Flat", price = flat }, new { band = "Peak", price = flat * 1.7 }, new { band = "Valley", price = flat * 0.38 }, new { band = "CriticalPeak", price = flat * 1.7 * 1.25 } },
            seasons = new[] { new { months = new[] { 6 }, days = "all", periods = _june.Select(p => new { from = p[..5], to = p[6..11], band = p[12..] }).ToArray() } },
            demandPrice = demand,
            capacityPrice = 22.6,
            surcharges = new[] { new { name = "Government funds", nameZh = "政府性基金及附加", price = 0.029 } },
            source = "UI test tariff",
            unverified = new[] { $"prices: the flat price {flat} ¥/kWh is made up for this test" },
        };

        private UiServer? _server;

        public UiServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

        public async Task InitializeAsync()
        {
            _server = await UiServer.StartAsync(["--GreenLoop:Demo:Enabled=false"], new FixedWallClock(Now));
            await SendAsync(HttpMethod.Put, $"api/v1/sites/{Site}", SiteJson(Site, "ct"));
            await SendAsync(HttpMethod.Put, $"api/v1/sites/{NewSite}", SiteJson(NewSite, "cn"));
            await SendAsync(HttpMethod.Put, $"api/v1/tariffs/{Tariff}", JsonSerializer.Serialize(new
            {
                name = "UI test two-part tariff", nameZh = "界面测试两部制电价", versions = new[] { Version("2025-06-16", 0.65, 30), Version("2025-01-01", 0.60, 32) },
            }));
            var readings = new List<(string, DateTimeOffset, double)>();
            for (var start = new DateTimeOffset(2025, 6, 1, 0, 0, 0, Shanghai); start < new DateTimeOffset(2025, 7, 1, 0, 0, 0, Shanghai); start = start.AddMinutes(15))
            {
                if (start != new DateTimeOffset(2025, 6, 5, 3, 0, 0, Shanghai))
                    readings.Add(("ct.main", start.AddMinutes(15), start == new DateTimeOffset(2025, 6, 20, 10, 15, 0, Shanghai) ? 130 : 100));
                readings.Add(("ct.q", start.AddMinutes(15), 60));
            }
            foreach (var chunk in readings.Chunk(3000))
            {
                using var posted = await Server.Client.PostAsync("api/v1/readings", AccountingTestPlant.Body(chunk));
                Assert.True(posted.StatusCode == HttpStatusCode.OK, await posted.Content.ReadAsStringAsync());
            }
            await SendAsync(HttpMethod.Put, $"api/v1/sites/{Site}/electricity-account",
                $$"""{"tariff":"{{Tariff}}","basis":"Demand","powerFactorStandard":0.90,"activeMeters":["ct.main"],"reactiveMeters":["ct.q"]}""");
            await Server.WaitForDerivationAsync(TimeSpan.FromMinutes(2));
        }

        /// <summary>Sends JSON with the administrator's key; asserts success and returns the answer.</summary>
        public async Task<JsonElement> SendAsync(HttpMethod method, string path, string json)
        {
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            using var response = await Server.Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }

        public async Task DisposeAsync()
        {
            if (_server is not null) await _server.DisposeAsync();
        }
    }

    private UiServer Server => plant.Server;

    /// <summary>Money as the page writes it (js/cost.js money): "¥190,123.45", signed "+¥…" / "−¥…".</summary>
    private static string Money(double value, bool signed = false) =>
        (value < 0 ? "−" : signed && value > 0 ? "+" : "") + "¥" + Math.Abs(value).ToString("#,##0.00", CultureInfo.InvariantCulture);

    private static async Task<WatchedPage> PhoneAsync(Chromium chromium, UiServer server)
    {
        var watched = await chromium.NewPageAsync(server, "zh-CN");
        await watched.Page.SetViewportSizeAsync(390, 844);
        return watched;
    }

    private static async Task AssertNoSidewaysScrollingAsync(IPage page)
    {
        var wide = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('body *')]
              .filter((e) => !e.closest('.table-wrap') && e.getBoundingClientRect().right > window.innerWidth + 1)
              .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`)
            """);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"the page scrolls sideways; too wide: {string.Join(", ", wide)}");
    }

    /// <summary>No UI text key shows itself (an unknown key is printed as is, e.g. "cost.pfLine").</summary>
    private static async Task AssertNoRawTextKeysAsync(IPage page) =>
        Assert.DoesNotMatch(new Regex(@"\bcost\.[a-zA-Z]"), await page.Locator("main").InnerTextAsync());

    [Fact]
    public async Task Phone_JuneBill_TotalMaxDemandPowerFactorSourcesAndMissingIntervalShown_MonthPickerMoves()
    {
        var view = await Server.GetJsonAsync($"api/v1/sites/{CostPlant.Site}/electricity-bill?month=2025-06");
        var bill = view.GetProperty("bill");
        var pf = bill.GetProperty("powerFactor");
        await using var watched = await PhoneAsync(chromium, Server);
        var page = watched.Page;

        await watched.GotoAsync($"/cost?site={CostPlant.Site}&month=2025-06", "cost");

        await Assertions.Expect(page.Locator("#total-amount")).ToHaveTextAsync(Money(bill.GetProperty("total").GetDouble()));
        await Assertions.Expect(page.Locator("#energy-charge")).ToHaveTextAsync(Money(bill.GetProperty("energyCharge").GetDouble()));
        // Two versions (a row each) with four bands each.
        await Assertions.Expect(page.Locator("#energy-rows tr[data-band]")).ToHaveCountAsync(8);
        await Assertions.Expect(page.Locator("#energy-rows tr.version-row")).ToHaveTextAsync(["自 2025-01-01 起", "自 2025-06-16 起"]);
        var peak = bill.GetProperty("energy").EnumerateArray().Single(l => l.GetProperty("validFrom").GetString() == "2025-06-16" && l.GetProperty("band").GetString() == "Peak");
        await Assertions.Expect(page.Locator("#energy-rows tr[data-version='2025-06-16'][data-band='Peak'] td").Last).ToHaveTextAsync(Money(peak.GetProperty("amount").GetDouble()));
        // 130 kWh in the quarter hour from 10:15 on 20 June: 520 kW, the month's maximum demand.
        await Assertions.Expect(page.Locator("#max-demand")).ToHaveTextAsync("520 kW");
        await Assertions.Expect(page.Locator("#max-demand-at")).ToHaveTextAsync("2025-06-20 10:15–10:30");
        await Assertions.Expect(page.Locator("#basic-amount")).ToHaveTextAsync(Money(bill.GetProperty("basic").GetProperty("amount").GetDouble()));
        // cos φ 0.8575 billed as 0.86 under the 0.90 standard: +2 % of basic + energy.
        Assert.Equal((0.86, 2.0), (pf.GetProperty("billed").GetDouble(), pf.GetProperty("percent").GetDouble()));
        await Assertions.Expect(page.Locator("#pf-line")).ToHaveTextAsync($"功率因数 0.86（标准 0.90）：调整 +2%，即 {Money(pf.GetProperty("amount").GetDouble(), signed: true)}");
        // The sources and the values flagged UNVERIFIED, one per version used.
        await Assertions.Expect(page.Locator("#sources-card")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#unverified li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#unverified li").First).ToContainTextAsync("made up for this test");
        await Assertions.Expect(page.Locator("#unverified li .badge-unverified")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#sources")).ToContainTextAsync("水电财字第215号");
        // One interval of 2880 missing: a warning, never rounded to 100 %.
        Assert.Equal((2880, 2879), (view.GetProperty("intervalsExpected").GetInt32(), view.GetProperty("intervalsFound").GetInt32()));
        await Assertions.Expect(page.Locator("#completeness-warning")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#completeness-warning")).ToHaveTextAsync("数据不完整：缺 1 个15分钟区间（完整率 99.96%）。缺测区间未计费，本页电费低于供电局账单。");
        await Assertions.Expect(page.Locator("#intervals")).ToHaveTextAsync("已有 2,879 / 应有 2,880");
        // The tariff: both versions, June's bands as a 24-hour strip of nine periods.
        await Assertions.Expect(page.Locator("#tariff-card .tariff-version")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".tariff-version[data-valid-from='2025-06-16'] .tou-seg")).ToHaveCountAsync(9);
        await Assertions.Expect(page.Locator("#xlsx-link")).ToHaveAttributeAsync("href", new Regex(@"/api/v1/sites/costtest/electricity-bill\.xlsx\?month=2025-06$"));
        await AssertNoSidewaysScrollingAsync(page);
        await AssertNoRawTextKeysAsync(page);
        await watched.AssertChartTextInsideAsync();
        output.WriteLine(await watched.ScreenshotAsync("cost-phone-june"));

        // The next month, July (the site's current month): no readings yet, so nothing billed, and the warning says the
        // month is under way.
        await page.Locator("#month-next").ClickAsync();
        await watched.WaitLoadedAsync("cost");
        await Assertions.Expect(page.Locator("#month-input")).ToHaveValueAsync("2025-07");
        Assert.EndsWith("month=2025-07", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#total-amount")).ToHaveTextAsync(Money((await Server.GetJsonAsync($"api/v1/sites/{CostPlant.Site}/electricity-bill?month=2025-07")).GetProperty("bill").GetProperty("total").GetDouble()));
        await Assertions.Expect(page.Locator("#month-next")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#completeness-warning")).ToContainTextAsync("本月尚未结束：已有 0 / 2,976 个15分钟区间");
        await page.Locator("#month-prev").ClickAsync();
        await Assertions.Expect(page.Locator("#month-input")).ToHaveValueAsync("2025-06");
        await Assertions.Expect(page.Locator("#max-demand-at")).ToHaveTextAsync("2025-06-20 10:15–10:30");
        watched.AssertNoErrors();

        // On a desktop, in English: the same total, nothing wider than the window.
        await using var desktop = await chromium.NewPageAsync(Server, "en-US");
        await desktop.GotoAsync($"/cost?site={CostPlant.Site}&month=2025-06", "cost");
        await Assertions.Expect(desktop.Page.Locator("#total-amount")).ToHaveTextAsync(Money(bill.GetProperty("total").GetDouble()));
        await Assertions.Expect(desktop.Page.Locator("#pf-line")).ToHaveTextAsync($"Power factor 0.86 (standard 0.90): +2%, that is {Money(pf.GetProperty("amount").GetDouble(), signed: true)}");
        await AssertNoSidewaysScrollingAsync(desktop.Page);
        await AssertNoRawTextKeysAsync(desktop.Page);
        await desktop.AssertChartTextInsideAsync();
        output.WriteLine(await desktop.ScreenshotAsync("cost-desktop-june"));
        desktop.AssertNoErrors();
    }

    [Fact]
    public async Task Phone_SiteWithoutAccount_ShowsHowToSetOneUp_ConfigureSavesTheAccountFromThePage()
    {
        using (var none = await Server.Client.GetAsync($"api/v1/sites/{CostPlant.NewSite}/electricity-account"))
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        await using var watched = await PhoneAsync(chromium, Server);
        var page = watched.Page;

        await watched.GotoAsync($"/cost?site={CostPlant.NewSite}", "cost");

        await Assertions.Expect(page.Locator("#setup-card")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#content")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#message")).ToBeHiddenAsync();
        // Only the site's kWh meter may be billed, only its kvarh meter is reactive; the gas meter is neither.
        await Assertions.Expect(page.Locator("#active-meters input")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#reactive-meters input")).ToHaveCountAsync(1);
        var form = page.Locator("#account-form");
        await form.Locator("select[name=tariff]").SelectOptionAsync(CostPlant.Tariff);
        await form.Locator("select[name=basis]").SelectOptionAsync("Capacity");
        await form.Locator("#active-meters input[value='cn.main']").CheckAsync();
        await form.Locator("select[name=powerFactorStandard]").SelectOptionAsync("");
        await AssertNoSidewaysScrollingAsync(page);

        // Capacity left out: the server's reason is shown at the capacity field, nothing is saved.
        await page.Locator("#account-save").ClickAsync();
        var capacityError = page.Locator("[data-error-for='capacityKva']");
        await Assertions.Expect(capacityError).ToContainTextAsync("installed transformer capacity");
        await Assertions.Expect(form.Locator("input[name=capacityKva]")).ToHaveAttributeAsync("aria-invalid", "true");
        output.WriteLine(await watched.ScreenshotAsync("cost-phone-refused"));
        using (var still = await Server.Client.GetAsync($"api/v1/sites/{CostPlant.NewSite}/electricity-account"))
            Assert.Equal(HttpStatusCode.NotFound, still.StatusCode);

        await form.Locator("input[name=capacityKva]").FillAsync("800");
        await page.Locator("#account-save").ClickAsync();
        await Assertions.Expect(page.Locator("#account-status")).ToHaveTextAsync("已保存。");
        await Assertions.Expect(capacityError).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#setup-card")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#content")).ToBeVisibleAsync();
        await watched.WaitLoadedAsync("cost");

        var account = await Server.GetJsonAsync($"api/v1/sites/{CostPlant.NewSite}/electricity-account");
        Assert.Equal((CostPlant.Tariff, "Capacity", 800.0), (account.GetProperty("tariff").GetString(), account.GetProperty("basis").GetString(), account.GetProperty("capacityKva").GetDouble()));
        Assert.Equal(JsonValueKind.Null, account.GetProperty("powerFactorStandard").ValueKind);
        Assert.Equal(["cn.main"], account.GetProperty("activeMeters").EnumerateArray().Select(m => m.GetString()));
        Assert.Empty(account.GetProperty("reactiveMeters").EnumerateArray());
        // July by capacity: 800 kVA × 22.6 ¥/kVA·month = ¥18,080.00 for the whole month (one version in force), no energy yet.
        var bill = (await Server.GetJsonAsync($"api/v1/sites/{CostPlant.NewSite}/electricity-bill?month=2025-07")).GetProperty("bill");
        Assert.Equal(18080, bill.GetProperty("basic").GetProperty("amount").GetDouble(), 9);
        await Assertions.Expect(page.Locator("#basic-amount")).ToHaveTextAsync("¥18,080.00");
        await Assertions.Expect(page.Locator("#total-amount")).ToHaveTextAsync(Money(bill.GetProperty("total").GetDouble()));
        await Assertions.Expect(page.Locator("#pf-line")).ToHaveTextAsync("没有无功电表：不调整力调电费。");
        await AssertNoRawTextKeysAsync(page);
        output.WriteLine(await watched.ScreenshotAsync("cost-phone-new-account"));
        // The browser logs the bill's 404 (no account yet) and the refused save's 400 as failed resources; nothing else.
        watched.AssertNoErrors(e => OverviewPageTests.IsNotFoundResource(e, $"/api/v1/sites/{CostPlant.NewSite}/electricity-bill")
            || (e.Contains("status of 400", StringComparison.Ordinal) && e.Contains("electricity-account", StringComparison.Ordinal)));
    }
}
