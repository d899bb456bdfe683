using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// The projects page, a baseline model's page and the MAC curve (issue 14) on a small site of our own: a compressed-air
/// sub-meter and a product output meter, both daily interval meters, whose data the test writes itself.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class ProjectsPageTests(Chromium chromium, ProjectsPageTests.MvPlant plant, ITestOutputHelper output) : IClassFixture<ProjectsPageTests.MvPlant>
{
    /// <summary>
    /// A server (no demo plant, wall clock standing at <see cref="Now"/>) with the site <c>mvtest</c>: 120 days from
    /// 2026-01-05, each day's compressor energy 800 kWh + 1.2 kWh per m² of output + a deterministic noise of at most
    /// ±15 kWh; output 300-340 m² a day for the first 30 days and 600-800 m² after. The last 30 days (the reporting
    /// period, from 2026-04-05) use 8 % less energy. Model 1 (Option B, linear on output) has the first 90 days as its
    /// baseline and verifies the air programme; model 2 has only the first 30 days (low output) as its baseline, so the
    /// reporting period's output lies outside its range. Two projects: the air programme (verified by model 1) and an
    /// LED retrofit (approved).
    /// </summary>
    public sealed class MvPlant : IAsyncLifetime
    {
        public const string Site = "mvtest";

        /// <summary>14:00 on Sunday 2026-05-10 in Shanghai.</summary>
        public static readonly DateTimeOffset Now = new(2026, 5, 10, 14, 0, 0, TimeSpan.FromHours(8));

        public static readonly DateOnly First = new(2026, 1, 5);
        public const int Days = 120;
        public const int BaselineDays = 90;
        public const int LowOutputDays = 30;

        private const string SiteJson = """
            {"key":"mvtest","name":"M&V test plant","nameZh":"节能验证测试厂","timeZone":"Asia/Shanghai","gridRegion":"CN-Guangdong",
             "nodes":[{"key":"air","name":"Compressed air","nameZh":"空压站"},{"key":"press","name":"Press shop","nameZh":"压制车间"}],
             "meters":[
               {"key":"mv.air","name":"Air compressors","nameZh":"空压机","node":"air","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":1440,"maxGapMinutes":1440},
               {"key":"mv.output","name":"Product output","nameZh":"成品产量","node":"press","quantity":"ProductOutput","carrier":"tile_output","unit":"m2","kind":"Interval","intervalMinutes":1440,"maxGapMinutes":1440}]}
            """;

        private UiServer? _server;

        public UiServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

        public long AirProject { get; private set; }

        public long LedProject { get; private set; }

        /// <summary>The model that verifies the air programme.</summary>
        public long Model { get; private set; }

        /// <summary>The model whose reporting period's output lies outside its baseline range.</summary>
        public long OutOfRangeModel { get; private set; }

        private static string Day(int d) => First.AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        /// <summary>The readings as CSV: one per meter and day, stamped at the end of the day (period ending).</summary>
        public static string ReadingsCsv()
        {
            var csv = new StringBuilder("meter,ts,value\n");
            // A fixed linear congruential generator: the same numbers on every machine and run.
            var state = 20260105u;
            double Next()
            {
                state = unchecked((1103515245u * state) + 12345u) & 0x7fffffff;
                return state / 2147483648.0;
            }
            for (var d = 0; d < Days; d++)
            {
                var output = Math.Round(d < LowOutputDays ? 300 + (40 * Next()) : 600 + (200 * Next()), 1);
                var noise = (Next() - 0.5) * 30;
                var energy = 800 + (1.2 * output) + noise;
                if (d >= BaselineDays) energy *= 0.92;
                var stamp = new DateTimeOffset(First.AddDays(d + 1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                csv.Append(CultureInfo.InvariantCulture, $"mv.air,{stamp},{Math.Round(energy, 1)}\nmv.output,{stamp},{output}\n");
            }
            return csv.ToString();
        }

        public async Task InitializeAsync()
        {
            _server = await UiServer.StartAsync(["--GreenLoop:Demo:Enabled=false"], new FixedWallClock(Now));
            await SendAsync(HttpMethod.Put, $"api/v1/sites/{Site}", SiteJson);
            using (var post = await Server.Client.PostAsync("api/v1/readings", new StringContent(ReadingsCsv(), Encoding.UTF8, "text/csv")))
            {
                var answer = await post.Content.ReadAsStringAsync();
                Assert.True(post.StatusCode == HttpStatusCode.OK, answer);
                Assert.StartsWith($$"""{"received":{{2 * Days}},"accepted":{{2 * Days}},""", answer, StringComparison.Ordinal);
            }
            await Server.WaitForDerivationAsync(TimeSpan.FromSeconds(90));

            const string prices = """[{"carrier":"electricity","price":0.72,"unit":"kWh","source":"UI test tariff"}]""";
            AirProject = (await SendAsync(HttpMethod.Post, $"api/v1/sites/{Site}/projects", $$"""
                {"title":"Compressed-air leak and pressure programme","titleZh":"空压系统查漏与降压","category":"energy-saving","owner":"陈伟","node":"air",
                 "commissionDate":"{{Day(BaselineDays)}}","lifeYears":5,"discountRate":0.08,"annualRunningCost":10000,
                 "investment":[{"category":"equipment","amount":120000,"description":"超声波检漏仪"},{"category":"consulting","amount":30000},{"category":"training","amount":10000}],
                 "benefits":[{"category":"energy","carrier":"electricity","annualEnergy":150000,"description":"空压机电耗"}],
                 "prices":{{prices}}}
                """)).GetProperty("id").GetInt64();
            LedProject = (await SendAsync(HttpMethod.Post, $"api/v1/sites/{Site}/projects", $$"""
                {"title":"LED lighting retrofit","titleZh":"LED 照明改造","category":"energy-saving","owner":"赵敏","node":"press",
                 "lifeYears":10,"discountRate":0.08,"annualRunningCost":2000,
                 "investment":[{"category":"equipment","amount":200000}],
                 "benefits":[{"category":"energy","carrier":"electricity","annualEnergy":90000}],
                 "prices":{{prices}}}
                """)).GetProperty("id").GetInt64();
            await SendAsync(HttpMethod.Put, $"api/v1/sites/{Site}/projects/{LedProject}/state", """{"state":"Approved","note":"经理办公会批准"}""");
            foreach (var state in new[] { "Approved", "InProgress", "Commissioned" })
                await SendAsync(HttpMethod.Put, $"api/v1/sites/{Site}/projects/{AirProject}/state", $$"""{"state":"{{state}}"}""");

            Model = (await SendAsync(HttpMethod.Post, $"api/v1/sites/{Site}/mv-models", $$"""
                {"name":"Compressed air: daily energy on output","nameZh":"空压机日电耗—产量回归","subject":"meter:mv.air","grain":"day","form":"Linear",
                 "drivers":["meter:mv.output"],"baselineFrom":"{{Day(0)}}","baselineTo":"{{Day(BaselineDays - 1)}}",
                 "reportingFrom":"{{Day(BaselineDays)}}","reportingTo":"{{Day(Days - 1)}}","projectId":{{AirProject}}}
                """)).GetProperty("id").GetInt64();
            OutOfRangeModel = (await SendAsync(HttpMethod.Post, $"api/v1/sites/{Site}/mv-models", $$"""
                {"name":"Compressed air on a low-output baseline","nameZh":"空压机—低产量基准期","subject":"meter:mv.air","grain":"day","form":"Linear",
                 "drivers":["meter:mv.output"],"baselineFrom":"{{Day(0)}}","baselineTo":"{{Day(LowOutputDays - 1)}}",
                 "reportingFrom":"{{Day(BaselineDays)}}","reportingTo":"{{Day(Days - 1)}}"}
                """)).GetProperty("id").GetInt64();
            await SendAsync(HttpMethod.Put, $"api/v1/sites/{Site}/projects/{AirProject}/state", $$"""{"modelId":{{Model}}}""");
            await SendAsync(HttpMethod.Put, $"api/v1/sites/{Site}/projects/{AirProject}/state", """{"state":"Verified","note":"IPMVP 选项 B 验证"}""");
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

    private static string SitePath(string rest) => $"api/v1/sites/{MvPlant.Site}/{rest}";

    // How projects.js and models.js write figures (PageFormat.Number is common.js's formatNumber).

    private static string? Value(JsonElement e, string key) =>
        e.GetProperty(key).ValueKind == JsonValueKind.Null ? null : PageFormat.Number(e.GetProperty(key).GetDouble());

    private static readonly Dictionary<string, Func<string?, string>> _economics = new(StringComparer.Ordinal)
    {
        ["investment"] = v => $"{v} ¥",
        ["annualBenefit"] = v => $"{v} ¥/a",
        ["annualRunningCost"] = v => $"{v} ¥/a",
        ["annualNetBenefit"] = v => $"{v} ¥/a",
        ["roi"] = v => $"{v}%",
        ["simplePayback"] = v => v is null ? "not within its life" : $"{v} a",
        ["discountedPayback"] = v => v is null ? "not within its life" : $"{v} a",
        ["npv"] = v => $"{v} ¥",
        ["tonnesPerYear"] = v => $"{v} tCO₂e/a",
        ["abatementCost"] = v => $"{v} ¥/tCO₂e",
    };

    private static string Irr(JsonElement irr) => irr.GetProperty("kind").GetString() switch
    {
        "single" => PageFormat.Number(irr.GetProperty("rate").GetDouble() * 100) + "%",
        "multiple" => "several IRRs",
        _ => "no IRR",
    };

    /// <summary>models.js's stat(): four significant figures, grouped; scientific notation below 0.001 or from 10⁷.</summary>
    private static string Stat(double v)
    {
        if (v == 0) return "0";
        var a = Math.Abs(v);
        if (a is >= 1e-3 and < 1e7)
        {
            var rounded = double.Parse(v.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            return rounded.ToString("#,##0.###############", CultureInfo.InvariantCulture);
        }
        return v.ToString("0.00e+0", CultureInfo.InvariantCulture);
    }

    /// <summary>Fails when the page wrote a missing value as text ("null", "undefined", "NaN") or an object ("[object ...]").</summary>
    private static async Task AssertNoRawValuesAsync(IPage page)
    {
        var text = await page.Locator("main").InnerTextAsync();
        var raw = System.Text.RegularExpressions.Regex.Match(text, @"\b(null|undefined|NaN)\b|\[object ");
        Assert.False(raw.Success, $"the page shows '{raw.Value}': …{text[Math.Max(0, raw.Index - 60)..Math.Min(text.Length, raw.Index + 40)]}…");
    }

    private static Task<T> OptionAsync<T>(IPage page, string chart, string expression) =>
        page.EvaluateAsync<T>($"() => {{ const o = echarts.getInstanceByDom(document.getElementById('{chart}')).getOption(); return {expression}; }}");

    /// <summary>
    /// (a) The verified air programme's page: its economics planned and verified as the API computes them, its state
    /// history (with the verification and its note), and a workbook link that returns the M&amp;V report as an xlsx.
    /// </summary>
    [Fact]
    public async Task ProjectPage_VerifiedProject_EconomicsHistoryAndWorkbook()
    {
        var project = await Server.GetJsonAsync(SitePath($"projects/{plant.AirProject}"));
        Assert.Equal("Verified", project.GetProperty("state").GetString());
        var planned = project.GetProperty("planned");
        var verified = project.GetProperty("verified");
        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;

        await watched.GotoAsync($"/projects?site={MvPlant.Site}&id={plant.AirProject}", "projects");

        Assert.Equal("Compressed-air leak and pressure programme", await page.Locator("#detail-title").InnerTextAsync());
        Assert.Equal("Verified", await page.Locator("#detail-state .project-state").InnerTextAsync());
        foreach (var (key, format) in _economics)
        {
            var row = page.Locator($"#economics-rows tr[data-key='{key}']");
            Assert.Equal(format(Value(planned, key)), await row.Locator("td.planned").InnerTextAsync());
            Assert.Equal(format(Value(verified, key)), await row.Locator("td.verified").InnerTextAsync());
        }
        Assert.Equal(Irr(planned.GetProperty("irr")), await page.Locator("#economics-rows tr[data-key='irr'] td.planned").InnerTextAsync());
        Assert.Equal(Irr(verified.GetProperty("irr")), await page.Locator("#economics-rows tr[data-key='irr'] td.verified").InnerTextAsync());
        // The verified figures differ from the planned ones: the metered savings replaced the estimate.
        Assert.NotEqual(planned.GetProperty("annualBenefit").GetDouble(), verified.GetProperty("annualBenefit").GetDouble());
        // The carbon terms name their source and the factors behind the intensity.
        var carbon = page.Locator("#carbon-rows tr[data-basis='verified'][data-carrier='electricity']");
        Assert.Contains("location-based electricity", await carbon.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await carbon.Locator(".factor-list li").CountAsync() >= 1);

        // The history: every event of the API, the last one the verification with its note.
        var history = project.GetProperty("history").EnumerateArray().ToList();
        var rows = page.Locator("#history-rows tr");
        Assert.Equal(history.Count, await rows.CountAsync());
        var last = await rows.Nth(history.Count - 1).InnerTextAsync();
        Assert.Contains("state Commissioned → Verified", last, StringComparison.Ordinal);
        Assert.Contains("IPMVP 选项 B 验证", last, StringComparison.Ordinal);
        Assert.Contains("registered", await rows.Nth(0).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains($"#{plant.Model}", await page.Locator("#verification").InnerTextAsync(), StringComparison.Ordinal);

        // The list row of the project shows the verified figures with the planned ones under them.
        var listRow = page.Locator($"#project-rows tr[data-id='{plant.AirProject}']");
        Assert.Equal("Verified", await listRow.Locator(".basis").InnerTextAsync());
        Assert.StartsWith(_economics["npv"](Value(verified, "npv")), await listRow.Locator("td[data-key='npv']").InnerTextAsync(), StringComparison.Ordinal);

        var href = await page.Locator("#workbook-link").GetAttributeAsync("href");
        Assert.EndsWith($"/projects/{plant.AirProject}/verification.xlsx", href, StringComparison.Ordinal);
        var response = await page.APIRequest.GetAsync(href!);
        Assert.Equal(200, response.Status);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Headers["content-type"]);
        using (var book = new XlsxBook(await response.BodyAsync()))
            Assert.NotEmpty(book.SheetNames);

        output.WriteLine(await watched.ScreenshotAsync("projects-detail-en"));
        await AssertNoRawValuesAsync(page);
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    /// <summary>
    /// The LED retrofit's page in Chinese: a note recorded through the state form (the state stays Approved) shows in the
    /// history and in the API; a document uploaded through the page is listed and downloads with the same bytes.
    /// </summary>
    [Fact]
    public async Task ProjectPage_NoteAndDocumentThroughTheForms_InChinese()
    {
        await using var watched = await chromium.NewPageAsync(Server, "zh-CN");
        var page = watched.Page;
        await watched.GotoAsync($"/projects?site={MvPlant.Site}&id={plant.LedProject}", "projects");
        Assert.Equal("LED 照明改造", await page.Locator("#detail-title").InnerTextAsync());
        Assert.Equal("已批准", await page.Locator("#detail-state .project-state").InnerTextAsync());
        Assert.Equal("Approved", await page.Locator("#state-form select[name=state]").InputValueAsync());
        var before = await page.Locator("#history-rows tr").CountAsync();

        await page.FillAsync("#state-form input[name=note]", "供应商报价已收到");
        await page.ClickAsync("#state-form button[type=submit]");
        await page.Locator("#history-rows tr", new() { HasText = "供应商报价已收到" }).WaitForAsync();

        Assert.Equal(before + 1, await page.Locator("#history-rows tr").CountAsync());
        var project = await Server.GetJsonAsync(SitePath($"projects/{plant.LedProject}"));
        Assert.Equal("Approved", project.GetProperty("state").GetString());
        var last = project.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(("note", "供应商报价已收到"), (last.GetProperty("what").GetString(), last.GetProperty("note").GetString()));

        var bytes = Encoding.UTF8.GetBytes("LED 照明改造报价 / quotation, 200000 ¥");
        await page.SetInputFilesAsync("#document-form input[name=file]", new FilePayload { Name = "报价.txt", MimeType = "text/plain", Buffer = bytes });
        await page.ClickAsync("#document-form button[type=submit]");
        var link = page.Locator("#document-list a", new() { HasText = "报价.txt" });
        await link.WaitForAsync();
        var download = await page.APIRequest.GetAsync((await link.GetAttributeAsync("href"))!);
        Assert.Equal(200, download.Status);
        Assert.Equal(bytes, await download.BodyAsync());
        Assert.Single((await Server.GetJsonAsync(SitePath($"projects/{plant.LedProject}"))).GetProperty("documents").EnumerateArray());

        output.WriteLine(await watched.ScreenshotAsync("projects-led-zh"));
        await AssertNoRawValuesAsync(page);
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    /// <summary>
    /// (b) Model 1's page: the coefficients as the API fitted them (as the page writes them), every check passed, the
    /// observed-against-predicted and residual charts with one point per baseline day, and the savings chart with one
    /// point per reporting day; the savings found are the 8 % the data contain.
    /// </summary>
    [Fact]
    public async Task ModelPage_CoefficientsChecksAndCharts_MatchTheApi()
    {
        var model = await Server.GetJsonAsync(SitePath($"mv-models/{plant.Model}"));
        var result = model.GetProperty("result");
        var fit = result.GetProperty("fit");
        var ols = fit.GetProperty("ols");
        var savings = await Server.GetJsonAsync(SitePath($"mv-models/{plant.Model}/savings"));
        Assert.True(result.GetProperty("usable").GetBoolean());
        Assert.True(savings.GetProperty("usable").GetBoolean());
        Assert.InRange(savings.GetProperty("savingsFraction").GetDouble(), 0.07, 0.09);
        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;

        await watched.GotoAsync($"/models?site={MvPlant.Site}&id={plant.Model}", "models");

        var coefficients = ols.GetProperty("coefficients").EnumerateArray().ToList();
        Assert.Equal(2, coefficients.Count);
        Assert.Equal(coefficients.Count, await page.Locator("#coef-rows tr").CountAsync());
        foreach (var c in coefficients)
        {
            var row = page.Locator($"#coef-rows tr[data-name='{c.GetProperty("name").GetString()}']");
            Assert.Equal(Stat(c.GetProperty("estimate").GetDouble()), await row.Locator("td.estimate").InnerTextAsync());
            Assert.Equal(Stat(c.GetProperty("standardError").GetDouble()), await row.Locator("td.se").InnerTextAsync());
            Assert.Equal(Stat(c.GetProperty("t").GetDouble()), await row.Locator("td.t").InnerTextAsync());
            Assert.Equal(Stat(c.GetProperty("p").GetDouble()), await row.Locator("td.p").InnerTextAsync());
        }
        Assert.Equal(Stat(ols.GetProperty("rSquared").GetDouble()), await page.Locator("#stat-rows tr[data-key='r2'] td").InnerTextAsync());
        Assert.Equal(Stat(ols.GetProperty("adjustedRSquared").GetDouble()), await page.Locator("#stat-rows tr[data-key='adjr2'] td").InnerTextAsync());
        Assert.Equal(Stat(ols.GetProperty("f").GetDouble()), await page.Locator("#stat-rows tr[data-key='f'] td").InnerTextAsync());
        Assert.Equal(Stat(fit.GetProperty("cvRmse").GetDouble()) + "%", await page.Locator("#stat-rows tr[data-key='cvrmse'] td").InnerTextAsync());
        Assert.Equal(Stat(fit.GetProperty("nmbe").GetDouble()) + "%", await page.Locator("#stat-rows tr[data-key='nmbe'] td").InnerTextAsync());
        Assert.Equal("90", await page.Locator("#stat-rows tr[data-key='n'] td").InnerTextAsync());

        var checks = result.GetProperty("checks").EnumerateArray().ToList();
        Assert.All(checks, c => Assert.True(c.GetProperty("passed").GetBoolean(), c.GetProperty("message").GetString()));
        Assert.Equal(checks.Count, await page.Locator("#check-rows tr.check-pass").CountAsync());
        Assert.Equal(0, await page.Locator("#check-rows tr.check-fail").CountAsync());
        Assert.Equal(checks.Select(c => c.GetProperty("message").GetString()), await page.Locator("#check-rows td.check-message").AllInnerTextsAsync());
        Assert.True(await page.Locator("#model-refusal").IsHiddenAsync());
        Assert.True(await page.Locator("#savings-refusal").IsHiddenAsync());

        var n = ols.GetProperty("n").GetInt32();
        Assert.Equal(MvPlant.BaselineDays, n);
        Assert.Equal([n, n], await OptionAsync<int[]>(page, "fit-chart", "o.series.map((s) => s.data.length)"));
        Assert.Equal(n, await OptionAsync<int>(page, "residual-chart", "o.series[0].data.length"));
        Assert.Equal(ols.GetProperty("residuals").EnumerateArray().Select(r => r.GetDouble()), await OptionAsync<double[]>(page, "residual-chart", "o.series[0].data"));
        var days = MvPlant.Days - MvPlant.BaselineDays;
        Assert.Equal(days, await OptionAsync<int>(page, "savings-chart", "o.series.find((s) => s.yAxisIndex === 1 && !s.stack).data.length"));
        Assert.Equal($"{PageFormat.Number(savings.GetProperty("savings").GetDouble())} kWh", await page.Locator("#savings-total").InnerTextAsync());
        Assert.Equal(days, await page.Locator("#period-rows tr").CountAsync());

        output.WriteLine(await watched.ScreenshotAsync("model-en"));
        await watched.AssertChartTextInsideAsync();
        await AssertNoRawValuesAsync(page);
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    /// <summary>
    /// (c) The MAC curve: one bar per project, each as wide as the portfolio's tonnes per year and as high as its
    /// abatement cost, cheapest first, each starting where the one before ends.
    /// </summary>
    [Fact]
    public async Task MacCurve_OneBarPerProject_TonnesAndCostOfThePortfolio_CheapestFirst()
    {
        var portfolio = await Server.GetJsonAsync(SitePath("projects/portfolio"));
        var curve = portfolio.GetProperty("curve").EnumerateArray().ToList();
        Assert.Equal([plant.AirProject, plant.LedProject], curve.Select(b => b.GetProperty("project").GetInt64()).Order());
        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;

        await watched.GotoAsync($"/projects?site={MvPlant.Site}", "projects");

        Assert.True(await page.Locator("#detail-card").IsHiddenAsync());
        Assert.Equal(2, await page.Locator("#project-rows tr.project-row").CountAsync());
        var bars = await OptionAsync<double[][]>(page, "mac-chart", "o.series[0].data.map((d) => d.value)");
        Assert.Equal(curve.Count, bars.Length);
        for (var i = 0; i < bars.Length; i++)
        {
            var api = curve[i];
            Assert.Equal(api.GetProperty("project").GetInt64(), (long)bars[i][4]);
            Assert.Equal(api.GetProperty("tonnesPerYear").GetDouble(), bars[i][3], 9);
            Assert.Equal(api.GetProperty("abatementCost").GetDouble(), bars[i][2], 9);
            Assert.Equal(bars[i][3], bars[i][1] - bars[i][0], 9);
            Assert.Equal(i == 0 ? 0 : bars[i - 1][1], bars[i][0], 9);
        }
        Assert.True(bars[0][2] <= bars[1][2], "the cheapest tonne comes first");
        Assert.Equal(curve.Select(b => b.GetProperty("title").GetString()), await OptionAsync<string[]>(page, "mac-chart", "o.series[0].data.map((d) => d.name)"));
        // Totals by state: one verified and one approved project.
        Assert.Equal(["Approved", "Verified"], (await page.Locator("#total-rows tr").EvaluateAllAsync<string[]>("rows => rows.map((r) => r.dataset.state)")).Order());

        output.WriteLine(await watched.ScreenshotAsync("projects-mac-en"));
        await watched.AssertChartTextInsideAsync();

        // A project's title opens its detail on the same page, with its address.
        await page.Locator($"#project-rows tr[data-id='{plant.LedProject}'] a.project-link").ClickAsync();
        await page.Locator("#detail-card:not([hidden]) #detail-title", new() { HasText = "LED lighting retrofit" }).WaitForAsync();
        Assert.EndsWith($"/projects?site={MvPlant.Site}&id={plant.LedProject}", page.Url, StringComparison.Ordinal);
        Assert.Equal("Approved", await page.Locator("#detail-state .project-state").InnerTextAsync());
        await AssertNoRawValuesAsync(page);
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    /// <summary>
    /// (d) Model 2, whose baseline saw only low output: the model itself passes its checks, but its savings are refused
    /// because the reporting period's output lies outside the baseline range; the page says so in Chinese, and in English
    /// after the language switch.
    /// </summary>
    [Fact]
    public async Task ModelPage_ReportingOutputOutsideBaseline_RefusalInChineseAndEnglish()
    {
        var model = await Server.GetJsonAsync(SitePath($"mv-models/{plant.OutOfRangeModel}"));
        Assert.True(model.GetProperty("result").GetProperty("usable").GetBoolean());
        var savings = await Server.GetJsonAsync(SitePath($"mv-models/{plant.OutOfRangeModel}/savings"));
        Assert.False(savings.GetProperty("usable").GetBoolean());
        Assert.Equal(JsonValueKind.Null, savings.GetProperty("savings").ValueKind);
        var refusal = savings.GetProperty("refusal").GetString()!;
        var refusalZh = savings.GetProperty("refusalZh").GetString()!;
        Assert.Contains("outside the baseline range", refusal, StringComparison.Ordinal);
        Assert.Contains("超出基准期范围", refusalZh, StringComparison.Ordinal);
        await using var watched = await chromium.NewPageAsync(Server, "zh-CN");
        var page = watched.Page;

        await watched.GotoAsync($"/models?site={MvPlant.Site}&id={plant.OutOfRangeModel}", "models");

        Assert.Equal(refusalZh, await page.Locator("#savings-refusal .refusal-text").InnerTextAsync());
        Assert.StartsWith("模型不能使用：", await page.Locator("#savings-refusal").InnerTextAsync(), StringComparison.Ordinal);
        var range = page.Locator("#savings-check-rows tr[data-key='range:meter:mv.output']");
        Assert.Contains("check-fail", await range.GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
        Assert.Equal("未通过", await range.Locator(".check-chip").InnerTextAsync());
        Assert.True(await page.Locator("#model-refusal").IsHiddenAsync());
        Assert.Equal("—", await page.Locator("#savings-total").InnerTextAsync());
        output.WriteLine(await watched.ScreenshotAsync("model-refused-zh"));

        await page.Locator(".langswitch a[hreflang='en']").ClickAsync();
        await page.WaitForURLAsync($"**/models?site={MvPlant.Site}&id={plant.OutOfRangeModel}");
        await watched.WaitLoadedAsync("models");

        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(refusal, await page.Locator("#savings-refusal .refusal-text").InnerTextAsync());
        Assert.StartsWith("The model may not be used:", await page.Locator("#savings-refusal").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Fail", await page.Locator("#savings-check-rows tr[data-key='range:meter:mv.output'] .check-chip").InnerTextAsync());
        output.WriteLine(await watched.ScreenshotAsync("model-refused-en"));
        await AssertNoRawValuesAsync(page);
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    /// <summary>On a phone (390 px) neither page scrolls sideways: wide tables scroll inside their cards.</summary>
    [Theory]
    [InlineData("projects", "zh-CN")]
    [InlineData("models", "zh-CN")]
    [InlineData("projects", "en-US")]
    [InlineData("models", "en-US")]
    public async Task Phone_ProjectAndModelPages_NoSidewaysScrolling(string view, string locale)
    {
        var id = view == "projects" ? plant.AirProject : plant.Model;
        await using var watched = await chromium.NewPageAsync(Server, locale);
        var page = watched.Page;
        await page.SetViewportSizeAsync(390, 844);

        await watched.GotoAsync($"/{view}?site={MvPlant.Site}&id={id}", view);

        // On failure, the elements that reach past the right edge (outside any scrolling table) say which one to fix.
        var wide = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('body *')]
              .filter((e) => !e.closest('.table-wrap') && e.getBoundingClientRect().right > window.innerWidth + 1)
              .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`)
            """);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"),
            $"/{view} scrolls sideways on a phone: {await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")} px; too wide: {string.Join(", ", wide)}");
        Assert.True(await page.EvaluateAsync<bool>("() => document.body.scrollWidth <= window.innerWidth + 1"));
        output.WriteLine(await watched.ScreenshotAsync($"{view}-phone-{locale}"));
        await AssertNoRawValuesAsync(page);
        watched.AssertNoErrors();
    }
}
