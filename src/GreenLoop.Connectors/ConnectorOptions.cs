namespace GreenLoop.Connectors;

/// <summary>How the connector supervisor behaves (configuration section <c>GreenLoop:Connectors</c>).</summary>
public sealed record ConnectorOptions
{
    public const string Section = "GreenLoop:Connectors";

    /// <summary>Whether data sources run at all in this process. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>How often stored definitions are compared with running connectors even without a change through the API. Default 10 s.</summary>
    public TimeSpan ReloadInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause before a faulted connector is started again. Default 5 s.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(5);
}
