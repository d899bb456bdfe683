using System.Globalization;
using System.Net;
using GreenLoop.Testing;
using Microsoft.Extensions.Logging;
using static GreenLoop.Demo.Tests.DemoTestData;

namespace GreenLoop.Demo.Tests;

public sealed class DemoGatewayTests : IDisposable
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(10);

    private readonly DemoPlant _plant = Shared;
    private readonly RecordingIngestHandler _handler = new();
    private readonly HttpClient _http;
    private readonly ListLogger _log = new();

    public DemoGatewayTests() => _http = new HttpClient(_handler) { BaseAddress = new Uri("http://127.0.0.1:5080/") };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task BackfillAsync_TwoDays_PostsMostRecentDayFirstThenTheLateBatch()
    {
        var now = Local(1, 9);
        var gateway = new DemoGateway(_plant, _http, new SignallingTimeProvider(now), _log);

        await gateway.BackfillAsync(2, CancellationToken.None);

        var requests = _handler.Requests;
        Assert.All(requests, r =>
        {
            Assert.Equal(HttpMethod.Post, r.Method);
            Assert.Equal("/api/v1/readings", r.Uri.AbsolutePath);
            Assert.Equal("application/json", r.ContentType);
        });
        var batches = requests.Select(r => r.Readings()).ToList();
        Assert.All(batches, b => Assert.InRange(b.Count, 1, DemoGateway.MaxBatch));
        Assert.All(batches.SelectMany(b => b), r => Assert.EndsWith("+08:00", r.Ts, StringComparison.Ordinal));
        // Today (the anchor's eve, up to 09:00) first, the late batch of kiln 2 gas last.
        Assert.All(batches[0], r => Assert.StartsWith("2026-11-22T", r.Ts, StringComparison.Ordinal));
        Assert.Equal(
            [.. Enumerable.Range(0, 8).Select(i => ("demo.kiln2.gas", Local(2, 10).AddMinutes(15 * i).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)))],
            batches[^1].Select(r => (r.Meter, r.Ts)));
        var expected = _plant.Readings(now.AddDays(-2), now, Quarter)
            .Select(r => (r.Meter, r.Ts.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture), r.Value))
            .ToHashSet();
        var sent = batches.SelectMany(b => b).ToList();
        Assert.Equal(expected.Count, sent.Count);
        Assert.True(expected.SetEquals(sent));
        Assert.Equal(now, gateway.LastPosted);
        Assert.DoesNotContain(_log.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task BackfillAsync_ServerDownThenUnavailable_RetriesWithBackoffUntilAccepted()
    {
        var time = new SignallingTimeProvider(Local(0, 0, 30));
        var gateway = new DemoGateway(_plant, _http, time, _log);
        _handler.Then(_ => throw new HttpRequestException("connection refused"));
        _handler.Then(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));

        var backfill = gateway.BackfillAsync(1, CancellationToken.None);
        Assert.True(await time.TimerCreated.WaitAsync(_wait));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await time.TimerCreated.WaitAsync(_wait));
        time.Advance(TimeSpan.FromSeconds(2));
        await backfill.WaitAsync(_wait);

        var requests = _handler.Requests;
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Equal(requests[0].Body, requests[2].Body);
        var delivered = requests.Skip(2).Sum(r => r.Readings().Count);
        Assert.Equal(_plant.Readings(Local(1, 0, 30), Local(0, 0, 30), Quarter).Count(), delivered);
        Assert.Equal([4106, 4105], _log.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.EventId));
        Assert.DoesNotContain(_log.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task BackfillAsync_ServerRefusesABatch_LogsAnErrorAndGoesOn()
    {
        var gateway = new DemoGateway(_plant, _http, new SignallingTimeProvider(Local(0, 0, 30)), _log);
        _handler.Then(_ => new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("unreadable body") });

        await gateway.BackfillAsync(1, CancellationToken.None);

        // Two local days touched: (00:00, 00:30] today, then yesterday from 00:30; the first is refused, the second still goes.
        Assert.Equal(2, _handler.Requests.Count);
        var error = Assert.Single(_log.Entries, e => e.Level >= LogLevel.Error);
        Assert.Equal(4107, error.EventId);
        Assert.Contains("unreadable body", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamAsync_TwoIntervals_PostsTheReadingsOfEachInterval()
    {
        var time = new SignallingTimeProvider(Local(0, 8, 30));
        var gateway = new DemoGateway(_plant, _http, time, _log);
        using var stop = new CancellationTokenSource();

        var stream = gateway.StreamAsync(TimeSpan.FromSeconds(10), stop.Token);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await _handler.Received.WaitAsync(_wait));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await _handler.Received.WaitAsync(_wait));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.WaitAsync(_wait));

        var batches = _handler.Requests.Take(2).Select(r => r.Readings()).ToList();
        // 21 cumulative + 5 instantaneous meters; no hourly tile output at :30:10 or :30:20.
        Assert.Equal(26, batches[0].Count);
        Assert.All(batches[0], r => Assert.Equal("2026-11-23T08:30:10+08:00", r.Ts));
        Assert.All(batches[1], r => Assert.Equal("2026-11-23T08:30:20+08:00", r.Ts));
        var expected = _plant.Readings(Local(0, 8, 30), Local(0, 8, 30, 10), TimeSpan.FromSeconds(10)).Select(r => r.Value);
        Assert.Equal(expected, batches[0].Select(r => r.Value));
        Assert.DoesNotContain(_log.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task StreamAsync_IntervalNotDividingAQuarterHour_Throws()
    {
        var gateway = new DemoGateway(_plant, _http, TimeProvider.System, _log);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => gateway.StreamAsync(TimeSpan.FromSeconds(7), CancellationToken.None));
    }

    [Fact]
    public void Validate_Defaults_NoErrors()
    {
        var options = new DemoOptions();

        Assert.Empty(options.Validate());
        Assert.Equal((true, 90, 10), (options.Enabled, options.BackfillDays, options.LiveIntervalSeconds));
    }

    [Fact]
    public void Validate_BadValues_OneErrorEach()
    {
        var options = new DemoOptions { BackfillDays = 1000, LiveIntervalSeconds = 7 };

        Assert.Equal(2, options.Validate().Count);
    }
}
