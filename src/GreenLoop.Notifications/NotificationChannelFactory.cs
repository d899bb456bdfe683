using GreenLoop.Notifications.Channels;

namespace GreenLoop.Notifications;

/// <summary>Builds the channel for a <see cref="ChannelDefinition"/>.</summary>
/// <param name="httpClient">Used by the HTTP channels; its <see cref="HttpClient.Timeout"/> bounds one request.</param>
/// <param name="timeProvider">Clock for the DingTalk and Feishu signature timestamps and the e-mail Date header.</param>
public sealed class NotificationChannelFactory(HttpClient httpClient, TimeProvider timeProvider)
{
    /// <exception cref="ArgumentException">The definition does not pass <see cref="ChannelDefinition.Validate"/>.</exception>
    public INotificationChannel Create(ChannelDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = definition.Validate();
        if (errors.Count > 0)
            throw new ArgumentException($"Channel '{definition.Key}' is invalid: {string.Join(" ", errors)}", nameof(definition));
        return definition.Kind switch
        {
            ChannelKind.Webhook => new WebhookChannel(definition, httpClient),
            ChannelKind.WeCom => new WeComChannel(definition, httpClient),
            ChannelKind.DingTalk => new DingTalkChannel(definition, httpClient, timeProvider),
            ChannelKind.Feishu => new FeishuChannel(definition, httpClient, timeProvider),
            ChannelKind.Email => new EmailChannel(definition, timeProvider),
            _ => throw new ArgumentOutOfRangeException(nameof(definition), definition.Kind, "Unknown channel kind."),
        };
    }
}
