using System.Net;
using System.Text;
using System.Text.Json;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using GreenLoop.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GreenLoop.Server.Tests;

/// <summary>
/// GET /api/v1/sites/{site}/derivation-failures (docs/api.md): a meter whose derivation fails is listed with its error
/// while the server's own derivation worker goes on deriving the site's other meters.
/// </summary>
public sealed class DerivationFailuresApiTests : IAsyncLifetime
{
    private const string SiteJson = """
        {"key":"df","name":"Failing plant","nameZh":"推导失败测试工厂","timeZone":"Asia/Shanghai",
         "meters":[
           {"key":"df.main","name":"Main incomer","carrier":"electricity","unit":"kWh","kind":"Cumulative"},
           {"key":"df.broken","name":"Broken","carrier":"natural_gas","unit":"m3","kind":"Cumulative"}]}
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

    [Fact]
    public async Task DerivationFailures_AMeterDerivationCannotTake_IsListedWithItsErrorAndTheOtherMeterIsDerived()
    {
        using (var put = await _client.PutAsync("/api/v1/sites/df", new StringContent(SiteJson, Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using (var none = await _client.GetAsync("/api/v1/sites/df/derivation-failures"))
            Assert.Equal("[]", await none.Content.ReadAsStringAsync());

        // A stored record from before the validator refused it: "kind": 99.
        var store = _factory.Services.GetRequiredService<GreenLoopStore>();
        await ((ICatalogDb)store).WriteAsync(1, async db =>
        {
            var meter = await db.Meters.IgnoreQueryFilters().SingleAsync(m => m.Key == "df.broken");
            meter.Definition = meter.Definition.Replace("\"kind\":\"Cumulative\"", "\"kind\":99", StringComparison.Ordinal);
            return await db.SaveChangesAsync();
        }, CancellationToken.None);
        _factory.Services.GetRequiredService<MeterCatalog>().Invalidate();

        static string Ts(int q) => new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.FromHours(8)).AddMinutes(15 * q).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        var readings = string.Join(",", Enumerable.Range(0, 5).SelectMany(q => new[]
        {
            $$"""{"meter":"df.main","ts":"{{Ts(q)}}","value":{{100 + q}}}""",
            $$"""{"meter":"df.broken","ts":"{{Ts(q)}}","value":{{5 + q}}}""",
        }));
        using (var post = await _client.PostAsync("/api/v1/readings", new StringContent($$"""{"readings":[{{readings}}]}""", Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);

        JsonElement failures = default;
        await Wait.UntilAsync(async () =>
        {
            using var r = await _client.GetAsync("/api/v1/sites/df/derivation-failures");
            failures = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone();
            return failures.GetArrayLength() > 0;
        }, "the broken meter to be listed");
        var failure = Assert.Single(failures.EnumerateArray());
        Assert.Equal("df.broken", failure.GetProperty("meter").GetString());
        Assert.False(string.IsNullOrWhiteSpace(failure.GetProperty("error").GetString()));
        Assert.True(failure.GetProperty("attempts").GetInt32() >= 1);

        // The main meter: register 100 -> 104 over the hour = 4 kWh, derived by the server's worker.
        await Wait.UntilAsync(async () =>
        {
            using var r = await _client.GetAsync("/api/v1/sites/df/meters/df.main/series?grain=hour&from=2026-03-10&to=2026-03-11");
            var points = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("points");
            return points.GetArrayLength() == 1 && points[0].GetProperty("value").GetDouble() == 4;
        }, "the main meter's hour to be derived");
        using var missing = await _client.GetAsync("/api/v1/sites/nosuchsite/derivation-failures");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
