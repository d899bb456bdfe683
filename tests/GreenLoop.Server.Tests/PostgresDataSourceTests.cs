using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Storage.Postgres;
using GreenLoop.Testing;
using Microsoft.AspNetCore.Hosting;

namespace GreenLoop.Server.Tests;

/// <summary>
/// Data sources on the real server configured with <c>GreenLoop:Storage:Provider=postgres</c>: a source defined through
/// the API with its ingest key is stored with that key (<c>data_source.api_key_id</c>), so the supervisor runs it, it
/// connects to a real peer (the mosquitto broker, the pymodbus simulator) and its readings are stored and queried.
/// Before the catalogue moved to EF Core the PostgreSQL store dropped the key and every such source stayed
/// <c>Invalid: no API key</c>.
/// </summary>
[Collection(ServerPostgresCollection.Name)]
public sealed class PostgresDataSourceTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(60);

    private const string SiteJson = """
        {"key":"pgds","name":"PostgreSQL data-source plant","timeZone":"Asia/Shanghai",
         "meters":[
           {"key":"pgds.main","name":"Main incomer","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":15,"stamp":"PeriodEnding"},
           {"key":"pgds.kiln.temp","name":"Kiln temperature","quantity":"ProcessVariable","carrier":"kiln_temperature","unit":"degC","kind":"Instantaneous"}]}
        """;

    private readonly GreenLoopAppFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Http.JsonAsync(response);
    }

    /// <summary>Polls <paramref name="url"/> until <paramref name="done"/> holds; fails with the last answer and <paramref name="context"/> after the timeout.</summary>
    private static Task<JsonElement> WaitForAsync(HttpClient client, string url, Func<JsonElement, bool> done, string what, Func<string>? context = null) =>
        Wait.ForAsync(() => GetJsonAsync(client, url), done, last => $"{what}; last GET {url}: {last}\n{context?.Invoke()}", _timeout, TimeSpan.FromMilliseconds(50));

    /// <summary>The server on a fresh PostgreSQL database, with the site applied and an ingest key for the sources.</summary>
    private async Task<RunningServer> StartAsync()
    {
        var connection = await server.CreateDatabaseAsync("sources");
        var app = _factory.WithWebHostBuilder(b => b
            .UseSetting("GreenLoop:Storage:Provider", "postgres")
            .UseSetting("GreenLoop:Storage:ConnectionString", connection));
        var client = app.CreateClient();
        using var site = await client.PutAsync("/api/v1/sites/pgds", Json(SiteJson));
        Assert.True(site.StatusCode == HttpStatusCode.OK, await site.Content.ReadAsStringAsync());
        using var key = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "field gateway", site = "pgds", permissions = new[] { "ingest" } });
        Assert.True(key.StatusCode == HttpStatusCode.Created, await key.Content.ReadAsStringAsync());
        var keyId = (await Http.JsonAsync(key)).GetProperty("apiKey").GetProperty("id").GetInt64();
        return new RunningServer(app, client, connection, keyId);
    }

    /// <summary>The source as the PostgreSQL store holds it (not through the server's caches).</summary>
    private static async Task<long?> StoredApiKeyIdAsync(string connection, string source)
    {
        await using var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = connection });
        var tenant = await store.EnsureTenantAsync("default", "default", CancellationToken.None);
        return Assert.Single(await store.DataSourcesAsync(tenant, CancellationToken.None), s => s.Key == source).ApiKeyId;
    }

    private static string State(JsonElement status) => status.GetProperty("state").GetString()!;

    /// <summary>
    /// Waits until the source is <c>Connected</c>; <c>Invalid</c> (a definition the supervisor will not run, such as
    /// one stored without its API key) fails at once with its reason.
    /// </summary>
    private static async Task<JsonElement> ConnectedAsync(HttpClient client, string source, Func<string>? context = null)
    {
        var status = await WaitForAsync(client, $"/api/v1/data-sources/{source}/status", s => State(s) is "Connected" or "Invalid", "state Connected", context);
        Assert.True(State(status) == "Connected", $"{source} is {State(status)}: {status.GetProperty("stateDetail")}");
        return status;
    }

    [Fact]
    public async Task MqttSource_OnPostgres_StoredWithItsKeyConnectsAndItsReadingIsQueried()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var host = await StartAsync();
        var (client, connection, keyId) = (host.Client, host.Connection, host.KeyId);

        using var put = await client.PutAsync("/api/v1/data-sources/pg-broker", Json(string.Create(CultureInfo.InvariantCulture, $$$"""
            {"kind":"mqtt","enabled":true,"apiKeyId":{{{keyId}}},
             "settings":{"host":"127.0.0.1","port":{{{broker.Port}}},"flushMilliseconds":10,
                         "subscriptions":[{"topic":"plant/readings","format":"reading","qos":1}]}}
            """)));
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        var connected = await ConnectedAsync(client, "pg-broker", () => broker.Log);
        // mosquitto_pub: an independent client; QoS 1, so it returns once the broker has the message.
        await broker.PublishAsync("plant/readings", """{"meter":"pgds.main","ts":"2026-06-01T00:15:00+08:00","value":42.5}""");
        var stored = await WaitForAsync(client, "/api/v1/data-sources/pg-broker/status", s => s.GetProperty("accepted").GetInt64() >= 1, "one reading accepted", () => broker.Log);
        await Http.WaitForDerivationAsync(client);
        var series = await GetJsonAsync(client, "/api/v1/sites/pgds/meters/pgds.main/series?grain=hour&from=2026-06-01&to=2026-06-02");
        var source = await GetJsonAsync(client, "/api/v1/data-sources/pg-broker");

        Assert.Equal(keyId, (await Http.JsonAsync(put)).GetProperty("apiKeyId").GetInt64());
        Assert.Equal(keyId, source.GetProperty("apiKeyId").GetInt64());
        Assert.Equal(keyId, await StoredApiKeyIdAsync(connection, "pg-broker"));
        Assert.Contains("1 subscription(s)", connected.GetProperty("stateDetail").GetString(), StringComparison.Ordinal);
        Assert.Equal((1L, 1L, 1L, 0L, 0L), (stored.GetProperty("messages").GetInt64(), stored.GetProperty("readings").GetInt64(),
            stored.GetProperty("accepted").GetInt64(), stored.GetProperty("duplicates").GetInt64(), stored.GetProperty("rejected").GetInt64()));
        Assert.Equal("Connected", State(stored));
        Assert.Equal([("2026-06-01T00:00:00+08:00", 42.5)],
            series.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("start").GetString()!, p.GetProperty("value").GetDouble())));
        Assert.Equal(0, (await GetJsonAsync(client, "/api/v1/quarantine")).GetProperty("total").GetInt32());
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    [Fact]
    public async Task ModbusSource_OnPostgres_StoredWithItsKeyConnectsAndItsReadingsAreStored()
    {
        // Holding registers 0-1: float32 850.5, big-endian words.
        await using var device = await ModbusSimulator.StartAsync(new Dictionary<string, object>
        {
            ["holding"] = new Dictionary<string, int[]> { ["0"] = ModbusSimulator.Float32Words(850.5f) },
        });
        await using var host = await StartAsync();
        var (client, connection, keyId) = (host.Client, host.Connection, host.KeyId);

        using var put = await client.PutAsync("/api/v1/data-sources/pg-plc", Json(string.Create(CultureInfo.InvariantCulture, $$$"""
            {"kind":"modbus","enabled":true,"apiKeyId":{{{keyId}}},
             "settings":{"host":"127.0.0.1","port":{{{device.Port}}},"unitId":1,"pollSeconds":0.5,"timeoutMs":1000,
                         "points":[{"meter":"pgds.kiln.temp","function":3,"address":0,"addressBase":0,"type":"float32","wordOrder":"big","byteOrder":"big"}]}}
            """)));
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        await ConnectedAsync(client, "pg-plc");
        var stored = await WaitForAsync(client, "/api/v1/data-sources/pg-plc/status", s => s.GetProperty("accepted").GetInt64() >= 1, "one reading accepted");
        var source = await GetJsonAsync(client, "/api/v1/data-sources/pg-plc");

        Assert.Equal(keyId, source.GetProperty("apiKeyId").GetInt64());
        Assert.Equal(keyId, await StoredApiKeyIdAsync(connection, "pg-plc"));
        var last = stored.GetProperty("lastValue");
        Assert.Equal(("pgds.kiln.temp", 850.5), (last.GetProperty("meter").GetString(), last.GetProperty("value").GetDouble()));
        Assert.Equal(0, stored.GetProperty("rejected").GetInt64());
        await using var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = connection });
        var tenant = await store.EnsureTenantAsync("default", "default", CancellationToken.None);
        var meter = (await store.LoadMetersAsync(tenant, CancellationToken.None))["pgds.kiln.temp"];
        Assert.True(await store.CountReadingsAsync(new MeterId(meter.Id), CancellationToken.None) >= 1);
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    /// <summary>The server of one test, its client (with the administrator key), its database and the sources' ingest key.</summary>
    private sealed class RunningServer(IAsyncDisposable app, HttpClient client, string connection, long keyId) : IAsyncDisposable
    {
        public HttpClient Client { get; } = client;
        public string Connection { get; } = connection;
        public long KeyId { get; } = keyId;

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await app.DisposeAsync();
        }
    }
}
