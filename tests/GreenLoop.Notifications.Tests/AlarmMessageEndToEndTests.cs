using System.Text.Json.Nodes;
using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Model;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Pipeline.Monitor.Alarms;
using GreenLoop.Pipeline.Monitor.Derivation;
using GreenLoop.Storage;
using GreenLoop.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Notifications.Tests;

/// <summary>
/// The messages the alarm engine itself builds — a critical NOx alarm raised on a completed quarter and then
/// acknowledged, at a site in Asia/Shanghai — sent through every channel to real receivers, and read back word for word
/// against docs/notifications.md: the headline carries the severity label and the transition word once, the site is
/// its display name, and the time is the transition's instant in the site's zone with its offset.
/// </summary>
public sealed class AlarmMessageEndToEndTests(HttpReceiver http, SmtpReceiver smtp) : IClassFixture<HttpReceiver>, IClassFixture<SmtpReceiver>
{
    private const string Nox = "kiln1.nox";
    // 2026-03-14 00:00 UTC is 08:00 in Asia/Shanghai (UTC+8, no daylight saving).
    private static readonly DateTimeOffset QuarterStart = new(2026, 3, 14, 0, 0, 0, TimeSpan.Zero);
    private readonly NotificationChannelFactory _factory = new(new HttpClient(), new FakeTimeProvider(QuarterStart.AddMinutes(30)));

    private const string DetailEn = "Kiln 1 NOx analyser (kiln1.nox): 2026-03-14 08:00–08:15: mean 250 mg/m3 above the maximum 180 mg/m3";
    private const string DetailZh = "1号窑 NOx 分析仪（kiln1.nox）：2026-03-14 08:00–08:15：均值 250 mg/m3，高于上限 180 mg/m3";
    private const string AckEn = "Acknowledged by zhang.wei: burner checked. " + DetailEn;
    private const string AckZh = "zhang.wei 已确认：burner checked。" + DetailZh;

    private static async Task<(NotificationMessage Raised, NotificationMessage Acknowledged)> EngineMessagesAsync()
    {
        var clock = new FakeTimeProvider(QuarterStart);
        var notifier = new RecordingNotifier();
        await using var pipeline = await PipelineHarness.SqliteAsync(clock, s => s.AddSingleton<IAlarmNotifier>(notifier));
        await pipeline.ApplyAsync(new SiteDefinition
        {
            Key = "kiln",
            Name = "Demo plant",
            NameZh = "示范工厂",
            TimeZone = "Asia/Shanghai",
            Meters = [new MeterDefinition { Key = Nox, Name = "Kiln 1 NOx analyser", NameZh = "1号窑 NOx 分析仪", Quantity = MeterQuantity.Emission, Carrier = "nox", Unit = "mg/m3", Kind = MeterKind.Instantaneous }],
        });
        var alarms = pipeline.Get<AlarmService>();
        var saved = await alarms.SaveRuleAsync(pipeline.TenantId, "kiln", new AlarmRule
        {
            Key = "nox-permit",
            Name = "Kiln 1 NOx above permit limit",
            NameZh = "1号窑 NOx 超过许可限值",
            Subject = AlarmSubject.Meter(Nox),
            Condition = new ValueOutOfRange { Max = 180 },
            Severity = AlarmSeverity.Critical,
            Recipients = ["ops"],
        }, CancellationToken.None);
        Assert.NotNull(saved.Rule);

        // A reading each minute 08:00-08:15 local at 250 mg/m3; at 08:15:10 the quarter 08:00-08:15 is over.
        clock.SetUtcNow(QuarterStart.AddMinutes(15).AddSeconds(10));
        await pipeline.Ingest.IngestAsync(pipeline.TenantId, [.. Enumerable.Range(0, 16).Select(m => new ReadingInput(Nox, QuarterStart.AddMinutes(m), 250))], "test", CancellationToken.None);
        await pipeline.Derivation.RunUntilIdleAsync(CancellationToken.None);
        await alarms.EvaluateChangesAsync(pipeline.Get<DerivedChangeFeed>().Drain(), CancellationToken.None);
        var alarm = Assert.Single(await alarms.ListAsync(pipeline.TenantId, new AlarmFilter(), CancellationToken.None));
        // Acknowledged at 08:20:30 local, five minutes after it was raised.
        clock.SetUtcNow(QuarterStart.AddMinutes(20).AddSeconds(30));
        await alarms.AcknowledgeAsync(pipeline.TenantId, alarm.Id, "zhang.wei", "burner checked", CancellationToken.None);
        await alarms.DeliverQueuedAsync(CancellationToken.None);

        Assert.Equal(2, notifier.Sent.Count);
        return (notifier.Sent[0].Message, notifier.Sent[1].Message);
    }

    [Fact]
    public async Task EngineMessage_RaisedAndAcknowledged_SiteNameLocalTimeOfEachTransition_TitleWithoutLabels()
    {
        var (raised, acked) = await EngineMessagesAsync();

        Assert.Equal((AlarmTransition.Raised, "critical"), (raised.Transition, raised.Severity));
        Assert.Equal(("示范工厂 Demo plant", "kiln"), (raised.Site, raised.SiteKey));
        Assert.Equal("1号窑 NOx 超过许可限值 / Kiln 1 NOx above permit limit", raised.RuleName);
        Assert.Equal("1号窑 NOx 超过许可限值 — kiln1.nox", raised.TitleZh);
        Assert.Equal("Kiln 1 NOx above permit limit — kiln1.nox", raised.TitleEn);
        Assert.Equal((DetailEn, DetailZh), (raised.DetailEn, raised.DetailZh));
        // Raised when the quarter 08:00-08:15 ended; shown in the site's offset.
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 8, 15, 0, TimeSpan.FromHours(8)), raised.At);
        Assert.Equal(TimeSpan.FromHours(8), raised.At.Offset);

        Assert.Equal(AlarmTransition.Acknowledged, acked.Transition);
        Assert.Equal(raised.TitleZh, acked.TitleZh);
        Assert.Equal((AckEn, AckZh), (acked.DetailEn, acked.DetailZh));
        // When it was acknowledged, not when the alarm was created.
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 8, 20, 30, TimeSpan.FromHours(8)), acked.At);
        Assert.Equal(TimeSpan.FromHours(8), acked.At.Offset);
    }

    private static string Facts(string prefix, string time, string alarmId, string between = ": ", string bold = "") =>
        string.Join("\n",
            $"{prefix}{bold}站点 Site{bold}{between}示范工厂 Demo plant",
            $"{prefix}{bold}规则 Rule{bold}{between}1号窑 NOx 超过许可限值 / Kiln 1 NOx above permit limit",
            $"{prefix}{bold}对象 Subject{bold}{between}kiln1.nox",
            $"{prefix}{bold}时间 Time{bold}{between}{time}",
            $"{prefix}{bold}告警编号 Alarm{bold}{between}{alarmId}");

    [Fact]
    public async Task WeCom_RaisedAndAcknowledged_ExactMarkdown()
    {
        var (raised, acked) = await EngineMessagesAsync();
        var path = http.Route(Reply.Json("""{"errcode":0,"errmsg":"ok"}"""));
        var channel = _factory.Create(Samples.Channel(ChannelKind.WeCom, http.Url(path, "?key=k")));

        Assert.True((await channel.SendAsync(raised, CancellationToken.None)).Ok);
        Assert.True((await channel.SendAsync(acked, CancellationToken.None)).Ok);

        var contents = http.RequestsTo(path).Select(r => JsonNode.Parse(r.BodyText)!["markdown"]!["content"]!.GetValue<string>()).ToList();
        Assert.Equal(
            "### <font color=\"warning\">【严重】</font>告警：1号窑 NOx 超过许可限值 — kiln1.nox\n"
            + "**[Critical] Alarm: Kiln 1 NOx above permit limit — kiln1.nox**\n"
            + Facts("> ", "2026-03-14 08:15:00 +08:00", raised.AlarmId) + "\n\n"
            + DetailZh + "\n" + DetailEn, contents[0]);
        Assert.Equal(
            "### <font color=\"warning\">【严重】</font>已确认：1号窑 NOx 超过许可限值 — kiln1.nox\n"
            + "**[Critical] Acknowledged: Kiln 1 NOx above permit limit — kiln1.nox**\n"
            + Facts("> ", "2026-03-14 08:20:30 +08:00", acked.AlarmId) + "\n\n"
            + AckZh + "\n" + AckEn, contents[1]);
        Assert.DoesNotContain("紧急", contents[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DingTalk_RaisedAndAcknowledged_ExactTitleAndText()
    {
        var (raised, acked) = await EngineMessagesAsync();
        var path = http.Route(Reply.Json("""{"errcode":0,"errmsg":"ok"}"""));
        var channel = _factory.Create(Samples.Channel(ChannelKind.DingTalk, http.Url(path, "?access_token=t")));

        await channel.SendAsync(raised, CancellationToken.None);
        await channel.SendAsync(acked, CancellationToken.None);

        var bodies = http.RequestsTo(path).Select(r => JsonNode.Parse(r.BodyText)!["markdown"]!).ToList();
        Assert.Equal("【严重】告警：1号窑 NOx 超过许可限值 — kiln1.nox", bodies[0]["title"]!.GetValue<string>());
        Assert.Equal(
            "### 【严重】告警：1号窑 NOx 超过许可限值 — kiln1.nox\n\n"
            + "**[Critical] Alarm: Kiln 1 NOx above permit limit — kiln1.nox**\n\n"
            + Facts("- ", "2026-03-14 08:15:00 +08:00", raised.AlarmId) + "\n\n"
            + DetailZh + "\n\n" + DetailEn, bodies[0]["text"]!.GetValue<string>());
        Assert.Equal("【严重】已确认：1号窑 NOx 超过许可限值 — kiln1.nox", bodies[1]["title"]!.GetValue<string>());
        Assert.Contains("- 时间 Time: 2026-03-14 08:20:30 +08:00\n", bodies[1]["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith(AckZh + "\n\n" + AckEn, bodies[1]["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feishu_RaisedAndAcknowledged_ExactCard()
    {
        var (raised, acked) = await EngineMessagesAsync();
        var path = http.Route(Reply.Json("""{"code":0,"msg":"success"}"""));
        var channel = _factory.Create(Samples.Channel(ChannelKind.Feishu, http.Url(path)));

        await channel.SendAsync(raised, CancellationToken.None);
        await channel.SendAsync(acked, CancellationToken.None);

        var cards = http.RequestsTo(path).Select(r => JsonNode.Parse(r.BodyText)!["card"]!).ToList();
        Assert.Equal("red", cards[0]["header"]!["template"]!.GetValue<string>());
        Assert.Equal("【严重】告警：1号窑 NOx 超过许可限值 — kiln1.nox", cards[0]["header"]!["title"]!["content"]!.GetValue<string>());
        Assert.Equal(
            "**[Critical] Alarm: Kiln 1 NOx above permit limit — kiln1.nox**\n"
            + Facts("", "2026-03-14 08:15:00 +08:00", raised.AlarmId, between: ": ", bold: "**") + "\n"
            + DetailZh + "\n" + DetailEn, cards[0]["elements"]![0]!["text"]!["content"]!.GetValue<string>());
        Assert.Equal("【严重】已确认：1号窑 NOx 超过许可限值 — kiln1.nox", cards[1]["header"]!["title"]!["content"]!.GetValue<string>());
        Assert.Contains("**时间 Time**: 2026-03-14 08:20:30 +08:00\n", cards[1]["elements"]![0]!["text"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_RaisedAndAcknowledged_ExactJson()
    {
        var (raised, acked) = await EngineMessagesAsync();
        var path = http.Route(Reply.Json("{}"));
        var channel = _factory.Create(Samples.Channel(ChannelKind.Webhook, http.Url(path)));

        await channel.SendAsync(raised, CancellationToken.None);
        await channel.SendAsync(acked, CancellationToken.None);

        var bodies = http.RequestsTo(path).Select(r => JsonNode.Parse(r.BodyText)!).ToList();
        var expected = new JsonObject
        {
            ["alarmId"] = raised.AlarmId,
            ["transition"] = "raised",
            ["severity"] = "critical",
            ["site"] = "示范工厂 Demo plant",
            ["siteKey"] = "kiln",
            ["ruleName"] = "1号窑 NOx 超过许可限值 / Kiln 1 NOx above permit limit",
            ["subject"] = "kiln1.nox",
            ["titleEn"] = "Kiln 1 NOx above permit limit — kiln1.nox",
            ["titleZh"] = "1号窑 NOx 超过许可限值 — kiln1.nox",
            ["detailEn"] = DetailEn,
            ["detailZh"] = DetailZh,
            ["at"] = "2026-03-14T08:15:00+08:00",
            ["link"] = null,
        };
        Assert.True(JsonNode.DeepEquals(expected, bodies[0]), bodies[0].ToJsonString());
        Assert.Equal("acknowledged", bodies[1]["transition"]!.GetValue<string>());
        Assert.Equal("2026-03-14T08:20:30+08:00", bodies[1]["at"]!.GetValue<string>());
        Assert.Equal(AckEn, bodies[1]["detailEn"]!.GetValue<string>());
    }

    [Fact]
    public async Task Email_RaisedAndAcknowledged_ExactSubjectAndText()
    {
        var (raised, acked) = await EngineMessagesAsync();
        var channel = _factory.Create(new ChannelDefinition
        {
            Key = "mail", Kind = ChannelKind.Email, Name = "EHS", SmtpHost = smtp.Host, SmtpPort = smtp.Port, UseTls = false,
            From = "GreenLoop <alarms@greenloop.test>", To = ["ehs@plant.test"],
        });
        // Alarm ids of separate runs can repeat; a run-unique rule name tells this test's mails apart.
        var tag = Guid.NewGuid().ToString("N")[..8];
        raised = raised with { TitleEn = raised.TitleEn + " " + tag };
        acked = acked with { TitleEn = acked.TitleEn + " " + tag };

        Assert.True((await channel.SendAsync(raised, CancellationToken.None)).Ok);
        Assert.True((await channel.SendAsync(acked, CancellationToken.None)).Ok);

        var first = await smtp.WaitForMessageAsync($"Alarm: Kiln 1 NOx above permit limit — kiln1.nox {tag}", TimeSpan.FromSeconds(10));
        Assert.Equal($"[严重 Critical] 告警：1号窑 NOx 超过许可限值 — kiln1.nox | Alarm: Kiln 1 NOx above permit limit — kiln1.nox {tag}", first.Subject);
        Assert.Equal(
            "【严重】告警：1号窑 NOx 超过许可限值 — kiln1.nox\n"
            + $"[Critical] Alarm: Kiln 1 NOx above permit limit — kiln1.nox {tag}\n\n"
            + Facts("", "2026-03-14 08:15:00 +08:00", raised.AlarmId) + "\n\n"
            + DetailZh + "\n" + DetailEn + "\n", (first.TextBody ?? "").ReplaceLineEndings("\n"));
        var second = await smtp.WaitForMessageAsync($"Acknowledged: Kiln 1 NOx above permit limit — kiln1.nox {tag}", TimeSpan.FromSeconds(10));
        Assert.Equal($"[严重 Critical] 已确认：1号窑 NOx 超过许可限值 — kiln1.nox | Acknowledged: Kiln 1 NOx above permit limit — kiln1.nox {tag}", second.Subject);
        Assert.Contains("时间 Time: 2026-03-14 08:20:30 +08:00\n", (second.TextBody ?? "").ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }
}
