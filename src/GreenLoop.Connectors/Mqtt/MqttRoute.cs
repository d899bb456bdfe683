namespace GreenLoop.Connectors.Mqtt;

/// <summary>A subscription made ready to use: its topic pattern, its meter-key template and, if any, one template per field.</summary>
internal sealed class MqttRoute(
    MqttSubscription subscription, MqttTopicPattern pattern, IReadOnlyList<string> templateNames, MeterKeyTemplate meterKey, IReadOnlyDictionary<string, MeterKeyTemplate>? fields)
{
    public MqttSubscription Subscription { get; } = subscription;
    public MqttTopicPattern Pattern { get; } = pattern;
    public MeterKeyTemplate MeterKey { get; } = meterKey;

    /// <summary>
    /// Names the templates may use, in capture order: the topic's named levels and, for Sparkplug B, group, edge and
    /// device (taken from the topic by position) unless the topic already names them.
    /// </summary>
    public IReadOnlyList<string> TemplateNames { get; } = templateNames;

    /// <summary>Field (or Sparkplug metric) name to meter-key template; null reads every field with <see cref="MeterKey"/>.</summary>
    public IReadOnlyDictionary<string, MeterKeyTemplate>? Fields { get; } = fields;

    public HashSet<string> Ignore { get; } = new(subscription.IgnoreFields, StringComparer.Ordinal);

    /// <summary>Whether this route stamps readings with the arrival time (so retained messages would be stamped wrongly).</summary>
    public bool UsesArrivalTime => Subscription.Format == MqttPayloadFormat.Number || Subscription.TsField.Length == 0 && Subscription.Format != MqttPayloadFormat.SparkplugB;
}

/// <summary>Settings read and checked, with their routes in subscription order.</summary>
internal sealed record MqttConfig(MqttSettings Settings, IReadOnlyList<MqttRoute> Routes);
