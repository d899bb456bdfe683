using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using GreenLoop.Pipeline.Trace.Audit;
using GreenLoop.Storage;
using GreenLoop.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Pipeline.Tests.Trace.Audit;

public sealed class AuditTrailTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
    private PipelineHarness _h = null!;
    private AuditTrail _audit = null!;

    private GreenLoopStore Store => _h.Store;
    private long Tenant => _h.TenantId;

    public async Task InitializeAsync()
    {
        _h = await PipelineHarness.SqliteAsync(_clock);
        _audit = _h.Get<AuditTrail>();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task RecordFiveAsync()
    {
        for (var i = 1; i <= 5; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            await _audit.RecordAsync(Tenant, "王工", "PUT /api/v1/data-sources/{key}", $"/api/v1/data-sources/plc-{i}", new { pollSeconds = i }, CancellationToken.None);
        }
    }

    private void Tamper(string sql)
    {
        using var c = new SqliteConnection($"Data Source={_h.DatabaseFile};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        Assert.Equal(1, cmd.ExecuteNonQuery());
    }

    [Fact]
    public async Task Record_FirstEntry_HashIsSha256OverLengthPrefixedFields()
    {
        var entry = await _audit.RecordAsync(Tenant, "王工", "factor.override", "site:demo", new { value = 0.5703 }, CancellationToken.None);

        // The documented layout, written out independently: genesis hash, seq, tenant, at (big-endian int64s) and each
        // text as its UTF-8 byte length (int64) followed by the bytes.
        var bytes = new List<byte>();
        void Long(long v) { var b = new byte[8]; BinaryPrimitives.WriteInt64BigEndian(b, v); bytes.AddRange(b); }
        void Text(string s) { var b = Encoding.UTF8.GetBytes(s); Long(b.Length); bytes.AddRange(b); }
        Text(new string('0', 64));
        Long(1);
        Long(Tenant);
        Long(_clock.GetUtcNow().ToUnixTimeMilliseconds());
        Text("王工");
        Text("factor.override");
        Text("site:demo");
        Text("""{"value":0.5703}""");
        Assert.Equal(1, entry.Seq);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray())), entry.Hash);
    }

    [Fact]
    public async Task Verify_UntouchedChain_IsIntactWithHeadHash()
    {
        await RecordFiveAsync();

        var result = await _audit.VerifyAsync(Tenant, CancellationToken.None);

        Assert.True(result.Intact, result.Problem);
        Assert.Equal(5, result.Entries);
        var newest = (await _audit.ListAsync(Tenant, null, 1, CancellationToken.None)).Single();
        Assert.Equal(5, newest.Seq);
        Assert.Equal(newest.Hash, result.HeadHash);
    }

    [Fact]
    public async Task Verify_DetailEditedInTheDatabase_BrokenAtThatEntry()
    {
        await RecordFiveAsync();

        Tamper($"UPDATE audit_log SET detail='{{\"pollSeconds\":30}}' WHERE tenant_id={Tenant} AND seq=3;");

        var result = await _audit.VerifyAsync(Tenant, CancellationToken.None);
        Assert.False(result.Intact);
        Assert.Equal(3, result.BrokenAt);
        Assert.Equal(2, result.Entries);
        Assert.Contains("changed", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EntryEditedWithItsHashRecomputed_BrokenAtTheNextEntry()
    {
        await RecordFiveAsync();
        var third = (await Store.AuditChainAsync(Tenant, 2, 1, CancellationToken.None)).Single();
        var forged = AuditChain.ComputeHash(third.PrevHash, 3, new AuditDraft(third.TenantId, third.At, "someone else", third.Action, third.Subject, third.Detail));

        Tamper($"UPDATE audit_log SET actor='someone else', hash='{forged}' WHERE tenant_id={Tenant} AND seq=3;");

        var result = await _audit.VerifyAsync(Tenant, CancellationToken.None);
        Assert.False(result.Intact);
        Assert.Equal(4, result.BrokenAt);
        Assert.Contains("does not link", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EntryDeleted_ReportsTheMissingEntry()
    {
        await RecordFiveAsync();

        Tamper($"DELETE FROM audit_log WHERE tenant_id={Tenant} AND seq=2;");

        var result = await _audit.VerifyAsync(Tenant, CancellationToken.None);
        Assert.False(result.Intact);
        Assert.Equal(2, result.BrokenAt);
        Assert.Contains("missing", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_TwoTenants_EachHasItsOwnChainFromOne()
    {
        await RecordFiveAsync();
        var other = await Store.EnsureTenantAsync("other", "Other", CancellationToken.None);

        var first = await _audit.RecordAsync(other, "b.admin", "PUT /api/v1/sites/{site}", "/api/v1/sites/b", null, CancellationToken.None);

        // Tenant B's first entry starts its own chain: its number and hash tell nothing of tenant A's five entries.
        Assert.Equal((1L, AuditChain.Genesis), (first.Seq, first.PrevHash));
        Assert.Equal(1, (await _audit.VerifyAsync(other, CancellationToken.None)).Entries);
        Assert.Equal(5, (await _audit.VerifyAsync(Tenant, CancellationToken.None)).Entries);
    }

    [Fact]
    public async Task List_OtherTenant_SeesNoneOfTheseEntries()
    {
        await RecordFiveAsync();
        var other = await Store.EnsureTenantAsync("other", "Other", CancellationToken.None);

        Assert.Empty(await _audit.ListAsync(other, null, 100, CancellationToken.None));
        Assert.Equal(5, (await _audit.ListAsync(Tenant, null, 100, CancellationToken.None)).Count);
    }
}
