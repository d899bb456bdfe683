using Microsoft.Data.Sqlite;

namespace GreenLoop.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private const string AuditColumns = "seq, tenant_id, at, actor, action, subject, detail, prev_hash, hash";

    private static AuditEntry MapAudit(SqliteDataReader r) => new()
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
        // The single writer lock serialises appends, so reading the head and inserting after it cannot interleave.
        return WriteAsync((c, tx) =>
        {
            var head = ReadAll(c, tx, "SELECT seq, hash FROM audit_log WHERE tenant_id=$t ORDER BY seq DESC LIMIT 1;",
                r => (Seq: r.GetInt64(0), Hash: r.GetString(1)), ("$t", draft.TenantId));
            var (seq, prev) = head.Count == 0 ? (1L, AuditChain.Genesis) : (head[0].Seq + 1, head[0].Hash);
            var entry = AuditChain.Link(prev, seq, draft);
            Scalar(c, $"INSERT INTO audit_log({AuditColumns}) VALUES($s,$t,$at,$who,$a,$sub,$d,$p,$h);", tx,
                ("$s", entry.Seq), ("$t", entry.TenantId), ("$at", entry.At), ("$who", entry.Actor), ("$a", entry.Action),
                ("$sub", entry.Subject), ("$d", entry.Detail), ("$p", entry.PrevHash), ("$h", entry.Hash));
            return entry;
        }, ct);
    }

    public Task<IReadOnlyList<AuditEntry>> AuditEntriesAsync(long tenantId, long? beforeSeq, int limit, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<AuditEntry>>(c => ReadAll(c, null,
            $"SELECT {AuditColumns} FROM audit_log WHERE tenant_id=$t AND ($b IS NULL OR seq<$b) ORDER BY seq DESC LIMIT $l;",
            MapAudit, ("$t", tenantId), ("$b", beforeSeq), ("$l", limit)), ct);

    public Task<IReadOnlyList<AuditEntry>> AuditChainAsync(long tenantId, long afterSeq, int limit, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<AuditEntry>>(c => ReadAll(c, null,
            $"SELECT {AuditColumns} FROM audit_log WHERE tenant_id=$t AND seq>$a ORDER BY seq LIMIT $l;", MapAudit,
            ("$t", tenantId), ("$a", afterSeq), ("$l", limit)), ct);

    public Task<IReadOnlyList<long>> AuditTenantsAsync(CancellationToken ct) =>
        ReadAsync<IReadOnlyList<long>>(c => ReadAll(c, null, "SELECT DISTINCT tenant_id FROM audit_log ORDER BY tenant_id;", r => r.GetInt64(0)), ct);
}
