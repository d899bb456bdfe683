using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GreenLoop.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GreenLoop.Server.Tests;

/// <summary>Clients of the in-memory server: anonymous, or signed in with the cookie and the pages' anti-forgery token.</summary>
internal static partial class Clients
{
    public const string CsrfHeader = "X-CSRF-TOKEN";

    /// <summary>A client without the factory's API key, keeping cookies and not following redirects.</summary>
    public static HttpClient Anonymous(WebApplicationFactory<Program> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Remove("X-Api-Key");
        return client;
    }

    /// <summary>Signs in through <c>POST /api/v1/auth/sign-in</c>; with <paramref name="csrf"/>, every request then carries the page's token.</summary>
    public static async Task<HttpClient> SignInAsync(WebApplicationFactory<Program> factory, string user, string password, bool csrf = true)
    {
        var client = Anonymous(factory);
        using var response = await client.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName = user, password });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"sign-in of '{user}': {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (csrf) client.DefaultRequestHeaders.Add(CsrfHeader, await CsrfTokenAsync(client));
        return client;
    }

    /// <summary>The anti-forgery token a page gives its scripts (<c>&lt;meta name="csrf-token"&gt;</c>), read from the overview page.</summary>
    public static async Task<string> CsrfTokenAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var page = await client.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET /: {(int)page.StatusCode}");
        var match = CsrfMeta().Match(html);
        Assert.True(match.Success, "the page has no csrf-token meta element");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, HttpContent? content, string? csrfToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(method, url) { Content = content };
        if (csrfToken is not null) request.Headers.Add(CsrfHeader, csrfToken);
        return await client.SendAsync(request);
    }

    /// <summary>Creates a user through the users API with the factory's administrator key; returns its id.</summary>
    public static async Task<long> CreateUserAsync(WebApplicationFactory<Program> factory, string user, string password, params (string Role, string? Site)[] roles)
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var admin = factory.CreateClient();
        using var response = await admin.PostAsJsonAsync("/api/v1/users",
            new { userName = user, password, roles = roles.Select(r => new { role = r.Role, site = r.Site }) });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create user '{user}': {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await Http.JsonAsync(response)).GetProperty("user").GetProperty("id").GetInt64();
    }

    [GeneratedRegex("""<meta name="csrf-token" content="([^"]+)">""")]
    private static partial Regex CsrfMeta();
}

/// <summary>Small site documents for the security tests: one interval meter <c>{key}.main</c> (15 min, kWh).</summary>
internal static class Sites
{
    public static string Json(string key) => $$"""
        {"key":"{{key}}","name":"Site {{key}}","timeZone":"Asia/Shanghai",
         "meters":[{"key":"{{key}}.main","name":"Main incomer","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"}]}
        """;

    public static StringContent Document(string key) => new(Json(key), Encoding.UTF8, "application/json");

    /// <summary>The document padded with spaces to exactly <paramref name="bytes"/> bytes of UTF-8.</summary>
    public static string Padded(string key, int bytes)
    {
        var json = Json(key);
        return json + new string(' ', bytes - Encoding.UTF8.GetByteCount(json));
    }

    /// <summary>A JSON batch of readings (meter, ts with offset, value).</summary>
    public static StringContent Readings(params (string Meter, string Ts, double Value)[] readings) =>
        new(JsonSerializer.Serialize(new { readings = readings.Select(r => new { meter = r.Meter, ts = r.Ts, value = r.Value }) }), Encoding.UTF8, "application/json");
}
