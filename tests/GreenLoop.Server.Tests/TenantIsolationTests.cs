using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using GreenLoop.Server.Tests.Isolation;
using GreenLoop.Testing;
using Xunit.Abstractions;
using static GreenLoop.Server.Tests.Isolation.IsolationPlant;

namespace GreenLoop.Server.Tests;

/// <summary>
/// Tenant isolation (issue 6): tenant B's administrator and B's key walk every API route and every page with tenant A's
/// keys and ids and with guessed ids, and get nothing of A's; B's live stream, alarms and notification channels stay
/// B's even where B uses A's site, meter and channel keys. See <see cref="IsolationPlant"/> for the two tenants.
/// </summary>
public sealed class TenantIsolationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(30);

    private IsolationPlant _plant = null!;

    public async Task InitializeAsync() => _plant = await IsolationPlant.StartAsync();

    public async Task DisposeAsync()
    {
        if (_plant is null) return; // the set-up failed, and said why
        var errors = _plant.Factory.ErrorLogs.Errors;
        await _plant.DisposeAsync();
        Assert.Empty(errors);
    }

    private IReadOnlyList<AppRoute> Routes(bool api) =>
        [.. AppRoutes.All(_plant.Factory.Services).Where(r => r.IsApi == api && (api || IsPage(r)))];

    private static bool IsPage(AppRoute r) =>
        r.Method == "GET" && r.Pattern != "/health" && !r.Pattern.StartsWith("/openapi", StringComparison.Ordinal);

    private static void AssertNoTenantAText(string text, string what)
    {
        foreach (var token in ATokens)
            Assert.False(text.Contains(token, StringComparison.Ordinal), $"{what} shows tenant A's '{token}': {text}");
    }

    [Fact]
    public async Task EveryApiRoute_AsTenantBUserAndKeyWithTenantAKeysAndGuessedIds_AnswersNothingOfTenantAAndChangesNothingOfIt()
    {
        var routes = Routes(api: true);
        var (uncovered, stale) = ApiWalk.Coverage(routes);
        Assert.True(uncovered.Count == 0, "API routes without a case in Isolation/ApiRouteCases.cs (add one): " + string.Join(", ", uncovered));
        Assert.True(stale.Count == 0, "cases in Isolation/ApiRouteCases.cs for routes the app does not map: " + string.Join(", ", stale));
        var before = await TenantASnapshot.TakeAsync(_plant);

        var walk = new ApiWalk(_plant);
        await walk.RunAsync(routes, [_plant.BUser, _plant.BKey]);
        foreach (var line in walk.Summary()) output.WriteLine(line);

        Assert.True(walk.Failures.Count == 0,
            $"{walk.Failures.Count} problems in {walk.Calls.Count} calls:\n" + string.Join("\n", walk.Failures.Take(60)));
        // The walk reached B's own objects under A's keys, and was refused A's objects.
        var a = _plant.AObjects;
        Assert.Equal(200, walk.StatusOf(_plant.BUser.Name, "GET", $"/api/v1/sites/{Shared}"));
        Assert.Equal(200, walk.StatusOf(_plant.BKey.Name, "GET", $"/api/v1/sites/{Shared}/meters/{SharedMain}/series"));
        Assert.Equal(201, walk.StatusOf(_plant.BUser.Name, "POST", "/api/v1/manual-entries"));
        Assert.Equal(404, walk.StatusOf(_plant.BUser.Name, "GET", $"/api/v1/alarms/{a.AlarmId}"));
        Assert.Equal(404, walk.StatusOf(_plant.BUser.Name, "POST", $"/api/v1/imports/{a.ImportId}/commit"));
        Assert.Equal(404, walk.StatusOf(_plant.BUser.Name, "PUT", $"/api/v1/users/{a.UserIds[^1]}"));
        Assert.Equal(403, walk.StatusOf(_plant.BKey.Name, "GET", "/api/v1/users"));
        // A data source of B's that names A's ingest key is refused: the key is not B's.
        Assert.Equal(400, walk.StatusOf(_plant.BUser.Name, "PUT", $"/api/v1/data-sources/{SharedSource}"));
        foreach (var identity in new[] { _plant.BUser, _plant.BKey })
            Assert.Equal(_plant.TenantB, (await identity.GetJsonAsync("/api/v1/auth/me")).GetProperty("tenant").GetInt64());
        // No tenant identity may administer tenants (B's administrator would disable A's tenant): every platform call refused.
        foreach (var identity in new[] { _plant.BUser, _plant.BKey })
        {
            Assert.Equal(403, walk.StatusOf(identity.Name, "PUT", "/api/v1/platform/tenants/default"));
            Assert.Equal(403, walk.StatusOf(identity.Name, "GET", "/api/v1/platform/tenants"));
        }

        var after = await TenantASnapshot.TakeAsync(_plant);
        Assert.Equal(before.Select(s => s.What), after.Select(s => s.What));
        foreach (var (was, now) in before.Zip(after))
            Assert.True(was.Json == now.Json, $"tenant A's {was.What} changed during tenant B's walk:\nbefore {was.Json}\nafter  {now.Json}");
    }

    [Fact]
    public async Task SharedKeys_TenantBReadsSiteMetersRuleChannelSourceAndAudit_SeesOnlyItsOwn()
    {
        var user = _plant.BUser;
        var local = _plant.Quarter.ToOffset(TimeSpan.FromHours(8));
        var range = string.Create(CultureInfo.InvariantCulture, $"from={local.AddDays(-1):yyyy-MM-dd}&to={local.AddDays(2):yyyy-MM-dd}");

        var site = await user.GetJsonAsync($"/api/v1/sites/{Shared}");
        var series = await _plant.BKey.GetJsonAsync($"/api/v1/sites/{Shared}/meters/{SharedMain}/series?grain=15m&{range}");
        var balance = await _plant.BKey.GetJsonAsync($"/api/v1/sites/{Shared}/meters/{SharedMain}/balance?grain=hour&{range}");
        var rule = await user.GetJsonAsync($"/api/v1/sites/{Shared}/alarm-rules/{RuleKey}");
        var channels = await user.GetJsonAsync("/api/v1/notification-channels");
        var source = await user.GetJsonAsync($"/api/v1/data-sources/{SharedSource}");

        Assert.Equal("B-only Shared Plant", site.GetProperty("name").GetString());
        // B's only reading: 12.5 kWh half an hour before A's 987,654.321 in the same meter key.
        Assert.Equal([BValue], series.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()));
        Assert.Equal([(BValue, BValue)], balance.GetProperty("points").EnumerateArray()
            .Select(p => (p.GetProperty("parent").GetDouble(), p.GetProperty("children").GetDouble())));
        Assert.Equal("B-only quarter limit", rule.GetProperty("rule").GetProperty("name").GetString());
        Assert.Equal("B-only channel", Assert.Single(channels.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("B-only-client", source.GetProperty("settings").GetProperty("clientId").GetString());
        using (var borrowed = await user.PutJsonAsync("/api/v1/data-sources/b-probe", ModbusSourceJson(15999, _plant.AGatewayKeyId)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, borrowed.StatusCode);
            Assert.Contains($"API key {_plant.AGatewayKeyId} does not exist in this tenant", await borrowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Empty((await user.GetJsonAsync($"/api/v1/alarms?site={Shared}")).EnumerateArray());
        Assert.Empty((await user.GetJsonAsync("/api/v1/notification-deliveries")).EnumerateArray());
        Assert.Empty((await user.GetJsonAsync("/api/v1/manual-entries")).EnumerateArray());
        Assert.Equal(0, (await user.GetJsonAsync("/api/v1/quarantine")).GetProperty("total").GetInt32());
        Assert.Equal([BUserName], (await user.GetJsonAsync("/api/v1/users")).EnumerateArray().Select(u => u.GetProperty("userName").GetString()));
        Assert.Equal(["B-only-integration"], (await user.GetJsonAsync("/api/v1/api-keys")).EnumerateArray().Select(k => k.GetProperty("name").GetString()));

        // B's audit trail: B's sign-in and B's changes (all by B's administrator), none of A's entries. Each tenant has
        // its own hash chain, numbered from 1: B's check walks only B's entries.
        var audit = (await user.GetJsonAsync("/api/v1/audit?limit=1000")).EnumerateArray().ToList();
        var verify = await user.GetJsonAsync("/api/v1/audit/verify");
        Assert.NotEmpty(audit);
        Assert.All(audit, e => Assert.Equal(BUserName, e.GetProperty("actor").GetString()));
        var aHashes = (await _plant.AGetAsync("/api/v1/audit?limit=1000")).EnumerateArray().Select(e => e.GetProperty("hash").GetString()).ToList();
        Assert.NotEmpty(aHashes);
        Assert.Empty(audit.Select(e => e.GetProperty("hash").GetString()).Intersect(aHashes));
        Assert.Equal(audit.Count, verify.GetProperty("entries").GetInt64());
        Assert.True(verify.GetProperty("intact").GetBoolean());
        AssertNoTenantAText(verify.GetRawText(), "tenant B's audit check");
    }

    [Fact]
    public async Task EveryPage_AsTenantBUser_ShowsNothingOfTenantA()
    {
        var pages = Routes(api: false);
        Assert.Contains(pages, p => p.Pattern == "/import");
        Assert.Contains(pages, p => p.Pattern == "/manual-entry");
        Assert.Contains(pages, p => p.Pattern == "/checklist-templates");
        Assert.Contains(pages, p => p.Pattern == "/energy-flow");
        Assert.Contains(pages, p => p.Pattern == "/balance");
        Assert.Contains(pages, p => p.Pattern == "/inspections");
        Assert.Contains(pages, p => p.Pattern == "/cost");

        foreach (var page in pages)
        {
            foreach (var url in PageUrls(page))
            {
                using var response = await _plant.BUser.GetAsync(url);
                var html = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Found, $"GET {url} as tenant B: {(int)response.StatusCode}");
                AssertNoTenantAText(html + response.Headers.Location, $"page {url} as tenant B");
            }
        }

        // The data-entry pages embed the tenant's meters: B's, under the same keys as A's.
        foreach (var url in new[] { $"/import?site={Shared}", $"/manual-entry?site={Shared}" })
        {
            using var response = await _plant.BUser.GetAsync(url);
            Assert.Contains("B-only main incomer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    /// <summary>A page's URLs: each route value (A's site and meter keys), with and without <c>?site=</c>.</summary>
    private static IEnumerable<string> PageUrls(AppRoute page)
    {
        var values = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["site"] = [Shared, Alpha],
            ["meter"] = [SharedMain, AlphaGas],
            ["code"] = ["en"],
        };
        IEnumerable<Dictionary<string, string>> combinations = [new(StringComparer.Ordinal)];
        foreach (var p in page.Parameters)
        {
            Assert.True(values.ContainsKey(p), $"page {page.Pattern}: no values for its parameter '{p}' (add them to PageUrls)");
            combinations = combinations.SelectMany(c => values[p].Select(v => new Dictionary<string, string>(c, StringComparer.Ordinal) { [p] = v }));
        }
        foreach (var c in combinations)
        {
            var path = page.Fill(c);
            yield return path;
            if (page.Parameters.Count == 0)
            {
                yield return $"{path}?site={Shared}";
                yield return $"{path}?site={Alpha}";
            }
        }
    }

    [Fact]
    public async Task EveryApiRouteAndPage_Unauthenticated_Answers401OrRedirectsToSignIn()
    {
        using var anonymous = TenantClient.Anonymous(_plant.Factory);
        var calls = 0;

        foreach (var route in Routes(api: true).Where(r => r.Name != "POST /api/v1/auth/sign-in"))
        {
            var values = route.Parameters.ToDictionary(p => p, p => ApiRouteCases.Values(route, p, _plant)![0].Value, StringComparer.Ordinal);
            var @case = ApiRouteCases.All[route.Name];
            var url = route.Fill(values);
            using var response = await anonymous.SendAsync(new HttpMethod(route.Method), url, @case.Body?.Invoke(new CaseInput(_plant, values, 0)));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route.Method} {url} without sign-in or key: {(int)response.StatusCode} {body}");
            AssertNoTenantAText(body, $"{route.Method} {url} without sign-in");
            calls++;
        }
        foreach (var page in Routes(api: false))
        {
            var url = PageUrls(page).First();
            using var response = await anonymous.GetAsync(url);
            if (page.Pattern == "/login")
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                continue;
            }
            if (page.Pattern == "/lang/{code}")
            {
                // The language switch is open (the sign-in page offers it): it only sets a cookie and goes back.
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(GreenLoop.Server.Web.UiLanguage.CookieName + "=", StringComparison.Ordinal));
                continue;
            }
            Assert.True(response.StatusCode == HttpStatusCode.Found, $"page {url} without sign-in: {(int)response.StatusCode}");
            Assert.Equal("/login", response.Headers.Location is { } location ? new Uri(new Uri("http://localhost"), location).AbsolutePath : null);
            calls++;
        }
        Assert.True(calls > 60, $"only {calls} routes walked");
    }

    [Fact]
    public async Task LiveStream_TenantBOnSharedSiteKey_CarriesNoEventOfTenantA()
    {
        var aTs = _plant.Quarter.AddHours(-6);
        var bTs = _plant.Quarter.AddHours(-3);
        using var cts = new CancellationTokenSource(_timeout);
        using var stream = await _plant.BKey.SendAsync(HttpMethod.Get, $"/api/v1/sites/{Shared}/live", completion: HttpCompletionOption.ResponseHeadersRead, ct: cts.Token);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(cts.Token), Encoding.UTF8);
        Assert.Equal("retry: 3000", await reader.ReadLineAsync(cts.Token));

        // A's data of the same site and meter keys is derived first; then B's. A leak would arrive first.
        using (var posted = await _plant.A.PostAsync("/api/v1/readings", new StringContent(ReadingsJson((SharedMain, aTs, 5)), Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        await Http.WaitForDerivationAsync(_plant.A, _timeout);
        using (var posted = await _plant.BKey.PostJsonAsync("/api/v1/readings", ReadingsJson((SharedMain, bTs, 7))))
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        var (derived, before) = await NextEventAsync(reader, "derived", cts.Token);
        Assert.Empty(before);
        Assert.Equal([SharedMain], derived.GetProperty("meters").EnumerateArray().Select(m => m.GetString()));
        var from = DateTimeOffset.Parse(derived.GetProperty("from").GetString()!, CultureInfo.InvariantCulture);
        var to = DateTimeOffset.Parse(derived.GetProperty("to").GetString()!, CultureInfo.InvariantCulture);
        // B's quarter ends at bTs; A's quarter [aTs - 15 min, aTs] is three hours earlier and must not be in B's span.
        Assert.True(from < bTs && to >= bTs, $"B's event spans {from:O}..{to:O}, not B's quarter ending {bTs:O}");
        Assert.True(to <= aTs.AddMinutes(-15) || from >= aTs, $"B's event spans {from:O}..{to:O}, which includes A's quarter ending {aTs:O}");
    }

    /// <summary>The data of the next event named <paramref name="name"/>, and the events that came before it.</summary>
    private static async Task<(JsonElement Data, List<string> Before)> NextEventAsync(StreamReader reader, string name, CancellationToken ct)
    {
        var before = new List<string>();
        string? current = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) current = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var data = line["data: ".Length..];
                AssertNoTenantAText(data, "tenant B's live stream");
                if (current == name) return (JsonDocument.Parse(data).RootElement.Clone(), before);
                before.Add($"{current}: {data}");
            }
            else if (line.Length == 0) current = null;
        }
        Assert.Fail($"the stream ended before an '{name}' event");
        return default;
    }

    [Fact]
    public async Task AlarmAndTestMessage_TenantBChannelKeyAlsoTenantAs_DeliveredAndLoggedOnlyForTenantB()
    {
        // 5,000 kWh in the quarter that ended last against B's limit of 100: B's rule notifies "ops", which must be
        // B's channel of that key (its hook is tagged B-only), never A's.
        using (var posted = await _plant.BKey.PostJsonAsync("/api/v1/readings", ReadingsJson((SharedMain, _plant.Quarter, 5000))))
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        var raised = await _plant.Hooks.WaitForAsync(r => r.Body.Contains("B-only quarter limit", StringComparison.Ordinal), _timeout, "about tenant B's alarm");
        Assert.Equal("B-only", raised.Tag);
        var alarm = Assert.Single((await _plant.BUser.GetJsonAsync($"/api/v1/alarms?site={Shared}")).EnumerateArray());
        var alarmId = alarm.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        var bLog = await WaitForLogAsync(_plant.BUser, log => log.Any(d => d.GetProperty("alarmId").GetString() == alarmId));

        using (var test = await _plant.BUser.PostJsonAsync($"/api/v1/notification-channels/{ChannelKey}/test", null))
            Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        await _plant.Hooks.WaitForAsync(r => r.Tag == "B-only" && r.Body.Contains("B-only channel", StringComparison.Ordinal), _timeout, "with tenant B's test message");
        bLog = await WaitForLogAsync(_plant.BUser, log => log.Count == bLog.Count + 1);

        Assert.All(bLog, d => Assert.Equal(ChannelKey, d.GetProperty("channel").GetString()));
        Assert.DoesNotContain(_plant.Hooks.Bodies("A-only"), b => b.Contains("B-only", StringComparison.Ordinal));
        var aLog = await _plant.AGetAsync("/api/v1/notification-deliveries");
        Assert.Equal(_plant.AObjects.DeliveryIds, IsolationPlant.Ids(aLog, "id"));
        Assert.Empty(bLog.Select(d => d.GetProperty("id").GetInt64()).Intersect(_plant.AObjects.DeliveryIds));
    }

    private static Task<List<JsonElement>> WaitForLogAsync(TenantClient client, Func<List<JsonElement>, bool> done) =>
        Wait.ForAsync(async () => (await client.GetJsonAsync("/api/v1/notification-deliveries")).EnumerateArray().ToList(), done,
            log => $"{client.Name}'s delivery log to be complete; it holds [{string.Join(", ", log)}]", _timeout, TimeSpan.FromMilliseconds(50));
}
