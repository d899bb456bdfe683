using GreenLoop.Testing;
using Microsoft.Extensions.Logging;

namespace GreenLoop.Notifications.Tests;

public sealed class NotificationDispatcherTests(HttpReceiver receiver) : IClassFixture<HttpReceiver>
{
    private const string WeComOk = """{"errcode":0,"errmsg":"ok"}""";
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(10);

    private readonly InMemoryDeliveryLog _log = new();
    private readonly RecordingLogger<NotificationDispatcher> _logger = new();

    private NotificationDispatcher Dispatcher(TimeProvider time, NotificationRetryOptions? options = null) => new(_log, time, _logger, options);

    private static INotificationChannel Channel(TimeProvider time, ChannelDefinition definition) =>
        new NotificationChannelFactory(new HttpClient(), time).Create(definition);

    [Fact]
    public async Task DispatchAsync_500Then500Then200_RetriesWithDoublingBackoffAndLogsEveryAttempt()
    {
        var time = new WatchedTimeProvider(Samples.Now);
        var path = receiver.Route(Reply.Error(500, "busy"), Reply.Error(500, "busy"), Reply.Json(WeComOk));
        var channel = Channel(time, Samples.Channel(ChannelKind.WeCom, receiver.Url(path)));
        var dispatcher = Dispatcher(time, new NotificationRetryOptions { MaxAttempts = 4, BaseDelay = TimeSpan.FromSeconds(2) });

        var dispatch = dispatcher.DispatchAsync(Samples.Kiln(), [channel], CancellationToken.None);
        // Backoff: 2 s after attempt 1, 4 s after attempt 2. Time moves only once the dispatcher waits for it.
        await Wait.UntilAsync(() => time.DueTimes.Contains(TimeSpan.FromSeconds(2)), "a 2 s backoff", _patience);
        time.Advance(TimeSpan.FromSeconds(2));
        await Wait.UntilAsync(() => time.DueTimes.Contains(TimeSpan.FromSeconds(4)), "a 4 s backoff", _patience);
        time.Advance(TimeSpan.FromSeconds(4));
        var delivery = Assert.Single(await dispatch);

        Assert.Equal(DeliveryOutcome.Delivered, delivery.Outcome);
        Assert.Equal(3, delivery.Attempts);
        Assert.Equal(3, receiver.RequestsTo(path).Count);
        Assert.Equal(
            [
                (1, Samples.Now, false, (int?)500, (string?)"HTTP 500: busy"),
                (2, Samples.Now.AddSeconds(2), false, 500, "HTTP 500: busy"),
                (3, Samples.Now.AddSeconds(6), true, 200, null),
            ],
            _log.Records.Select(r => (r.Attempt, r.At, r.Ok, r.StatusCode, r.Error)));
        Assert.All(_log.Records, r => Assert.Equal(("A-1001", "ch-wecom", false), (r.AlarmId, r.ChannelKey, r.HeldForQuietHours)));
        Assert.Equal([6102, 6102, 6101], _logger.Entries.Select(e => e.EventId));
    }

    [Fact]
    public async Task DispatchAsync_AlwaysFailing_GivesUpAfterMaxAttemptsWithoutThrowing()
    {
        var path = receiver.Route(Reply.Error(503, "down"));
        var channel = Channel(TimeProvider.System, Samples.Channel(ChannelKind.Webhook, receiver.Url(path)));
        var dispatcher = Dispatcher(TimeProvider.System, new NotificationRetryOptions { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1) });

        var delivery = Assert.Single(await dispatcher.DispatchAsync(Samples.Kiln(), [channel], CancellationToken.None));

        Assert.Equal(DeliveryOutcome.Failed, delivery.Outcome);
        Assert.Equal(3, delivery.Attempts);
        Assert.Equal("HTTP 503: down", delivery.LastResult!.Error);
        Assert.Equal([1, 2, 3], _log.Records.Select(r => r.Attempt));
        Assert.Equal(6103, Assert.Single(_logger.Errors).EventId);
    }

    [Fact]
    public async Task DispatchAsync_PlatformRejects_DoesNotRetry()
    {
        var path = receiver.Route(Reply.Json("""{"errcode":93000,"errmsg":"invalid webhook url"}"""));
        var channel = Channel(TimeProvider.System, Samples.Channel(ChannelKind.WeCom, receiver.Url(path)));
        var dispatcher = Dispatcher(TimeProvider.System);

        var delivery = Assert.Single(await dispatcher.DispatchAsync(Samples.Kiln(), [channel], CancellationToken.None));

        Assert.Equal(DeliveryOutcome.Failed, delivery.Outcome);
        Assert.Equal(1, delivery.Attempts);
        var record = Assert.Single(_log.Records);
        Assert.Equal((false, (int?)200, "errcode 93000: invalid webhook url"), (record.Ok, record.StatusCode, record.Error));
    }

    [Fact]
    public async Task DispatchAsync_ReceiverHangs_TimesOutEachAttempt()
    {
        var path = receiver.Route(Reply.Hanging);
        var channel = Channel(TimeProvider.System, Samples.Channel(ChannelKind.DingTalk, receiver.Url(path, "?access_token=t")));
        var dispatcher = Dispatcher(TimeProvider.System, new NotificationRetryOptions
        {
            MaxAttempts = 2,
            BaseDelay = TimeSpan.FromMilliseconds(10),
            // Long enough that each attempt's request surely reaches the receiver on a loaded CI machine.
            AttemptTimeout = TimeSpan.FromSeconds(1),
        });

        var delivery = Assert.Single(await dispatcher.DispatchAsync(Samples.Kiln(), [channel], CancellationToken.None));

        Assert.Equal(DeliveryOutcome.Failed, delivery.Outcome);
        Assert.Equal(2, delivery.Attempts);
        Assert.All(_log.Records, r => Assert.Equal((false, (int?)null, "no answer within 1 s"), (r.Ok, r.StatusCode, r.Error)));
        await Wait.UntilAsync(() => receiver.RequestsTo(path).Count == 2, "the receiver to record both attempts", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task DispatchAsync_SeveralChannels_AnswersPerChannelInOrder()
    {
        var good = receiver.Route(Reply.Json(WeComOk));
        var bad = receiver.Route(Reply.Error(404));
        var channels = new[]
        {
            Channel(TimeProvider.System, Samples.Channel(ChannelKind.WeCom, receiver.Url(good))),
            Channel(TimeProvider.System, Samples.Channel(ChannelKind.Webhook, receiver.Url(bad))),
            Channel(TimeProvider.System, Samples.Channel(ChannelKind.Feishu, receiver.Url(bad)) with { Key = "off", Enabled = false }),
        };

        var deliveries = await Dispatcher(TimeProvider.System).DispatchAsync(Samples.Kiln(), channels, CancellationToken.None);

        Assert.Equal(
            [("ch-wecom", DeliveryOutcome.Delivered), ("ch-webhook", DeliveryOutcome.Failed), ("off", DeliveryOutcome.Disabled)],
            deliveries.Select(d => (d.ChannelKey, d.Outcome)));
        Assert.Single(receiver.RequestsTo(bad));
        Assert.DoesNotContain(_log.Records, r => r.ChannelKey == "off");
    }

    [Fact]
    public async Task DispatchAsync_DeliveryLogBroken_StillDeliversAndLogsTheError()
    {
        var path = receiver.Route(Reply.Json(WeComOk));
        var channel = Channel(TimeProvider.System, Samples.Channel(ChannelKind.WeCom, receiver.Url(path)));
        var dispatcher = new NotificationDispatcher(new BrokenDeliveryLog(), TimeProvider.System, _logger);

        var delivery = Assert.Single(await dispatcher.DispatchAsync(Samples.Kiln(), [channel], CancellationToken.None));

        Assert.Equal(DeliveryOutcome.Delivered, delivery.Outcome);
        Assert.Equal(6105, Assert.Single(_logger.Errors).EventId);
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Dispatcher(TimeProvider.System, new NotificationRetryOptions { MaxAttempts = 0 }));
        Assert.Contains("MaxAttempts 0 is not between 1 and 20.", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(8, 256)]
    [InlineData(9, 300)]
    [InlineData(40, 300)]
    public void DelayAfter_Attempt_DoublesFromBaseUpToMax(int attempt, int expectedSeconds)
    {
        var options = new NotificationRetryOptions { BaseDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromMinutes(5) };

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), options.DelayAfter(attempt));
    }

    [Fact]
    public async Task DispatchAsync_QuietHours_HoldsMinorSendsCriticalAndReleasesMinorWhenTheyEnd()
    {
        // 2026-03-14 15:00 UTC is 23:00 in Shanghai (UTC+8), inside 22:00-07:00; the window ends at 07:00 local on
        // 2026-03-15 = 2026-03-14 23:00 UTC.
        var time = new WatchedTimeProvider(new DateTimeOffset(2026, 3, 14, 15, 0, 0, TimeSpan.Zero));
        var path = receiver.Route(Reply.Json("{}"));
        var quiet = new QuietHours { Start = new TimeOnly(22, 0), End = new TimeOnly(7, 0), TimeZone = "Asia/Shanghai" };
        var channel = Channel(time, Samples.Channel(ChannelKind.Webhook, receiver.Url(path), quiet: quiet));
        var dispatcher = Dispatcher(time);
        var endOfQuiet = new DateTimeOffset(2026, 3, 14, 23, 0, 0, TimeSpan.Zero);

        var minor = Assert.Single(await dispatcher.DispatchAsync(Samples.Kiln("minor", "A-MINOR"), [channel], CancellationToken.None));
        var critical = Assert.Single(await dispatcher.DispatchAsync(Samples.Kiln("critical", "A-CRIT"), [channel], CancellationToken.None));

        Assert.Equal((DeliveryOutcome.Held, endOfQuiet, 0), (minor.Outcome, minor.HeldUntil, minor.Attempts));
        Assert.Equal(DeliveryOutcome.Delivered, critical.Outcome);
        Assert.Equal(["A-CRIT"], receiver.RequestsTo(path).Select(AlarmIdOf));
        var hold = _log.Records[0];
        Assert.Equal(("A-MINOR", 0, true, (DateTimeOffset?)endOfQuiet, false), (hold.AlarmId, hold.Attempt, hold.HeldForQuietHours, hold.HeldUntil, hold.Ok));
        Assert.Equal(endOfQuiet, dispatcher.NextReleaseAt);

        time.Advance(endOfQuiet - time.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.Empty(await dispatcher.ReleaseDueAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(1));
        var released = Assert.Single(await dispatcher.ReleaseDueAsync(CancellationToken.None));

        Assert.Equal(DeliveryOutcome.Delivered, released.Outcome);
        Assert.Equal(["A-CRIT", "A-MINOR"], receiver.RequestsTo(path).Select(AlarmIdOf));
        Assert.Empty(dispatcher.Held);
        Assert.Null(dispatcher.NextReleaseAt);
        var sent = _log.Records[^1];
        Assert.Equal(("A-MINOR", 1, true, endOfQuiet), (sent.AlarmId, sent.Attempt, sent.Ok, sent.At));
        Assert.Empty(_logger.Errors);
    }

    [Fact]
    public async Task DispatchAsync_TestMessageDuringQuietHours_SentAtOnce()
    {
        var time = new WatchedTimeProvider(new DateTimeOffset(2026, 3, 14, 15, 0, 0, TimeSpan.Zero));
        var path = receiver.Route(Reply.Json("{}"));
        var quiet = new QuietHours { Start = new TimeOnly(22, 0), End = new TimeOnly(7, 0), TimeZone = "Asia/Shanghai" };
        var channel = Channel(time, Samples.Channel(ChannelKind.Webhook, receiver.Url(path), quiet: quiet));

        var delivery = Assert.Single(await Dispatcher(time).DispatchAsync(
            Samples.Kiln("info", transition: AlarmTransition.Test), [channel], CancellationToken.None));

        Assert.Equal(DeliveryOutcome.Delivered, delivery.Outcome);
    }

    [Fact]
    public async Task RunReleaseLoopAsync_HeldMessage_SentWhenQuietHoursEnd()
    {
        var time = new WatchedTimeProvider(new DateTimeOffset(2026, 3, 14, 22, 59, 30, TimeSpan.Zero));
        var path = receiver.Route(Reply.Json("{}"));
        var quiet = new QuietHours { Start = new TimeOnly(22, 0), End = new TimeOnly(7, 0), TimeZone = "Asia/Shanghai" };
        var channel = Channel(time, Samples.Channel(ChannelKind.Webhook, receiver.Url(path), quiet: quiet));
        var dispatcher = Dispatcher(time);
        using var stop = new CancellationTokenSource();
        await dispatcher.DispatchAsync(Samples.Kiln("warning"), [channel], CancellationToken.None);

        var loop = dispatcher.RunReleaseLoopAsync(stop.Token);
        await Wait.UntilAsync(() => time.DueTimes.Contains(TimeSpan.FromSeconds(30)), "the loop waiting 30 s for 07:00 Shanghai", _patience);
        time.Advance(TimeSpan.FromSeconds(30));
        await Wait.UntilAsync(() => receiver.RequestsTo(path).Count == 1, "the held message to be sent", _patience);
        await stop.CancelAsync();
        await loop;

        Assert.Empty(dispatcher.Held);
    }

    private static string AlarmIdOf(ReceivedRequest request) =>
        System.Text.Json.Nodes.JsonNode.Parse(request.BodyText)!["alarmId"]!.GetValue<string>();
}
