using System.Text.Encodings.Web;
using System.Text.Json;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Trace.Audit;

/// <summary>An audit entry as the API shows it.</summary>
public sealed record AuditView(long Seq, DateTimeOffset At, string Actor, string Action, string Subject, JsonElement Detail, string Hash);

/// <summary>
/// Records configuration changes, manual entries and corrections, factor overrides, period locks, and user and key
/// changes in the append-only, hash-chained audit trail, and checks that the chain is intact.
/// </summary>
public sealed class AuditTrail(IAuditStore store, TimeProvider clock, AuditAnchor? anchor = null)
{
    /// <summary>The anchor outside the database, when one is configured (the server always has one).</summary>
    public AuditAnchor? Anchor => anchor;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Appends one entry; <paramref name="detail"/> is serialised as JSON (never pass secrets).</summary>
    public Task<AuditEntry> RecordAsync(long tenantId, string actor, string action, string subject, object? detail, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var json = detail switch
        {
            null => "{}",
            string s => JsonSerializer.Serialize(new { text = s }, Json),
            _ => JsonSerializer.Serialize(detail, detail.GetType(), Json),
        };
        return AppendAsync(new AuditDraft(tenantId, clock.GetUtcNow().ToUnixTimeMilliseconds(), string.IsNullOrWhiteSpace(actor) ? "system" : actor, action, subject, json), ct);
    }

    private async Task<AuditEntry> AppendAsync(AuditDraft draft, CancellationToken ct)
    {
        var entry = await store.AppendAuditAsync(draft, ct);
        anchor?.Write(entry);
        return entry;
    }

    public async Task<IReadOnlyList<AuditView>> ListAsync(long tenantId, long? beforeSeq, int limit, CancellationToken ct)
    {
        var entries = await store.AuditEntriesAsync(tenantId, beforeSeq, Math.Clamp(limit, 1, 1000), ct);
        return entries.Select(e => new AuditView(e.Seq, DateTimeOffset.FromUnixTimeMilliseconds(e.At), e.Actor, e.Action, e.Subject,
            JsonDocument.Parse(e.Detail).RootElement.Clone(), e.Hash)).ToList();
    }

    /// <summary>Every tenant's chain, checked.</summary>
    public async Task<IReadOnlyList<(long TenantId, AuditVerification Result)>> VerifyAllAsync(CancellationToken ct)
    {
        var results = new List<(long, AuditVerification)>();
        var tenants = new SortedSet<long>(await store.AuditTenantsAsync(ct));
        if (anchor is not null) tenants.UnionWith(anchor.Tenants());
        foreach (var tenant in tenants) results.Add((tenant, await VerifyAsync(tenant, ct)));
        return results;
    }

    /// <summary>
    /// Reads a tenant's whole chain page by page and checks every link, then (with an anchor) the chain against the
    /// signed checkpoints outside the database.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(long tenantId, CancellationToken ct)
    {
        const int Page = 10_000;
        var walk = new AuditChain.Walk();
        var hashes = new Dictionary<long, string>();
        long after = 0;
        while (true)
        {
            var page = await store.AuditChainAsync(tenantId, after, Page, ct);
            foreach (var e in page)
            {
                if (!walk.Next(e)) return walk.Result;
                hashes[e.Seq] = e.Hash;
            }
            if (page.Count < Page) break;
            after = page[^1].Seq;
        }
        return anchor is null ? walk.Result : anchor.Check(tenantId, walk.Result, hashes);
    }
}
