using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;

namespace GreenLoop.Server.Tests;

/// <summary>
/// The audit trail through the API (issue 6): every successful change is recorded with who did it, the route and the
/// body (secrets masked); the hash chain verifies, and an entry edited in the database file is found and named
/// (<c>greenloop audit verify</c>: AuditCliTests in GreenLoop.Cli.Tests).
/// </summary>
public sealed class AuditApiTests : IAsyncLifetime
{
    private const string BrokerPassword = "s3cret-broker-pass";

    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _admin = null!;

    public Task InitializeAsync()
    {
        _admin = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        using var response = await _admin.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Http.JsonAsync(response);
    }

    /// <summary>Three changes through the API key: sites one, two and three (audit entries 1, 2 and 3).</summary>
    private async Task ThreeChangesAsync()
    {
        foreach (var site in new[] { "one", "two", "three" })
        {
            using var put = await _admin.PutAsync($"/api/v1/sites/{site}", Sites.Document(site));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
    }

    [Fact]
    public async Task Changes_SiteDataSourceOverrideAndUser_ListedWithActorActionAndMaskedSecrets()
    {
        using var admin = await Clients.SignInAsync(_factory, TestCredentials.AdminUser, TestCredentials.AdminPassword);
        // A signed-in person cannot pass for someone else: only key callers may name the person they act for.
        admin.DefaultRequestHeaders.Add("X-GreenLoop-User", "mallory");

        using var site = await admin.PutAsync("/api/v1/sites/north", Json(AccountingTestPlant.SiteJson("north")));
        // A data source writes with an ingest key of its own.
        using var key = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "broker-gateway", permissions = new[] { "ingest" } });
        var keyId = (await Http.JsonAsync(key)).GetProperty("apiKey").GetProperty("id").GetInt64();
        using var source = await admin.PutAsync("/api/v1/data-sources/north-broker", Json($$$"""
            {"kind":"mqtt","enabled":false,"apiKeyId":{{{keyId}}},
             "settings":{"host":"broker.local","username":"gateway","password":"{{{BrokerPassword}}}",
                         "subscriptions":[{"topic":"plant/readings","format":"reading"}]}}
            """));
        using var factor = await admin.PostAsJsonAsync("/api/v1/sites/north/factor-overrides",
            new { factor = "cn_fuel_ncv/natural_gas", year = "2025", value = 380.0, reason = "measured NCV, lab report 2025-031" });
        using var user = await admin.PostAsJsonAsync("/api/v1/users", new { userName = "qian.new", password = "user-secret-pass", roles = new[] { new { role = "viewer" } } });
        var entries = (await GetJsonAsync("/api/v1/audit")).EnumerateArray().ToList();

        Assert.True(source.StatusCode == HttpStatusCode.Created, await source.Content.ReadAsStringAsync());
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created), (site.StatusCode, key.StatusCode, factor.StatusCode, user.StatusCode));
        // Newest first; the sign-in itself is recorded too.
        Assert.Equal(
            [
                ("admin", "POST /api/v1/users/", "/api/v1/users"),
                ("admin", "POST /api/v1/sites/{site}/factor-overrides", "/api/v1/sites/north/factor-overrides"),
                ("admin", "PUT /api/v1/data-sources/{key}", "/api/v1/data-sources/north-broker"),
                ("admin", "POST /api/v1/api-keys/", "/api/v1/api-keys"),
                ("admin", "PUT /api/v1/sites/{site}", "/api/v1/sites/north"),
                ("admin", "auth.sign-in", "user:admin"),
            ],
            entries.Select(e => (e.GetProperty("actor").GetString(), e.GetProperty("action").GetString(), e.GetProperty("subject").GetString())));
        var sourceDetail = entries[2].GetProperty("detail");
        Assert.Equal(201, sourceDetail.GetProperty("status").GetInt32());
        var settings = sourceDetail.GetProperty("body").GetProperty("settings");
        Assert.Equal(("********", "gateway", "broker.local"),
            (settings.GetProperty("password").GetString(), settings.GetProperty("username").GetString(), settings.GetProperty("host").GetString()));
        Assert.Equal("********", entries[0].GetProperty("detail").GetProperty("body").GetProperty("password").GetString());
        var overrideBody = entries[1].GetProperty("detail").GetProperty("body");
        Assert.Equal((380.0, "measured NCV, lab report 2025-031"), (overrideBody.GetProperty("value").GetDouble(), overrideBody.GetProperty("reason").GetString()));
        Assert.Equal(0, await Database.ScalarAsync<long>(_factory.DataDirectory,
            $"SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%{BrokerPassword}%' OR detail LIKE '%user-secret-pass%' OR detail LIKE '%{TestCredentials.AdminPassword}%'"));
    }

    [Fact]
    public async Task Change_ByKeyOnBehalfOfAPerson_ActorNamesBoth()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/sites/north") { Content = Sites.Document("north") };
        // Headers are ASCII: a Chinese name travels percent-encoded.
        request.Headers.Add("X-GreenLoop-User", Uri.EscapeDataString("王工"));

        using var response = await _admin.SendAsync(request);
        var entry = Assert.Single((await GetJsonAsync("/api/v1/audit")).EnumerateArray());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("王工 via key:bootstrap", entry.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task FailedChangesAndReads_NotAudited()
    {
        using var mismatch = await _admin.PutAsync("/api/v1/sites/north", Sites.Document("south"));
        using var read = await _admin.GetAsync("/api/v1/sites");
        using var badKey = await _admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "x", permissions = new[] { "admin" } });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.BadRequest), (mismatch.StatusCode, read.StatusCode, badKey.StatusCode));
        Assert.Empty((await GetJsonAsync("/api/v1/audit")).EnumerateArray());
    }

    [Fact]
    public async Task Verify_IntactTrail_IntactWithTheCountAndTheNewestHash()
    {
        await ThreeChangesAsync();

        var verify = await GetJsonAsync("/api/v1/audit/verify");
        var newest = (await GetJsonAsync("/api/v1/audit")).EnumerateArray().First();

        Assert.True(verify.GetProperty("intact").GetBoolean());
        Assert.Equal(3, verify.GetProperty("entries").GetInt64());
        Assert.Equal(await Database.ScalarAsync<long>(_factory.DataDirectory, "SELECT COUNT(*) FROM audit_log"), verify.GetProperty("entries").GetInt64());
        Assert.Equal(newest.GetProperty("hash").GetString(), verify.GetProperty("headHash").GetString());
        Assert.Equal(JsonValueKind.Null, verify.GetProperty("brokenAt").ValueKind);
    }

    [Theory]
    [InlineData("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2", "entry 2 was changed after it was written (its content does not match its hash)")]
    [InlineData("UPDATE audit_log SET detail = replace(detail, '200', '201') WHERE seq = 2", "entry 2 was changed after it was written (its content does not match its hash)")]
    [InlineData("DELETE FROM audit_log WHERE seq = 2", "entry 2 is missing (the next stored entry is 3)")]
    public async Task Verify_EntryChangedInTheDatabaseFile_BrokenAtThatEntry(string tamper, string problem)
    {
        await ThreeChangesAsync();
        var first = await Database.ScalarAsync<string>(_factory.DataDirectory, "SELECT hash FROM audit_log WHERE seq = 1");

        await Database.ExecuteAsync(_factory.DataDirectory, tamper);
        var verify = await GetJsonAsync("/api/v1/audit/verify");

        Assert.False(verify.GetProperty("intact").GetBoolean());
        Assert.Equal(2, verify.GetProperty("brokenAt").GetInt64());
        Assert.Equal(problem, verify.GetProperty("problem").GetString());
        // Entry 1 is still good, and it is where the intact part ends.
        Assert.Equal(1, verify.GetProperty("entries").GetInt64());
        Assert.Equal(first, verify.GetProperty("headHash").GetString());
    }

    [Fact]
    public async Task AuditApi_WithoutAccountPermission_403()
    {
        await Clients.CreateUserAsync(_factory, "zhou.manager", "role-test-password", ("energy-manager", null));
        using var manager = await Clients.SignInAsync(_factory, "zhou.manager", "role-test-password");

        using var list = await manager.GetAsync("/api/v1/audit");
        using var verify = await manager.GetAsync("/api/v1/audit/verify");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (list.StatusCode, verify.StatusCode));
    }
}
