namespace GreenLoop.Connectors.Modbus;

/// <summary>
/// Exponential backoff between reconnection attempts: 1 s, 2 s, 4 s... up to 60 s, each stretched by up to 25 % at
/// random so that many devices behind one gateway that failed together do not all retry in the same instant.
/// </summary>
internal sealed class ModbusBackoff(TimeSpan first, TimeSpan longest, Random random)
{
    private int _attempt;

    public ModbusBackoff() : this(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), Random.Shared)
    {
    }

    public TimeSpan Next()
    {
        var delay = first * Math.Pow(2, Math.Min(_attempt, 16));
        if (delay > longest) delay = longest;
        _attempt++;
        var jittered = delay * (1 + (0.25 * random.NextDouble()));
        return jittered > longest ? longest : jittered;
    }

    public void Reset() => _attempt = 0;
}
