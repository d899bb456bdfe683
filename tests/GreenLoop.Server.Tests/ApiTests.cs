using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;

namespace GreenLoop.Server.Tests;

/// <summary>The HTTP API (docs/api.md) through WebApplicationFactory, on a real SQLite file.</summary>
public sealed class ApiTests : IAsyncLifetime
{
    private const string SiteJson = """
        {"key":"http","name":"HTTP test plant","nameZh":"接口测试工厂","timeZone":"Asia/Shanghai",
         "nodes":[{"key":"press","name":"Press shop"}],
         "meters":[
           {"key":"http.main","name":"Main incomer","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"},
           {"key":"http.press","name":"Press","node":"press","parent":"http.main","carrier":"electricity","unit":"kWh","kind":"Cumulative"}]}
        """;

    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    private async Task PutSiteAsync()
    {
        using var response = await _client.PutAsync("/api/v1/sites/http", new StringContent(SiteJson, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<HttpResponseMessage> PostAsync(string body, string contentType) =>
        _client.PostAsync("/api/v1/readings", new StringContent(body, Encoding.UTF8, contentType));

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        using var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Http.JsonAsync(response);
    }

    private static List<(string Start, double Value, double Completeness)> Points(JsonElement series) =>
        series.GetProperty("points").EnumerateArray()
            .Select(p => (p.GetProperty("start").GetString()!, p.GetProperty("value").GetDouble(), p.GetProperty("completeness").GetDouble()))
            .ToList();

    [Fact]
    public async Task PutSite_SameDocumentTwice_SecondAnswerChangesNothing()
    {
        using var first = await _client.PutAsync("/api/v1/sites/http", new StringContent(SiteJson, Encoding.UTF8, "application/json"));
        using var second = await _client.PutAsync("/api/v1/sites/http", new StringContent(SiteJson, Encoding.UTF8, "application/json"));

        // Site 1 + node 1 + meters 2.
        Assert.Equal("""{"created":4,"updated":0,"unchanged":0}""", await first.Content.ReadAsStringAsync());
        Assert.Equal("""{"created":0,"updated":0,"unchanged":4}""", await second.Content.ReadAsStringAsync());
        var site = await GetJsonAsync("/api/v1/sites/http");
        Assert.Equal("Asia/Shanghai", site.GetProperty("timeZone").GetString());
        Assert.Equal(["http.main", "http.press"], site.GetProperty("meters").EnumerateArray().Select(m => m.GetProperty("key").GetString()));
        var list = await GetJsonAsync("/api/v1/sites");
        var summary = Assert.Single(list.EnumerateArray());
        Assert.Equal(("http", 1, 2), (summary.GetProperty("key").GetString(), summary.GetProperty("nodeCount").GetInt32(), summary.GetProperty("meterCount").GetInt32()));
    }

    [Fact]
    public async Task PostReadings_JsonAndCsvWithBadRows_GoodRowsAcceptedBadOnesAnsweredQuarantinedAndSeriesDerived()
    {
        await PutSiteAsync();
        const string Json = """
            {"readings":[
              {"meter":"http.main","ts":"2026-06-01T00:15:00+08:00","value":2.5},
              {"meter":"http.main","ts":"2026-06-01T00:30:00+08:00","value":3.5},
              {"meter":"http.main","ts":"2026-06-01T00:45:00","value":4.0},
              {"meter":"http.main","ts":"2026-06-01T00:45:00+08:00","value":"4.0"},
              {"meter":"x.y","ts":"2026-06-01T00:45:00+08:00","value":4.0},
              {"meter":"http.main","ts":"2026-06-01T00:45:00+08:00","value":4.0},
              {"meter":"http.main","ts":"2026-05-31T17:00:00Z","value":5.0}]}
            """;
        const string Csv = """
            meter,ts,value
            http.main,2026-06-01T01:15:00+08:00,1.0
            http.main,2026-06-01T01:30:00+08:00,2.0
            http.main,2026-06-01T01:45:00+08:00,abc
            http.main,2026-06-01T02:00:00+08:00,1.5
            """;

        using var jsonAnswer = await PostAsync(Json, "application/json");
        using var csvAnswer = await PostAsync(Csv, "text/csv");

        Assert.Equal(HttpStatusCode.OK, jsonAnswer.StatusCode);
        var json = await Http.JsonAsync(jsonAnswer);
        Assert.Equal((7, 4, 0), (json.GetProperty("received").GetInt32(), json.GetProperty("accepted").GetInt32(), json.GetProperty("duplicates").GetInt32()));
        var rejected = json.GetProperty("rejected").EnumerateArray()
            .Select(r => (r.GetProperty("index").GetInt32(), r.GetProperty("field").GetString(), r.GetProperty("reason").GetString()!)).ToList();
        Assert.Equal([(2, "ts"), (3, "value"), (4, "meter")], rejected.Select(r => (r.Item1, r.Item2)));
        Assert.Contains("no UTC offset", rejected[0].Item3, StringComparison.Ordinal);
        Assert.Contains("must be a JSON number", rejected[1].Item3, StringComparison.Ordinal);
        Assert.Contains("unknown meter 'x.y'", rejected[2].Item3, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, csvAnswer.StatusCode);
        var csv = await Http.JsonAsync(csvAnswer);
        Assert.Equal((4, 3), (csv.GetProperty("received").GetInt32(), csv.GetProperty("accepted").GetInt32()));
        var csvRejected = Assert.Single(csv.GetProperty("rejected").EnumerateArray());
        Assert.Equal((3, "value"), (csvRejected.GetProperty("index").GetInt32(), csvRejected.GetProperty("field").GetString()));
        Assert.Contains("'abc' is not a number", csvRejected.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var quarantine = await GetJsonAsync("/api/v1/quarantine");
        Assert.Equal(4, quarantine.GetProperty("total").GetInt32());
        Assert.Equal(
            // Newest first.
            [("http-csv", "value"), ("http-json", "meter"), ("http-json", "value"), ("http-json", "ts")],
            quarantine.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("source").GetString(), r.GetProperty("field").GetString())).ToList());

        await Http.WaitForDerivationAsync(_client);

        // Period-ending stamps: the 00:15 reading is the 00:00 bucket. Hour 00: 2.5 + 3.5 + 4.0 + 5.0 = 15.0 (complete);
        // hour 01: 1.0 + 2.0 + 1.5 = 4.5 with the 01:30 bucket missing (45 of 60 min = 0.75).
        var q = Points(await GetJsonAsync("/api/v1/sites/http/meters/http.main/series?grain=15m&from=2026-06-01&to=2026-06-02"));
        Assert.Equal(
            [("2026-06-01T00:00:00+08:00", 2.5, 1.0), ("2026-06-01T00:15:00+08:00", 3.5, 1.0), ("2026-06-01T00:30:00+08:00", 4.0, 1.0),
             ("2026-06-01T00:45:00+08:00", 5.0, 1.0), ("2026-06-01T01:00:00+08:00", 1.0, 1.0), ("2026-06-01T01:15:00+08:00", 2.0, 1.0),
             ("2026-06-01T01:45:00+08:00", 1.5, 1.0)], q);
        var hours = Points(await GetJsonAsync("/api/v1/sites/http/meters/http.main/series?grain=hour&from=2026-06-01&to=2026-06-02"));
        Assert.Equal([("2026-06-01T00:00:00+08:00", 15.0, 1.0), ("2026-06-01T01:00:00+08:00", 4.5, 0.75)], hours);
        // Day: 19.5 kWh over 105 of 1440 minutes = 0.0729; month: 105 min of June's 43,200 = 0.0024.
        var day = Assert.Single(Points(await GetJsonAsync("/api/v1/sites/http/meters/http.main/series?grain=day&from=2026-06-01&to=2026-06-02")));
        Assert.Equal(("2026-06-01T00:00:00+08:00", 19.5, 0.0729), day);
        var monthSeries = await GetJsonAsync("/api/v1/sites/http/meters/http.main/series?grain=month&from=2026-06-01&to=2026-07-01");
        Assert.Equal(("http.main", "kWh", "Interval", "month"),
            (monthSeries.GetProperty("meter").GetString(), monthSeries.GetProperty("unit").GetString(), monthSeries.GetProperty("kind").GetString(), monthSeries.GetProperty("grain").GetString()));
        Assert.Equal(("2026-06-01T00:00:00+08:00", 19.5, 0.0024), Assert.Single(Points(monthSeries)));
        var siteDay = Assert.Single(Points(await GetJsonAsync("/api/v1/sites/http/nodes/_site/series?carrier=electricity&grain=day&from=2026-06-01&to=2026-06-02")));
        Assert.Equal(("2026-06-01T00:00:00+08:00", 19.5, 0.0729), siteDay);
    }

    [Fact]
    public async Task PostReadings_UnknownMeterThenSiteExtended_ReplayAcceptsTheQuarantinedRow()
    {
        await PutSiteAsync();
        using var posted = await PostAsync("""{"readings":[{"meter":"http.late","ts":"2026-06-01T00:15:00+08:00","value":7.25}]}""", "application/json");
        Assert.Equal(0, (await Http.JsonAsync(posted)).GetProperty("accepted").GetInt32());
        var extended = SiteJson.Replace("""{"key":"http.main",""", """{"key":"http.late","name":"Late meter","carrier":"electricity","unit":"kWh","kind":"Interval"},{"key":"http.main",""", StringComparison.Ordinal);
        using var put = await _client.PutAsync("/api/v1/sites/http", new StringContent(extended, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        using var replay = await _client.PostAsync("/api/v1/quarantine/replay", null);

        Assert.Equal("""{"replayed":1,"accepted":1,"stillRejected":0}""", await replay.Content.ReadAsStringAsync());
        Assert.Equal(0, (await GetJsonAsync("/api/v1/quarantine")).GetProperty("total").GetInt32());
        await Http.WaitForDerivationAsync(_client);
        Assert.Equal([("2026-06-01T00:00:00+08:00", 7.25, 1.0)], Points(await GetJsonAsync("/api/v1/sites/http/meters/http.late/series?grain=15m&from=2026-06-01&to=2026-06-02")));
    }

    [Fact]
    public async Task ReplayQuarantine_RowWithoutOffset_StaysQuarantinedAndIsNeverGivenTheServersOffset()
    {
        await PutSiteAsync();
        using var posted = await PostAsync("""{"readings":[{"meter":"http.main","ts":"2026-06-01T00:15:00","value":2.5}]}""", "application/json");
        Assert.Equal("ts", Assert.Single((await Http.JsonAsync(posted)).GetProperty("rejected").EnumerateArray()).GetProperty("field").GetString());

        using var replay = await _client.PostAsync("/api/v1/quarantine/replay", null);

        // The instant is still ambiguous: replay must not read it in the server machine's time zone.
        Assert.Equal("""{"replayed":0,"accepted":0,"stillRejected":1}""", await replay.Content.ReadAsStringAsync());
        var row = Assert.Single((await GetJsonAsync("/api/v1/quarantine")).GetProperty("rows").EnumerateArray());
        Assert.Equal(("2026-06-01T00:15:00", "ts"), (row.GetProperty("ts").GetString(), row.GetProperty("field").GetString()));
        await Http.WaitForDerivationAsync(_client);
        Assert.Empty((await GetJsonAsync("/api/v1/sites/http/meters/http.main/series?grain=15m&from=2026-05-31&to=2026-06-02")).GetProperty("points").EnumerateArray());
    }

    [Fact]
    public async Task PostReadings_MalformedJson_400ProblemDetails()
    {
        using var response = await PostAsync("""{"readings":[{"meter":"http.main",""", "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Http.JsonAsync(response);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("The body is not valid JSON", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task PostReadings_JsonWithoutReadingsArray_400ProblemDetails()
    {
        using var response = await PostAsync("""[{"meter":"http.main"}]""", "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'readings' array", (await Http.JsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostReadings_UnsupportedContentType_415ProblemDetails()
    {
        using var response = await PostAsync("meter=http.main", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(415, (await Http.JsonAsync(response)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task PutSite_InvalidDocument_400ValidationProblemNamingThePath()
    {
        var invalid = SiteJson.Replace("\"unit\":\"kWh\",\"kind\":\"Interval\"", "\"unit\":\"\",\"kind\":\"Interval\"", StringComparison.Ordinal);
        Assert.NotEqual(SiteJson, invalid);

        using var response = await _client.PutAsync("/api/v1/sites/http", new StringContent(invalid, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Http.JsonAsync(response);
        Assert.Equal(["required"], problem.GetProperty("errors").GetProperty("meters[0].unit").EnumerateArray().Select(e => e.GetString()));
        using var missing = await _client.GetAsync("/api/v1/sites/http");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("\"kind\":\"Interval\"", "\"kind\":99", "meters[0].kind", "'99' is not a value of MeterKind")]
    [InlineData("\"unit\":\"kWh\",", "\"unit\":\"kWh\",\"direction\":7,", "meters[0].direction", "'7' is not a value of MeterDirection")]
    public async Task PutSite_EnumNumberNamingNoValue_400NamingThePath(string find, string replace, string path, string reason)
    {
        var invalid = SiteJson.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(SiteJson, invalid);

        using var response = await _client.PutAsync("/api/v1/sites/http", new StringContent(invalid, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Http.JsonAsync(response)).GetProperty("errors");
        Assert.StartsWith(reason, Assert.Single(errors.GetProperty(path).EnumerateArray()).GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00+00:00", "is before 2000-01-01")]
    [InlineData("2099-01-01T00:00:00+08:00", "h in the future")]
    public async Task PutSite_EventAtAnImplausibleInstant_400NamingThePath(string ts, string reason)
    {
        // The document's first cumulative meter gets a replacement at that instant.
        var site = System.Text.Json.Nodes.JsonNode.Parse(SiteJson)!.AsObject();
        var cumulative = site["meters"]!.AsArray().First(m => (string?)m!["kind"] == "Cumulative")!["key"]!.GetValue<string>();
        site["events"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
        {
            ["meter"] = cumulative, ["ts"] = ts, ["kind"] = "Replacement", ["oldValue"] = 10, ["newValue"] = 0,
        });

        using var response = await _client.PutAsync("/api/v1/sites/http", new StringContent(site.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Http.JsonAsync(response)).GetProperty("errors");
        Assert.Contains(reason, Assert.Single(errors.GetProperty("events[0].ts").EnumerateArray()).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutSite_KeyDiffersFromUrl_400ValidationProblemOnKey()
    {
        using var response = await _client.PutAsync("/api/v1/sites/other", new StringContent(SiteJson, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Http.JsonAsync(response)).GetProperty("errors").TryGetProperty("key", out _));
    }

    [Theory]
    [InlineData("/api/v1/sites/nowhere")]
    [InlineData("/api/v1/sites/nowhere/overview")]
    [InlineData("/api/v1/sites/nowhere/meters/http.main/series?grain=day")]
    [InlineData("/api/v1/sites/http/meters/http.nothing/series?grain=day")]
    [InlineData("/api/v1/sites/http/meters/http.nothing/balance")]
    [InlineData("/api/v1/sites/http/nodes/nowhere/series")]
    public async Task Get_UnknownSiteMeterOrNode_404(string url)
    {
        await PutSiteAsync();

        using var response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GetSeries_UnknownGrain_400ProblemDetails()
    {
        await PutSiteAsync();

        using var response = await _client.GetAsync("/api/v1/sites/http/meters/http.main/series?grain=week");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("unknown grain 'week'", (await Http.JsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/sites/http/meters/http.main/series?grain=week", "unknown grain 'week'; use 15m, hour, day or month")]
    [InlineData("/api/v1/sites/http/meters/http.main/series?grain=day&from=yesterday", "'yesterday' is neither a date (yyyy-MM-dd) nor an ISO 8601 instant with offset")]
    [InlineData("/api/v1/sites/http/meters/http.main/series?to=2026-11-23T08:00:00", "'2026-11-23T08:00:00' is neither a date (yyyy-MM-dd) nor an ISO 8601 instant with offset")]
    [InlineData("/api/v1/sites/http/meters/http.main/series?grain=day&from=2026-11-24&to=2026-11-23", "'to' must be after 'from'")]
    [InlineData("/api/v1/sites/http/meters/http.main/events?from=soon", "'soon' is neither a date (yyyy-MM-dd) nor an ISO 8601 instant with offset")]
    [InlineData("/api/v1/sites/http/meters/http.main/events?from=2026-11-24&to=2026-11-23T16:00:00Z", "'to' must be after 'from'")]
    [InlineData("/api/v1/sites/http/meters/http.main/balance?grain=year", "unknown grain 'year'; use 15m, hour, day or month")]
    [InlineData("/api/v1/sites/http/nodes/_site/series?from=2026-11-24&to=2026-11-24", "'to' must be after 'from'")]
    [InlineData("/api/v1/sites/http/energy?grain=week&from=soon", "unknown grain 'week'; use 15m, hour, day or month")]
    [InlineData("/api/v1/sites/http/energy?node=nowhere&to=later", "'later' is neither a date (yyyy-MM-dd) nor an ISO 8601 instant with offset")]
    public async Task Get_UnreadableGrainOrRange_400ProblemDetailsWithTheReason(string url, string reason)
    {
        await PutSiteAsync();

        using var response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Http.JsonAsync(response);
        Assert.Equal("The request cannot be answered as asked", problem.GetProperty("title").GetString());
        Assert.Equal(reason, problem.GetProperty("detail").GetString());
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("/api/v1/sites/nowhere/meters/http.main/series?grain=week")]
    [InlineData("/api/v1/sites/http/meters/http.nothing/series?from=yesterday")]
    [InlineData("/api/v1/sites/http/meters/http.nothing/events?to=later")]
    [InlineData("/api/v1/sites/http/meters/http.nothing/balance?grain=week")]
    [InlineData("/api/v1/sites/http/nodes/nowhere/series?grain=week")]
    [InlineData("/api/v1/sites/nowhere/energy?grain=week")]
    public async Task Get_UnknownSiteMeterOrNodeWithUnreadableParameters_404NotTheParameters400(string url)
    {
        await PutSiteAsync();

        using var response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GetOpenApi_Document_DescribesTheReadingsPath()
    {
        var document = await GetJsonAsync("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/readings", out var readings));
        Assert.True(readings.TryGetProperty("post", out _));
        Assert.True(paths.TryGetProperty("/api/v1/sites/{site}/meters/{meter}/series", out _));
    }

    [Fact]
    public async Task GetHealth_FreshServer_OkAndNothingPending()
    {
        var health = await GetJsonAsync("/health");

        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(0, health.GetProperty("pendingDerivation").GetInt64());
        // Anonymous: that the server answers, and no count of anything (which would span every tenant).
        using var anonymous = Clients.Anonymous(_factory);
        Assert.Equal("""{"status":"ok"}""", await anonymous.GetStringAsync("/health"));
        // The collector that fails these tests on unexpected errors sees the server's own log (1001: store ready).
        Assert.True(_factory.ErrorLogs.Saw(1001));
    }
}
