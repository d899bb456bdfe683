using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GreenLoop.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// Rounds made and changed in the browser, on the checklist-template page (<c>/checklist-templates#round-plans</c>): a
/// weekly round made on a phone and stored as typed, then changed to a daily one and made inactive; a refused save whose
/// reasons stand by the times and the assignee while everything typed stays (by an EHS lead, who may not read the
/// notification channels and so types their keys); and a viewer who sees the rounds but no form.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class RoundPlanPagesTests(Chromium chromium, RoundPlanPagesTests.RoundPlant plant, ITestOutputHelper output)
    : IClassFixture<RoundPlanPagesTests.RoundPlant>
{
    /// <summary>
    /// A server (no demo plant, wall clock at 14:00 on Sunday 2026-11-22 in Shanghai, so no round made by the tests is
    /// late while it tells a channel) with the site <c>roundplan</c> (nodes <c>stack</c> and <c>kiln</c>), the templates
    /// <c>bag-filter</c> and <c>kiln-daily</c>, the webhook channel <c>ehs-webhook</c>, two rounds made through the API —
    /// the kiln every shift (role energy manager) and an inactive on-event round of a person — a viewer and an EHS lead.
    /// </summary>
    public sealed class RoundPlant : IAsyncLifetime
    {
        public const string Site = "roundplan";

        public const string Viewer = "round.viewer";

        public const string ViewerPassword = "round-viewer-password";

        public const string EhsLead = "round.ehs";

        public const string EhsLeadPassword = "round-ehs-lead-password";

        public const string Channel = "ehs-webhook";

        public static readonly DateTimeOffset Now = new(2026, 11, 22, 14, 0, 0, TimeSpan.FromHours(8));

        private const string SiteJson = """
            {"key":"roundplan","name":"Round test plant","nameZh":"巡检任务测试厂","timeZone":"Asia/Shanghai","gridRegion":"CN-Guangdong",
             "nodes":[{"key":"stack","name":"Kiln stack","nameZh":"窑炉排气筒"},{"key":"kiln","name":"Roller kiln","nameZh":"辊道窑"}],
             "meters":[{"key":"rp.gas","name":"Kiln gas","nameZh":"窑炉燃气","node":"kiln","carrier":"natural_gas","unit":"m3","kind":"Interval","intervalMinutes":15,"maxGapMinutes":60}]}
            """;

        private UiServer? _server;

        public UiServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

        /// <summary>The kiln every shift (08:00, 16:00, 00:00; window 60; role energy manager).</summary>
        public long ShiftRound { get; private set; }

        /// <summary>An inactive on-event round of the person li.ming.</summary>
        public long EventRound { get; private set; }

        public async Task InitializeAsync()
        {
            _server = await UiServer.StartAsync(["--GreenLoop:Demo:Enabled=false"], new FixedWallClock(Now));
            await SendAsync(HttpMethod.Put, $"api/v1/sites/{Site}", SiteJson);
            await SendAsync(HttpMethod.Post, $"api/v1/sites/{Site}/checklist-templates", """
                {"key":"bag-filter","name":"Bag filter check","nameZh":"布袋除尘器检查","items":[{"key":"ok","type":"PassFail","text":"Housing intact","textZh":"壳体完好"}]}
                """);
            await SendAsync(HttpMethod.Post, $"api/v1/sites/{Site}/checklist-templates", """
                {"key":"kiln-daily","name":"Kiln daily check","nameZh":"辊道窑日检","items":[{"key":"flame","type":"PassFail","text":"Flame steady","textZh":"火焰稳定"}]}
                """);
            await SendAsync(HttpMethod.Put, $"api/v1/notification-channels/{Channel}", $$"""
                {"key":"{{Channel}}","kind":"webhook","name":"EHS webhook","url":"http://127.0.0.1:9/hook"}
                """);
            ShiftRound = (await SendAsync(HttpMethod.Post, $"api/v1/sites/{Site}/rounds", """
                {"round":{"name":"Kiln shift check","nameZh":"辊道窑每班检查","template":"kiln-daily","node":"kiln",
                 "schedule":{"kind":"Shift","times":["08:00","16:00","00:00"],"weekdays":[],"windowMinutes":60},
                 "assignee":{"role":"energy-manager"},"recipients":[]},"active":true}
                """)).GetProperty("id").GetInt64();
            EventRound = (await SendAsync(HttpMethod.Post, $"api/v1/sites/{Site}/rounds", """
                {"round":{"name":"Stack after an alarm","nameZh":"告警后排气筒检查","template":"bag-filter","node":"stack",
                 "schedule":{"kind":"OnEvent","times":[],"weekdays":[],"windowMinutes":120},
                 "assignee":{"person":"li.ming"},"recipients":[]},"active":false}
                """)).GetProperty("id").GetInt64();
            await UserAsync(Viewer, ViewerPassword, "viewer");
            await UserAsync(EhsLead, EhsLeadPassword, "ehs-lead");
        }

        private async Task UserAsync(string userName, string password, string role)
        {
            using var user = await Server.Client.PostAsJsonAsync("api/v1/users",
                new { userName, displayName = userName, password, roles = new[] { new { role, site = (string?)null } } });
            Assert.True(user.StatusCode == HttpStatusCode.Created, $"create user {userName}: {(int)user.StatusCode} {await user.Content.ReadAsStringAsync()}");
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

    private static string TemplatesPath => $"/checklist-templates?site={RoundPlant.Site}";

    private async Task<IReadOnlyList<JsonElement>> RoundsAsync() =>
        [.. (await Server.GetJsonAsync($"api/v1/sites/{RoundPlant.Site}/rounds")).EnumerateArray()];

    private async Task<JsonElement> RoundAsync(long id) => Assert.Single(await RoundsAsync(), r => r.GetProperty("id").GetInt64() == id);

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>Opens the template page and waits for both its sections: the templates and the rounds.</summary>
    private static async Task OpenAsync(WatchedPage watched)
    {
        await watched.GotoAsync(TemplatesPath, "checklist-templates");
        await watched.WaitLoadedAsync("round-plans");
    }

    private static Task SignInAsync(WatchedPage watched, string userName, string password) => Chromium.SignInAsync(watched.Page, userName, password);

    private static async Task AssertNoSidewaysScrollingAsync(IPage page)
    {
        var wide = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('body *')]
              .filter((e) => !e.closest('.table-wrap') && e.getBoundingClientRect().right > window.innerWidth + 1)
              .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`)
            """);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"the page scrolls sideways; too wide: {string.Join(", ", wide)}");
    }

    /// <summary>No UI text key shows itself (an unknown key is printed as is, e.g. "rounds.plan.when.Daily").</summary>
    private static async Task AssertNoRawTextKeysAsync(IPage page)
    {
        var text = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotMatch(new Regex(@"\b(tpl|rounds|users)\.[a-zA-Z]"), text);
    }

    private static ILocator Row(IPage page, long id) => page.Locator($"#plan-list li.plan-row[data-id='{id}']");

    [Fact]
    public async Task RoundForm_WeeklyRoundMadeOnAPhone_StoredAsTyped_ChangedToDailyAndInactive()
    {
        var before = (await RoundsAsync()).Count;
        await using var watched = await chromium.NewPageAsync(Server, "zh-CN");
        var page = watched.Page;
        await page.SetViewportSizeAsync(390, 844);

        // The Rounds page says where rounds are made.
        await watched.GotoAsync($"/rounds?site={RoundPlant.Site}", "rounds");
        await Assertions.Expect(page.Locator("#make-rounds")).ToBeVisibleAsync();
        await page.Locator("#to-round-plans").ClickAsync();
        await watched.WaitLoadedAsync("checklist-templates");
        await watched.WaitLoadedAsync("round-plans");
        Assert.EndsWith($"/checklist-templates?site={RoundPlant.Site}#round-plans", page.Url, StringComparison.Ordinal);

        await page.Locator("#new-plan").ClickAsync();
        var card = page.Locator("#plan-card");
        await Assertions.Expect(card).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#plan-title")).ToHaveTextAsync("新建巡检任务");
        await Assertions.Expect(page.Locator("#plan-form input[name=active]")).ToBeCheckedAsync();
        // The admin may read the channels: they are checkboxes, not a field of keys.
        await Assertions.Expect(page.Locator("#plan-recipient-keys")).ToBeHiddenAsync();

        await page.Locator("#plan-form input[name=nameZh]").FillAsync("排气筒周检");
        await page.Locator("#plan-form input[name=name]").FillAsync("Stack weekly check");
        await page.Locator("#plan-form select[name=template]").SelectOptionAsync("bag-filter");
        await page.Locator("#plan-form select[name=node]").SelectOptionAsync("stack");
        // A daily round has no weekdays; a weekly one has them.
        await Assertions.Expect(page.Locator("#plan-weekdays")).ToBeHiddenAsync();
        await page.Locator("#plan-form select[name=kind]").SelectOptionAsync("Weekly");
        await Assertions.Expect(page.Locator("#plan-weekdays")).ToBeVisibleAsync();
        await page.Locator("#plan-weekdays input[value=mon]").CheckAsync();
        await page.Locator("#plan-weekdays input[value=thu]").CheckAsync();
        var times = page.Locator("#plan-time-list input.plan-time");
        await Assertions.Expect(times).ToHaveCountAsync(1);
        await times.Nth(0).FillAsync("10:00");
        await page.Locator("#add-time").ClickAsync();
        await Assertions.Expect(times).ToHaveCountAsync(2);
        await times.Nth(1).FillAsync("15:30");
        await page.Locator("#plan-form input[name=windowMinutes]").FillAsync("90");
        await page.Locator("#plan-form select[name=role]").SelectOptionAsync("inspector");
        await page.Locator($"#plan-channels input[value='{RoundPlant.Channel}']").CheckAsync();
        await AssertNoSidewaysScrollingAsync(page);
        var add = await page.Locator("#add-time").BoundingBoxAsync();
        Assert.True(add is { Height: >= 44 }, $"add-time button {add?.Height} px high");

        await page.Locator("#save-plan").ClickAsync();
        await Assertions.Expect(page.Locator("#plan-status")).ToHaveTextAsync("已保存。");
        await Assertions.Expect(page.Locator("#plan-status")).ToBeInViewportAsync();
        var id = long.Parse((await page.Locator("#plan-status").GetAttributeAsync("data-id"))!, System.Globalization.CultureInfo.InvariantCulture);
        output.WriteLine(await watched.ScreenshotAsync("round-plans-phone-saved"));

        var made = await RoundAsync(id);
        var round = made.GetProperty("round");
        Assert.True(made.GetProperty("active").GetBoolean());
        Assert.Equal(("Stack weekly check", "排气筒周检"), (round.GetProperty("name").GetString(), round.GetProperty("nameZh").GetString()));
        Assert.Equal(("bag-filter", "stack"), (round.GetProperty("template").GetString(), round.GetProperty("node").GetString()));
        var schedule = round.GetProperty("schedule");
        Assert.Equal("Weekly", schedule.GetProperty("kind").GetString());
        Assert.Equal(["mon", "thu"], Strings(schedule.GetProperty("weekdays")));
        Assert.Equal(["10:00", "15:30"], Strings(schedule.GetProperty("times")));
        Assert.Equal(90, schedule.GetProperty("windowMinutes").GetInt32());
        Assert.Equal("inspector", round.GetProperty("assignee").GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, round.GetProperty("assignee").GetProperty("person").ValueKind);
        Assert.Equal([RoundPlant.Channel], Strings(round.GetProperty("recipients")));

        var row = Row(page, id);
        await Assertions.Expect(row.Locator(".plan-name")).ToContainTextAsync("排气筒周检");
        await Assertions.Expect(row.Locator(".plan-schedule")).ToHaveTextAsync("每周一、四 10:00、15:30");
        await Assertions.Expect(row.Locator(".plan-window")).ToHaveTextAsync("90 分钟内完成");
        await Assertions.Expect(row.Locator(".plan-template")).ToHaveTextAsync("布袋除尘器检查");
        await Assertions.Expect(row.Locator(".plan-node")).ToHaveTextAsync("窑炉排气筒");
        await Assertions.Expect(row.Locator(".plan-assignee")).ToHaveTextAsync("角色：巡检员");
        await Assertions.Expect(row.Locator(".plan-recipients")).ToHaveTextAsync("通知：EHS webhook");
        await Assertions.Expect(row.Locator(".plan-state")).ToHaveTextAsync("启用");

        // Changed from the list: daily at 09:00, and inactive.
        await row.Locator("button.edit-plan").ClickAsync();
        await Assertions.Expect(page.Locator("#plan-title")).ToHaveTextAsync("编辑：排气筒周检");
        await Assertions.Expect(page.Locator("#plan-weekdays input[value=thu]")).ToBeCheckedAsync();
        await page.Locator("#plan-form select[name=kind]").SelectOptionAsync("Daily");
        await Assertions.Expect(page.Locator("#plan-weekdays")).ToBeHiddenAsync();
        await page.Locator("#plan-time-list li").Nth(1).Locator("button.remove-time").ClickAsync();
        await Assertions.Expect(times).ToHaveCountAsync(1);
        await times.Nth(0).FillAsync("09:00");
        await page.Locator("#plan-form input[name=active]").UncheckAsync();
        await page.Locator("#save-plan").ClickAsync();
        await Assertions.Expect(page.Locator("#plan-status")).ToHaveTextAsync("已保存，此任务已停用。");

        var changed = await RoundAsync(id);
        Assert.False(changed.GetProperty("active").GetBoolean());
        round = changed.GetProperty("round");
        schedule = round.GetProperty("schedule");
        Assert.Equal("Daily", schedule.GetProperty("kind").GetString());
        Assert.Equal(["09:00"], Strings(schedule.GetProperty("times")));
        // The weekdays were hidden for a daily round, so they are not saved.
        Assert.Empty(Strings(schedule.GetProperty("weekdays")));
        Assert.Equal(90, schedule.GetProperty("windowMinutes").GetInt32());
        Assert.Equal(("Stack weekly check", "bag-filter", "stack"), (round.GetProperty("name").GetString(), round.GetProperty("template").GetString(), round.GetProperty("node").GetString()));
        Assert.Equal("inspector", round.GetProperty("assignee").GetProperty("role").GetString());
        Assert.Equal([RoundPlant.Channel], Strings(round.GetProperty("recipients")));
        // Changed, not made again.
        Assert.Equal(before + 1, (await RoundsAsync()).Count);

        await Assertions.Expect(row.Locator(".plan-schedule")).ToHaveTextAsync("每天 09:00");
        await Assertions.Expect(row.Locator(".plan-state")).ToHaveTextAsync("已停用");
        await AssertNoSidewaysScrollingAsync(page);
        await AssertNoRawTextKeysAsync(page);
        output.WriteLine(await watched.ScreenshotAsync("round-plans-phone-changed"));
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task RoundForm_NoTimesAndNoAssignee_ReasonsOnTheFields_TypedKept_ChannelKeysTypedWithoutConfigure()
    {
        const string NameZh = "脱硫塔日检";
        await using var watched = await chromium.NewPageAsync(Server, "zh-CN", signIn: false);
        var page = watched.Page;
        await page.SetViewportSizeAsync(390, 844);
        await SignInAsync(watched, RoundPlant.EhsLead, RoundPlant.EhsLeadPassword);
        await OpenAsync(watched);

        await page.Locator("#new-plan").ClickAsync();
        // An EHS lead may not read the tenant's channels: their keys are typed.
        await Assertions.Expect(page.Locator("#plan-recipient-keys")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#plan-channels")).ToBeHiddenAsync();
        await page.Locator("#plan-form input[name=nameZh]").FillAsync(NameZh);
        await page.Locator("#plan-form select[name=template]").SelectOptionAsync("kiln-daily");
        await page.Locator("#plan-form select[name=node]").SelectOptionAsync("kiln");
        await Assertions.Expect(page.Locator("#plan-form select[name=kind]")).ToHaveValueAsync("Daily");
        await page.Locator("#plan-time-list button.remove-time").ClickAsync();
        await Assertions.Expect(page.Locator("#plan-no-times")).ToBeVisibleAsync();
        await page.Locator("#plan-form input[name=recipientKeys]").FillAsync(RoundPlant.Channel);

        await page.Locator("#save-plan").ClickAsync();
        await Assertions.Expect(page.Locator("#plan-errors")).ToContainTextAsync("未保存");
        await Assertions.Expect(page.Locator("#plan-times")).ToHaveClassAsync(new Regex("has-errors"));
        await Assertions.Expect(page.Locator("#plan-times .field-error")).ToContainTextAsync("HH:mm");
        await Assertions.Expect(page.Locator("#plan-assignee .field-error")).ToContainTextAsync("a role");
        await Assertions.Expect(page.Locator("#plan-form select[name=role]")).ToHaveAttributeAsync("aria-invalid", "true");
        // Nothing typed is lost, and nothing was stored.
        await Assertions.Expect(page.Locator("#plan-form input[name=nameZh]")).ToHaveValueAsync(NameZh);
        await Assertions.Expect(page.Locator("#plan-form select[name=template]")).ToHaveValueAsync("kiln-daily");
        await Assertions.Expect(page.Locator("#plan-form select[name=node]")).ToHaveValueAsync("kiln");
        await Assertions.Expect(page.Locator("#plan-form input[name=recipientKeys]")).ToHaveValueAsync(RoundPlant.Channel);
        Assert.DoesNotContain(await RoundsAsync(), r => r.GetProperty("round").GetProperty("nameZh").GetString() == NameZh);
        await AssertNoSidewaysScrollingAsync(page);
        output.WriteLine(await watched.ScreenshotAsync("round-plans-phone-refused"));

        // Corrected, it is saved; the errors go.
        await page.Locator("#add-time").ClickAsync();
        await page.Locator("#plan-time-list input.plan-time").FillAsync("18:30");
        await page.Locator("#plan-form select[name=role]").SelectOptionAsync("ehs-lead");
        await page.Locator("#save-plan").ClickAsync();
        await Assertions.Expect(page.Locator("#plan-status")).ToHaveTextAsync("已保存。");
        await Assertions.Expect(page.Locator("#plan-errors")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#plan-form .field-error")).ToHaveCountAsync(0);

        var made = Assert.Single(await RoundsAsync(), r => r.GetProperty("round").GetProperty("nameZh").GetString() == NameZh);
        var round = made.GetProperty("round");
        // The English name left blank is the Chinese one (the API needs one).
        Assert.Equal(NameZh, round.GetProperty("name").GetString());
        Assert.Equal(["18:30"], Strings(round.GetProperty("schedule").GetProperty("times")));
        Assert.Equal(120, round.GetProperty("schedule").GetProperty("windowMinutes").GetInt32());
        Assert.Equal("ehs-lead", round.GetProperty("assignee").GetProperty("role").GetString());
        Assert.Equal([RoundPlant.Channel], Strings(round.GetProperty("recipients")));
        Assert.Equal(RoundPlant.EhsLead, made.GetProperty("createdBy").GetString());
        await Assertions.Expect(Row(page, made.GetProperty("id").GetInt64()).Locator(".plan-recipients")).ToHaveTextAsync($"通知：{RoundPlant.Channel}");
        await AssertNoRawTextKeysAsync(page);
        watched.AssertNoErrors(e => e.Contains("status of 400", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RoundList_ViewerOnADesktop_SeesTheRoundsInWords_NoFormNoEditButtons()
    {
        await using var watched = await chromium.NewPageAsync(Server, "en-US", signIn: false);
        var page = watched.Page;
        await SignInAsync(watched, RoundPlant.Viewer, RoundPlant.ViewerPassword);
        await OpenAsync(watched);

        var shift = Row(page, plant.ShiftRound);
        await Assertions.Expect(shift.Locator(".plan-name")).ToContainTextAsync("Kiln shift check");
        await Assertions.Expect(shift.Locator(".plan-schedule")).ToHaveTextAsync("every shift at 08:00, 16:00, 00:00");
        await Assertions.Expect(shift.Locator(".plan-window")).ToHaveTextAsync("window 60 min");
        await Assertions.Expect(shift.Locator(".plan-template")).ToHaveTextAsync("Kiln daily check");
        await Assertions.Expect(shift.Locator(".plan-node")).ToHaveTextAsync("Roller kiln");
        await Assertions.Expect(shift.Locator(".plan-assignee")).ToHaveTextAsync("role: Energy manager");
        await Assertions.Expect(shift.Locator(".plan-recipients")).ToHaveTextAsync("tells no one");
        await Assertions.Expect(shift.Locator(".plan-state")).ToHaveTextAsync("Active");

        var onEvent = Row(page, plant.EventRound);
        await Assertions.Expect(onEvent.Locator(".plan-schedule")).ToHaveTextAsync("on event");
        await Assertions.Expect(onEvent.Locator(".plan-window")).ToHaveCountAsync(0);
        await Assertions.Expect(onEvent.Locator(".plan-assignee")).ToHaveTextAsync("person: li.ming");
        await Assertions.Expect(onEvent.Locator(".plan-state")).ToHaveTextAsync("Inactive");

        await Assertions.Expect(page.Locator("#plan-read-only")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#new-plan, #plan-card, #plan-form, button.edit-plan").CountAsync());
        await AssertNoRawTextKeysAsync(page);
        output.WriteLine(await watched.ScreenshotAsync("round-plans-desktop-viewer"));

        // The Rounds page does not send a viewer to make rounds.
        await watched.GotoAsync($"/rounds?site={RoundPlant.Site}", "rounds");
        await Assertions.Expect(page.Locator("#make-rounds")).ToHaveCountAsync(0);
        watched.AssertNoErrors();
    }
}
