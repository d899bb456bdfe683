using Npgsql;

namespace GreenLoop.Storage.Postgres;

public sealed partial class PostgresStore
{
    private const string AuditColumns = "seq, tenant_id, at, actor, action, subject, detail, prev_hash, hash";

    private static AuditEntry MapAudit(NpgsqlDataReader r) => new()
    {
        Seq = r.GetInt64(0),
        TenantId = r.GetInt64(1),
        At = r.GetInt64(2),
        Actor = r.GetString(3),
        Action = r.GetString(4),
        Subject = r.GetString(5),
        Detail = r.GetString(6),
        PrevHash = r.GetString(7),
        Hash = r.GetString(8),
    };

    public Task<AuditEntry> AppendAuditAsync(AuditDraft draft, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        // Appenders queue on one advisory lock, so reading the head and inserting after it cannot interleave.
        return WriteAsync(async (c, tx) =>
        {
            await ExecAsync(c, tx, "SELECT pg_advisory_xact_lock(@k);", ct, ("k", AuditLock));
            var head = await ReadOneAsync(c, tx, "SELECT seq, hash FROM audit_log WHERE tenant_id=@t ORDER BY seq DESC LIMIT 1;",
                r => (Seq: r.GetInt64(0), Hash: r.GetString(1)), ct, ("t", draft.TenantId));
            var (seq, prev) = head is { } h ? (h.Seq + 1, h.Hash) : (1L, AuditChain.Genesis);
            var entry = AuditChain.Link(prev, seq, draft);
            await ExecAsync(c, tx, $"INSERT INTO audit_log({AuditColumns}) VALUES(@s,@t,@at,@who,@a,@sub,@d,@p,@h);", ct,
                ("s", entry.Seq), ("t", entry.TenantId), ("at", entry.At), ("who", entry.Actor), ("a", entry.Action),
                ("sub", entry.Subject), ("d", entry.Detail), ("p", entry.PrevHash), ("h", entry.Hash));
            return entry;
        }, ct);
    }

    public Task<IReadOnlyList<AuditEntry>> AuditEntriesAsync(long tenantId, long? beforeSeq, int limit, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<AuditEntry>>(async c => await ReadAllAsync(c, null,
            $"SELECT {AuditColumns} FROM audit_log WHERE tenant_id=@t AND (@b::bigint IS NULL OR seq<@b) ORDER BY seq DESC LIMIT @l;",
            MapAudit, ct, ("t", tenantId), ("b", beforeSeq), ("l", limit)), ct);

    public Task<IReadOnlyList<AuditEntry>> AuditChainAsync(long tenantId, long afterSeq, int limit, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<AuditEntry>>(async c => await ReadAllAsync(c, null,
            $"SELECT {AuditColumns} FROM audit_log WHERE tenant_id=@t AND seq>@a ORDER BY seq LIMIT @l;", MapAudit, ct,
            ("t", tenantId), ("a", afterSeq), ("l", limit)), ct);

    public Task<IReadOnlyList<long>> AuditTenantsAsync(CancellationToken ct) =>
        ReadAsync<IReadOnlyList<long>>(async c => await ReadAllAsync(c, null,
            "SELECT DISTINCT tenant_id FROM audit_log ORDER BY tenant_id;", r => r.GetInt64(0), ct), ct);
}
