namespace GreenLoop.Connectors.Mqtt;

/// <summary>A wake-up call between two tasks: notifications while nobody waits collapse into one.</summary>
internal sealed class AsyncSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        if (_semaphore.CurrentCount == 0)
        {
            try { _semaphore.Release(); }
            catch (SemaphoreFullException) { /* already signalled */ }
        }
    }

    public Task WaitAsync(CancellationToken ct) => _semaphore.WaitAsync(ct);

    /// <summary>True when notified, false when <paramref name="timeout"/> passed first (on <paramref name="clock"/>).</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken ct)
    {
        using var timer = new CancellationTokenSource(timeout, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, ct);
        try
        {
            await _semaphore.WaitAsync(either.Token);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Forgets a notification nobody waited for.</summary>
    public void Reset() => _semaphore.Wait(0);

    public void Dispose() => _semaphore.Dispose();
}
