using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GreenLoop.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// The checklist-template builder (<c>/checklist-templates</c>) and the inspection view (<c>/inspections?id=</c>) of
/// issue 15: a template built on a phone and saved as version 1, a limit changed into version 2 while version 1 keeps
/// the old one, the read-only view without the 'improve' permission, an exported file imported into the builder, and an
/// inspection whose failed item shows its reason, photo and work order.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class ChecklistTemplatePagesTests(Chromium chromium, ChecklistTemplatePagesTests.TemplatePlant plant, ITestOutputHelper output)
    : IClassFixture<ChecklistTemplatePagesTests.TemplatePlant>
{
    /// <summary>
    /// A server (no demo plant, wall clock at 14:00 on 2026-11-23 in Shanghai) with the site <c>tpltest</c> (one meter,
    /// <c>tp.gas</c>), the template <c>bag-filter</c> (a pass/fail item, the differential pressure 800-1500 Pa whose failure
    /// opens a High work order, one required photo), a daily round of it at 13:00 (due now), and a viewer.
    /// </summary>
    public sealed class TemplatePlant : IAsyncLifetime
    {
        public const string Site = "tpltest";

        public const string Due = "2026-11-23T13:00";

        public const string Viewer = "tpl.viewer";

        public const string ViewerPassword = "template-viewer-password";

        public static readonly DateTimeOffset Now = new(2026, 11, 23, 14, 0, 0, TimeSpan.FromHours(8));

        private const string SiteJson = """
            {"key":"tpltest","name":"Template test plant","nameZh":"模板测试厂","timeZone":"Asia/Shanghai","gridRegion":"CN-Guangdong",
             "nodes":[{"key":"stack","name":"Kiln stack","nameZh":"窑炉排气筒"}],
             "meters":[{"key":"tp.gas","name":"Kiln gas","nameZh":"窑炉燃气","node":"stack","carrier":"natural_gas","unit":"m3","kind":"Interval","intervalMinutes":15,"maxGapMinutes":60}]}
            """;

        private const string TemplateJson = """
            {"key":"bag-filter","name":"Bag filter check","nameZh":"布袋除尘器检查","items":[
              {"key":"ok","type":"PassFail","text":"Filter housing intact","textZh":"除尘器壳体完好"},
              {"key":"dp","type":"Number","text":"Differential pressure","textZh":"除尘器压差","unit":"Pa","min":800,"max":1500,"meter":"tp.gas",
               "instructionsZh":"读取进口集管压差表","onFail":{"severity":"High","workOrder":true}},
              {"key":"photo","type":"Photo","text":"Photo of the gauge","textZh":"压差表照片","photos":1}]}
            """;

        private UiServer? _server;

        public UiServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

        public long Round { get; private set; }

        public async Task InitializeAsync()
        {
            _server = await UiServer.StartAsync(["--GreenLoop:Demo:Enabled=false"], new FixedWallClock(Now));
            await SendAsync(HttpMethod.Put, $"api/v1/sites/{Site}", SiteJson);
            await SendAsync(HttpMethod.Post, $"api/v1/sites/{Site}/checklist-templates", TemplateJson);
            Round = (await SendAsync(HttpMethod.Post, $"api/v1/sites/{Site}/rounds", $$"""
                {"round":{"name":"Stack bag filter","nameZh":"排气筒布袋除尘巡检","template":"bag-filter","node":"stack",
                 "schedule":{"kind":"Daily","times":["13:00"],"weekdays":[],"windowMinutes":120},
                 "assignee":{"person":"{{TestCredentials.AdminUser}}"},"recipients":[]},"active":true}
                """)).GetProperty("id").GetInt64();
            using var user = await Server.Client.PostAsJsonAsync("api/v1/users",
                new { userName = Viewer, displayName = "Template Viewer", password = ViewerPassword, roles = new[] { new { role = "viewer", site = (string?)null } } });
            Assert.True(user.StatusCode == HttpStatusCode.Created, $"create user: {(int)user.StatusCode} {await user.Content.ReadAsStringAsync()}");
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

        /// <summary>Submits an inspection of the round through the API (multipart, with the photo); returns the inspection.</summary>
        public async Task<JsonElement> SubmitAsync(double dp)
        {
            var submission = JsonSerializer.Serialize(new
            {
                submissionId = Guid.NewGuid().ToString(),
                roundId = Round,
                due = Due,
                answers = new object[] { new { item = "ok", pass = true }, new { item = "dp", number = dp, note = "滤袋疑似板结" } },
            });
            using var form = new MultipartFormDataContent { { new StringContent(submission, Encoding.UTF8, "application/json"), "submission" } };
            var photo = new ByteArrayContent(FieldPagesTests.FieldPlant.Png);
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

    private static string TemplatesPath => $"/checklist-templates?site={TemplatePlant.Site}";

    private static async Task<WatchedPage> PhoneAsync(Chromium chromium, UiServer server)
    {
        var watched = await chromium.NewPageAsync(server, "zh-CN");
        await watched.Page.SetViewportSizeAsync(390, 844);
        return watched;
    }

    private Task<JsonElement> TemplateAsync(string key, int? version = null) =>
        Server.GetJsonAsync($"api/v1/sites/{TemplatePlant.Site}/checklist-templates/{key}{(version is { } v ? $"?version={v}" : "")}");

    private static ILocator Item(IPage page, int index) => page.Locator("#tpl-items > li.tpl-item").Nth(index);

    private static ILocator Field(ILocator item, string field) => item.Locator($"[data-field='{field}']");

    private static async Task AssertNoSidewaysScrollingAsync(IPage page)
    {
        var wide = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('body *')]
              .filter((e) => !e.closest('.table-wrap') && e.getBoundingClientRect().right > window.innerWidth + 1)
              .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`)
            """);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"the page scrolls sideways; too wide: {string.Join(", ", wide)}");
    }

    /// <summary>No UI text key shows itself (an unknown key is printed as is, e.g. "tpl.i.min").</summary>
    private static async Task AssertNoRawTextKeysAsync(IPage page)
    {
        var text = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotMatch(new Regex(@"\b(tpl|insp|rounds|wo)\.[a-zA-Z]"), text);
    }

    private static double? NumberOrNull(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetDouble();

    [Fact]
    public async Task Builder_NumberChoiceAndPhotoItems_SavedAsVersion1_ChangedLimitSavedAsVersion2_Version1KeepsItsLimit()
    {
        await using var watched = await PhoneAsync(chromium, Server);
        var page = watched.Page;
        await watched.GotoAsync(TemplatesPath, "checklist-templates");
        await Assertions.Expect(page.Locator("li.tpl-row[data-key='bag-filter']")).ToContainTextAsync("布袋除尘器检查");

        await page.Locator("#new-template").ClickAsync();
        await Assertions.Expect(page.Locator("#editor-card")).ToBeVisibleAsync();
        await page.Locator("#tpl-form input[name=key]").FillAsync("stack-check");
        await page.Locator("#tpl-form input[name=nameZh]").FillAsync("排气筒检查");
        await page.Locator("#tpl-form input[name=name]").FillAsync("Stack check");

        // Item 1: the differential pressure, a number (its unit left out at first).
        var dp = Item(page, 0);
        await Field(dp, "key").FillAsync("dp");
        await Field(dp, "type").SelectOptionAsync("Number");
        await Assertions.Expect(dp.Locator("[data-only='Number']")).ToBeVisibleAsync();
        await Assertions.Expect(dp.Locator("[data-only='Choice']")).ToBeHiddenAsync();
        await Field(dp, "textZh").FillAsync("布袋除尘器压差");
        await Field(dp, "instructionsZh").FillAsync("读取除尘器进口集管压差表。");
        await Field(dp, "min").FillAsync("800");
        await Field(dp, "max").FillAsync("1500");
        await Field(dp, "meter").SelectOptionAsync("tp.gas");
        await Field(dp, "severity").SelectOptionAsync("High");
        await Field(dp, "workOrder").CheckAsync();

        // Item 2: a photo (added before the choice, then moved below it).
        await page.Locator("#add-item").ClickAsync();
        var second = Item(page, 1);
        await Field(second, "key").FillAsync("gauge");
        await Field(second, "type").SelectOptionAsync("Photo");
        await Assertions.Expect(Field(second, "photos")).ToHaveValueAsync("1");
        await Assertions.Expect(second.Locator("[data-only='Number']")).ToBeHiddenAsync();
        // A photo never fails, so it says nothing about failure.
        await Assertions.Expect(second.Locator("[data-fails]")).ToBeHiddenAsync();
        await Assertions.Expect(dp.Locator("[data-fails]")).ToBeVisibleAsync();
        await Field(second, "textZh").FillAsync("压差表照片");

        // Item 3: a choice with one failing choice.
        await page.Locator("#add-item").ClickAsync();
        var third = Item(page, 2);
        await Field(third, "key").FillAsync("hopper");
        await Field(third, "type").SelectOptionAsync("Choice");
        await Field(third, "textZh").FillAsync("灰斗料位");
        await Field(third, "choices").FillAsync("正常\n偏高\n堵塞");
        await third.Locator(".failing-choices input[value='堵塞']").CheckAsync();
        await third.Locator("button.move-up").ClickAsync();
        await Assertions.Expect(Item(page, 1).Locator("[data-field='key']")).ToHaveValueAsync("hopper");
        await AssertNoSidewaysScrollingAsync(page);
        var add = await page.Locator("#add-item").BoundingBoxAsync();
        Assert.True(add is { Height: >= 44 }, $"add-item button {add?.Height} px high");

        // Without the unit the server refuses it: the reason is on the item, and nothing typed is lost.
        await page.Locator("#save-template").ClickAsync();
        await Assertions.Expect(page.Locator("#form-errors")).ToContainTextAsync("未保存");
        await Assertions.Expect(dp).ToHaveClassAsync(new Regex("has-errors"));
        await Assertions.Expect(dp.Locator(".item-errors")).ToContainTextAsync("unit");
        await Assertions.Expect(Field(dp, "unit")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#tpl-form input[name=key]")).ToHaveValueAsync("stack-check");
        await Assertions.Expect(Field(dp, "max")).ToHaveValueAsync("1500");
        await Assertions.Expect(Field(Item(page, 1), "choices")).ToHaveValueAsync("正常\n偏高\n堵塞");
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Client.GetAsync($"api/v1/sites/{TemplatePlant.Site}/checklist-templates/stack-check")).StatusCode);

        await Field(dp, "unit").FillAsync("Pa");
        await page.Locator("#save-template").ClickAsync();
        await Assertions.Expect(page.Locator("#save-status")).ToHaveTextAsync("已保存为第 1 版。");
        await Assertions.Expect(page.Locator("#form-errors")).ToBeHiddenAsync();
        // On the phone the answer is in view, by the button that was pressed.
        await Assertions.Expect(page.Locator("#save-status")).ToBeInViewportAsync();
        await Assertions.Expect(page.Locator("li.tpl-row[data-key='stack-check'] .tpl-version")).ToHaveTextAsync("第 1 版");
        output.WriteLine(await watched.ScreenshotAsync("checklist-templates-phone-saved"));

        var v1 = await TemplateAsync("stack-check");
        Assert.Equal(1, v1.GetProperty("version").GetInt32());
        var items = v1.GetProperty("template").GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["dp", "hopper", "gauge"], items.Select(i => i.GetProperty("key").GetString()));
        Assert.Equal(("Number", "Pa"), (items[0].GetProperty("type").GetString(), items[0].GetProperty("unit").GetString()));
        Assert.Equal(((double?)800, (double?)1500), (NumberOrNull(items[0], "min"), NumberOrNull(items[0], "max")));
        Assert.Equal(("High", true), (items[0].GetProperty("onFail").GetProperty("severity").GetString(), items[0].GetProperty("onFail").GetProperty("workOrder").GetBoolean()));
        Assert.Equal("tp.gas", items[0].GetProperty("meter").GetString());
        Assert.Equal("读取除尘器进口集管压差表。", items[0].GetProperty("instructionsZh").GetString());
        // The English text left blank is the Chinese one (the API needs one).
        Assert.Equal("布袋除尘器压差", items[0].GetProperty("text").GetString());
        Assert.Equal("Choice", items[1].GetProperty("type").GetString());
        Assert.Equal(["正常", "偏高", "堵塞"], items[1].GetProperty("choices").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["堵塞"], items[1].GetProperty("failingChoices").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(("Medium", false), (items[1].GetProperty("onFail").GetProperty("severity").GetString(), items[1].GetProperty("onFail").GetProperty("workOrder").GetBoolean()));
        // Fields of another type are not saved.
        Assert.Null(items[1].GetProperty("unit").GetString());
        Assert.Equal(((double?)null, (double?)null), (NumberOrNull(items[1], "min"), NumberOrNull(items[1], "max")));
        Assert.Equal(("Photo", 1), (items[2].GetProperty("type").GetString(), items[2].GetProperty("photos").GetInt32()));

        // A changed limit is version 2; saving it unchanged adds nothing.
        await Field(Item(page, 0), "max").FillAsync("1600");
        await page.Locator("#save-template").ClickAsync();
        await Assertions.Expect(page.Locator("#save-status")).ToHaveTextAsync("已保存为第 2 版。");
        await page.Locator("#save-template").ClickAsync();
        await Assertions.Expect(page.Locator("#save-status")).ToHaveTextAsync("没有改动：仍为第 2 版，未新增版本。");
        Assert.Equal(2, (await TemplateAsync("stack-check")).GetProperty("version").GetInt32());
        Assert.Equal(1600d, NumberOrNull((await TemplateAsync("stack-check")).GetProperty("template").GetProperty("items")[0], "max"));
        var old = await TemplateAsync("stack-check", 1);
        Assert.Equal(1, old.GetProperty("version").GetInt32());
        Assert.Equal(1500d, NumberOrNull(old.GetProperty("template").GetProperty("items")[0], "max"));

        // Version 1 from the version picker: read-only, with its own limit.
        await page.Locator("#editor-close").ClickAsync();
        await page.Locator("li.tpl-row[data-key='stack-check'] select.version-select").SelectOptionAsync("1");
        await Assertions.Expect(page.Locator("#editor-title")).ToContainTextAsync("第 1 版（只读）");
        await Assertions.Expect(Field(Item(page, 0), "max")).ToHaveValueAsync("1500");
        await Assertions.Expect(Field(Item(page, 0), "max")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#save-area")).ToBeHiddenAsync();
        Assert.EndsWith("key=stack-check&version=1", page.Url, StringComparison.Ordinal);
        await AssertNoSidewaysScrollingAsync(page);
        await AssertNoRawTextKeysAsync(page);
        watched.AssertNoErrors(e => e.Contains("status of 400", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Builder_ViewerWithoutImprove_ReadOnlyViewAndNoSaveButton()
    {
        await using var watched = await chromium.NewPageAsync(Server, "zh-CN", signIn: false);
        var page = watched.Page;
        await Chromium.SignInAsync(page, TemplatePlant.Viewer, TemplatePlant.ViewerPassword);

        await watched.GotoAsync(TemplatesPath, "checklist-templates");
        var row = page.Locator("li.tpl-row[data-key='bag-filter']");
        await Assertions.Expect(row.Locator("button.open-template")).ToHaveTextAsync("查看");
        await Assertions.Expect(page.Locator("#read-only-note")).ToBeVisibleAsync();
        await row.Locator("button.open-template").ClickAsync();
        await Assertions.Expect(page.Locator("#editor-title")).ToContainTextAsync("只读");
        await Assertions.Expect(Field(Item(page, 1), "min")).ToHaveValueAsync("800");
        await Assertions.Expect(Field(Item(page, 1), "min")).ToBeDisabledAsync();

        Assert.Equal(0, await page.Locator("#save-template, #new-template, #import-file, #add-item, #edit-from, .move-up, .remove-item").CountAsync());
        // The API refuses the viewer too, whatever the page shows.
        var token = await page.Locator("meta[name='csrf-token']").GetAttributeAsync("content");
        var post = await page.APIRequest.PostAsync($"api/v1/sites/{TemplatePlant.Site}/checklist-templates", new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json", ["X-CSRF-TOKEN"] = token! },
            Data = """{"key":"viewer-made","name":"x","items":[{"key":"a","text":"a"}]}""",
        });
        Assert.Equal(403, post.Status);
        await AssertNoRawTextKeysAsync(page);
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task Import_ExportedFile_ItemsLoadedForReview_SavedUnderANewKey()
    {
        await using var watched = await chromium.NewPageAsync(Server, "zh-CN");
        var page = watched.Page;
        await watched.GotoAsync(TemplatesPath, "checklist-templates");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("li.tpl-row[data-key='bag-filter'] a.export-link").ClickAsync());
        Assert.Equal("checklist-bag-filter-v1.json", download.SuggestedFilename);
        var file = await File.ReadAllBytesAsync((await download.PathAsync())!);

        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload { Name = download.SuggestedFilename, MimeType = "application/json", Buffer = file });
        await Assertions.Expect(page.Locator("#editor-title")).ToHaveTextAsync("导入：checklist-bag-filter-v1.json");
        // Not saved yet: the note says so, and that the key exists here.
        await Assertions.Expect(page.Locator("#editor-note")).ToContainTextAsync("尚未保存");
        await Assertions.Expect(page.Locator("#editor-note")).ToContainTextAsync("已有模板“bag-filter”");
        await Assertions.Expect(page.Locator("#tpl-items > li.tpl-item")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#tpl-form input[name=key]")).ToHaveValueAsync("bag-filter");
        await Assertions.Expect(page.Locator("#tpl-form input[name=nameZh]")).ToHaveValueAsync("布袋除尘器检查");
        var dp = Item(page, 1);
        await Assertions.Expect(Field(dp, "type")).ToHaveValueAsync("Number");
        await Assertions.Expect(Field(dp, "unit")).ToHaveValueAsync("Pa");
        await Assertions.Expect(Field(dp, "min")).ToHaveValueAsync("800");
        await Assertions.Expect(Field(dp, "max")).ToHaveValueAsync("1500");
        await Assertions.Expect(Field(dp, "meter")).ToHaveValueAsync("tp.gas");
        await Assertions.Expect(Field(dp, "severity")).ToHaveValueAsync("High");
        await Assertions.Expect(Field(dp, "workOrder")).ToBeCheckedAsync();
        await Assertions.Expect(Field(Item(page, 2), "type")).ToHaveValueAsync("Photo");
        output.WriteLine(await watched.ScreenshotAsync("checklist-templates-import"));

        await page.Locator("#tpl-form input[name=key]").FillAsync("bag-filter-copy");
        await page.Locator("#save-template").ClickAsync();
        await Assertions.Expect(page.Locator("#save-status")).ToHaveTextAsync("已保存为第 1 版。");

        var original = (await TemplateAsync("bag-filter")).GetProperty("template");
        var copy = await TemplateAsync("bag-filter-copy");
        Assert.Equal(1, copy.GetProperty("version").GetInt32());
        Assert.Equal(original.GetProperty("items").GetRawText(), copy.GetProperty("template").GetProperty("items").GetRawText());
        // The original is untouched by the import.
        Assert.Equal(1, (await TemplateAsync("bag-filter")).GetProperty("version").GetInt32());
        await AssertNoRawTextKeysAsync(page);
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task InspectionView_FromTheWorkOrder_FailedItemWithReasonPhotoAndWorkOrderLink()
    {
        var inspection = await plant.SubmitAsync(1720);
        var id = inspection.GetProperty("id").GetInt64();
        var orderId = Assert.Single(inspection.GetProperty("workOrders").EnumerateArray().Select(e => e.GetInt64()).ToList());

        await using var watched = await PhoneAsync(chromium, Server);
        var page = watched.Page;
        await watched.GotoAsync($"/work-orders?site={TemplatePlant.Site}&id={orderId}", "work-orders");
        var link = page.Locator("#detail-card a.inspection-link");
        await Assertions.Expect(link).ToHaveAttributeAsync("href", new Regex($"/inspections\\?site={TemplatePlant.Site}&id={id}$"));
        await link.ClickAsync();
        await watched.WaitLoadedAsync("inspections");

        var card = page.Locator("#inspection-card");
        await Assertions.Expect(page.Locator("#inspection-title")).ToHaveTextAsync($"巡检记录 #{id} · 布袋除尘器检查");
        await Assertions.Expect(card.Locator("a.template-link")).ToContainTextAsync("第 1 版");
        await Assertions.Expect(card.Locator(".inspection-round")).ToHaveTextAsync("排气筒布袋除尘巡检");
        await Assertions.Expect(card).ToContainTextAsync("窑炉排气筒");
        await Assertions.Expect(card.Locator(".inspection-by")).ToHaveTextAsync(inspection.GetProperty("doneBy").GetString()!);
        await Assertions.Expect(card.Locator(".inspection-result")).ToHaveTextAsync("1 项不合格");

        var failed = card.Locator("li.answer[data-item='dp']");
        await Assertions.Expect(failed).ToHaveClassAsync(new Regex("answer-failed"));
        await Assertions.Expect(failed.Locator(".answer-reason")).ToHaveTextAsync("不合格原因：1720 Pa 高于上限 1500 Pa");
        await Assertions.Expect(failed.Locator(".answer-note")).ToContainTextAsync("滤袋疑似板结");
        await Assertions.Expect(card.Locator("li.answer[data-item='ok']")).Not.ToHaveClassAsync(new Regex("answer-failed"));
        Assert.Equal(1, await card.Locator("li.answer.answer-failed").CountAsync());

        // The photo loaded and fits the phone's width.
        var photo = card.Locator("li.answer[data-item='photo'] img.inspection-photo");
        await Assertions.Expect(photo).ToHaveCountAsync(1);
        await photo.ScrollIntoViewIfNeededAsync();
        await page.WaitForFunctionAsync("(img) => img.complete && img.naturalWidth > 0", await photo.ElementHandleAsync());
        var box = await photo.BoundingBoxAsync();
        Assert.True(box is { Width: > 0 } && box.X + box.Width <= 390, $"photo box {box?.X} + {box?.Width}");

        var order = card.Locator(".inspection-orders a.wo-link");
        await Assertions.Expect(order).ToHaveTextAsync($"工单 #{orderId}");
        await Assertions.Expect(order).ToHaveAttributeAsync("href", new Regex($"/work-orders\\?site={TemplatePlant.Site}&id={orderId}$"));
        await AssertNoSidewaysScrollingAsync(page);
        await AssertNoRawTextKeysAsync(page);
        output.WriteLine(await watched.ScreenshotAsync("inspection-phone"));

        await order.ClickAsync();
        await watched.WaitLoadedAsync("work-orders");
        await Assertions.Expect(page.Locator("#detail-card")).ToHaveAttributeAsync("data-id", orderId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        watched.AssertNoErrors();
    }
}
