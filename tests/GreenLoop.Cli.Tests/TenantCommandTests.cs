using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using GreenLoop.Testing;

namespace GreenLoop.Cli.Tests;

/// <summary>
/// <c>greenloop tenant</c> beside a running server (issue 12, item 5): a tenant created with its first administrator,
/// who signs in and sees only that tenant; renamed; disabled (sign-in and keys refused), enabled again; each change in
/// the tenant's audit trail.
/// </summary>
public sealed class TenantCommandTests : IDisposable
{
    private readonly TemporaryFolder _data = new("tenants");

    public void Dispose() => _data.Dispose();

    private Task<CliRun> RunAsync(params string[] args) => CommandLine.RunAsync([.. args, "--data", _data.Path]);

    [Fact]
    public async Task CreateRenameDisableEnable_TheFirstAdministratorSignsInOnlyWhileEnabled()
    {
        await using var server = await ServerProcess.StartAsync(_data.Path);
        using (var site = await server.Client.PutAsync("/api/v1/sites/home", new StringContent("""
            {"key":"home","name":"Home plant","timeZone":"Asia/Shanghai","meters":[{"key":"home.main","name":"Main","carrier":"electricity","unit":"kWh","kind":"Cumulative"}]}
            """, System.Text.Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.OK, site.StatusCode);

        var created = await RunAsync("tenant", "create", "north-group", "--name", "North Group 北方集团");
        var password = Regex.Match(created.Output, @"password:\s+(\S+)").Groups[1].Value;
        var taken = await RunAsync("tenant", "create", "north-group", "--name", "Again");

        Assert.True(created.Exit == 0, created.Error);
        // User names are unique per tenant: the new tenant has its own "admin" beside the default tenant's.
        Assert.Matches(@"organisation: north-group\s+user name:\s+admin\s", created.Output);
        Assert.Equal(2, taken.Exit);
        // The new tenant's administrator signs in and sees its own (empty) tenant, not the default tenant's site.
        using var user = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = server.Address };
        using (var signIn = await user.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName = "admin", password, tenant = "north-group" }))
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(0, (await user.GetFromJsonAsync<JsonElement>("/api/v1/sites")).GetArrayLength());

        var renamed = await RunAsync("tenant", "rename", "north-group", "North Group Ltd");
        var disabled = await RunAsync("tenant", "disable", "north-group");
        var list = await RunAsync("tenant", "list");
        Assert.True(renamed.Exit == 0 && disabled.Exit == 0, renamed.Error + disabled.Error);
        Assert.Contains(list.Output.Split('\n'), l => l.StartsWith("north-group", StringComparison.Ordinal) && l.Contains("disabled", StringComparison.Ordinal) && l.Contains("North Group Ltd", StringComparison.Ordinal));
        Assert.Contains(list.Output.Split('\n'), l => l.StartsWith("default", StringComparison.Ordinal) && l.Contains("enabled", StringComparison.Ordinal));

        // Within the status refresh (5 s): the signed-in session ends and a new sign-in is refused like a wrong password.
        await Wait.UntilAsync(async () => (await user.GetAsync("/api/v1/auth/me")).StatusCode == HttpStatusCode.Unauthorized,
            () => "the disabled tenant's session to end", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(250));
        Assert.Equal(HttpStatusCode.Unauthorized, await server.SignInStatusAsync("admin", password, "north-group"));
        // The default tenant carries on.
        Assert.Equal(HttpStatusCode.OK, await server.SignInStatusAsync(TestCredentials.AdminUser, TestCredentials.AdminPassword));

        var enabled = await RunAsync("tenant", "enable", "north-group");
        Assert.True(enabled.Exit == 0, enabled.Error);
        await Wait.UntilAsync(async () => await server.SignInStatusAsync("admin", password, "north-group") == HttpStatusCode.OK,
            () => "the enabled tenant's administrator to sign in", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(250));

        // Each change is in the new tenant's own audit trail, by the operating-system user.
        using var again = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = server.Address };
        (await again.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName = "admin", password, tenant = "north-group" })).EnsureSuccessStatusCode();
        var audit = (await again.GetFromJsonAsync<JsonElement>("/api/v1/audit?limit=50")).EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        foreach (var action in new[] { "CLI tenant create", "CLI tenant rename", "CLI tenant disable", "CLI tenant enable" })
            Assert.Contains(action, audit);
    }
}
