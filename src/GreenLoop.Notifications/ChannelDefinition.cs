using System.Net.Mail;
using System.Text.Json.Serialization;

namespace GreenLoop.Notifications;

/// <summary>Which platform a channel delivers to. Serialized in lower case (<c>webhook</c>, <c>wecom</c>, ...).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChannelKind>))]
public enum ChannelKind
{
    /// <summary>Generic HTTP webhook: the message as camelCase JSON, optionally HMAC-signed.</summary>
    [JsonStringEnumMemberName("webhook")] Webhook,
    /// <summary>WeCom group robot (企业微信群机器人), markdown message.</summary>
    [JsonStringEnumMemberName("wecom")] WeCom,
    /// <summary>DingTalk custom robot (钉钉自定义机器人), markdown message, optional signing secret.</summary>
    [JsonStringEnumMemberName("dingtalk")] DingTalk,
    /// <summary>Feishu custom bot (飞书自定义机器人), interactive card, optional signature.</summary>
    [JsonStringEnumMemberName("feishu")] Feishu,
    /// <summary>E-mail over SMTP.</summary>
    [JsonStringEnumMemberName("email")] Email,
}

/// <summary>
/// One configured notification channel: where and how to deliver. Which fields matter depends on <see cref="Kind"/>:
/// robots and webhooks need <see cref="Url"/> (and use <see cref="Secret"/> to sign when set); e-mail needs
/// <see cref="SmtpHost"/>, <see cref="From"/> and <see cref="To"/>. Check a definition with <see cref="Validate"/>
/// before saving it.
/// </summary>
public sealed record ChannelDefinition
{
    /// <summary>Stable identifier, used in rules and in the delivery log (letters, digits, '-', '_', '.').</summary>
    public required string Key { get; init; }
    public required ChannelKind Kind { get; init; }
    /// <summary>Display name in the UI.</summary>
    public required string Name { get; init; }
    /// <summary>Robot or webhook address (http or https), including the platform's access token.</summary>
    public string? Url { get; init; }
    /// <summary>Webhook HMAC key, DingTalk signing secret (SEC...), or Feishu signature key. Optional.</summary>
    public string? Secret { get; init; }
    public string? SmtpHost { get; init; }
    /// <summary>SMTP port; default 587 when <see cref="UseTls"/> is true, otherwise 25.</summary>
    public int? SmtpPort { get; init; }
    /// <summary>
    /// true: require TLS (STARTTLS, or implicit TLS on port 465); false: plain SMTP; null: STARTTLS when the server
    /// offers it.
    /// </summary>
    public bool? UseTls { get; init; }
    /// <summary>Sender address, e.g. <c>GreenLoop &lt;alarms@example.com&gt;</c>.</summary>
    public string? From { get; init; }
    /// <summary>Recipient addresses.</summary>
    public IReadOnlyList<string>? To { get; init; }
    /// <summary>SMTP user name; no authentication when empty.</summary>
    public string? Username { get; init; }
    public string? Password { get; init; }
    /// <summary>Local time window in which only critical messages go out; others are held until it ends.</summary>
    public QuietHours? QuietHours { get; init; }
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// The address with its credentials masked, as people and the audit trail see it: the values of the query
    /// parameters <c>key</c>, <c>access_token</c>, <c>token</c>, <c>sign</c>, <c>secret</c> (WeCom, DingTalk and most
    /// webhooks), the last path segment of a Feishu/Lark bot hook (<c>/bot/v2/hook/{token}</c>), and any user
    /// information (<c>https://user:pass@…</c>), each shown as <c>********</c>.
    /// </summary>
    public static string MaskUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return url;
        const string Masked = "********";
        var builder = new UriBuilder(uri);
        if (!string.IsNullOrEmpty(builder.UserName) || !string.IsNullOrEmpty(builder.Password)) { builder.UserName = Masked; builder.Password = ""; }
        var path = builder.Path;
        var hook = path.IndexOf("/hook/", StringComparison.OrdinalIgnoreCase);
        if (hook >= 0 && hook + 6 < path.Length) builder.Path = path[..(hook + 6)] + Masked;
        if (builder.Query.Length > 1)
        {
            string[] tokens = ["key", "access_token", "token", "sign", "secret"];
            builder.Query = string.Join("&", builder.Query[1..].Split('&').Select(pair =>
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? pair : pair[..eq];
                return tokens.Any(t => t.Equals(Uri.UnescapeDataString(name), StringComparison.OrdinalIgnoreCase)) ? $"{name}={Masked}" : pair;
            }));
        }
        var masked = builder.Uri.ToString();
        // UriBuilder adds a default port and escapes the mask's characters; keep the address as it was written otherwise.
        return Uri.UnescapeDataString(uri.IsDefaultPort ? masked.Replace($":{uri.Port}/", "/", StringComparison.Ordinal) : masked);
    }

    /// <summary>Readable problems with this definition; empty when it can be used.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Key))
            errors.Add("Key is required.");
        else if (!Key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            errors.Add($"Key '{Key}' may contain only letters, digits, '-', '_' and '.'.");
        if (string.IsNullOrWhiteSpace(Name))
            errors.Add("Name is required.");
        if (!Enum.IsDefined(Kind))
            errors.Add($"Kind {(int)Kind} is not one of webhook, wecom, dingtalk, feishu, email.");
        else if (Kind == ChannelKind.Email)
            ValidateEmail(errors);
        else
            ValidateUrl(errors);
        if (QuietHours is not null)
            errors.AddRange(QuietHours.Validate());
        return errors;
    }

    private void ValidateUrl(List<string> errors)
    {
        var kind = KindName(Kind);
        if (string.IsNullOrWhiteSpace(Url))
            errors.Add($"Url is required for {kind} channels.");
        else if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            errors.Add($"Url '{Url}' is not an absolute http or https address.");
    }

    private void ValidateEmail(List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(SmtpHost))
            errors.Add("SmtpHost is required for email channels.");
        if (SmtpPort is < 1 or > 65535)
            errors.Add($"SmtpPort {SmtpPort} is not between 1 and 65535.");
        if (string.IsNullOrWhiteSpace(From))
            errors.Add("From is required for email channels.");
        else if (!MailAddress.TryCreate(From, out _))
            errors.Add($"From '{From}' is not an e-mail address.");
        if (To is null || To.Count == 0)
            errors.Add("To needs at least one recipient for email channels.");
        else
        {
            foreach (var to in To.Where(t => !MailAddress.TryCreate(t, out _)))
                errors.Add($"To '{to}' is not an e-mail address.");
        }
        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
            errors.Add("Username and Password go together: set both or neither.");
    }

    // ToString() must not print Secret or Password into logs.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Key = ").Append(Key).Append(", Kind = ").Append(KindName(Kind))
            .Append(", Name = ").Append(Name).Append(", Enabled = ").Append(Enabled);
        return true;
    }

    /// <summary>The lower-case name used in JSON and in messages.</summary>
    public static string KindName(ChannelKind kind) => kind switch
    {
        ChannelKind.Webhook => "webhook",
        ChannelKind.WeCom => "wecom",
        ChannelKind.DingTalk => "dingtalk",
        ChannelKind.Feishu => "feishu",
        ChannelKind.Email => "email",
        _ => ((int)kind).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
