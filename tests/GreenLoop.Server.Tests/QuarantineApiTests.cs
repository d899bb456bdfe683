using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using Microsoft.AspNetCore.Hosting;

namespace GreenLoop.Server.Tests;

/// <summary>
/// The quarantine keeps who sent a row and under which scope (a replay cannot widen it), stays bounded (a huge cell is
/// kept cut with its length), lists newest first with filters and pages, can be purged (audited), and the ingest limit
/// counts rows (issue 12, items 9 and 10).
/// </summary>
public sealed class QuarantineApiTests : IAsyncLifetime
{
    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = _factory.CreateClient();
        foreach (var site in new[] { "north", "south" })
            (await _admin.PutAsync($"/api/v1/sites/{site}", Sites.Document(site))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    private static StringContent Reading(string meter, string ts, string value = "1") =>
        new($$"""{"readings":[{"meter":"{{meter}}","ts":"{{ts}}","value":{{value}}}]}""", Encoding.UTF8, "application/json");

    private async Task<JsonElement> QuarantineAsync(string query = "") =>
        await _admin.GetFromJsonAsync<JsonElement>("/api/v1/quarantine" + query);

    [Fact]
    public async Task Replay_ARowASiteScopedKeyCouldNotWrite_StaysRefused_WithItsSourceAndSender()
    {
        using var created = await _admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "gateway-north", site = "north", permissions = new[] { "ingest" } });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        using var gateway = Clients.Anonymous(_factory);
        gateway.DefaultRequestHeaders.Add("X-Api-Key", key);

        using var post = await gateway.PostAsync("/api/v1/readings", Reading("south.main", "2026-03-01T00:15:00+08:00"));
        var before = (await QuarantineAsync()).GetProperty("rows")[0];
        using var replay = await _admin.PostAsync("/api/v1/quarantine/replay", null);
        var result = await replay.Content.ReadFromJsonAsync<JsonElement>();
        var after = await QuarantineAsync();

        Assert.Equal(("key:gateway-north", "north", "http-json"), (before.GetProperty("sender").GetString(), before.GetProperty("scope").GetString(), before.GetProperty("source").GetString()));
        Assert.Equal((1, 0, 1), (result.GetProperty("replayed").GetInt32(), result.GetProperty("accepted").GetInt32(), result.GetProperty("stillRejected").GetInt32()));
        var row = Assert.Single(after.GetProperty("rows").EnumerateArray());
        Assert.Equal(("key:gateway-north", "north", "http-json"), (row.GetProperty("sender").GetString(), row.GetProperty("scope").GetString(), row.GetProperty("source").GetString()));
        Assert.Contains("may write to 'north' only", row.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var series = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/sites/south/meters/south.main/series?grain=15m&from=2026-03-01&to=2026-03-02");
        Assert.All(series.GetProperty("points").EnumerateArray(), p => Assert.Equal(JsonValueKind.Null, p.GetProperty("value").ValueKind));
    }

    [Fact]
    public async Task Replay_ASelection_OnlyThoseRows()
    {
        for (var q = 1; q <= 3; q++)
            await _admin.PostAsync("/api/v1/readings", Reading("north.later", $"2026-03-01T00:{15 * q:00}:00+08:00"));
        var rows = (await QuarantineAsync()).GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToList();
        (await _admin.PutAsync("/api/v1/sites/north", new StringContent(Sites.Json("north").Replace("]}", ",{\"key\":\"north.later\",\"name\":\"Later\",\"carrier\":\"electricity\",\"unit\":\"kWh\",\"kind\":\"Interval\",\"intervalMinutes\":15,\"stamp\":\"PeriodEnding\"}]}", StringComparison.Ordinal), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        using var replay = await _admin.PostAsJsonAsync("/api/v1/quarantine/replay", new { ids = new[] { rows[0] } });
        var result = await replay.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal((1, 1, 0), (result.GetProperty("replayed").GetInt32(), result.GetProperty("accepted").GetInt32(), result.GetProperty("stillRejected").GetInt32()));
        Assert.Equal(rows[1..], (await QuarantineAsync()).GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task HugeCell_KeptCutWithItsLength_ListNewestFirstFilteredPaged_PurgeAudited()
    {
        var huge = new string('9', 1_000_000) + "x";
        using (var csv = await _admin.PostAsync("/api/v1/readings", new StringContent($"meter,ts,value\nnorth.main,2026-03-01T00:15:00+08:00,{huge}\n", Encoding.UTF8, "text/csv")))
            Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        for (var i = 0; i < 3; i++)
            await _admin.PostAsync("/api/v1/readings", Reading($"nowhere.{i}", "2026-03-01T00:15:00+08:00"));

        var all = await QuarantineAsync();
        var page1 = await QuarantineAsync("?limit=2");
        var page2 = await QuarantineAsync($"?limit=2&before={page1.GetProperty("next").GetInt64()}");
        var onlyMain = await QuarantineAsync("?meter=north.main");
        var onlyCsv = await QuarantineAsync("?source=http-csv");

        Assert.Equal(4, all.GetProperty("total").GetInt32());
        Assert.Equal(["nowhere.2", "nowhere.1", "nowhere.0", "north.main"], all.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("meter").GetString()));
        Assert.Equal(["nowhere.2", "nowhere.1", "nowhere.0", "north.main"],
            page1.GetProperty("rows").EnumerateArray().Concat(page2.GetProperty("rows").EnumerateArray()).Select(r => r.GetProperty("meter").GetString()));
        var cut = Assert.Single(onlyMain.GetProperty("rows").EnumerateArray());
        Assert.Equal(1_000_001, cut.GetProperty("rawLength").GetInt32());
        Assert.Equal(257, cut.GetProperty("value").GetString()!.Length);
        Assert.EndsWith("…", cut.GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.True(cut.GetProperty("reason").GetString()!.Length <= 1001);
        Assert.Equal(1, onlyCsv.GetProperty("total").GetInt32());

        using var nothingSaid = await _admin.PostAsJsonAsync("/api/v1/quarantine/purge", new { });
        using var purge = await _admin.PostAsJsonAsync("/api/v1/quarantine/purge", new { olderThan = DateTimeOffset.UtcNow.AddMinutes(1).ToString("O") , meter = "north.main" });
        var purged = await purge.Content.ReadFromJsonAsync<JsonElement>();
        var audit = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?limit=5");

        Assert.Equal(HttpStatusCode.BadRequest, nothingSaid.StatusCode);
        Assert.Equal(1, purged.GetProperty("deleted").GetInt32());
        Assert.Equal(3, (await QuarantineAsync()).GetProperty("total").GetInt32());
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "POST /api/v1/quarantine/purge");
    }

    [Fact]
    public async Task RowLimit_CountsReadingsNotRequests()
    {
        await using var limited = _factory.WithWebHostBuilder(b => b
            .UseSetting("GreenLoop:Security:IngestRowsPerSecond", "1")
            .UseSetting("GreenLoop:Security:IngestRowsBurst", "20"));
        var client = limited.CreateClient();
        static StringContent Batch(int n, int offset) => new("{\"readings\":[" + string.Join(",", Enumerable.Range(offset, n).Select(i =>
            $$"""{"meter":"north.main","ts":"{{new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.FromHours(8)).AddMinutes(15 * (i + 1)):yyyy-MM-ddTHH:mm:sszzz}}","value":1}""")) + "]}",
            Encoding.UTF8, "application/json");

        using var first = await client.PostAsync("/api/v1/readings", Batch(15, 0));
        using var second = await client.PostAsync("/api/v1/readings", Batch(15, 15));
        using var tooBig = await client.PostAsync("/api/v1/readings", Batch(21, 100));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.True(int.Parse(second.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Contains("IngestRowsPerSecond", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Equal(15, (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        // Derived in the background: the first batch's 15 quarters appear, and none of the refused second batch.
        static int Valued(JsonElement series) => series.GetProperty("points").EnumerateArray().Count(p => p.GetProperty("value").ValueKind == JsonValueKind.Number);
        var series = await Wait.ForAsync(() => client.GetFromJsonAsync<JsonElement>("/api/v1/sites/north/meters/north.main/series?grain=15m&from=2026-03-01&to=2026-03-02"),
            s => Valued(s) >= 15, _ => "the first batch derived", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        Assert.Equal(15, Valued(series));
    }
}
