using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Storage;
using GreenLoop.Storage.Sqlite;
using GreenLoop.Testing;

namespace GreenLoop.Cli.Tests;

/// <summary>
/// "Acknowledge only after commit": the real server process is killed while batches are in flight; after a restart on
/// the same data directory every acknowledged reading is there and derivation resumes.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private const string Meter = "crash.main";
    private const int Readings = 8640;
    private const int BatchSize = 10;
    private const int AckedBeforeKill = 40;
    private static readonly DateTimeOffset _midnight = new(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));

    private readonly TemporaryFolder _data = new("crash");

    public void Dispose() => _data.Dispose();

    /// <summary>A counter read every 10 seconds of one local day: 100 + 0.5 k kWh at 00:00 + 10 k s.</summary>
    private static (DateTimeOffset Ts, double Value) Reading(int k) => (_midnight.AddSeconds(10 * k), 100 + 0.5 * k);

    private static string Body(IEnumerable<int> ks) => JsonSerializer.Serialize(new
    {
        readings = ks.Select(k => new { meter = Meter, ts = Reading(k).Ts.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), value = Reading(k).Value }),
    });

    [Fact]
    public async Task Serve_KilledWhileBatchesInFlight_EveryAcknowledgedReadingSurvivesAndDerivationResumes()
    {
        var batches = Enumerable.Range(0, Readings / BatchSize).Select(b => Enumerable.Range(b * BatchSize, BatchSize).ToArray()).ToList();
        var order = new Random(20260601);
        var queue = new ConcurrentQueue<int[]>(batches.OrderBy(_ => order.Next()));
        var acked = new ConcurrentBag<int[]>();
        var enoughAcked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var first = await ServerProcess.StartAsync(_data.Path);
        using (var put = await first.Client.PutAsync("/api/v1/sites/crash", new StringContent("""
            {"key":"crash","name":"Crash test","timeZone":"Asia/Shanghai",
             "meters":[{"key":"crash.main","name":"Main","carrier":"electricity","unit":"kWh","kind":"Cumulative"}]}
            """, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        async Task ClientAsync()
        {
            using var http = new HttpClient { BaseAddress = first.Address, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Add("X-Api-Key", TestCredentials.AdminKey);
            while (queue.TryDequeue(out var batch))
            {
                try
                {
                    using var response = await http.PostAsync("/api/v1/readings", new StringContent(Body(batch), Encoding.UTF8, "application/json"));
                    if (response.StatusCode != HttpStatusCode.OK) return;
                    var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
                    Assert.Equal(BatchSize, answer.GetProperty("accepted").GetInt32() + answer.GetProperty("duplicates").GetInt32());
                    acked.Add(batch);
                    if (acked.Count >= AckedBeforeKill) enoughAcked.TrySetResult();
                }
                catch (HttpRequestException)
                {
                    return; // the server is gone: this batch was never acknowledged
                }
                catch (IOException)
                {
                    return;
                }
            }
        }

        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(ClientAsync)).ToList();
        await enoughAcked.Task.WaitAsync(TimeSpan.FromSeconds(120));
        await first.KillAsync();
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Empty(first.ErrorLines);
        var acknowledged = acked.SelectMany(b => b).Order().ToList();
        Assert.True(acknowledged.Count >= AckedBeforeKill * BatchSize);
        Assert.True(acknowledged.Count < Readings, "the server was killed before every batch was acknowledged");

        JsonElement daySeries;
        await using (var second = await ServerProcess.StartAsync(_data.Path))
        {
            await Http.WaitForDerivationAsync(second.Client, TimeSpan.FromSeconds(60));
            daySeries = await second.Client.GetFromJsonAsync<JsonElement>("/api/v1/sites/crash/meters/crash.main/series?grain=day&from=2026-06-01&to=2026-06-02");
            await second.KillAsync();
            Assert.Empty(second.ErrorLines);
        }

        await using var store = new SqliteStore(new SqliteStoreOptions { Path = Path.Combine(_data.Path, "greenloop.db") });
        var meter = (await store.LoadAllMetersAsync(CancellationToken.None)).Single(m => m.Definition.Key == Meter);
        var stored = (await store.ReadingsAsync(new MeterId(meter.Id), new Instant(_midnight.ToUnixTimeMilliseconds()), new Instant(_midnight.AddDays(1).ToUnixTimeMilliseconds()), withNeighbours: false, CancellationToken.None))
            .ToDictionary(r => r.Ts, r => r.Value);
        foreach (var k in acknowledged)
        {
            var (ts, value) = Reading(k);
            Assert.True(stored.TryGetValue(ts.ToUnixTimeMilliseconds(), out var got), $"acknowledged reading at {ts:O} is missing");
            Assert.Equal(value, got);
        }
        Assert.Equal(0, await store.CountDirtyAsync(CancellationToken.None));

        // Consumption between the first and the last stored reading, all within the local day: the register difference.
        var expected = stored.Values.Max() - stored.Values.Min();
        var day = Assert.Single(await store.MeterSeriesAsync(new MeterId(meter.Id), Grain.Day, new Instant(_midnight.ToUnixTimeMilliseconds()), new Instant(_midnight.AddDays(1).ToUnixTimeMilliseconds()), CancellationToken.None));
        Assert.Equal(expected, day.Value!.Value, 6);
        var point = Assert.Single(daySeries.GetProperty("points").EnumerateArray());
        Assert.Equal("2026-06-01T00:00:00+08:00", point.GetProperty("start").GetString());
        Assert.Equal(expected, point.GetProperty("value").GetDouble(), 6);
    }
}
