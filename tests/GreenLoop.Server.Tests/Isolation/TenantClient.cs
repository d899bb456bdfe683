using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using GreenLoop.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GreenLoop.Server.Tests.Isolation;

/// <summary>
/// A client acting as one identity: a user signed in with the cookie (whose unsafe API calls carry the page's
/// anti-forgery token in X-CSRF-TOKEN, as the pages' scripts send it), an API key, or nobody.
/// </summary>
internal sealed partial class TenantClient : IDisposable
{
    private readonly string? _userName;
    private readonly string? _password;

    private TenantClient(string name, HttpClient http, string? userName = null, string? password = null)
    {
        Name = name;
        Http = http;
        _userName = userName;
        _password = password;
    }

    public string Name { get; }

    public HttpClient Http { get; }

    /// <summary>The anti-forgery request token of the signed-in session (null for keys and anonymous clients).</summary>
    public string? Csrf { get; private set; }

    public bool IsCookie => _userName is not null;

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfMeta();

    private static HttpClient NewHttp(GreenLoopAppFactory factory)
    {
        var http = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        http.DefaultRequestHeaders.Remove("X-Api-Key");
        return http;
    }

    /// <summary>A browser-like client signed in as <paramref name="userName"/>, with the anti-forgery token of a page.</summary>
    public static async Task<TenantClient> SignInAsync(GreenLoopAppFactory factory, string name, string userName, string password)
    {
        var client = new TenantClient(name, NewHttp(factory), userName, password);
        await client.SignInAgainAsync();
        return client;
    }

    /// <summary>A client presenting <paramref name="key"/> in X-Api-Key.</summary>
    public static TenantClient WithKey(GreenLoopAppFactory factory, string name, string key)
    {
        var http = NewHttp(factory);
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return new TenantClient(name, http);
    }

    /// <summary>A client with neither cookie nor key.</summary>
    public static TenantClient Anonymous(GreenLoopAppFactory factory) => new("anonymous", NewHttp(factory));

    /// <summary>Signs in (again: after a sign-out) and reads a fresh anti-forgery token from a page.</summary>
    public async Task SignInAgainAsync()
    {
        // Signed in already (the walk signs in again after its own sign-in call): the call then carries the token too.
        using var signIn = await SendAsync(HttpMethod.Post, "/api/v1/auth/sign-in", JsonContent.Create(new { userName = _userName, password = _password }));
        Assert.True(signIn.StatusCode == HttpStatusCode.OK, $"sign-in of {_userName}: {(int)signIn.StatusCode} {await signIn.Content.ReadAsStringAsync()}");
        using var page = await Http.GetAsync("/data-sources");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET /data-sources after sign-in: {(int)page.StatusCode}");
        var match = CsrfMeta().Match(html);
        Assert.True(match.Success, "the page carries no csrf-token meta element");
        Csrf = WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, HttpContent? content = null,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        if (Csrf is not null && method != HttpMethod.Get && method != HttpMethod.Head) request.Headers.Add("X-CSRF-TOKEN", Csrf);
        return await Http.SendAsync(request, completion, ct);
    }

    public Task<HttpResponseMessage> GetAsync(string url) => SendAsync(HttpMethod.Get, url);

    public Task<HttpResponseMessage> PutJsonAsync(string url, string json) =>
        SendAsync(HttpMethod.Put, url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PostJsonAsync(string url, string? json) =>
        SendAsync(HttpMethod.Post, url, json is null ? null : new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>GET that must answer 200; the body as JSON.</summary>
    public async Task<System.Text.Json.JsonElement> GetJsonAsync(string url)
    {
        using var response = await GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{Name}: GET {url}: {(int)response.StatusCode} {text}");
        return System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => Http.Dispose();
}
