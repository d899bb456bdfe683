namespace GreenLoop.Notifications.Tests;

/// <summary>Waiting on a condition with a timeout, instead of sleeping.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeout}: {what}.");
            await Task.Delay(10);
        }
    }
}
