namespace GreenLoop.Connectors.Mqtt;

/// <summary>MQTT protocol version spoken to the broker.</summary>
public enum MqttProtocol
{
    /// <summary>MQTT 5.0 (default): the connector can tell the broker how many unacknowledged messages it takes (Receive Maximum).</summary>
    V500,
    /// <summary>MQTT 3.1.1, for brokers and bridges that do not speak 5.0.</summary>
    V311,
}

/// <summary>What a message's payload looks like.</summary>
public enum MqttPayloadFormat
{
    /// <summary>One JSON object per message: meter, ts, value.</summary>
    Reading,
    /// <summary>One JSON object with a ts and several values, each becoming a reading of its own meter.</summary>
    Values,
    /// <summary>A JSON array of reading objects (back-fill after an outage), bare or inside a wrapper field.</summary>
    Array,
    /// <summary>A bare number ("123.4"); the meter comes from the topic, the instant is the arrival time.</summary>
    Number,
    /// <summary>Sparkplug B protobuf payloads on <c>spBv1.0/group/TYPE/edge[/device]</c> topics.</summary>
    SparkplugB,
}

/// <summary>How a numeric timestamp is read.</summary>
public enum EpochUnit
{
    /// <summary>Seconds when the magnitude is below 1e11 (before the year 5138 in seconds), milliseconds otherwise.</summary>
    Auto,
    Seconds,
    Milliseconds,
}

/// <summary>
/// Settings of one MQTT data source: one broker connection and its subscriptions. Stored as camelCase JSON in the
/// data-source definition; <see cref="MqttSettingsReader"/> reads and validates it.
/// </summary>
public sealed record MqttSettings
{
    /// <summary>Broker host name or address (required).</summary>
    public required string Host { get; init; }

    /// <summary>TCP port; default 1883 (8883 is usual with TLS).</summary>
    public int Port { get; init; } = 1883;

    /// <summary>
    /// Client identifier. Default <c>greenloop-&lt;source key&gt;-&lt;8 hex digits&gt;</c>, the digits derived from the host
    /// name, tenant and topic filters, so that the identifier is the same after every restart (which a persistent
    /// session needs), differs between two GreenLoop servers sharing a broker, and changes with the filters.
    /// </summary>
    public string? ClientId { get; init; }

    public string? Username { get; init; }

    /// <summary>Password; masked when the definition is shown.</summary>
    public string? Password { get; init; }

    /// <summary>Connect with TLS, validating the broker's certificate against the system trust store. Default false.</summary>
    public bool Tls { get; init; }

    public MqttProtocol ProtocolVersion { get; init; } = MqttProtocol.V500;

    /// <summary>Keep-alive period in seconds (5..3600); default 30.</summary>
    public int KeepAliveSeconds { get; init; } = 30;

    /// <summary>
    /// Start a clean session on every connect. Default false: the broker keeps the subscriptions and queues QoS 1
    /// messages while the connector is away (a restart, a network blip), and delivers them on reconnect.
    /// </summary>
    public bool CleanSession { get; init; }

    /// <summary>MQTT 5.0: how long the broker keeps the session after a disconnect, in seconds; default 86400 (one day).</summary>
    public int SessionExpirySeconds { get; init; } = 86_400;

    /// <summary>
    /// QoS 1 messages the broker may have sent before the connector acknowledges them. With MQTT 5.0 this is asked of
    /// the broker (Receive Maximum; default 2000, 1..65535). MQTT 3.1.1 cannot negotiate it: set it to the broker's
    /// limit (mosquitto <c>max_inflight_messages</c>, default 20, which is also the default here for 3.1.1).
    /// </summary>
    public int Inflight { get; init; } = 2000;

    /// <summary>Longest a received reading waits before it is written, in milliseconds (10..10000); default 200.</summary>
    public int FlushMilliseconds { get; init; } = 200;

    /// <summary>Readings that make a batch full so it is written at once (1..100000); default 5000.</summary>
    public int FlushReadings { get; init; } = 5000;

    public required IReadOnlyList<MqttSubscription> Subscriptions { get; init; }
}

/// <summary>
/// One topic filter and how to read what arrives on it. The topic may name levels, e.g. <c>plant/{meter}/energy</c>
/// (subscribed as <c>plant/+/energy</c>), and those names may be used in <see cref="MeterKey"/> and <see cref="Fields"/>.
/// </summary>
public sealed record MqttSubscription
{
    /// <summary>Topic filter; <c>+</c>, <c>#</c> and named levels <c>{name}</c> (a whole level each) are allowed.</summary>
    public required string Topic { get; init; }

    /// <summary>0 or 1; default 1. With 1, a message is acknowledged only after its readings are stored.</summary>
    public int Qos { get; init; } = 1;

    public required MqttPayloadFormat Format { get; init; }

    /// <summary>
    /// Template of the meter key: literal text with <c>{name}</c> for a named topic level and <c>{key}</c> for the key
    /// the payload gives (the meter field, the values field name, the Sparkplug metric name). Defaults: <c>{meter}</c>
    /// when the topic names a <c>{meter}</c> level, otherwise <c>{key}</c>. Required for <see cref="MqttPayloadFormat.Number"/>
    /// unless the topic names <c>{meter}</c>.
    /// </summary>
    public string? MeterKey { get; init; }

    /// <summary>Field holding the meter key (formats reading and array); default <c>meter</c>.</summary>
    public string MeterField { get; init; } = "meter";

    /// <summary>
    /// Field holding the instant; default <c>ts</c>. Either a string, ISO 8601 with offset (<c>2026-01-01T08:00:00+08:00</c>,
    /// <c>...Z</c>), or a number, Unix epoch in <see cref="TsUnit"/>. Empty: the arrival time is used.
    /// </summary>
    public string TsField { get; init; } = "ts";

    public EpochUnit TsUnit { get; init; } = EpochUnit.Auto;

    /// <summary>Field holding the value (formats reading and array); default <c>value</c>. Must be a JSON number.</summary>
    public string ValueField { get; init; } = "value";

    /// <summary>Format values: the object holding the values, e.g. <c>values</c>; empty (default) means the top level (flat).</summary>
    public string ValuesField { get; init; } = "";

    /// <summary>Format values and sparkplugb: which fields (metrics) to read and the meter-key template of each; null reads every one.</summary>
    public IReadOnlyDictionary<string, string>? Fields { get; init; }

    /// <summary>Format values without <see cref="Fields"/>: fields that are not readings (status, sequence numbers).</summary>
    public IReadOnlyList<string> IgnoreFields { get; init; } = [];

    /// <summary>Format array: the field holding the array when the payload is an object; empty (default) means a bare array.</summary>
    public string ArrayField { get; init; } = "";
}
