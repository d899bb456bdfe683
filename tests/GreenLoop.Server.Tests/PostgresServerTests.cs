using System.Net;
using System.Text;
using System.Text.Json;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace GreenLoop.Server.Tests;

/// <summary>The test classes of this project that share one throwaway PostgreSQL server (see PostgresServer).</summary>
[CollectionDefinition(Name)]
public sealed class ServerPostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "server-postgres";
}

/// <summary>
/// The real server configured with <c>GreenLoop:Storage:Provider=postgres</c> on a real PostgreSQL database: documents,
/// ingest, derivation and queries end to end, and a clear refusal to start when the connection string is missing.
/// </summary>
[Collection(ServerPostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer server) : IAsyncLifetime
{
    private const string SiteJson = """
        {"key":"pg","name":"PostgreSQL test plant","nameZh":"数据库测试工厂","timeZone":"Asia/Shanghai",
         "nodes":[{"key":"press","name":"Press shop"}],
         "meters":[
           {"key":"pg.main","name":"Main incomer","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"},
           {"key":"pg.gas","name":"Press gas","node":"press","carrier":"natural_gas","unit":"m3","kind":"Cumulative","multiplier":10}]}
        """;

    private readonly GreenLoopAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Http.JsonAsync(response);
    }

    private static List<(string Start, double Value)> Points(JsonElement series) =>
        [.. series.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("start").GetString()!, p.GetProperty("value").GetDouble()))];

    [Fact]
    public async Task Server_OnPostgres_IngestDeriveAndQueryEndToEnd()
    {
        var connection = await server.CreateDatabaseAsync("server");
        await using var app = _factory.WithWebHostBuilder(b => b
            .UseSetting("GreenLoop:Storage:Provider", "postgres")
            .UseSetting("GreenLoop:Storage:ConnectionString", connection));
        using var client = app.CreateClient();

        using var put = await client.PutAsync("/api/v1/sites/pg", new StringContent(SiteJson, Encoding.UTF8, "application/json"));
        // Main: period-ending quarters 00:15 .. 02:00 of 1..8 kWh. Gas: register 100.0, 100.5, 101.5 at 00:00, 01:00, 02:00 (x10 m3).
        const string Readings = """
            {"readings":[
              {"meter":"pg.main","ts":"2026-06-01T00:15:00+08:00","value":1},{"meter":"pg.main","ts":"2026-06-01T00:30:00+08:00","value":2},
              {"meter":"pg.main","ts":"2026-06-01T00:45:00+08:00","value":3},{"meter":"pg.main","ts":"2026-06-01T01:00:00+08:00","value":4},
              {"meter":"pg.main","ts":"2026-06-01T01:15:00+08:00","value":5},{"meter":"pg.main","ts":"2026-06-01T01:30:00+08:00","value":6},
              {"meter":"pg.main","ts":"2026-06-01T01:45:00+08:00","value":7},{"meter":"pg.main","ts":"2026-06-01T02:00:00+08:00","value":8},
              {"meter":"pg.gas","ts":"2026-06-01T00:00:00+08:00","value":100.0},{"meter":"pg.gas","ts":"2026-06-01T01:00:00+08:00","value":100.5},
              {"meter":"pg.gas","ts":"2026-06-01T02:00:00+08:00","value":101.5}]}
            """;
        using var first = await client.PostAsync("/api/v1/readings", new StringContent(Readings, Encoding.UTF8, "application/json"));
        using var again = await client.PostAsync("/api/v1/readings", new StringContent(Readings, Encoding.UTF8, "application/json"));
        using var conflict = await client.PostAsync("/api/v1/readings", new StringContent("meter,ts,value\npg.main,2026-06-01T00:15:00+08:00,9\n", Encoding.UTF8, "text/csv"));
        await Http.WaitForDerivationAsync(client);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("""{"created":4,"updated":0,"unchanged":0}""", await put.Content.ReadAsStringAsync());
        var firstJson = await Http.JsonAsync(first);
        var againJson = await Http.JsonAsync(again);
        var conflictJson = await Http.JsonAsync(conflict);
        Assert.Equal((11, 11, 0), (firstJson.GetProperty("received").GetInt32(), firstJson.GetProperty("accepted").GetInt32(), firstJson.GetProperty("duplicates").GetInt32()));
        Assert.Equal((11, 0, 11), (againJson.GetProperty("received").GetInt32(), againJson.GetProperty("accepted").GetInt32(), againJson.GetProperty("duplicates").GetInt32()));
        Assert.Contains("conflict", Assert.Single(conflictJson.GetProperty("rejected").EnumerateArray()).GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await GetJsonAsync(client, "/api/v1/quarantine")).GetProperty("total").GetInt32());
        // Main hours: 1+2+3+4 = 10 and 5+6+7+8 = 26 kWh; the day 36. Gas: (100.5 - 100) x 10 = 5 and (101.5 - 100.5) x 10 = 10 m3.
        Assert.Equal([("2026-06-01T00:00:00+08:00", 10.0), ("2026-06-01T01:00:00+08:00", 26.0)],
            Points(await GetJsonAsync(client, "/api/v1/sites/pg/meters/pg.main/series?grain=hour&from=2026-06-01&to=2026-06-02")));
        Assert.Equal([("2026-06-01T00:00:00+08:00", 36.0)],
            Points(await GetJsonAsync(client, "/api/v1/sites/pg/nodes/_site/series?carrier=electricity&grain=day&from=2026-06-01&to=2026-06-02")));
        Assert.Equal([("2026-06-01T00:00:00+08:00", 5.0), ("2026-06-01T01:00:00+08:00", 10.0)],
            Points(await GetJsonAsync(client, "/api/v1/sites/pg/nodes/press/series?carrier=natural_gas&grain=hour&from=2026-06-01&to=2026-06-02")));
        var energy = await GetJsonAsync(client, "/api/v1/sites/pg/energy?grain=month&from=2026-06-01&to=2026-07-01");
        var siteRows = energy.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("node").GetString() == "_site")
            .Select(r => (r.GetProperty("carrier").GetString(), r.GetProperty("value").GetDouble())).OrderBy(r => r.Item1, StringComparer.Ordinal).ToList();
        Assert.Equal([("electricity", 36.0), ("natural_gas", 15.0)], siteRows);
        Assert.Empty(_factory.ErrorLogs.Errors);

        // The data is in PostgreSQL, not in a SQLite file of the data directory.
        Assert.False(File.Exists(Path.Combine(_factory.DataDirectory, "greenloop.db")));
        await using var store = new GreenLoop.Storage.Postgres.PostgresStore(new GreenLoop.Storage.Postgres.PostgresStoreOptions { ConnectionString = connection });
        var tenant = await store.EnsureTenantAsync("default", "default", CancellationToken.None);
        var main = (await store.LoadMetersAsync(tenant, CancellationToken.None))["pg.main"];
        Assert.Equal(8, await store.CountReadingsAsync(new MeterId(main.Id), CancellationToken.None));
    }

    [Fact]
    public async Task Server_PostgresWithoutConnectionString_RefusesToStartAndSaysWhatToSet()
    {
        await using var app = _factory.WithWebHostBuilder(b => b.UseSetting("GreenLoop:Storage:Provider", "postgres"));

        var error = Assert.ThrowsAny<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("GreenLoop:Storage:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:Postgres", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_UnknownProvider_RefusesToStartAndNamesTheChoices()
    {
        await using var app = _factory.WithWebHostBuilder(b => b.UseSetting("GreenLoop:Storage:Provider", "oracle"));

        var error = Assert.ThrowsAny<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("must be 'sqlite' (the default) or 'postgres', not 'oracle'", error.Message, StringComparison.Ordinal);
    }
}
