using GreenLoop.Testing;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace GreenLoop.Notifications.Tests;

public sealed class EmailChannelTests(SmtpReceiver smtp) : IClassFixture<SmtpReceiver>
{
    private static readonly TimeSpan _arrival = TimeSpan.FromSeconds(10);
    private readonly NotificationChannelFactory _factory = new(new HttpClient(), new FakeTimeProvider(Samples.Now));

    private ChannelDefinition Mail(bool? useTls = false, int? port = null) => new()
    {
        Key = "mail-ehs",
        Kind = ChannelKind.Email,
        Name = "EHS team",
        SmtpHost = smtp.Host,
        SmtpPort = port ?? smtp.Port,
        UseTls = useTls,
        From = "GreenLoop <alarms@greenloop.test>",
        To = ["energy@plant.test", "ehs@plant.test"],
    };

    [Fact]
    public async Task SendAsync_PlainSmtp_DeliversBilingualSubjectTextAndHtmlToAllRecipients()
    {
        var channel = _factory.Create(Mail());
        var message = Samples.Kiln(alarmId: "A-2001") with { TitleEn = "Kiln 1 NOx above permit limit (mail 1)" };

        var result = await channel.SendAsync(message, CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(250, result.StatusCode);
        var mail = await smtp.WaitForMessageAsync("(mail 1)", _arrival);
        Assert.Equal("[严重 Critical] 告警：1号窑 NOx 超过许可限值 | Alarm: Kiln 1 NOx above permit limit (mail 1)", mail.Subject);
        Assert.Equal("\"GreenLoop\" <alarms@greenloop.test>", mail.From.ToString());
        Assert.Equal(["energy@plant.test", "ehs@plant.test"], mail.To.Mailboxes.Select(m => m.Address));
        // aiosmtpd's Message handler records the SMTP envelope recipients in X-RcptTo.
        Assert.Equal("energy@plant.test, ehs@plant.test", mail.Headers["X-RcptTo"]);
        Assert.Equal(Samples.Now, mail.Date);
        Assert.Equal("""
            【严重】告警：1号窑 NOx 超过许可限值
            [Critical] Alarm: Kiln 1 NOx above permit limit (mail 1)

            站点 Site: 示范工厂 Demo plant
            规则 Rule: 窑1 NOx 超限 / Kiln 1 NOx limit
            对象 Subject: kiln1.nox
            时间 Time: 2026-03-14 08:15:00 +08:00
            告警编号 Alarm: A-2001

            NOx 15分钟均值 412 mg/m³ > 限值 400 mg/m³，持续 15 分钟
            NOx 15-min mean 412 mg/m³ > limit 400 mg/m³ for 15 min

            查看告警 View alarm: http://greenloop.local/alarms/A-1001

            """.ReplaceLineEndings("\n"), (mail.TextBody ?? "").ReplaceLineEndings("\n"));
        var html = mail.HtmlBody ?? "";
        Assert.Contains("<h2>【严重】告警：1号窑 NOx 超过许可限值</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th align=\"left\">站点 Site</th><td>示范工厂 Demo plant</td></tr>", html, StringComparison.Ordinal);
        // WebUtility.HtmlEncode writes ³ (U+00B3) as a numeric reference.
        Assert.Contains("<p>NOx 15-min mean 412 mg/m&#179; &gt; limit 400 mg/m&#179; for 15 min</p>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"http://greenloop.local/alarms/A-1001\">查看告警 View alarm</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_TlsRequiredButServerOffersNoStartTls_FailsNotRetryable()
    {
        var channel = _factory.Create(Mail(useTls: true));

        var result = await channel.SendAsync(Samples.Kiln(), CancellationToken.None);

        Assert.False(result.Ok);
        Assert.False(result.Retryable);
        Assert.StartsWith("SMTP server cannot do what the channel asks: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_StartTlsWhenAvailable_SendsPlainWhenNotOffered()
    {
        var channel = _factory.Create(Mail(useTls: null));
        var message = Samples.Kiln("info", transition: AlarmTransition.Test) with { TitleEn = "Channel test (mail 2)" };

        var result = await channel.SendAsync(message, CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        var mail = await smtp.WaitForMessageAsync("(mail 2)", _arrival);
        Assert.Equal("[提示 Info] 测试：1号窑 NOx 超过许可限值 | Test: Channel test (mail 2)", mail.Subject);
    }

    [Fact]
    public async Task SendAsync_NobodyListening_FailsRetryable()
    {
        var channel = _factory.Create(Mail(port: Ports.Free()));

        var result = await channel.SendAsync(Samples.Kiln(), CancellationToken.None);

        Assert.False(result.Ok);
        Assert.True(result.Retryable);
        Assert.Null(result.StatusCode);
    }
}
