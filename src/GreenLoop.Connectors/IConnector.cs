namespace GreenLoop.Connectors;

/// <summary>
/// A running link to one data source (a broker, a device). <see cref="RunAsync"/> runs until cancelled: it connects,
/// reconnects with backoff, and hands every reading it gets to <see cref="ConnectorContext.IngestAsync"/>. It reports
/// trouble through the context and never throws for bad input or an unreachable peer; an exception that escapes is a bug,
/// and the supervisor restarts the connector after a pause without touching the others.
/// </summary>
public interface IConnector
{
    Task RunAsync(ConnectorContext context, CancellationToken ct);
}

/// <summary>Makes connectors of one kind from their stored JSON settings. One factory per kind ("mqtt", "modbus").</summary>
public interface IConnectorFactory
{
    /// <summary>The kind name used in data-source definitions.</summary>
    string Kind { get; }

    /// <summary>Every problem with the settings, as sentences naming the field (e.g. <c>points[2].type: ...</c>); empty when usable.</summary>
    IReadOnlyList<string> Validate(string settingsJson);

    /// <summary>A connector for settings that passed <see cref="Validate"/>.</summary>
    IConnector Create(string settingsJson);
}
