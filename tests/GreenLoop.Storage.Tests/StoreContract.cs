using GreenLoop.Testing;

namespace GreenLoop.Storage.Tests;

/// <summary>
/// Base of the storage contract: every test of a derived contract class runs once per provider, through a concrete
/// class per provider (see Providers.cs) that says how to open a fresh store.
/// </summary>
public abstract class StoreContract
{
    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>A fresh, migrated store with the default tenant and the pipeline on it; the clock starts at <paramref name="now"/>.</summary>
    protected abstract Task<PipelineHarness> StartAsync(DateTimeOffset now);
}
