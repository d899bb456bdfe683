using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GreenLoop.Server.Api;
using GreenLoop.Server.Security;
using GreenLoop.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GreenLoop.Server.Tests;

/// <summary>
/// Sign-in and hardening (issue 6): what an anonymous caller gets, the sign-in cookie and its anti-forgery token,
/// lock-out, password storage, security headers, body size and rate limits, and answers that never show a stack trace
/// (the generated first password of <c>greenloop serve</c>: ServeFirstStartTests in GreenLoop.Cli.Tests).
/// </summary>
public sealed class SecurityTests : IAsyncLifetime
{
    private readonly GreenLoopAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    [Fact]
    public async Task SitesApi_NoCredentials_401ProblemWithReason()
    {
        using var client = Clients.Anonymous(_factory);

        using var response = await client.GetAsync("/api/v1/sites");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Http.JsonAsync(response);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal("Authentication required", problem.GetProperty("title").GetString());
        Assert.Contains("sign in, or present an API key in X-Api-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", "/login?ReturnUrl=%2F")]
    [InlineData("/sites/north/energy", "/login?ReturnUrl=%2Fsites%2Fnorth%2Fenergy")]
    public async Task Page_NoCredentials_RedirectsToLoginWithReturnUrl(string path, string expected)
    {
        using var client = Clients.Anonymous(_factory);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal(expected, location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString);
    }

    [Fact]
    public async Task HealthAndOpenApi_NoCredentials_Answered()
    {
        using var client = Clients.Anonymous(_factory);

        using var health = await client.GetAsync("/health");
        using var openApi = await client.GetAsync("/openapi/v1.json");
        using var login = await client.GetAsync("/login");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", (await Http.JsonAsync(health)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        var document = await Http.JsonAsync(openApi);
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/auth/sign-in", out _));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task SignIn_AdminPassword_CookieSetAndMeNamesTheAdministrator()
    {
        using var client = Clients.Anonymous(_factory);

        using var signIn = await client.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName = TestCredentials.AdminUser, password = TestCredentials.AdminPassword });
        using var me = await client.GetAsync("/api/v1/auth/me");

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("greenloop.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var body = await Http.JsonAsync(me);
        Assert.Equal(("admin", "user"), (body.GetProperty("name").GetString(), body.GetProperty("kind").GetString()));
        Assert.Equal(["administrator"], body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        // The administrator holds every permission for every site of the tenant.
        Assert.Equal(Permissions.All.Select(p => p + "@*").Order(StringComparer.Ordinal),
            body.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CookieApiChange_WithoutOrWithWrongCsrfToken_400AndNothingChanged_WithPageToken_Applied()
    {
        using var client = await Clients.SignInAsync(_factory, TestCredentials.AdminUser, TestCredentials.AdminPassword, csrf: false);

        using var without = await client.PutAsync("/api/v1/sites/csrf", Sites.Document("csrf"));
        using var forged = await Clients.SendAsync(client, HttpMethod.Put, "/api/v1/sites/csrf", Sites.Document("csrf"), csrfToken: "CfDJ8forged");
        using var missing = await client.GetAsync("/api/v1/sites/csrf");
        var token = await Clients.CsrfTokenAsync(client);
        using var withToken = await Clients.SendAsync(client, HttpMethod.Put, "/api/v1/sites/csrf", Sites.Document("csrf"), token);

        foreach (var refused in new[] { without, forged })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await Http.JsonAsync(refused);
            Assert.Equal("Missing or invalid anti-forgery token", problem.GetProperty("title").GetString());
            Assert.Contains("X-CSRF-TOKEN", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        // The site and its one meter.
        Assert.Equal("""{"created":2,"updated":0,"unchanged":0}""", await withToken.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswordsFromOneAddress_ThatAddressLockedOut_SameAnswerAsAWrongPassword_OtherAddressesSignIn()
    {
        using var attacker = Clients.Anonymous(_factory);
        attacker.DefaultRequestHeaders.Add(ClientAddressFilter.Header, "203.0.113.66");
        using var office = Clients.Anonymous(_factory);
        office.DefaultRequestHeaders.Add(ClientAddressFilter.Header, "10.1.2.3");
        using var admin = _factory.CreateClient();

        using var unknown = await SignInAsync(attacker, "nobody-here", "whatever-password");
        var answers = new List<HttpResponseMessage>();
        for (var i = 1; i <= UserService.MaxFailures; i++) answers.Add(await SignInAsync(attacker, TestCredentials.AdminUser, "wrong-password-" + i));
        // Locked out from this address: the right password is refused, with the same answer, and more tries change nothing.
        for (var i = 0; i < 3; i++) answers.Add(await SignInAsync(attacker, TestCredentials.AdminUser, TestCredentials.AdminPassword));
        using var fromOffice = await SignInAsync(office, TestCredentials.AdminUser, TestCredentials.AdminPassword);
        using var audit = await admin.GetAsync("/api/v1/audit");

        var expected = (await Http.JsonAsync(unknown)).GetProperty("detail").GetString();
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        foreach (var answer in answers)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            Assert.Equal(expected, (await Http.JsonAsync(answer)).GetProperty("detail").GetString());
            answer.Dispose();
        }
        Assert.Equal(AuthApi.SignInFailed, expected);
        // The administrator is not locked out from anywhere else.
        Assert.Equal(HttpStatusCode.OK, fromOffice.StatusCode);
        // The lock-out is audited once, when it began, with the address; refused attempts during it add nothing.
        var entries = (await Http.JsonAsync(audit)).EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(1, entries.Count(a => a == "auth.locked-out"));
        var locked = (await Http.JsonAsync(audit)).EnumerateArray().First(e => e.GetProperty("action").GetString() == "auth.locked-out");
        Assert.Equal("203.0.113.66", locked.GetProperty("detail").GetProperty("address").GetString());
    }

    [Fact]
    public async Task LoginForm_FiveWrongPasswordsThenTheRightOne_SameMessageEveryTime_LockOutAuditedOnce()
    {
        using var client = Clients.Anonymous(_factory);
        using var admin = _factory.CreateClient();

        var pages = new List<(HttpStatusCode Status, string Html)>();
        foreach (var password in Enumerable.Range(1, UserService.MaxFailures).Select(i => "wrong-password-" + i).Append(TestCredentials.AdminPassword))
        {
            using var form = await client.GetAsync("/login");
            var token = Regex.Match(await form.Content.ReadAsStringAsync(), "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
            using var post = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = TestCredentials.AdminUser,
                ["Password"] = password,
                ["__RequestVerificationToken"] = token,
            }));
            pages.Add((post.StatusCode, WebUtility.HtmlDecode(await post.Content.ReadAsStringAsync())));
        }
        using var audit = await admin.GetAsync("/api/v1/audit");

        Assert.All(pages, p => Assert.Equal(HttpStatusCode.OK, p.Status));
        Assert.All(pages, p => Assert.Contains("The user name or password is wrong (if your user name is used in several organisations, give your organisation too), or the account is disabled, or too many failed sign-ins from this address locked it for 15 minutes.", p.Html, StringComparison.Ordinal));
        var entry = Assert.Single((await Http.JsonAsync(audit)).EnumerateArray());
        Assert.Equal(("admin", "auth.locked-out", "user:admin"),
            (entry.GetProperty("actor").GetString(), entry.GetProperty("action").GetString(), entry.GetProperty("subject").GetString()));
    }

    [Fact]
    public async Task ChangePassword_Own_WrongCurrentRefused_ThenChanged_OtherSessionsEnd_AuditedWithoutThePasswords()
    {
        await Clients.CreateUserAsync(_factory, "mei.chen", "first-password-1", ("viewer", null));
        using var laptop = await Clients.SignInAsync(_factory, "mei.chen", "first-password-1");
        using var phone = await Clients.SignInAsync(_factory, "mei.chen", "first-password-1");
        using var admin = _factory.CreateClient();

        using var wrong = await laptop.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = "not-it-at-all", newPassword = "second-password-2" });
        using var tooShort = await laptop.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = "first-password-1", newPassword = "short" });
        using var changed = await laptop.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = "first-password-1", newPassword = "second-password-2" });
        using var laptopAfter = await laptop.GetAsync("/api/v1/auth/me");
        using var phoneAfter = await phone.GetAsync("/api/v1/auth/me");
        using var anon = Clients.Anonymous(_factory);
        using var oldPassword = await SignInAsync(anon, "mei.chen", "first-password-1");
        using var newPassword = await SignInAsync(anon, "mei.chen", "second-password-2");
        using var byKey = await admin.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = "x", newPassword = "second-password-2" });
        var audit = await (await admin.GetAsync("/api/v1/audit?limit=50")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("the current password is wrong", (await Http.JsonAsync(wrong)).GetProperty("errors").GetProperty("currentPassword")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.True((await Http.JsonAsync(tooShort)).GetProperty("errors").TryGetProperty("newPassword", out _));
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        // The session that changed it goes on; the other one has ended.
        Assert.Equal(HttpStatusCode.OK, laptopAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, phoneAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byKey.StatusCode);
        Assert.Contains("auth.password-changed", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("second-password-2", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("first-password-1", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_ACookieCopiedBefore_NoLongerWorks()
    {
        // Sign in without a cookie jar, keeping the session cookie as someone who copied it would.
        using var bare = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        bare.DefaultRequestHeaders.Remove("X-Api-Key");
        using var signIn = await SignInAsync(bare, TestCredentials.AdminUser, TestCredentials.AdminPassword);
        var cookie = string.Join("; ", signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        HttpRequestMessage Me() => new(HttpMethod.Get, "/api/v1/auth/me") { Headers = { { "Cookie", cookie } } };
        using var before = await bare.SendAsync(Me());
        // The same browser signs out (its own cookie jar, its page's anti-forgery token).
        using var user = await Clients.SignInAsync(_factory, TestCredentials.AdminUser, TestCredentials.AdminPassword);
        using var signOut = await user.PostAsync("/api/v1/auth/sign-out", null);
        using var after = await bare.SendAsync(Me());
        using var userAfter = await user.GetAsync("/api/v1/auth/me");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        // Server-side revocation: every session of the user that began before the sign-out is over, copies included.
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, userAfter.StatusCode);
    }

    [Fact]
    public async Task Session_OlderThanTheAbsoluteLifetime_Refused_HoweverActive()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var timed = _factory.WithWebHostBuilder(b => b.ConfigureServices(services => services.AddSingleton<TimeProvider>(clock)));
        using var client = Clients.Anonymous(timed);
        using var signIn = await SignInAsync(client, TestCredentials.AdminUser, TestCredentials.AdminPassword);
        var statuses = new List<HttpStatusCode>();
        // Active every 2 hours (inside the 8-hour idle limit) for 14 hours: the 12-hour absolute limit ends it.
        for (var hours = 2; hours <= 14; hours += 2)
        {
            clock.Advance(TimeSpan.FromHours(2));
            using var me = await client.GetAsync("/api/v1/auth/me");
            statuses.Add(me.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized], statuses);
    }

    [Fact]
    public async Task SignIn_UnknownUserOrWrongPassword_SameAnswer()
    {
        using var client = Clients.Anonymous(_factory);

        using var unknown = await SignInAsync(client, "nobody-here", TestCredentials.AdminPassword);
        using var wrong = await SignInAsync(client, TestCredentials.AdminUser, "not-the-password");

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var a = await Http.JsonAsync(unknown);
        var b = await Http.JsonAsync(wrong);
        Assert.Equal((a.GetProperty("title").GetString(), a.GetProperty("detail").GetString()), (b.GetProperty("title").GetString(), b.GetProperty("detail").GetString()));
        Assert.Equal(AuthApi.SignInFailed, a.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AdminPassword_Stored_AsIdentityV3Pbkdf2HashOfThePassword()
    {
        using var client = _factory.CreateClient();
        using var health = await client.GetAsync("/health");

        var stored = await Database.ScalarAsync<string>(_factory.DataDirectory, "SELECT password_hash FROM app_user WHERE user_name = 'admin'");

        Assert.DoesNotContain(TestCredentials.AdminPassword, stored, StringComparison.Ordinal);
        var bytes = Convert.FromBase64String(stored);
        // ASP.NET Core Identity's v3 format: 0x01 | PRF (UInt32 big-endian, 2 = HMAC-SHA512) | iterations (100,000) |
        // salt length (16) | salt | 32-byte PBKDF2 subkey: 1 + 4 + 4 + 4 + 16 + 32 = 61 bytes.
        Assert.Equal(0x01, bytes[0]);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)));
        Assert.Equal(100_000u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)));
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9)));
        Assert.Equal(61, bytes.Length);
        // The subkey is PBKDF2 of this very password with the stored salt, worked out here independently of Identity.
        var subkey = Rfc2898DeriveBytes.Pbkdf2(TestCredentials.AdminPassword, bytes.AsSpan(13, 16), 100_000, HashAlgorithmName.SHA512, 32);
        Assert.Equal(bytes[29..], subkey);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/login")]
    [InlineData("/api/v1/sites")]
    [InlineData("/css/site.css")]
    public async Task Response_AnyPath_CarriesSecurityHeaders(string path)
    {
        using var client = Clients.Anonymous(_factory);

        using var response = await client.GetAsync(path);

        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["DENY"], response.Headers.GetValues("X-Frame-Options"));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestBody_LargerThanMaxRequestMegabytes_413WithReason()
    {
        await using var limited = _factory.WithWebHostBuilder(b => b.UseSetting("GreenLoop:Security:MaxRequestMegabytes", "1"));
        using var client = limited.CreateClient();
        // 1 MB = 1,048,576 bytes: a site document padded with spaces to just under it is applied, one over it is not.
        var under = Sites.Padded("big", 1_048_576 - 1_000);
        var over = Sites.Padded("big", 1_048_576 + 1_000);
        var readings = """{"readings":[]""" + new string(' ', 1_048_576 + 1_000) + "}";

        using var small = await client.PutAsync("/api/v1/sites/big", new StringContent(under, Encoding.UTF8, "application/json"));
        using var large = await client.PutAsync("/api/v1/sites/big", new StringContent(over, Encoding.UTF8, "application/json"));
        using var ingest = await client.PostAsync("/api/v1/readings", new StringContent(readings, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        foreach (var refused in new[] { large, ingest })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
            var problem = await Http.JsonAsync(refused);
            Assert.Contains("GreenLoop:Security:MaxRequestMegabytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SignIn_FourthAttemptWithinAMinute_429WithRetryAfter()
    {
        await using var limited = _factory.WithWebHostBuilder(b => b.UseSetting("GreenLoop:Security:SignInPerMinute", "3"));
        using var client = limited.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Remove("X-Api-Key");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var attempt = await SignInAsync(client, "nobody-" + i, "not-a-password");
            answers.Add(attempt.StatusCode);
        }
        // The fourth carries the right password: the limit comes before the password is looked at.
        using var fourth = await SignInAsync(client, TestCredentials.AdminUser, TestCredentials.AdminPassword);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], answers);
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        var retryAfter = int.Parse(Assert.Single(fourth.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("Too many requests", (await Http.JsonAsync(fourth)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Ingest_BurstOfTwoAtOnePerSecond_ThirdRapidRequest429()
    {
        await using var limited = _factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("GreenLoop:Security:IngestPerSecond", "1");
            b.UseSetting("GreenLoop:Security:IngestBurst", "2");
        });
        using var client = limited.CreateClient();

        var statuses = new List<HttpStatusCode>();
        var clock = Stopwatch.StartNew();
        TimeSpan elapsedAtFirst429 = default;
        string? retryAfter = null;
        while (statuses.Count < 10)
        {
            using var response = await client.PostAsync("/api/v1/readings", new StringContent("""{"readings":[]}""", Encoding.UTF8, "application/json"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                elapsedAtFirst429 = clock.Elapsed;
                retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null;
                break;
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.NotNull(retryAfter);
        var accepted = statuses.Count - 1;
        Assert.All(statuses[..^1], s => Assert.Equal(HttpStatusCode.OK, s));
        // The bucket holds 2 and refills 1 a second: the first two always pass; on a loaded machine each full second
        // that went by may let one more through, never more.
        Assert.InRange(accepted, 2, 2 + (int)Math.Floor(elapsedAtFirst429.TotalSeconds));
        if (elapsedAtFirst429 < TimeSpan.FromSeconds(1)) Assert.Equal(3, statuses.Count);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task HandlerException_Provoked500_ProblemWithoutStackTrace(string environment)
    {
        var errors = new List<string>();
        await using (var factory = new GreenLoopAppFactory())
        {
            await using var app = factory.WithWebHostBuilder(b => b.UseEnvironment(environment));
            using var client = app.CreateClient();
            using (var put = await client.PutAsync("/api/v1/sites/broken", Sites.Document("broken")))
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            // A site document damaged in the database: reading it back throws inside the handler.
            await Database.ExecuteAsync(factory.DataDirectory, "UPDATE site SET definition = '{\"key\": truncated' WHERE key = 'broken'");

            using var response = await client.GetAsync("/api/v1/sites/broken");
            using var notFound = await client.GetAsync("/api/v1/sites/nowhere/meters/x/series");

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(500, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
            AssertNoInternals(text);
            AssertNoInternals(await notFound.Content.ReadAsStringAsync());
            errors.AddRange(factory.ErrorLogs.Errors);
        }
        // The exception is logged for the operator (with its stack trace), not shown to the caller.
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Contains("JsonException", e, StringComparison.Ordinal));
    }

    /// <summary>No stack frame ("   at Namespace.Type.Method"), exception type or source path in an answer.</summary>
    internal static void AssertNoInternals(string body)
    {
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", body, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password) =>
        client.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName = user, password });
}
