using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// The alarm list (/sites/{site}/alarms), the rule editor (/sites/{site}/alarm-rules) and the notification channels
/// (/channels) against a server of their own: a rule created through the API raises an alarm from posted readings,
/// the page acknowledges it, and a webhook channel made in the page delivers its test to a receiver the test runs.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class AlarmPagesTests(Chromium chromium, AlarmPagesTests.AlarmPlant plant, ITestOutputHelper output) : IClassFixture<AlarmPagesTests.AlarmPlant>
{
    /// <summary>
    /// Site <c>alarmui</c> with one cumulative electricity meter <c>al.elec</c>, read every 15 min from 00:00 to 11:00 on
    /// 2026-03-10 (+08:00): 2.5 kWh per quarter (10 kWh an hour) except 50 kWh per quarter from 10:00 to 11:00 (200 kWh).
    /// Rule <c>hour-over</c>: consumption per hour above 100 kWh, so exactly the 10:00 hour raises one alarm, and with
    /// no data after 11:00 nothing clears it.
    /// </summary>
    public sealed class AlarmPlant : IAsyncLifetime
    {
        public const string Site = "alarmui";

        /// <summary>12:07 on 2026-03-10 in Shanghai.</summary>
        public static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 7, 0, TimeSpan.FromHours(8));

        private const string SiteJson = """
            {"key":"alarmui","name":"Alarm test plant","nameZh":"告警测试工厂","timeZone":"Asia/Shanghai",
             "meters":[{"key":"al.elec","name":"Compressors","nameZh":"空压机","carrier":"electricity","unit":"kWh","kind":"Cumulative"}]}
            """;

        private const string RuleJson = """
            {"key":"hour-over","name":"Compressors above 100 kWh in an hour","nameZh":"空压机小时用电超过100 kWh",
             "subject":{"kind":"meter","key":"al.elec"},"condition":{"type":"consumption","per":"hour","limit":100},
             "severity":"critical","recipients":[]}
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
            using (var rule = await Server.Client.PostAsync($"api/v1/sites/{Site}/alarm-rules", new StringContent(RuleJson, Encoding.UTF8, "application/json")))
            {
                Assert.True(rule.StatusCode == HttpStatusCode.Created, await rule.Content.ReadAsStringAsync());
            }
            var csv = new StringBuilder("meter,ts,value\n");
            var value = 1000m;
            for (var q = 0; q <= 44; q++)
            {
                var at = new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.FromHours(8)).AddMinutes(15 * q);
                if (q > 0) value += at.Hour == 10 || (at.Hour == 11 && at.Minute == 0) ? 50m : 2.5m;
                csv.Append(CultureInfo.InvariantCulture, $"al.elec,{at:yyyy-MM-dd'T'HH:mm:sszzz},{value}\n");
            }
            using (var post = await Server.Client.PostAsync("api/v1/readings", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv")))
            {
                var answer = await post.Content.ReadAsStringAsync();
                Assert.True(post.StatusCode == HttpStatusCode.OK, answer);
                Assert.Contains("\"rejected\":[]", answer, StringComparison.Ordinal);
            }
            await Server.WaitForDerivationAsync(TimeSpan.FromSeconds(60));
        }

        /// <summary>Polls the alarm list until the rule's alarm is there; fails after 30 s.</summary>
        public async Task<JsonElement> WaitForAlarmAsync() =>
            (await Wait.ForAsync(() => Server.GetJsonAsync($"api/v1/alarms?site={Site}&rule=hour-over"), list => list.GetArrayLength() > 0,
                _ => $"an alarm of rule hour-over; server errors:\n{string.Join("\n", Server.Log.Errors)}", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100)))[0];

        public async Task DisposeAsync()
        {
            if (_server is not null) await _server.DisposeAsync();
        }
    }

    private UiServer Server => plant.Server;

    [Fact]
    public async Task AlarmsPage_RuleRaisedAlarm_ListedAndAcknowledgeChangesItsState()
    {
        var alarm = await plant.WaitForAlarmAsync();
        var id = alarm.GetProperty("id").GetInt64();
        Assert.Equal("active", alarm.GetProperty("state").GetString());
        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;
        await watched.GotoAsync($"/sites/{AlarmPlant.Site}/alarms", "alarms");

        var row = page.Locator($"tr.alarm-row[data-id='{id}']");
        await Expect(row).ToBeVisibleAsync();
        Assert.Equal("Critical", await row.Locator(".severity").InnerTextAsync());
        Assert.Equal("Active", await row.Locator(".state-badge").InnerTextAsync());
        // 10:00-11:00 local: 4 quarters of 50 kWh = 200 kWh against the 100 kWh limit; raised when the hour ended.
        Assert.Equal("200 kWh", await row.Locator("td").Nth(6).InnerTextAsync());
        Assert.Equal("100 kWh", await row.Locator("td").Nth(7).InnerTextAsync());
        // In the site's zone with its offset (Asia/Shanghai, UTC+8).
        Assert.StartsWith("2026-03-10 11:00 +08:00", await row.Locator("td").Nth(5).InnerTextAsync(), StringComparison.Ordinal);
        var subject = row.Locator("a.subject-link");
        Assert.Equal("Compressors", await subject.InnerTextAsync());
        Assert.EndsWith("/sites/alarmui/meters/al.elec", await subject.GetAttributeAsync("href"), StringComparison.Ordinal);
        Assert.Equal("1", await page.Locator("#fact-open").InnerTextAsync());
        await Expect(page.Locator("#nav-alarm-count")).ToHaveTextAsync("1");

        // Actions are recorded under the signed-in user (the test signs in as the administrator).
        Assert.Equal("Administrator", await page.Locator("#acting-user").InnerTextAsync());
        await row.Locator("button[data-action='ack']").ClickAsync();

        await Expect(row.Locator(".state-badge")).ToHaveTextAsync("Acknowledged");
        var after = await Server.GetJsonAsync($"api/v1/alarms/{id}");
        Assert.Equal("acknowledged", after.GetProperty("state").GetString());
        Assert.Equal(TestCredentials.AdminUser, after.GetProperty("acknowledgedBy").GetString());

        await row.Locator("button.expander").ClickAsync();
        var history = page.Locator($"tr[data-detail-of='{id}'] .history-rows tr");
        await Expect(history).ToHaveCountAsync(2);
        Assert.Equal(["Raised", "Acknowledged"], await page.EvaluateAsync<string[]>(
            $"() => [...document.querySelectorAll(\"tr[data-detail-of='{id}'] .history-rows tr td:nth-child(2)\")].map((c) => c.innerText.trim())"));
        Assert.Equal(TestCredentials.AdminUser, await history.Nth(1).Locator("td").Nth(2).InnerTextAsync());
        output.WriteLine(await watched.ScreenshotAsync("alarms-en"));
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }

    [Fact]
    public async Task AlarmsPage_ClearedButUnacknowledgedAlarm_IsShownByDefaultAndCounted()
    {
        // A second site whose one alarm was raised (10:00 hour, 200 kWh) and cleared by the data (11:00 hour, 10 kWh)
        // without anyone acknowledging it.
        const string site = "alarmui2";
        using (var put = await Server.Client.PutAsync($"api/v1/sites/{site}", new StringContent("""
            {"key":"alarmui2","name":"Second plant","timeZone":"Asia/Shanghai",
             "meters":[{"key":"al2.elec","name":"Kiln fans","carrier":"electricity","unit":"kWh","kind":"Cumulative"}]}
            """, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        using (var rule = await Server.Client.PostAsync($"api/v1/sites/{site}/alarm-rules", new StringContent("""
            {"key":"fans-hour","name":"Fans above 100 kWh in an hour","subject":{"kind":"meter","key":"al2.elec"},
             "condition":{"type":"consumption","per":"hour","limit":100},"severity":"critical","recipients":[]}
            """, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, rule.StatusCode);
        }
        var csv = new StringBuilder("meter,ts,value\n");
        var value = 500m;
        for (var q = 36; q <= 48; q++)
        {
            var at = new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.FromHours(8)).AddMinutes(15 * q);
            if (q > 36) value += at.Hour == 10 || (at.Hour == 11 && at.Minute == 0) ? 50m : 2.5m;
            csv.Append(CultureInfo.InvariantCulture, $"al2.elec,{at:yyyy-MM-dd'T'HH:mm:sszzz},{value}\n");
        }
        using (var post = await Server.Client.PostAsync("api/v1/readings", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv")))
        {
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        }
        var alarm = (await Wait.ForAsync(() => Server.GetJsonAsync($"api/v1/alarms?site={site}&state=clearedUnack"), list => list.GetArrayLength() > 0,
            _ => "a cleared, unacknowledged alarm", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100)))[0];

        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;
        await watched.GotoAsync($"/sites/{site}/alarms", "alarms");

        var row = page.Locator($"tr.alarm-row[data-id='{alarm.GetProperty("id").GetInt64()}']");
        await Expect(row).ToBeVisibleAsync();
        Assert.Equal("Cleared, not acknowledged", await row.Locator(".state-badge").InnerTextAsync());
        Assert.Equal("open", await page.Locator("#alarm-filters [name=state]").InputValueAsync());
        Assert.Equal("0", await page.Locator("#fact-open").InnerTextAsync());
        Assert.Equal("1", await page.Locator("#fact-active").InnerTextAsync());
        await Expect(page.Locator("#nav-alarm-count")).ToHaveTextAsync("1");
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task SiteSwitcher_SecondSite_ListedAndOpensTheSamePageForIt()
    {
        using (var put = await Server.Client.PutAsync("api/v1/sites/switchto", new StringContent("""
            {"key":"switchto","name":"Switch target","nameZh":"切换目标厂","timeZone":"Asia/Shanghai",
             "meters":[{"key":"sw.elec","name":"Main","carrier":"electricity","unit":"kWh","kind":"Cumulative"}]}
            """, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        await using var watched = await chromium.NewPageAsync(Server, "zh-CN");
        var page = watched.Page;
        await watched.GotoAsync($"/sites/{AlarmPlant.Site}/alarm-rules", "alarm-rules");

        var select = page.Locator("#site-switch");
        await Expect(select).ToBeVisibleAsync();
        Assert.Contains("切换目标厂", await select.Locator("option[value='switchto']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(AlarmPlant.Site, await select.InputValueAsync());
        // The switcher opens /go/{site}?nav={the page's nav key}; that address leads to the same page for the other site.
        Assert.Equal("alarmRules", await page.EvaluateAsync<string>("() => document.body.dataset.nav"));
        await page.GotoAsync("/go/switchto?nav=alarmRules");
        Assert.EndsWith("/sites/switchto/alarm-rules", page.Url, StringComparison.Ordinal);
        await watched.WaitLoadedAsync("alarm-rules");
        Assert.Equal("switchto", await page.Locator("#site-switch").InputValueAsync());
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task RulesPage_InChinese_RuleInWordsAndServerErrorsNextToFields()
    {
        await using var watched = await chromium.NewPageAsync(Server, "zh-CN");
        var page = watched.Page;
        await watched.GotoAsync($"/sites/{AlarmPlant.Site}/alarm-rules", "alarm-rules");
        var row = page.Locator("#rule-rows tr[data-key='hour-over']");
        Assert.StartsWith("每小时用量超过 100 kWh", await row.Locator("td.rule-words").InnerTextAsync(), StringComparison.Ordinal);
        // Consumption only grows: the rule can raise while the hour runs, and the list says so.
        Assert.Equal("时段进行中即可告警：用量只增不减，超限后不会撤回", await row.Locator(".judging").InnerTextAsync());
        Assert.Equal("严重", await row.Locator(".severity").InnerTextAsync());

        await page.Locator("#new-rule").ClickAsync();
        Assert.Equal("时段进行中即可告警：用量只增不减，超限后不会撤回", await page.Locator("#judging-hint").InnerTextAsync());
        await page.Locator("#rule-form [name=key]").FillAsync("bad-rule");
        await page.Locator("#rule-form [name=name]").FillAsync("Bad");
        await page.Locator("#rule-form [name=clearRatio]").FillAsync("1.5");
        await page.Locator("#rule-form button[type=submit]").ClickAsync();

        // The validator's paths: "clearRatio" and "condition" (neither limit nor schedule).
        await Expect(page.Locator("label:has([name=clearRatio]) .field-error")).ToContainTextAsync("must be above 0 and at most 1");
        await Expect(page.Locator(".condition-block .field-error")).ToContainTextAsync("a limit or a schedule is required");
        // A 15-minute mean can still fall: the editor says such a rule waits for the period to end.
        await page.Locator(".condition-block [name=type]").SelectOptionAsync("range");
        await Expect(page.Locator("#judging-hint")).ToHaveTextAsync("时段结束后判定：数值在时段内还可能回落");
        output.WriteLine(await watched.ScreenshotAsync("alarm-rules-zh"));
        watched.AssertNoErrors(e => OverviewPageTests.IsNotFoundResource(e, "/api/v1/sites/alarmui/alarm-rules") || e.Contains("status of 400", StringComparison.Ordinal));
        Assert.Empty(Server.Log.Errors);
    }

    [Fact]
    public async Task ChannelsPage_WebhookCreatedInPage_SendTestDeliversToReceiver()
    {
        var received = new ConcurrentQueue<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var receiver = builder.Build();
        receiver.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            received.Enqueue(await reader.ReadToEndAsync());
            return Results.Ok();
        });
        await receiver.StartAsync();
        var hook = receiver.Urls.Single().TrimEnd('/') + "/hook";

        await using var watched = await chromium.NewPageAsync(Server);
        var page = watched.Page;
        await watched.GotoAsync("/channels", "channels");
        await page.Locator("#new-channel").ClickAsync();
        await page.Locator("#channel-form [name=key]").FillAsync("ops-hook");
        await page.Locator("#channel-form [name=name]").FillAsync("Shift webhook");
        await page.Locator("#channel-form [name=kind]").SelectOptionAsync("webhook");
        await page.Locator("#channel-form [name=url]").FillAsync(hook);
        await page.Locator("#channel-form button[type=submit]").ClickAsync();

        var row = page.Locator("#channel-rows tr[data-key='ops-hook']");
        await Expect(row).ToBeVisibleAsync();
        Assert.Equal("Webhook", await row.Locator("td").Nth(3).InnerTextAsync());
        await row.Locator("button[data-action='test']").ClickAsync();

        await Expect(row.Locator(".test-result")).ToHaveTextAsync("Delivered: status 200, attempts: 1");
        var body = Assert.Single(received);
        Assert.Contains("Shift webhook", body, StringComparison.Ordinal);
        var delivery = page.Locator("#delivery-rows tr").First;
        await Expect(delivery.Locator("td").Nth(3)).ToHaveTextAsync("ops-hook");
        Assert.Equal("OK", await delivery.Locator("td").Nth(5).InnerTextAsync());
        output.WriteLine(await watched.ScreenshotAsync("channels-en"));
        watched.AssertNoErrors();
        Assert.Empty(Server.Log.Errors);
    }
}
