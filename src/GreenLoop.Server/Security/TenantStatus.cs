using System.Collections.Concurrent;
using GreenLoop.Storage;

namespace GreenLoop.Server.Security;

/// <summary>
/// Whether a tenant is disabled, read at most every few seconds per tenant (every API-key request asks): a tenant
/// disabled with <c>greenloop tenant disable</c> stops signing in and its keys within <see cref="Refresh"/>.
/// </summary>
public sealed class TenantStatus(ISiteCatalog catalog, TimeProvider clock)
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<long, (bool Disabled, DateTimeOffset ReadAt)> _known = new();

    public async ValueTask<bool> IsDisabledAsync(long tenantId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_known.TryGetValue(tenantId, out var known) && now - known.ReadAt < Refresh) return known.Disabled;
        var disabled = await catalog.TenantDisabledAsync(tenantId, ct);
        _known[tenantId] = (disabled, now);
        return disabled;
    }

    /// <summary>The id of the tenant with this key (exact), if there is one.</summary>
    public async Task<long?> IdOfAsync(string key, CancellationToken ct) =>
        (await catalog.ListTenantsAsync(ct)).FirstOrDefault(t => t.Key == key)?.Id;
}
