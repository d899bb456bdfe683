using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// Field work on a phone (issue 15) at 390 × 844: a round done with a photo and a failed number that opens a work order,
/// a submission retried after a dropped connection (stored once), and the work-orders page.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class FieldPagesTests(Chromium chromium, FieldPagesTests.FieldPlant plant, ITestOutputHelper output) : IClassFixture<FieldPagesTests.FieldPlant>
{
    /// <summary>
    /// A server (no demo plant, wall clock at 14:00 on 2026-11-23 in Shanghai) with the site <c>fieldtest</c>, the
    /// template <c>bag-filter</c> (a pass/fail item, the differential pressure 800-1500 Pa whose failure opens a High
    /// work order, one required photo) and three daily rounds at 13:00 (window 2 h, so due now) assigned to the admin.
    /// </summary>
    public sealed class FieldPlant : IAsyncLifetime
    {
        public const string Site = "fieldtest";

        public const string Due = "2026-11-23T13:00";

        public static readonly DateTimeOffset Now = new(2026, 11, 23, 14, 0, 0, TimeSpan.FromHours(8));

        /// <summary>A valid 1 × 1 PNG.</summary>
        public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

        private const string SiteJson = """
            {"key":"fieldtest","name":"Field test plant","nameZh":"现场作业测试厂","timeZone":"Asia/Shanghai","gridRegion":"CN-Guangdong",
             "nodes":[{"key":"kiln","name":"Kiln stack","nameZh":"窑炉烟囱"}],
             "meters":[{"key":"ft.gas","name":"Kiln gas","nameZh":"窑炉燃气","node":"kiln","carrier":"natural_gas","unit":"m3","kind":"Interval","intervalMinutes":15,"maxGapMinutes":60}]}
            """;

        private const string TemplateJson = """
            {"key":"bag-filter","name":"Bag filter check","nameZh":"布袋除尘器检查","items":[
              {"key":"ok","type":"PassFail","text":"Filter housing intact","textZh":"除尘器壳体完好"},
              {"key":"dp","type":"Number","text":"Differential pressure","textZh":"除尘器压差","unit":"Pa","min":800,"max":1500,"meter":"ft.gas",
               "onFail":{"severity":"High","workOrder":true}},
              {"key":"photo","type":"Photo","text":"Photo of the gauge","textZh":"压差表照片","photos":1}]}
            """;

        private UiServer? _server;

        public UiServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

        /// <summary>Round done in the browser (test a).</summary>
        public long RoundA { get; private set; }

        /// <summary>Round sent over a dropped connection (test b).</summary>
        public long RoundB { get; private set; }

        /// <summary>Round submitted through the API whose work order the work-orders page shows (test c).</summary>
        public long RoundC { get; private set; }

        public async Task InitializeAsync()
        {
            _server = await UiServer.StartAsync(["--GreenLoop:Demo:Enabled=false"], new FixedWallClock(Now));
            await SendAsync(HttpMethod.Put, $"api/v1/sites/{Site}", SiteJson);
            await SendAsync(HttpMethod.Post, $"api/v1/sites/{Site}/checklist-templates", TemplateJson);
            RoundA = await RoundAsync("Bag filter A", "布袋除尘巡检 A");
            RoundB = await RoundAsync("Bag filter B", "布袋除尘巡检 B");
            RoundC = await RoundAsync("Bag filter C", "布袋除尘巡检 C");
        }

        private async Task<long> RoundAsync(string name, string nameZh) =>
            (await SendAsync(HttpMethod.Post, $"api/v1/sites/{Site}/rounds", $$"""
                {"round":{"name":"{{name}}","nameZh":"{{nameZh}}","template":"bag-filter","node":"kiln",
                 "schedule":{"kind":"Daily","times":["13:00"],"weekdays":[],"windowMinutes":120},
                 "assignee":{"person":"{{TestCredentials.AdminUser}}"},"recipients":[]},"active":true}
                """)).GetProperty("id").GetInt64();

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

        /// <summary>Submits an inspection of a round through the API (multipart, with the photo); returns the inspection.</summary>
        public async Task<JsonElement> SubmitAsync(long round, double dp)
        {
            var submission = JsonSerializer.Serialize(new
            {
                submissionId = Guid.NewGuid().ToString(), roundId = round, due = Due,
                answers = new object[] { new { item = "ok", pass = true }, new { item = "dp", number = dp } },
            });
            using var form = new MultipartFormDataContent { { new StringContent(submission, Encoding.UTF8, "application/json"), "submission" } };
            var photo = new ByteArrayContent(Png);
            photo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(photo, "photo.photo", "gauge.png");
            using var response = await Server.Client.PostAsync($"api/v1/sites/{Site}/inspections", form);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {text}");
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }

        public async Task DisposeAsync()
        {
            if (_server is not null) await _server.DisposeAsync();
        }
    }

    private UiServer Server => plant.Server;

    private async Task<IReadOnlyList<JsonElement>> InspectionsAsync(long round) =>
        [.. (await Server.GetJsonAsync($"api/v1/sites/{FieldPlant.Site}/inspections")).EnumerateArray()
            .Where(i => i.GetProperty("round").ValueKind == JsonValueKind.Number && i.GetProperty("round").GetInt64() == round)];

    private static async Task<WatchedPage> PhoneAsync(Chromium chromium, UiServer server)
    {
        var watched = await chromium.NewPageAsync(server, "zh-CN");
        await watched.Page.SetViewportSizeAsync(390, 844);
        return watched;
    }

    private static string RoundsPath => $"/rounds?site={FieldPlant.Site}";

    /// <summary>Opens the round and answers it: pass, the given pressure, and a photo.</summary>
    private static async Task AnswerAsync(IPage page, long round, string dp)
    {
        await page.Locator($"li.occurrence[data-round='{round}'] button.open-round").ClickAsync();
        await page.Locator("#round-card").WaitForAsync();
        await page.Locator("li.check-item[data-item='ok'] button[data-value='true']").ClickAsync();
        await page.Locator("li.check-item[data-item='dp'] input.number-input").FillAsync(dp);
        await page.Locator("li.check-item[data-item='photo'] input[type=file]").SetInputFilesAsync(
            new FilePayload { Name = "gauge.png", MimeType = "image/png", Buffer = FieldPlant.Png });
        await page.Locator("li.check-item[data-item='photo'] .photo-preview img").WaitForAsync();
    }

    private static async Task AssertNoSidewaysScrollingAsync(IPage page)
    {
        var wide = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('body *')]
              .filter((e) => !e.closest('.table-wrap') && e.getBoundingClientRect().right > window.innerWidth + 1)
              .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`)
            """);
        Assert.True(await page.EvaluateAsync<bool>("() => document.body.scrollWidth <= window.innerWidth + 1"), $"the page scrolls sideways; too wide: {string.Join(", ", wide)}");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));
    }

    [Fact]
    public async Task Round_PhotoAndFailedNumber_SubmittedAndOpensAWorkOrder()
    {
        await using var watched = await PhoneAsync(chromium, Server);
        var page = watched.Page;
        await watched.GotoAsync(RoundsPath, "rounds");

        var row = page.Locator($"li.occurrence[data-round='{plant.RoundA}']");
        await Assertions.Expect(row).ToContainTextAsync("布袋除尘巡检 A");
        await Assertions.Expect(row.Locator(".state-chip")).ToHaveTextAsync("待巡检");
        await AssertNoSidewaysScrollingAsync(page);

        await AnswerAsync(page, plant.RoundA, "1720");
        var dp = page.Locator("li.check-item[data-item='dp']");
        await Assertions.Expect(dp.Locator("input.number-input")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("out-of-limits"));
        await Assertions.Expect(dp).ToContainTextAsync("800–1,500 Pa");
        // The big controls are big enough for a thumb.
        var pass = await page.Locator("li.check-item[data-item='ok'] button[data-value='true']").BoundingBoxAsync();
        Assert.True(pass is { Height: >= 44 }, $"pass button {pass?.Height} px high");
        await AssertNoSidewaysScrollingAsync(page);

        // Progress survives a reload.
        await page.ReloadAsync();
        await watched.WaitLoadedAsync("rounds");
        await page.Locator($"li.occurrence[data-round='{plant.RoundA}'] button.open-round").ClickAsync();
        await Assertions.Expect(page.Locator("li.check-item[data-item='dp'] input.number-input")).ToHaveValueAsync("1720");
        await Assertions.Expect(page.Locator("li.check-item[data-item='photo'] .photo-preview img")).ToHaveCountAsync(1);
        output.WriteLine(await watched.ScreenshotAsync("rounds-phone-answered"));

        await page.Locator("#round-submit").ClickAsync();
        var message = page.Locator("#message.submitted");
        await Assertions.Expect(message).ToContainTextAsync("已提交");
        await Assertions.Expect(message.Locator("a.wo-link")).ToHaveCountAsync(1);
        output.WriteLine(await watched.ScreenshotAsync("rounds-phone-submitted"));

        var inspection = Assert.Single(await InspectionsAsync(plant.RoundA));
        Assert.Equal(FieldPlant.Due, inspection.GetProperty("due").GetString());
        Assert.Equal(1, inspection.GetProperty("photos").GetArrayLength());
        var orders = inspection.GetProperty("workOrders").EnumerateArray().Select(e => e.GetInt64()).ToList();
        var orderId = Assert.Single(orders);
        var order = await Server.GetJsonAsync($"api/v1/sites/{FieldPlant.Site}/work-orders/{orderId}");
        Assert.Equal("dp", order.GetProperty("item").GetString());
        Assert.Equal(inspection.GetProperty("id").GetInt64(), order.GetProperty("inspection").GetInt64());
        Assert.EndsWith($"id={orderId}", await message.Locator("a.wo-link").GetAttributeAsync("href"), StringComparison.Ordinal);

        // Draft and outbox are gone; the round now shows as done.
        Assert.Equal(0, await page.EvaluateAsync<int>("() => Object.keys(localStorage).filter((k) => k.startsWith('greenloop.round.') || k.startsWith('greenloop.outbox.')).length"));
        await Assertions.Expect(page.Locator($"li.occurrence[data-round='{plant.RoundA}'] .state-chip")).ToHaveTextAsync("按时完成");
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task Round_SendDropped_KeptInOutboxRetriedAndStoredOnce()
    {
        await using var watched = await PhoneAsync(chromium, Server);
        var page = watched.Page;
        var posts = 0;
        byte[]? body = null;
        string? contentType = null;
        await page.RouteAsync("**/inspections", async route =>
        {
            if (route.Request.Method != "POST")
            {
                await route.ContinueAsync();
                return;
            }
            if (Interlocked.Increment(ref posts) == 1)
            {
                await route.AbortAsync("internetdisconnected");
                return;
            }
            body = route.Request.PostDataBuffer;
            contentType = await route.Request.HeaderValueAsync("content-type");
            await route.ContinueAsync();
        });
        await watched.GotoAsync(RoundsPath, "rounds");
        await AnswerAsync(page, plant.RoundB, "1200");
        await page.Locator("#round-submit").ClickAsync();

        // The send failed: the submission waits in the outbox and the page says it will retry.
        await Assertions.Expect(page.Locator("#outbox")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("将自动重试");
        var submissionId = await page.EvaluateAsync<string>($"() => JSON.parse(localStorage.getItem('greenloop.outbox.{FieldPlant.Site}'))[0].submission.submissionId");
        Assert.False(string.IsNullOrEmpty(submissionId));
        Assert.Empty(await InspectionsAsync(plant.RoundB));

        // The next page load sends it again, with the same submission id.
        await page.ReloadAsync();
        await watched.WaitLoadedAsync("rounds");
        await Assertions.Expect(page.Locator("#message.submitted")).ToContainTextAsync("已提交");
        await Assertions.Expect(page.Locator("#outbox")).ToBeHiddenAsync();
        var stored = Assert.Single(await InspectionsAsync(plant.RoundB));
        Assert.Equal(submissionId, stored.GetProperty("submissionId").GetString());
        Assert.Equal(2, posts);

        // The same request replayed twice is still one inspection.
        Assert.NotNull(body);
        var token = await page.Locator("meta[name='csrf-token']").GetAttributeAsync("content");
        for (var i = 0; i < 2; i++)
        {
            var replay = await page.APIRequest.PostAsync($"api/v1/sites/{FieldPlant.Site}/inspections", new APIRequestContextOptions
            {
                Headers = new Dictionary<string, string> { ["Content-Type"] = contentType!, ["X-CSRF-TOKEN"] = token!, ["Accept"] = "application/json" },
                DataByte = body,
            });
            Assert.True(replay.Status == 200, $"replay {i}: {replay.Status} {await replay.TextAsync()}");
        }
        var all = (await Server.GetJsonAsync($"api/v1/sites/{FieldPlant.Site}/inspections")).EnumerateArray()
            .Where(x => x.GetProperty("submissionId").GetString() == submissionId).ToList();
        Assert.Single(all);
        output.WriteLine(await watched.ScreenshotAsync("rounds-phone-retried"));
        // The dropped request is the only error: the browser reports it as a failed request and on the console.
        watched.AssertNoErrors(e => e.Contains("/inspections", StringComparison.Ordinal)
            && (e.StartsWith("request failed: POST", StringComparison.Ordinal) || e.Contains("ERR_INTERNET_DISCONNECTED", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task WorkOrders_Phone_ListedWithDueDate_DetailLinksInspection_MovedToDone()
    {
        var inspection = await plant.SubmitAsync(plant.RoundC, 1720);
        var orderId = Assert.Single(inspection.GetProperty("workOrders").EnumerateArray().Select(e => e.GetInt64()).ToList());
        var order = await Server.GetJsonAsync($"api/v1/sites/{FieldPlant.Site}/work-orders/{orderId}");
        var due = order.GetProperty("order").GetProperty("dueDate").GetString();
        Assert.False(string.IsNullOrEmpty(due));

        await using var watched = await PhoneAsync(chromium, Server);
        var page = watched.Page;
        await watched.GotoAsync($"/work-orders?site={FieldPlant.Site}", "work-orders");
        await page.Locator("#list-card .seg[data-filter='open']").ClickAsync();
        var row = page.Locator($"li.wo-row[data-id='{orderId}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator(".wo-state")).ToHaveTextAsync("待处理");
        await Assertions.Expect(row.Locator(".wo-due")).ToContainTextAsync(due!);
        await AssertNoSidewaysScrollingAsync(page);

        await row.Locator("a.wo-open").ClickAsync();
        var detail = page.Locator("#detail-card");
        await Assertions.Expect(detail.Locator("a.inspection-link")).ToHaveAttributeAsync("href",
            new System.Text.RegularExpressions.Regex($"/inspections\\?site={FieldPlant.Site}&id={inspection.GetProperty("id").GetInt64()}$"));
        await Assertions.Expect(detail).ToContainTextAsync("dp");

        await detail.Locator("button.to-InProgress").ClickAsync();
        await Assertions.Expect(detail.Locator(".wo-state")).ToHaveTextAsync("处理中");
        await detail.Locator("input[name=hours]").FillAsync("1.5");
        await detail.Locator("textarea[name=comment]").FillAsync("更换两条滤袋");
        await detail.Locator("button.to-Done").ClickAsync();
        await Assertions.Expect(detail.Locator(".wo-state")).ToHaveTextAsync("已完成");
        await AssertNoSidewaysScrollingAsync(page);
        output.WriteLine(await watched.ScreenshotAsync("work-orders-phone-done"));

        var done = await Server.GetJsonAsync($"api/v1/sites/{FieldPlant.Site}/work-orders/{orderId}");
        Assert.Equal("Done", done.GetProperty("state").GetString());
        Assert.Equal(1.5, done.GetProperty("order").GetProperty("hours").GetDouble());
        watched.AssertNoErrors();
    }
}
