using System.Text.Json;

namespace GreenLoop.Notifications.Tests;

public sealed class ChannelDefinitionTests
{
    [Fact]
    public void Validate_CompleteRobot_NoErrors()
    {
        Assert.Empty(Samples.Channel(ChannelKind.DingTalk, "https://oapi.example/robot/send?access_token=x", "SECabc").Validate());
    }

    [Fact]
    public void Validate_RobotWithoutUrl_SaysUrlIsRequired()
    {
        var definition = new ChannelDefinition { Key = "wx", Kind = ChannelKind.WeCom, Name = "Shift group" };

        Assert.Equal(["Url is required for wecom channels."], definition.Validate());
    }

    [Fact]
    public void Validate_BadKeyNameAndUrl_ListsEachProblem()
    {
        var definition = new ChannelDefinition { Key = "a b", Kind = ChannelKind.Feishu, Name = " ", Url = "ftp://x" };

        Assert.Equal(
            ["Key 'a b' may contain only letters, digits, '-', '_' and '.'.", "Name is required.", "Url 'ftp://x' is not an absolute http or https address."],
            definition.Validate());
    }

    [Fact]
    public void Validate_IncompleteEmail_ListsEachProblem()
    {
        var definition = new ChannelDefinition
        {
            Key = "mail",
            Kind = ChannelKind.Email,
            Name = "EHS",
            SmtpPort = 70000,
            From = "not an address",
            To = ["ok@plant.test", "nope"],
            Username = "user",
        };

        Assert.Equal(
            [
                "SmtpHost is required for email channels.",
                "SmtpPort 70000 is not between 1 and 65535.",
                "From 'not an address' is not an e-mail address.",
                "To 'nope' is not an e-mail address.",
                "Username and Password go together: set both or neither.",
            ],
            definition.Validate());
    }

    [Fact]
    public void Validate_EmailWithoutRecipients_SaysSo()
    {
        var definition = new ChannelDefinition { Key = "mail", Kind = ChannelKind.Email, Name = "EHS", SmtpHost = "smtp.plant.test", From = "a@plant.test" };

        Assert.Equal(["To needs at least one recipient for email channels."], definition.Validate());
    }

    [Fact]
    public void Validate_BadQuietHours_Reported()
    {
        var definition = Samples.Channel(ChannelKind.Webhook, "http://127.0.0.1/x",
            quiet: new QuietHours { Start = new TimeOnly(22, 0), End = new TimeOnly(7, 0), TimeZone = "Asia/Nowhere" });

        Assert.Equal(["QuietHours time zone 'Asia/Nowhere' is not a known IANA zone."], definition.Validate());
    }

    [Fact]
    public void Create_InvalidDefinition_ThrowsWithTheErrors()
    {
        var factory = new NotificationChannelFactory(new HttpClient(), TimeProvider.System);

        var ex = Assert.Throws<ArgumentException>(() => factory.Create(new ChannelDefinition { Key = "wx", Kind = ChannelKind.WeCom, Name = "x" }));

        Assert.StartsWith("Channel 'wx' is invalid: Url is required for wecom channels.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_Kind_WrittenInLowerCaseAndReadBack()
    {
        var definition = Samples.Channel(ChannelKind.DingTalk, "https://x.test/robot") with
        {
            QuietHours = new QuietHours { Start = new TimeOnly(22, 0), End = new TimeOnly(7, 0), TimeZone = "Asia/Shanghai" },
        };

        var json = JsonSerializer.Serialize(definition, JsonSerializerOptions.Web);
        var back = JsonSerializer.Deserialize<ChannelDefinition>(json, JsonSerializerOptions.Web);

        Assert.Contains("\"kind\":\"dingtalk\"", json, StringComparison.Ordinal);
        Assert.Contains("\"quietHours\":{\"start\":\"22:00:00\",\"end\":\"07:00:00\",\"timeZone\":\"Asia/Shanghai\"}", json, StringComparison.Ordinal);
        Assert.Equal(ChannelKind.DingTalk, back!.Kind);
        Assert.Equal(definition.QuietHours, back.QuietHours);
    }

    [Fact]
    public void ToString_WithSecrets_LeavesThemOut()
    {
        var definition = Samples.Channel(ChannelKind.Webhook, "http://127.0.0.1/x", secret: "s3cret") with { Password = "pa55" };

        Assert.Equal("ChannelDefinition { Key = ch-webhook, Kind = webhook, Name = Test webhook, Enabled = True }", definition.ToString());
    }
}
