using System.Diagnostics;

namespace GreenLoop.Testing;

/// <summary>Waiting on a condition with a timeout, instead of sleeping: polls until it holds, fails naming what was awaited.</summary>
public static class Wait
{
    /// <summary>Generous: the machine may be loaded (two cores run the tests beside a server, a browser or a simulator).</summary>
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan _poll = TimeSpan.FromMilliseconds(20);

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), () => what, timeout);

    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(condition, () => what, timeout);

    /// <summary>
    /// Polls <paramref name="condition"/> every <paramref name="every"/> (default 20 ms); after the timeout (default
    /// <see cref="Long"/>) throws a <see cref="TimeoutException"/> with <paramref name="what"/> as it reads then.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, Func<string> what, TimeSpan? timeout = null, TimeSpan? every = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(what);
        await ForAsync(condition, done => done, _ => what(), timeout, every);
    }

    /// <summary>
    /// Polls <paramref name="probe"/> until <paramref name="done"/> holds for what it returned, and returns that; after
    /// the timeout (default <see cref="Long"/>) throws a <see cref="TimeoutException"/> with <paramref name="what"/> of the
    /// last answer. <paramref name="every"/> spaces the polls (default 20 ms; more for a probe that costs a request).
    /// </summary>
    public static async Task<T> ForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, Func<T, string> what, TimeSpan? timeout = null, TimeSpan? every = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(what);
        var limit = timeout ?? Long;
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var last = await probe();
            if (done(last)) return last;
            if (watch.Elapsed > limit) throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for: {what(last)}");
            await Task.Delay(every ?? _poll);
        }
    }
}
