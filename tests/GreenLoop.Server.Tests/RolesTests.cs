using System.Net;
using System.Net.Http.Json;
using System.Text;
using GreenLoop.Testing;
using static GreenLoop.Testing.AccountingTestPlant;

namespace GreenLoop.Server.Tests;

/// <summary>
/// Roles per tenant or per site (issue 6), signed in through the cookie as people are, and the users API: generated
/// passwords, validation, and changes (disable, new roles) that take effect on a signed-in user's next request.
/// Two accounting test plants, north and south; north has readings for 2025-06-01.
/// </summary>
public sealed class RolesTests : IAsyncLifetime
{
    private const string Password = "role-test-password";
    private const string June = "2025-06";

    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = _factory.CreateClient();
        foreach (var site in new[] { "north", "south" })
        {
            using var put = await _admin.PutAsync($"/api/v1/sites/{site}", new StringContent(SiteJson(site), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        using var readings = await _admin.PostAsync("/api/v1/readings", Body(Readings("north", new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 1))));
        Assert.Equal(HttpStatusCode.OK, readings.StatusCode);
        await Http.WaitForDerivationAsync(_admin);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    private async Task<HttpClient> UserAsync(string name, params (string Role, string? Site)[] roles)
    {
        await Clients.CreateUserAsync(_factory, name, Password, roles);
        return await Clients.SignInAsync(_factory, name, Password);
    }

    private static Task<HttpResponseMessage> PutSiteAsync(HttpClient client, string site) =>
        client.PutAsync($"/api/v1/sites/{site}", new StringContent(SiteJson(site), Encoding.UTF8, "application/json"));

    private static Task<HttpResponseMessage> OverrideAsync(HttpClient client, string site) =>
        client.PostAsJsonAsync($"/api/v1/sites/{site}/factor-overrides",
            new { factor = "cn_fuel_ncv/natural_gas", year = "2025", value = 380.0, reason = "measured NCV, lab report 2025-031" });

    private static async Task<Dictionary<string, HttpStatusCode>> StatusesAsync(HttpClient client, params string[] urls)
    {
        var statuses = new Dictionary<string, HttpStatusCode>(StringComparer.Ordinal);
        foreach (var url in urls)
        {
            using var response = await client.GetAsync(url);
            statuses[url] = response.StatusCode;
        }
        return statuses;
    }

    private static async Task AssertForbiddenAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Http.JsonAsync(response);
        // The answer names the permission the request needs.
        Assert.Matches("^this needs the permission '[a-z-]+'( for site '[a-z0-9._-]+')?; your roles \\(or this key's permissions\\) do not grant it( there)?$", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Viewer_ForTheTenant_ReadsSiteDataButCannotConfigureIngestOrAccount()
    {
        using var viewer = await UserAsync("wang.viewer", ("viewer", null));

        var reads = await StatusesAsync(viewer, "/api/v1/sites/north", "/api/v1/sites/north/overview",
            $"/api/v1/sites/north/meters/north.elec/series?grain=hour&from=2025-06-01&to=2025-06-02", "/api/v1/quarantine");
        using var put = await PutSiteAsync(viewer, "north");
        using var ingest = await viewer.PostAsync("/api/v1/readings", Sites.Readings(("north.elec", "2025-06-02T01:00:00+08:00", 100)));
        using var factor = await OverrideAsync(viewer, "north");
        using var audit = await viewer.GetAsync("/api/v1/audit");

        Assert.All(reads, r => Assert.True(r.Value == HttpStatusCode.OK, $"GET {r.Key}: {r.Value}"));
        await AssertForbiddenAsync(put);
        await AssertForbiddenAsync(ingest);
        await AssertForbiddenAsync(factor);
        await AssertForbiddenAsync(audit);
    }

    [Fact]
    public async Task EnergyManager_ConfiguresButCannotOverrideFactorsNorManageUsersOrKeys()
    {
        using var manager = await UserAsync("li.energy", ("energy-manager", null));

        using var put = await PutSiteAsync(manager, "north");
        using var factor = await OverrideAsync(manager, "north");
        using var lockPeriod = await manager.PostAsync($"/api/v1/sites/north/periods/{June}/lock", null);
        using var users = await manager.GetAsync("/api/v1/users");
        using var createUser = await manager.PostAsJsonAsync("/api/v1/users", new { userName = "sneaky", roles = new[] { new { role = "administrator" } } });
        using var createKey = await manager.PostAsJsonAsync("/api/v1/api-keys", new { name = "mine", permissions = new[] { "read" } });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        // Same document: nothing changed, but the call was allowed.
        Assert.Equal("""{"created":0,"updated":0,"unchanged":5}""", await put.Content.ReadAsStringAsync());
        await AssertForbiddenAsync(factor);
        await AssertForbiddenAsync(lockPeriod);
        await AssertForbiddenAsync(users);
        await AssertForbiddenAsync(createUser);
        await AssertForbiddenAsync(createKey);
        Assert.Equal(2, await Database.ScalarAsync<long>(_factory.DataDirectory, "SELECT COUNT(*) FROM app_user"));
    }

    [Fact]
    public async Task CarbonAccountant_OverridesFactorsAndLocksPeriodsButCannotConfigure()
    {
        using var accountant = await UserAsync("zhao.carbon", ("carbon-accountant", null));

        using var factor = await OverrideAsync(accountant, "north");
        using var lockPeriod = await accountant.PostAsync($"/api/v1/sites/north/periods/{June}/lock", null);
        using var locks = await accountant.GetAsync("/api/v1/sites/north/periods");
        using var audit = await accountant.GetAsync("/api/v1/audit");
        using var put = await PutSiteAsync(accountant, "north");

        Assert.Equal(HttpStatusCode.OK, factor.StatusCode);
        Assert.Equal(HttpStatusCode.OK, lockPeriod.StatusCode);
        var l = Assert.Single((await Http.JsonAsync(locks)).EnumerateArray());
        // Acting as a signed-in person: the record names the user, not a key.
        Assert.Equal((June, "zhao.carbon"), (l.GetProperty("period").GetString(), l.GetProperty("by").GetString()));
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        await AssertForbiddenAsync(put);
    }

    [Fact]
    public async Task ViewerScopedToNorth_SouthRoutes403AndTheSiteListShowsNorthOnly()
    {
        using var viewer = await UserAsync("north.viewer", ("viewer", "north"));

        using var list = await viewer.GetAsync("/api/v1/sites");
        using var me = await viewer.GetAsync("/api/v1/auth/me");
        var north = await StatusesAsync(viewer, "/api/v1/sites/north", "/api/v1/sites/north/meters/north.elec/series?grain=hour&from=2025-06-01&to=2025-06-02");
        using var south = await viewer.GetAsync("/api/v1/sites/south");
        using var southSeries = await viewer.GetAsync("/api/v1/sites/south/meters/south.elec/series?grain=hour");
        using var southReport = await viewer.GetAsync($"/api/v1/sites/south/reports/energy?period={June}");
        using var southByQuery = await viewer.GetAsync("/api/v1/alarms?site=south");
        // A request that names no site needs the permission for every site.
        using var quarantine = await viewer.GetAsync("/api/v1/quarantine");

        Assert.Equal(["north"], (await Http.JsonAsync(list)).EnumerateArray().Select(s => s.GetProperty("key").GetString()));
        Assert.Equal(["read-park@north", "read@north"],
            (await Http.JsonAsync(me)).GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).Order(StringComparer.Ordinal));
        Assert.All(north, r => Assert.True(r.Value == HttpStatusCode.OK, $"GET {r.Key}: {r.Value}"));
        await AssertForbiddenAsync(south);
        await AssertForbiddenAsync(southSeries);
        await AssertForbiddenAsync(southReport);
        await AssertForbiddenAsync(southByQuery);
        await AssertForbiddenAsync(quarantine);
    }

    [Fact]
    public async Task ManagerScopedToNorth_SiteQueryOnATenantWideRoute_Ignored403_AlarmListBySiteAllowed()
    {
        using var manager = await UserAsync("north.manager", ("energy-manager", "north"));

        // Tenant-wide routes: a ?site= naming the manager's own site does not make one site's permission the tenant's.
        using var channels = await manager.GetAsync("/api/v1/notification-channels?site=north");
        using var saveChannel = await manager.PutAsJsonAsync("/api/v1/notification-channels/sneaky?site=north",
            new { key = "sneaky", kind = "webhook", name = "Sneaky", url = "https://example.invalid/hook" });
        using var sources = await manager.GetAsync("/api/v1/data-sources?site=north");
        using var users = await manager.GetAsync("/api/v1/users?site=north");
        // The alarm list is narrowed by ?site=: the site's permission is enough there.
        using var alarms = await manager.GetAsync("/api/v1/alarms?site=north");

        await AssertForbiddenAsync(channels);
        await AssertForbiddenAsync(saveChannel);
        await AssertForbiddenAsync(sources);
        await AssertForbiddenAsync(users);
        Assert.Equal(HttpStatusCode.OK, alarms.StatusCode);
    }

    [Fact]
    public async Task ParkAdministrator_OverviewAndReportsButNotMeterSeries()
    {
        using var park = await UserAsync("park.admin", ("park-administrator", null));

        var figures = await StatusesAsync(park, "/api/v1/sites", "/api/v1/sites/north/overview",
            $"/api/v1/sites/north/reports/energy?period={June}", $"/api/v1/sites/north/reports/carbon?period={June}");
        using var energy = await park.GetAsync($"/api/v1/sites/north/reports/energy?period={June}");
        using var series = await park.GetAsync("/api/v1/sites/north/meters/north.elec/series?grain=hour&from=2025-06-01&to=2025-06-02");
        using var document = await park.GetAsync("/api/v1/sites/north");
        using var nodeSeries = await park.GetAsync("/api/v1/sites/north/nodes/_site/series?grain=day");

        Assert.All(figures, r => Assert.True(r.Value == HttpStatusCode.OK, $"GET {r.Key}: {r.Value}"));
        // One day of the plant: 24 h x 100 kWh = 2,400 kWh of electricity in June.
        Assert.Contains("\"electricity\"", await energy.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertForbiddenAsync(series);
        await AssertForbiddenAsync(document);
        await AssertForbiddenAsync(nodeSeries);
    }

    [Fact]
    public async Task CreateUser_WithoutPassword_GeneratedPasswordReturnedOnceAndItSignsIn()
    {
        using var created = await _admin.PostAsJsonAsync("/api/v1/users",
            new { userName = "chen.new", displayName = "陈工", roles = new[] { new { role = "viewer", site = "north" } } });
        var body = await Http.JsonAsync(created);
        var password = body.GetProperty("generatedPassword").GetString()!;
        using var list = await _admin.GetAsync("/api/v1/users");
        var listed = await list.Content.ReadAsStringAsync();
        using var given = await _admin.PostAsJsonAsync("/api/v1/users", new { userName = "chen.given", password = "a-given-password", roles = new[] { new { role = "viewer" } } });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Matches("^[a-km-zA-HJ-NP-Z2-9]{16}$", password);
        Assert.Equal(("chen.new", "陈工"), (body.GetProperty("user").GetProperty("userName").GetString(), body.GetProperty("user").GetProperty("displayName").GetString()));
        Assert.DoesNotContain(password, listed, StringComparison.Ordinal);
        Assert.DoesNotContain("passwordHash", listed, StringComparison.OrdinalIgnoreCase);
        // A password the administrator chose is not echoed back.
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await Http.JsonAsync(given)).GetProperty("generatedPassword").ValueKind);
        using var user = await Clients.SignInAsync(_factory, "chen.new", password);
        using var me = await user.GetAsync("/api/v1/auth/me");
        var who = await Http.JsonAsync(me);
        Assert.Equal(("chen.new", "陈工"), (who.GetProperty("name").GetString(), who.GetProperty("displayName").GetString()));
    }

    [Theory]
    [InlineData("superuser", null, "roles: 'superuser' is not a role; use one of administrator, energy-manager, carbon-accountant, viewer, park-administrator, ehs-lead, inspector")]
    [InlineData("viewer", "nowhere", "roles: site 'nowhere' does not exist in this tenant")]
    public async Task CreateUser_UnknownRoleOrSite_400NamingTheField(string role, string? site, string expected)
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/users", new { userName = "bad.roles", roles = new[] { new { role, site } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Http.JsonAsync(response)).GetProperty("errors").GetProperty("user").EnumerateArray().Select(e => e.GetString());
        Assert.Equal([expected], errors);
        Assert.Equal(1, await Database.ScalarAsync<long>(_factory.DataDirectory, "SELECT COUNT(*) FROM app_user"));
    }

    [Fact]
    public async Task CreateUser_ShortPasswordAndSpaceInName_400NamingBothFields()
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/users", new { userName = "two words", password = "short", roles = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Http.JsonAsync(response)).GetProperty("errors").GetProperty("user").EnumerateArray().Select(e => e.GetString());
        Assert.Equal(["userName: 1-64 characters without spaces", "password: at least 10 characters"], errors);
    }

    [Theory]
    [InlineData("li.dup")]
    [InlineData("LI.DUP")]
    public async Task CreateUser_NameTaken_409(string second)
    {
        await Clients.CreateUserAsync(_factory, "li.dup", Password, ("viewer", null));

        using var response = await _admin.PostAsJsonAsync("/api/v1/users", new { userName = second, password = Password, roles = new[] { new { role = "viewer" } } });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal($"a user named '{second}' exists already", (await Http.JsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task DisableUser_SignedIn_CookieRefusedOnTheNextRequestAndSignInFails()
    {
        var id = await Clients.CreateUserAsync(_factory, "sun.leaver", Password, ("viewer", null));
        using var user = await Clients.SignInAsync(_factory, "sun.leaver", Password);
        using var before = await user.GetAsync("/api/v1/sites");

        using var disable = await _admin.PutAsJsonAsync($"/api/v1/users/{id}", new { disabled = true });
        using var after = await user.GetAsync("/api/v1/sites");
        using var anon = Clients.Anonymous(_factory);
        using var again = await anon.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName = "sun.leaver", password = Password });

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.True((await Http.JsonAsync(disable)).GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        // The same answer as a wrong password: it does not tell that the account exists.
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Equal(GreenLoop.Server.Api.AuthApi.SignInFailed, (await Http.JsonAsync(again)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ChangeRoles_SignedIn_TakesEffectOnTheNextRequest()
    {
        var id = await Clients.CreateUserAsync(_factory, "he.promoted", Password, ("viewer", null));
        using var user = await Clients.SignInAsync(_factory, "he.promoted", Password);
        using var before = await PutSiteAsync(user, "north");

        using var promote = await _admin.PutAsJsonAsync($"/api/v1/users/{id}", new { roles = new[] { new { role = "energy-manager", site = "north" } } });
        using var after = await PutSiteAsync(user, "north");
        using var otherSite = await PutSiteAsync(user, "south");

        await AssertForbiddenAsync(before);
        Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        await AssertForbiddenAsync(otherSite);
    }

    [Fact]
    public async Task SignOut_Api_CookieNoLongerAccepted()
    {
        using var admin = await Clients.SignInAsync(_factory, TestCredentials.AdminUser, TestCredentials.AdminPassword);

        using var signOut = await admin.PostAsync("/api/v1/auth/sign-out", null);
        using var after = await admin.GetAsync("/api/v1/auth/me");

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }
}
