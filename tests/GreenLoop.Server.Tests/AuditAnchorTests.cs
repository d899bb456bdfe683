using System.Net.Http.Json;
using System.Text.Json;
using GreenLoop.Storage;
using GreenLoop.Testing;
using Microsoft.Data.Sqlite;

namespace GreenLoop.Server.Tests;

/// <summary>
/// The audit chain anchored outside the database (issue 12, item 2): someone who can write the database but holds
/// neither the audit key nor the checkpoint file rewrites entries and recomputes the whole chain, cuts off the newest
/// entries, or forges a checkpoint — each is found by <c>GET /api/v1/audit/verify</c>.
/// </summary>
public sealed class AuditAnchorTests : IAsyncLifetime
{
    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = _factory.CreateClient();
        foreach (var site in new[] { "one", "two", "three" })
            (await _admin.PutAsync($"/api/v1/sites/{site}", Sites.Document(site))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
    }

    private Task<JsonElement> VerifyAsync() => _admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify");

    private string Db => Path.Combine(_factory.DataDirectory, "greenloop.db");

    /// <summary>Reads the tenant's chain as stored, lets <paramref name="edit"/> change it, and writes it back with every hash recomputed (as an attacker with a script would).</summary>
    private async Task RewriteChainAsync(Func<List<AuditEntry>, List<AuditEntry>> edit)
    {
        await using var c = new SqliteConnection($"Data Source={Db};Pooling=False");
        await c.OpenAsync();
        var entries = new List<AuditEntry>();
        await using (var read = c.CreateCommand())
        {
            read.CommandText = "SELECT tenant_id, seq, at, actor, action, subject, detail FROM audit_log ORDER BY tenant_id, seq";
            await using var r = await read.ExecuteReaderAsync();
            while (await r.ReadAsync())
                entries.Add(new AuditEntry { TenantId = r.GetInt64(0), Seq = r.GetInt64(1), At = r.GetInt64(2), Actor = r.GetString(3), Action = r.GetString(4), Subject = r.GetString(5), Detail = r.GetString(6), PrevHash = "", Hash = "" });
        }
        var changed = edit(entries);
        await using var tx = await c.BeginTransactionAsync();
        await using (var delete = c.CreateCommand())
        {
            delete.CommandText = "DELETE FROM audit_log";
            await delete.ExecuteNonQueryAsync();
        }
        foreach (var tenant in changed.GroupBy(e => e.TenantId))
        {
            var prev = AuditChain.Genesis;
            var seq = 0L;
            foreach (var e in tenant)
            {
                var linked = AuditChain.Link(prev, ++seq, new AuditDraft(e.TenantId, e.At, e.Actor, e.Action, e.Subject, e.Detail));
                await using var insert = c.CreateCommand();
                insert.CommandText = "INSERT INTO audit_log(tenant_id, seq, at, actor, action, subject, detail, prev_hash, hash) VALUES($t,$s,$a,$ac,$act,$sub,$d,$p,$h)";
                foreach (var (n, v) in new (string, object)[] { ("$t", linked.TenantId), ("$s", linked.Seq), ("$a", linked.At), ("$ac", linked.Actor), ("$act", linked.Action), ("$sub", linked.Subject), ("$d", linked.Detail), ("$p", linked.PrevHash), ("$h", linked.Hash) })
                    insert.Parameters.AddWithValue(n, v);
                await insert.ExecuteNonQueryAsync();
                prev = linked.Hash;
            }
        }
        await tx.CommitAsync();
    }

    [Fact]
    public async Task Intact_ThenAnEntryRewrittenWithTheChainRecomputed_Detected()
    {
        var before = await VerifyAsync();
        await RewriteChainAsync(entries => [.. entries.Select(e => e.Seq == 2 ? e with { Subject = "/api/v1/sites/elsewhere" } : e)]);

        var after = await VerifyAsync();

        Assert.True(before.GetProperty("intact").GetBoolean(), before.ToString());
        Assert.False(after.GetProperty("intact").GetBoolean());
        Assert.Equal(2, after.GetProperty("brokenAt").GetInt64());
        Assert.Contains("entry 2 is not the one its signed checkpoint recorded", after.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewestEntriesCutOff_Detected()
    {
        await RewriteChainAsync(entries => [.. entries.Where(e => e.Seq <= 1)]);

        var after = await VerifyAsync();

        Assert.False(after.GetProperty("intact").GetBoolean());
        Assert.Equal(1, after.GetProperty("entries").GetInt64());
        Assert.Contains("are missing: a signed checkpoint records entry", after.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedCheckpoint_Detected()
    {
        var file = Directory.EnumerateFiles(Path.Combine(_factory.DataDirectory, "keys"), "audit-checkpoints.jsonl").Single();
        await File.AppendAllTextAsync(file, """{"tenant":1,"seq":3,"head":"0000","at":0,"mac":"00"}""" + "\n");

        var after = await VerifyAsync();

        Assert.False(after.GetProperty("intact").GetBoolean());
        Assert.Contains("is not signed with the audit key", after.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }
}
