namespace GreenLoop.Storage.Tests;

/// <summary>The hash-chained audit trail and the users and API keys of the security model.</summary>
public abstract class AuditContract : StoreContract
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AppendAudit_TwoTenants_EachChainedInOrderAndReadPerTenantAndPageByPage()
    {
        await using var h = await StartAsync(_now);
        var other = await h.Store.EnsureTenantAsync("other", "Other", Ct);

        var e1 = await h.Store.AppendAuditAsync(new AuditDraft(h.TenantId, 10, "zhang", "data-source.save", "data-source:plc", """{"host":"10.0.0.5"}"""), Ct);
        var b1 = await h.Store.AppendAuditAsync(new AuditDraft(other, 20, "wu", "user.create", "user:wu", "{}"), Ct);
        var e2 = await h.Store.AppendAuditAsync(new AuditDraft(h.TenantId, 30, "li", "factor.override", "factor:grid", """{"value":0.5}"""), Ct);
        var e3 = await h.Store.AppendAuditAsync(new AuditDraft(h.TenantId, 40, "li", "period.lock", "period:2026-10", "{}"), Ct);

        // One chain per tenant: tenant B's first entry is number 1 after the genesis hash, whatever A did before.
        Assert.Equal([1L, 2, 3], new[] { e1, e2, e3 }.Select(e => e.Seq));
        Assert.Equal((1L, AuditChain.Genesis), (b1.Seq, b1.PrevHash));
        Assert.Equal((AuditChain.Genesis, e1.Hash, e2.Hash), (e1.PrevHash, e2.PrevHash, e3.PrevHash));
        Assert.Equal(AuditChain.ComputeHash(e1.Hash, 2, new AuditDraft(h.TenantId, 30, "li", "factor.override", "factor:grid", """{"value":0.5}""")), e2.Hash);
        Assert.Equal([e3, e2, e1], await h.Store.AuditEntriesAsync(h.TenantId, null, 10, Ct));
        Assert.Equal([e1], await h.Store.AuditEntriesAsync(h.TenantId, 2, 10, Ct));
        Assert.Equal([b1], await h.Store.AuditEntriesAsync(other, null, 10, Ct));
        Assert.Equal([e2, e3], await h.Store.AuditChainAsync(h.TenantId, 1, 2, Ct));
        Assert.Equal([h.TenantId, other], (await h.Store.AuditTenantsAsync(Ct)).Order());
        var verification = AuditChain.Verify(await h.Store.AuditChainAsync(h.TenantId, 0, 100, Ct));
        Assert.Equal(new AuditVerification(true, 3, e3.Hash, null, null), verification);
    }

    [Fact]
    public async Task CreateUser_NameTakenInAnyCase_NullAndTheFirstUserKeepsItsRoles()
    {
        await using var h = await StartAsync(_now);
        var other = await h.Store.EnsureTenantAsync("other", "Other", Ct);
        var user = new StoredUser
        {
            TenantId = h.TenantId, UserName = "Zhang.Wei", DisplayName = "张伟", PasswordHash = "AQAAAAIAAYagAAAAE", CreatedAt = 100,
            Roles = [new StoredRole("viewer", "plant"), new StoredRole("admin", null), new StoredRole("admin", null)],
        };

        var created = await h.Store.CreateUserAsync(user, Ct);
        var taken = await h.Store.CreateUserAsync(user with { UserName = "zhang.WEI" }, Ct);
        // Names are unique within a tenant only: another tenant may have its own Zhang.Wei.
        var namesake = await h.Store.CreateUserAsync(user with { TenantId = other, UserName = "zhang.WEI" }, Ct);

        Assert.NotNull(created);
        Assert.Null(taken);
        Assert.NotNull(namesake);
        Assert.Equal(2, await h.Store.CountUsersAsync(Ct));
        Assert.Equal([created.Id, namesake.Id], (await h.Store.FindUsersAsync("ZHANG.WEI", 16, Ct)).Select(u => u.Id));
        Assert.Equal([created.Id], (await h.Store.FindUsersAsync("ZHANG.WEI", 1, Ct)).Select(u => u.Id));
        Assert.Equal(namesake.Id, (await h.Store.FindUserAsync(other, "Zhang.Wei", Ct))!.Id);
        // Roles come back once each, ordered by role then site.
        Assert.Equal([new StoredRole("admin", null), new StoredRole("viewer", "plant")], created.Roles);
        var found = await h.Store.FindUserAsync(h.TenantId, "ZHANG.wei", Ct);
        Assert.Equal((created.Id, h.TenantId, "Zhang.Wei", "张伟", 0, false), (found!.Id, found.TenantId, found.UserName, found.DisplayName, found.FailedCount, found.Disabled));
        Assert.Equal(created.Roles, found.Roles);
        Assert.Null(await h.Store.GetUserAsync(other, created.Id, Ct));
        Assert.Equal([namesake.Id], (await h.Store.ListUsersAsync(other, Ct)).Select(u => u.Id));
    }

    [Fact]
    public async Task UpdateUser_RolesAndLockOut_ReplacedForTheTenantOnly()
    {
        await using var h = await StartAsync(_now);
        var other = await h.Store.EnsureTenantAsync("other", "Other", Ct);
        var b = (await h.Store.CreateUserAsync(new StoredUser { TenantId = h.TenantId, UserName = "b", PasswordHash = "h1", CreatedAt = 1, Roles = [new StoredRole("viewer", null)] }, Ct))!;
        var a = (await h.Store.CreateUserAsync(new StoredUser { TenantId = h.TenantId, UserName = "a", PasswordHash = "h2", CreatedAt = 2 }, Ct))!;

        var updated = await h.Store.UpdateUserAsync(b with { DisplayName = "Bee", PasswordHash = "h3", Disabled = true, Roles = [new StoredRole("operator", "plant")] }, Ct);
        var foreign = await h.Store.UpdateUserAsync(a with { TenantId = other, DisplayName = "hijacked" }, Ct);
        await h.Store.RecordSignInAsync(a.Id, 5, 9999, Ct);

        Assert.True(updated);
        Assert.False(foreign);
        var users = await h.Store.ListUsersAsync(h.TenantId, Ct);
        Assert.Equal(["a", "b"], users.Select(u => u.UserName));
        Assert.Equal((null, 5, (long?)9999), (users[0].DisplayName, users[0].FailedCount, users[0].LockedUntil));
        Assert.Equal(("Bee", "h3", true), (users[1].DisplayName, users[1].PasswordHash, users[1].Disabled));
        Assert.Equal([new StoredRole("operator", "plant")], users[1].Roles);
        Assert.Equal("Bee", (await h.Store.GetUserAsync(h.TenantId, b.Id, Ct))!.DisplayName);
    }

    [Fact]
    public async Task ApiKeys_CreateFindRevokeTouch_PerTenant()
    {
        await using var h = await StartAsync(_now);
        var other = await h.Store.EnsureTenantAsync("other", "Other", Ct);
        StoredApiKey Key(long tenant, string prefix) => new()
        {
            TenantId = tenant, Site = "plant", Name = "gateway " + prefix, Prefix = prefix, SecretHash = "sha256:" + prefix, Permissions = ["ingest", "read"],
            CreatedBy = "zhang", CreatedAt = 100, ExpiresAt = 10_000,
        };

        var k1 = await h.Store.CreateApiKeyAsync(Key(h.TenantId, "glk_aaaa"), Ct);
        var k2 = await h.Store.CreateApiKeyAsync(Key(h.TenantId, "glk_bbbb") with { Site = null, Permissions = ["ingest"], ExpiresAt = null }, Ct);
        var theirs = await h.Store.CreateApiKeyAsync(Key(other, "glk_cccc"), Ct);
        var revokedForeign = await h.Store.RevokeApiKeyAsync(h.TenantId, theirs.Id, 500, Ct);
        var revoked = await h.Store.RevokeApiKeyAsync(h.TenantId, k1.Id, 600, Ct);
        var revokedAgain = await h.Store.RevokeApiKeyAsync(h.TenantId, k1.Id, 700, Ct);
        await h.Store.TouchApiKeyAsync(k2.Id, 800, Ct);

        Assert.Equal((false, true, false), (revokedForeign, revoked, revokedAgain));
        var found = await h.Store.FindApiKeyAsync("glk_aaaa", Ct);
        Assert.Equal((k1.Id, "plant", "sha256:glk_aaaa", (long?)10_000, (long?)600, (long?)null), (found!.Id, found.Site, found.SecretHash, found.ExpiresAt, found.RevokedAt, found.LastUsedAt));
        Assert.Equal(["ingest", "read"], found.Permissions);
        Assert.Null(await h.Store.FindApiKeyAsync("glk_none", Ct));
        var mine = await h.Store.ListApiKeysAsync(h.TenantId, Ct);
        Assert.Equal([k1.Id, k2.Id], mine.Select(k => k.Id));
        Assert.Equal((null, (long?)800, (long?)null), (mine[1].Site, mine[1].LastUsedAt, mine[1].RevokedAt));
        Assert.Equal(["ingest"], mine[1].Permissions);
        Assert.Equal([theirs.Id], (await h.Store.ListApiKeysAsync(other, Ct)).Select(k => k.Id));
    }
}
