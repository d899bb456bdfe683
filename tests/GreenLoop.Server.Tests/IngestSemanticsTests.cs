using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace GreenLoop.Server.Tests;

/// <summary>
/// What the ingest contract does with input that used to slip through: negative registers, fields written twice,
/// declared charsets, RFC 4180 quoting, and a status a gateway can check when rows were rejected.
/// </summary>
public sealed class IngestSemanticsTests : IAsyncLifetime
{
    private const string SiteJson = """
        {"key":"sem","name":"Semantics plant","timeZone":"Asia/Shanghai",
         "meters":[{"key":"sem.reg","name":"Register","carrier":"electricity","unit":"kWh","kind":"Cumulative"},
                   {"key":"sem.int","name":"Interval","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15}]}
        """;

    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    static IngestSemanticsTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        (await _client.PutAsync("/api/v1/sites/sem", new StringContent(SiteJson, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    private async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(HttpContent content, string query = "")
    {
        var response = await _client.PostAsync("/api/v1/readings" + query, content);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response, body);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string[] Reasons(JsonElement body) => [.. body.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("reason").GetString()!)];

    [Fact]
    public async Task NegativeReadingOfACumulativeRegister_Rejected_TheRestAccepted()
    {
        var (response, body) = await PostAsync(Json("""
            {"readings":[{"meter":"sem.reg","ts":"2026-03-01T00:15:00+08:00","value":-5},
                         {"meter":"sem.reg","ts":"2026-03-01T00:30:00+08:00","value":12.5}]}
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        var rejection = Assert.Single(body.GetProperty("rejected").EnumerateArray());
        Assert.Equal((0, "value"), (rejection.GetProperty("index").GetInt32(), rejection.GetProperty("field").GetString()));
        Assert.Contains("negative reading -5 for cumulative register 'sem.reg'", rejection.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var quarantine = await _client.GetFromJsonAsync<JsonElement>("/api/v1/quarantine");
        Assert.Contains(quarantine.GetProperty("rows").EnumerateArray(), r => r.GetProperty("value").GetString() == "-5");
    }

    [Fact]
    public async Task FieldWrittenTwiceInAReading_RowRejectedNamingTheField()
    {
        var (_, body) = await PostAsync(Json("""
            {"readings":[{"meter":"sem.int","ts":"2026-03-01T00:15:00+08:00","value":1,"value":1000},
                         {"meter":"sem.int","ts":"2026-03-01T00:30:00+08:00","value":2}]}
            """));

        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        var rejection = Assert.Single(body.GetProperty("rejected").EnumerateArray());
        Assert.Equal((0, "value"), (rejection.GetProperty("index").GetInt32(), rejection.GetProperty("field").GetString()));
        Assert.Contains("'value' appears more than once", rejection.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iso-8859-1", "café.meter")]
    [InlineData("GBK", "窑炉.电表")]
    [InlineData("gb18030", "窑炉.电表")]
    public async Task DeclaredCharset_IsHonoured_InJsonAndCsv(string charset, string meter)
    {
        var encoding = Encoding.GetEncoding(charset);
        var json = new ByteArrayContent(encoding.GetBytes($$"""{"readings":[{"meter":"{{meter}}","ts":"2026-03-01T00:15:00+08:00","value":1}]}"""));
        json.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = charset };
        var csv = new ByteArrayContent(encoding.GetBytes($"meter,ts,value\n{meter},2026-03-01T00:15:00+08:00,1\n"));
        csv.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv") { CharSet = charset };

        var (_, fromJson) = await PostAsync(json);
        var (_, fromCsv) = await PostAsync(csv);

        // The unknown meter's key comes back exactly as sent: the body was decoded in its own charset.
        Assert.Equal($"unknown meter '{meter}'; define it in a site document first, then replay the quarantine", Assert.Single(Reasons(fromJson)));
        Assert.Equal($"unknown meter '{meter}'; define it in a site document first, then replay the quarantine", Assert.Single(Reasons(fromCsv)));
    }

    [Fact]
    public async Task UnknownCharset_415WithTheName()
    {
        var content = new ByteArrayContent("meter,ts,value\n"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "text/csv; charset=x-klingon");

        var response = await _client.PostAsync("/api/v1/readings", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("charset 'x-klingon' is not known", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuotedCsvCells_ReadAsRfc4180()
    {
        const string csv = "\"meter\",\"ts\",\"value\"\r\n"
            + "\"sem.int\",\"2026-03-01T00:15:00+08:00\",\"2.5\"\r\n"
            + "\"sem.\"\"int\",2026-03-01T00:30:00+08:00,3\r\n"
            + "\"sem,int\",2026-03-01T00:45:00+08:00,4\r\n"
            + "sem.int, \"2026-03-01T01:00:00+08:00\" ,5\r\n";

        var (_, body) = await PostAsync(new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        Assert.Equal(["unknown meter 'sem.\"int'; define it in a site document first, then replay the quarantine",
                      "unknown meter 'sem,int'; define it in a site document first, then replay the quarantine"], Reasons(body));
    }

    [Fact]
    public async Task CountsInHeaders_AndOnRejected422_WhenEveryRowWasRejected()
    {
        var allBad = """{"readings":[{"meter":"nope","ts":"2026-03-01T00:15:00+08:00","value":1}]}""";

        var (plain, plainBody) = await PostAsync(Json(allBad));
        var (strict, strictBody) = await PostAsync(Json(allBad), "?onRejected=422");
        var (good, _) = await PostAsync(Json("""{"readings":[{"meter":"sem.int","ts":"2026-03-01T02:15:00+08:00","value":1}]}"""), "?onRejected=422");
        using var bad = await _client.PostAsync("/api/v1/readings?onRejected=500", Json(allBad));

        // The documented contract stays: 200 with the rejections in the body; the headers tell a gateway the counts.
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(("0", "1"), (plain.Headers.GetValues("X-GreenLoop-Accepted").Single(), plain.Headers.GetValues("X-GreenLoop-Rejected").Single()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, strict.StatusCode);
        Assert.Equal(plainBody.GetProperty("rejected").GetRawText(), strictBody.GetProperty("rejected").GetRawText());
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal("1", good.Headers.GetValues("X-GreenLoop-Accepted").Single());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
