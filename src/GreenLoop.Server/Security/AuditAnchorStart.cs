using GreenLoop.Pipeline.Trace.Audit;
using GreenLoop.Storage;

namespace GreenLoop.Server.Security;

/// <summary>
/// At start: a tenant whose audit trail has no signed checkpoint yet (a database from before the anchor existed) gets
/// one for its current head, so from now on a rewrite or a truncation of what is there is detected.
/// </summary>
internal sealed class AuditAnchorStart(IAuditStore store, AuditAnchor anchor) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var anchored = anchor.Tenants();
        foreach (var tenant in await store.AuditTenantsAsync(cancellationToken))
        {
            if (anchored.Contains(tenant)) continue;
            if ((await store.AuditEntriesAsync(tenant, null, 1, cancellationToken)).FirstOrDefault() is { } head) anchor.Write(head);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
