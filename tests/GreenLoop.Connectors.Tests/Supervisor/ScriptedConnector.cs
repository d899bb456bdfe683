using System.Text.Json;
using GreenLoop.Pipeline.Meter.Ingest;

namespace GreenLoop.Connectors.Tests.Supervisor;

/// <summary>
/// A connector kind for testing the supervisor's own logic (start, hot reload, restart after a fault, isolation): it
/// sends one reading of <c>meter</c> with <c>value</c> every <c>everyMs</c>, or throws after its first reading when
/// <c>fault</c> is set. The real connectors (MQTT, Modbus) have their own tests against a real broker and device.
/// </summary>
internal sealed class ScriptedConnectorFactory : IConnectorFactory
{
    private int _running;

    public string Kind => "scripted";

    /// <summary>Connectors of this factory whose <c>RunAsync</c> has started and not yet returned.</summary>
    public int Running => Volatile.Read(ref _running);

    public IReadOnlyList<string> Validate(string settingsJson)
    {
        var s = JsonSerializer.Deserialize<ScriptedSettings>(settingsJson, JsonSerializerOptions.Web);
        var errors = new List<string>();
        if (string.IsNullOrEmpty(s?.Meter)) errors.Add("meter: required");
        if (s is { EveryMs: <= 0 }) errors.Add("everyMs: must be positive");
        return errors;
    }

    public IConnector Create(string settingsJson) =>
        new ScriptedConnector(JsonSerializer.Deserialize<ScriptedSettings>(settingsJson, JsonSerializerOptions.Web)!,
            () => Interlocked.Increment(ref _running), () => Interlocked.Decrement(ref _running));
}

internal sealed record ScriptedSettings(string Meter, double Value, int EveryMs = 50, bool Fault = false);

internal sealed class ScriptedConnector(ScriptedSettings settings, Action started, Action ended) : IConnector
{
    public async Task RunAsync(ConnectorContext context, CancellationToken ct)
    {
        started();
        try
        {
            context.Health.SetState(SourceState.Connected, null, context.Clock.GetUtcNow());
            var ts = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
            while (!ct.IsCancellationRequested)
            {
                context.Health.CountMessages();
                ts = ts.AddMinutes(1);
                await context.IngestAsync([new ReadingInput(settings.Meter, ts, settings.Value)], null, ct);
                if (settings.Fault) throw new InvalidOperationException("scripted fault");
                await Task.Delay(settings.EveryMs, ct);
            }
        }
        finally
        {
            ended();
        }
    }
}
