using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace GreenLoop.Server.Tests;

/// <summary>Malformed input answered 400 with the field it concerns, never 500 (issue 12, item 12).</summary>
public sealed class MalformedInputTests : IAsyncLifetime
{
    private const string SiteJson = """
        {"key":"mal","name":"Malformed plant","timeZone":"Asia/Shanghai",
         "meters":[{"key":"mal.m","name":"Main","carrier":"electricity","unit":"kWh","kind":"Cumulative"}]}
        """;

    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        (await PutSiteAsync(SiteJson)).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    private Task<HttpResponseMessage> PutSiteAsync(string json) =>
        _client.PutAsync("/api/v1/sites/mal", new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<Dictionary<string, string>> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value[0].GetString()!);
    }

    public static TheoryData<string, string, string, string> SiteDocuments => new()
    {
        // name, what replaces what in the document, the path answered, part of the reason
        { "nodes null", "\"meters\":", "nodes", "not null" },
        { "nodes [null]", "\"meters\":", "nodes[0]", "must be a node object, not null" },
        { "meters [null, …]", "\"meters\":[", "meters[0]", "must be a meter object, not null" },
        { "unit a number", "\"unit\":\"kWh\"", "meters[0].unit", "expected text (a JSON string)" },
        { "intervalMinutes text", "\"kind\":\"Cumulative\"", "meters[0].intervalMinutes", "expected a whole number" },
        { "name 5000 characters", "\"name\":\"Main\"", "meters[0].name", "at most 200" },
        { "control character", "\"name\":\"Main\"", "meters[0].name", "control character U+0007" },
        { "event without offset", "]}", "events[0].ts", "has no UTC offset" },
    };

    [Theory]
    [MemberData(nameof(SiteDocuments))]
    public async Task SiteDocument_Malformed_400WithThePath_NothingApplied(string name, string find, string path, string reason)
    {
        var replacement = name switch
        {
            "nodes null" => "\"nodes\":null,\"meters\":",
            "nodes [null]" => "\"nodes\":[null],\"meters\":",
            "meters [null, …]" => "\"meters\":[null,",
            "unit a number" => "\"unit\":5",
            "intervalMinutes text" => "\"kind\":\"Cumulative\",\"intervalMinutes\":\"fifteen\"",
            "name 5000 characters" => $"\"name\":\"{new string('x', 5000)}\"",
            "control character" => "\"name\":\"Main\\u0007\"",
            _ => "],\"events\":[{\"meter\":\"mal.m\",\"kind\":\"Reset\",\"ts\":\"2026-03-01T08:00:00\"}]}",
        };

        var errors = await ErrorsAsync(await PutSiteAsync(SiteJson.Replace(find, replacement, StringComparison.Ordinal)));

        Assert.True(errors.ContainsKey(path), $"{name}: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}"))}");
        Assert.Contains(reason, errors[path], StringComparison.Ordinal);
        var stored = await _client.GetFromJsonAsync<JsonElement>("/api/v1/sites/mal");
        Assert.Equal("Main", stored.GetProperty("meters")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task SiteDocument_InvalidUtf8InAString_400NamingTheField()
    {
        var bytes = Encoding.UTF8.GetBytes(SiteJson.Replace("\"name\":\"Malformed plant\"", "\"name\":\"Mal\u00FFformed\"", StringComparison.Ordinal)).ToList();
        // Replace the UTF-8 of U+00FF (C3 BF) by C3 28: a lead byte without its continuation.
        var at = bytes.IndexOf(0xC3);
        bytes[at + 1] = 0x28;
        using var content = new ByteArrayContent([.. bytes]);
        content.Headers.ContentType = new("application/json");

        var errors = await ErrorsAsync(await _client.PutAsync("/api/v1/sites/mal", content));

        Assert.Equal("is not valid UTF-8 text; send the body in UTF-8", errors["name"]);
    }

    [Theory]
    [InlineData("/api/v1/sites/mal/meters/mal.m/series?grain=day&from=0001-01-01&to=9999-12-31", "'0001-01-01' is outside 2000-01-01")]
    [InlineData("/api/v1/sites/mal/meters/mal.m/series?grain=15m&from=2026-01-01&to=9999-12-31T00:00:00Z", "'9999-12-31T00:00:00Z' is outside")]
    [InlineData("/api/v1/sites/mal/energy?grain=day&from=0001-01-01&to=2026-01-01", "'0001-01-01' is outside")]
    public async Task Series_ExtremeDates_400WithTheReason(string url, string reason)
    {
        using var response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
