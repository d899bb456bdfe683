namespace GreenLoop.Connectors.Mqtt;

/// <summary>Makes MQTT connectors (kind <c>mqtt</c>) from their JSON settings; see docs/mqtt.md for the settings.</summary>
public sealed class MqttConnectorFactory : IConnectorFactory
{
    public string Kind => "mqtt";

    public IReadOnlyList<string> Validate(string settingsJson)
    {
        var errors = new List<string>();
        MqttSettingsReader.Read(settingsJson, errors);
        return errors;
    }

    public IConnector Create(string settingsJson)
    {
        var errors = new List<string>();
        var config = MqttSettingsReader.Read(settingsJson, errors)
            ?? throw new ArgumentException($"invalid MQTT settings: {string.Join("; ", errors)}", nameof(settingsJson));
        return new MqttConnector(config);
    }
}

/// <summary>
/// A link to one MQTT broker: subscribes to the configured topics, reads each message by its subscription's format,
/// writes the readings in batches through ingest and acknowledges QoS 1 messages only once they are stored.
/// Reconnects with backoff (1 s doubling to 30 s); never throws for bad input or an unreachable broker.
/// </summary>
public sealed class MqttConnector : IConnector
{
    private readonly MqttConfig _config;

    internal MqttConnector(MqttConfig config) => _config = config;

    public MqttSettings Settings => _config.Settings;

    public async Task RunAsync(ConnectorContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Each run has its own client, batch and aliases, so a restart by the supervisor starts clean.
        await using var link = new MqttLink(_config, context);
        await link.RunAsync(ct);
    }
}
