using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Storage.Catalog;

public abstract partial class CatalogStore
{
    /// <summary>Chains and appends an entry after the tenant's newest one, atomically; returns it with its sequence number and hash.</summary>
    public Task<AuditEntry> AppendAuditAsync(AuditDraft draft, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return WriteDbAsync(draft.TenantId, async (db, series) =>
        {
            // Appenders queue here, so reading the head and linking after it cannot interleave.
            await series.SerializeAsync(WriteKind.Audit, ct);
            var head = await db.Audit.OrderByDescending(a => a.Seq).Select(a => new { a.Seq, a.Hash }).FirstOrDefaultAsync(ct);
            var (seq, prev) = head is null ? (1L, AuditChain.Genesis) : (head.Seq + 1, head.Hash);
            var entry = AuditChain.Link(prev, seq, draft);
            db.Audit.Add(new AuditRecord
            {
                TenantId = entry.TenantId, Seq = entry.Seq, At = entry.At, Actor = entry.Actor, Action = entry.Action,
                Subject = entry.Subject, Detail = entry.Detail, PrevHash = entry.PrevHash, Hash = entry.Hash,
            });
            await db.SaveChangesAsync(ct);
            return entry;
        }, ct);
    }

    /// <summary>Entries of one tenant, newest first, before <paramref name="beforeSeq"/> if given.</summary>
    public Task<IReadOnlyList<AuditEntry>> AuditEntriesAsync(long tenantId, long? beforeSeq, int limit, CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<AuditEntry>>(tenantId, async db =>
        {
            var q = db.Audit.AsNoTracking();
            if (beforeSeq is { } before) q = q.Where(a => a.Seq < before);
            return await AuditQuery(q.OrderByDescending(a => a.Seq).Take(limit)).ToListAsync(ct);
        });

    /// <summary>A tenant's entries in chain order, after <paramref name="afterSeq"/>, at most <paramref name="limit"/> (for verification).</summary>
    public Task<IReadOnlyList<AuditEntry>> AuditChainAsync(long tenantId, long afterSeq, int limit, CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<AuditEntry>>(tenantId, async db =>
            await AuditQuery(db.Audit.AsNoTracking().Where(a => a.Seq > afterSeq).OrderBy(a => a.Seq).Take(limit)).ToListAsync(ct));

    /// <summary>The tenants that have an audit trail.</summary>
    public Task<IReadOnlyList<long>> AuditTenantsAsync(CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<long>>(0, async db =>
            await db.Audit.IgnoreQueryFilters().Select(a => a.TenantId).Distinct().OrderBy(t => t).ToListAsync(ct));

    private static IQueryable<AuditEntry> AuditQuery(IQueryable<AuditRecord> q) => q.Select(a => new AuditEntry
    {
        TenantId = a.TenantId,
        Seq = a.Seq,
        At = a.At,
        Actor = a.Actor,
        Action = a.Action,
        Subject = a.Subject,
        Detail = a.Detail,
        PrevHash = a.PrevHash,
        Hash = a.Hash,
    });
}
