using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using GreenLoop.Testing;

namespace GreenLoop.Cli.Tests;

/// <summary>
/// The platform operator outside every tenant (issue 12, item 5): a key made with <c>greenloop platform key create</c>
/// administers tenants through <c>/api/v1/platform/tenants</c> and nothing else; a tenant's administrator cannot use
/// that API; user names are unique per tenant, so two tenants each have an "admin", told apart by the organisation or
/// by the password.
/// </summary>
public sealed class PlatformApiTests : IDisposable
{
    private readonly TemporaryFolder _data = new("platform");

    public void Dispose() => _data.Dispose();

    private Task<CliRun> RunAsync(params string[] args) => CommandLine.RunAsync([.. args, "--data", _data.Path]);

    private static HttpRequestMessage Request(HttpMethod method, string path, string? platformKey, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (platformKey is not null) request.Headers.Add("X-Platform-Key", platformKey);
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }

    [Fact]
    public async Task PlatformKey_CreatesRenamesDisablesTenants_AndIsRefusedEverywhereElse()
    {
        await using var server = await ServerProcess.StartAsync(_data.Path);
        var made = await RunAsync("platform", "key", "create", "ops");
        Assert.True(made.Exit == 0, made.Error);
        var key = Regex.Match(made.Output, @"glp_[a-z2-7]{8}_[a-z2-7]{32}").Value;
        Assert.NotEmpty(key);
        // The file holds only the secret's hash and is readable by its owner only.
        var file = Path.Combine(_data.Path, "keys", "platform-keys.json");
        Assert.DoesNotContain(key[12..], await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        using var anonymous = new HttpClient { BaseAddress = server.Address };
        using (var none = await anonymous.SendAsync(Request(HttpMethod.Get, "/api/v1/platform/tenants", null)))
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        using (var wrong = await anonymous.SendAsync(Request(HttpMethod.Get, "/api/v1/platform/tenants", "glp_aaaaaaaa_" + new string('a', 32))))
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        // The default tenant's administrator key (every tenant permission) is not a platform key.
        using (var tenantAdmin = await server.Client.GetAsync("/api/v1/platform/tenants"))
            Assert.Equal(HttpStatusCode.Forbidden, tenantAdmin.StatusCode);

        var create = await anonymous.SendAsync(Request(HttpMethod.Post, "/api/v1/platform/tenants", key,
            new { key = "south", name = "South Works 南方厂" }));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var created = await create.Content.ReadFromJsonAsync<JsonElement>();
        var password = created.GetProperty("generatedPassword").GetString()!;
        Assert.Equal("admin", created.GetProperty("adminUserName").GetString());
        Assert.Equal(("south", "South Works 南方厂", false), (created.GetProperty("tenant").GetProperty("key").GetString(),
            created.GetProperty("tenant").GetProperty("name").GetString(), created.GetProperty("tenant").GetProperty("disabled").GetBoolean()));
        using (var again = await anonymous.SendAsync(Request(HttpMethod.Post, "/api/v1/platform/tenants", key, new { key = "south", name = "x" })))
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using (var bad = await anonymous.SendAsync(Request(HttpMethod.Post, "/api/v1/platform/tenants", key, new { key = "no spaces allowed", name = "" })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.True(errors.TryGetProperty("key", out _) && errors.TryGetProperty("name", out _), errors.ToString());
        }

        // The platform key opens nothing of a tenant: no sites, no users, no pages.
        foreach (var path in new[] { "/api/v1/sites", "/api/v1/users", "/api/v1/auth/me", "/" })
        {
            using var refused = await anonymous.SendAsync(Request(HttpMethod.Get, path, key));
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{path}: {refused.StatusCode}");
        }

        // Two tenants, each with its own "admin": the organisation picks one; without it, the password does.
        Assert.Equal(HttpStatusCode.OK, await server.SignInStatusAsync("admin", password, "south"));
        Assert.Equal(HttpStatusCode.Unauthorized, await server.SignInStatusAsync("admin", password, "default"));
        Assert.Equal(HttpStatusCode.Unauthorized, await server.SignInStatusAsync("admin", TestCredentials.AdminPassword, "south"));
        using var south = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = server.Address };
        (await south.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName = "ADMIN", password })).EnsureSuccessStatusCode();
        using var home = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = server.Address };
        (await home.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName = "admin", password = TestCredentials.AdminPassword })).EnsureSuccessStatusCode();
        var southTenant = (await south.GetFromJsonAsync<JsonElement>("/api/v1/auth/me")).GetProperty("tenant").GetInt64();
        var homeTenant = (await home.GetFromJsonAsync<JsonElement>("/api/v1/auth/me")).GetProperty("tenant").GetInt64();
        Assert.NotEqual(southTenant, homeTenant);
        // The tenant's administrator cannot use the platform API with the sign-in either.
        using (var fromCookie = await south.GetAsync("/api/v1/platform/tenants"))
            Assert.Equal(HttpStatusCode.Forbidden, fromCookie.StatusCode);

        var renamed = await anonymous.SendAsync(Request(HttpMethod.Put, "/api/v1/platform/tenants/south", key, new { name = "South Works Ltd" }));
        Assert.Equal("South Works Ltd", (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        using (var missing = await anonymous.SendAsync(Request(HttpMethod.Put, "/api/v1/platform/tenants/nowhere", key, new { disabled = true })))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using (var disable = await anonymous.SendAsync(Request(HttpMethod.Put, "/api/v1/platform/tenants/south", key, new { disabled = true })))
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        await Wait.UntilAsync(async () => await server.SignInStatusAsync("admin", password, "south") == HttpStatusCode.Unauthorized,
            () => "the disabled tenant's sign-in to be refused", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(250));
        Assert.Equal(HttpStatusCode.OK, await server.SignInStatusAsync("admin", TestCredentials.AdminPassword));
        var list = await anonymous.SendAsync(Request(HttpMethod.Get, "/api/v1/platform/tenants", key));
        var tenants = (await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToDictionary(t => t.GetProperty("key").GetString()!);
        Assert.True(tenants["south"].GetProperty("disabled").GetBoolean());
        Assert.Equal(1, tenants["south"].GetProperty("users").GetInt32());
        Assert.False(tenants["default"].GetProperty("disabled").GetBoolean());
        using (var enable = await anonymous.SendAsync(Request(HttpMethod.Put, "/api/v1/platform/tenants/south", key, new { disabled = false })))
            Assert.Equal(HttpStatusCode.OK, enable.StatusCode);

        // Every change is in the tenant's own audit trail, by the platform key's name.
        await Wait.UntilAsync(async () => await server.SignInStatusAsync("admin", password, "south") == HttpStatusCode.OK,
            () => "the enabled tenant's sign-in", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(250));
        using var auditor = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = server.Address };
        (await auditor.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName = "admin", password, tenant = "south" })).EnsureSuccessStatusCode();
        var entries = (await auditor.GetFromJsonAsync<JsonElement>("/api/v1/audit?limit=50")).EnumerateArray()
            .Where(e => e.GetProperty("actor").GetString() == "platform:ops").Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(4, entries.Count);
        Assert.Contains("POST /api/v1/platform/tenants", entries);

        // A revoked key stops at once.
        var revoked = await RunAsync("platform", "key", "revoke", "ops");
        Assert.True(revoked.Exit == 0, revoked.Error);
        using (var after = await anonymous.SendAsync(Request(HttpMethod.Get, "/api/v1/platform/tenants", key)))
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("revoked", (await RunAsync("platform", "key", "list")).Output, StringComparison.Ordinal);
    }
}
