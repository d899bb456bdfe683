using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;
using GreenLoop.Storage;
using GreenLoop.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GreenLoop.Server.Tests;

/// <summary>
/// API keys for gateways and integrations (issue 6): shown once and stored as prefix + SHA-256 only, scoped to a site
/// and to permissions, and refused with a reason when revoked, expired or malformed.
/// </summary>
public sealed class ApiKeyTests : IAsyncLifetime
{
    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = _factory.CreateClient();
        foreach (var site in new[] { "north", "south" })
        {
            using var put = await _admin.PutAsync($"/api/v1/sites/{site}", Sites.Document(site));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    private async Task<(string Key, long Id)> CreateKeyAsync(object body)
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/api-keys", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create key: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var created = await Http.JsonAsync(response);
        return (created.GetProperty("key").GetString()!, created.GetProperty("apiKey").GetProperty("id").GetInt64());
    }

    /// <summary>A client that presents only <paramref name="key"/>.</summary>
    private HttpClient WithKey(string key)
    {
        var client = Clients.Anonymous(_factory);
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await Http.JsonAsync(response)).GetProperty("detail").GetString()!;

    [Fact]
    public async Task CreateKey_GatewayKey_ReturnedOnceAndOnlyPrefixAndSha256OfTheSecretStored()
    {
        var (key, id) = await CreateKeyAsync(new { name = "gateway-north", site = "north", permissions = new[] { "ingest" }, expiresInDays = 30 });

        using var list = await _admin.GetAsync("/api/v1/api-keys");
        var listed = await list.Content.ReadAsStringAsync();
        var row = Assert.Single(await Database.RowsAsync(_factory.DataDirectory, $"SELECT * FROM api_key WHERE id = {id}"));

        // gl_ + 8-character prefix + _ + 32-character secret, alphabet a-z and 2-7.
        Assert.Matches("^gl_[a-z2-7]{8}_[a-z2-7]{32}$", key);
        var (prefix, secret) = (key[3..11], key[12..]);
        Assert.Equal(prefix, row["prefix"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), row["secret_hash"]);
        Assert.Equal(("north", "ingest"), (row["site"], row["permissions"]));
        Assert.DoesNotContain(row.Values, v => v is string s && s.Contains(secret, StringComparison.Ordinal));
        // 30 days = 30 x 86,400,000 ms.
        Assert.Equal(2_592_000_000L, (long)row["expires_at"]! - (long)row["created_at"]!);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains(prefix, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestKeyScopedToNorth_MixedBatch_NorthAcceptedSouthRejectedWithReasonAndQuarantined()
    {
        var (key, _) = await CreateKeyAsync(new { name = "gateway-north", site = "north", permissions = new[] { "ingest" } });
        using var gateway = WithKey(key);

        using var posted = await gateway.PostAsync("/api/v1/readings", Sites.Readings(
            ("north.main", "2025-06-01T00:15:00+08:00", 2.5),
            ("north.main", "2025-06-01T00:30:00+08:00", 3.5),
            ("south.main", "2025-06-01T00:30:00+08:00", 9.0)));
        using var series = await gateway.GetAsync("/api/v1/sites/north/meters/north.main/series?grain=15m&from=2025-06-01&to=2025-06-02");
        using var quarantine = await _admin.GetAsync("/api/v1/quarantine");

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var answer = await Http.JsonAsync(posted);
        Assert.Equal((3, 2), (answer.GetProperty("received").GetInt32(), answer.GetProperty("accepted").GetInt32()));
        var rejected = Assert.Single(answer.GetProperty("rejected").EnumerateArray());
        Assert.Equal((2, "meter"), (rejected.GetProperty("index").GetInt32(), rejected.GetProperty("field").GetString()));
        Assert.Equal("meter 'south.main' belongs to site 'south'; this API key may write to 'north' only", rejected.GetProperty("reason").GetString());
        var kept = Assert.Single((await Http.JsonAsync(quarantine)).GetProperty("rows").EnumerateArray());
        Assert.Equal(("south.main", "meter", "9"), (kept.GetProperty("meter").GetString(), kept.GetProperty("field").GetString(), kept.GetProperty("value").GetString()));
        Assert.Contains("belongs to site 'south'", kept.GetProperty("reason").GetString(), StringComparison.Ordinal);
        // An ingest key reads nothing, not even its own site's series.
        Assert.Equal(HttpStatusCode.Forbidden, series.StatusCode);
        Assert.Equal("this needs the permission 'read' for site 'north'; your roles (or this key's permissions) do not grant it there", await DetailAsync(series));
    }

    [Fact]
    public async Task ReadKey_PostReadings_403ButReadsWithEitherHeader()
    {
        var (key, _) = await CreateKeyAsync(new { name = "erp", permissions = new[] { "read" } });
        using var erp = WithKey(key);
        using var bearer = Clients.Anonymous(_factory);
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        using var posted = await erp.PostAsync("/api/v1/readings", Sites.Readings(("north.main", "2025-06-01T00:15:00+08:00", 2.5)));
        using var read = await erp.GetAsync("/api/v1/sites/north");
        using var readBearer = await bearer.GetAsync("/api/v1/sites/south");

        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readBearer.StatusCode);
        Assert.Equal(0, await Database.ScalarAsync<long>(_factory.DataDirectory, "SELECT COUNT(*) FROM reading"));
    }

    [Fact]
    public async Task RevokedKey_NextRequest_401NamingTheRevocation()
    {
        var (key, id) = await CreateKeyAsync(new { name = "erp", permissions = new[] { "read" } });
        using var erp = WithKey(key);

        using var before = await erp.GetAsync("/api/v1/sites/north");
        using var listed = await _admin.GetAsync("/api/v1/api-keys");
        using var revoke = await _admin.DeleteAsync($"/api/v1/api-keys/{id}");
        using var after = await erp.GetAsync("/api/v1/sites/north");
        using var again = await _admin.DeleteAsync("/api/v1/api-keys/999999");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        var erpView = (await Http.JsonAsync(listed)).EnumerateArray().Single(k => k.GetProperty("id").GetInt64() == id);
        Assert.NotEqual(JsonValueKind.Null, erpView.GetProperty("lastUsedAt").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("the API key 'erp' was revoked", await DetailAsync(after));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task ExpiredKey_AnyRequest_401NamingTheExpiry()
    {
        var store = _factory.Services.GetRequiredService<GreenLoopStore>();
        var tenant = _factory.Services.GetRequiredService<TenantContext>().DefaultTenantId;
        var now = _factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var expiredAt = new DateTimeOffset(now.Year - 1, 3, 1, 8, 30, 0, TimeSpan.Zero);
        var (key, prefix, hash) = ApiKeys.Generate();
        await store.CreateApiKeyAsync(new StoredApiKey
        {
            TenantId = tenant,
            Name = "old-gateway",
            Prefix = prefix,
            SecretHash = hash,
            Permissions = [Permissions.Read],
            CreatedBy = "test",
            CreatedAt = expiredAt.AddDays(-30).ToUnixTimeMilliseconds(),
            ExpiresAt = expiredAt.ToUnixTimeMilliseconds(),
        }, CancellationToken.None);
        using var client = WithKey(key);

        using var response = await client.GetAsync("/api/v1/sites/north");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"the API key 'old-gateway' expired at {now.Year - 1}-03-01 08:30 UTC", await DetailAsync(response));
    }

    [Theory]
    [InlineData("gl_short")]
    [InlineData("not-a-key-at-all")]
    [InlineData("gl_ABCDEFGH_abcdefghijklmnopqrstuvwxyz234567")]
    [InlineData("gl_abcdefgh_abcdefghijklmnopqrstuvwxyz2345670")]
    [InlineData("gl_abcdefgh-abcdefghijklmnopqrstuvwxyz234567")]
    public async Task MalformedKey_AnyRequest_401(string key)
    {
        using var client = WithKey(key);

        using var response = await client.GetAsync("/api/v1/sites");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var detail = await DetailAsync(response);
        Assert.Equal("the API key is not a GreenLoop key (gl_xxxxxxxx_...)", detail);
        SecurityTests.AssertNoInternals(detail);
    }

    [Fact]
    public async Task UnknownKey_WellFormed_401NotKnown()
    {
        // The bootstrap key's prefix with another secret, and an unknown prefix.
        using var wrongSecret = WithKey("gl_testkey2_" + new string('a', 32));
        using var unknown = WithKey("gl_zzzzzzzz_" + new string('b', 32));

        using var a = await wrongSecret.GetAsync("/api/v1/sites");
        using var b = await unknown.GetAsync("/api/v1/sites");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (a.StatusCode, b.StatusCode));
        Assert.Equal("the API key is not known", await DetailAsync(a));
        Assert.Equal("the API key is not known", await DetailAsync(b));
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("configure")]
    [InlineData("account")]
    public async Task CreateKey_PermissionNotForKeys_400NamingIt(string permission)
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "too-strong", permissions = new[] { "read", permission } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Http.JsonAsync(response)).GetProperty("errors").GetProperty("apiKey").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal([$"permissions: '{permission}' cannot be given to a key; use ingest, read, read-park"], errors);
        Assert.Equal(1, await Database.ScalarAsync<long>(_factory.DataDirectory, "SELECT COUNT(*) FROM api_key"));
    }

    [Fact]
    public async Task CreateKey_UnknownSiteAndNoPermission_400NamingEachField()
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "gw", site = "nowhere", permissions = Array.Empty<string>(), expiresInDays = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Http.JsonAsync(response)).GetProperty("errors").GetProperty("apiKey").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(["permissions:", "site:", "expiresInDays:"], errors.Select(e => e[..(e.IndexOf(':', StringComparison.Ordinal) + 1)]));
        Assert.Contains("'nowhere' does not exist", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeysApi_KeyWithoutAdmin_403()
    {
        var (key, _) = await CreateKeyAsync(new { name = "erp", permissions = new[] { "read", "ingest", "read-park" } });
        using var erp = WithKey(key);

        using var list = await erp.GetAsync("/api/v1/api-keys");
        using var create = await erp.PostAsJsonAsync("/api/v1/api-keys", new { name = "escalate", permissions = new[] { "read" } });

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (list.StatusCode, create.StatusCode));
    }
}
