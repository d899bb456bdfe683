namespace GreenLoop.Connectors.Tests.Modbus;

/// <summary>Waiting on a condition with a timeout, instead of sleeping.</summary>
internal static class Wait
{
    /// <summary>Generous: the machine may be loaded and the simulator is a Python process.</summary>
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Long;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > limit) throw new TimeoutException($"Timed out after {limit.TotalSeconds:0} s waiting for: {what}.");
            await Task.Delay(20);
        }
    }
}
