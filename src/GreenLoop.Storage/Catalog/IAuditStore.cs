using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;

namespace GreenLoop.Storage;

/// <summary>The audit trail: append-only, one hash chain per tenant (see AuditChain).</summary>
public interface IAuditStore
{
    /// <summary>Chains and appends an entry after the tenant's newest one, atomically; returns it with its sequence number and hash.</summary>
    Task<AuditEntry> AppendAuditAsync(AuditDraft draft, CancellationToken ct);

    /// <summary>Entries of one tenant, newest first, before <paramref name="beforeSeq"/> if given.</summary>
    Task<IReadOnlyList<AuditEntry>> AuditEntriesAsync(long tenantId, long? beforeSeq, int limit, CancellationToken ct);

    /// <summary>A tenant's entries in chain order, after <paramref name="afterSeq"/>, at most <paramref name="limit"/> (for verification).</summary>
    Task<IReadOnlyList<AuditEntry>> AuditChainAsync(long tenantId, long afterSeq, int limit, CancellationToken ct);

    /// <summary>The tenants that have an audit trail.</summary>
    Task<IReadOnlyList<long>> AuditTenantsAsync(CancellationToken ct);
}
