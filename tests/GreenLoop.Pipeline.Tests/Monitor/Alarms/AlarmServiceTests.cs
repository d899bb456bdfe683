using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using GreenLoop.Notifications;
using GreenLoop.Pipeline.Meter.Ingest;
using static GreenLoop.Pipeline.Tests.Monitor.Alarms.AlarmHarness;

namespace GreenLoop.Pipeline.Tests.Monitor.Alarms;

public sealed class AlarmServiceTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static AlarmRule HourLimit(int forMinutes = 0, AlarmEscalation? escalation = null) => new()
    {
        Key = "line-hour",
        Name = "Line above 100 kWh in an hour",
        NameZh = "产线小时用电超过100 kWh",
        Subject = AlarmSubject.Meter(Line),
        Condition = new ConsumptionAbove { Per = AlarmGrain.Hour, Limit = 100 },
        ForMinutes = forMinutes,
        Recipients = ["ops"],
        Escalation = escalation,
    };

    private static AlarmRule NoxPermit() => new()
    {
        Key = "nox",
        Name = "NOx above 180 mg/m3 for 30 minutes",
        Subject = AlarmSubject.Meter(Nox),
        Condition = new ValueOutOfRange { Max = 180 },
        ForMinutes = 30,
        Severity = AlarmSeverity.Critical,
        Recipients = ["ops"],
    };

    private static ReadingInput[] NoxSamples(int fromMinute, int toMinute, double value) =>
        [.. Enumerable.Range(0, ((toMinute - fromMinute) / 5) + 1).Select(i => new ReadingInput(Nox, T0.AddMinutes(fromMinute + (5 * i)), value))];

    [Fact]
    public async Task Consumption_HourAboveLimit_RaisesOnceWithValueUnitAndLimit()
    {
        await using var h = await StartAsync(HourLimit());

        // 00:00-01:00: 4 x 30 = 120 kWh > 100; 01:00-02:00 again 120 kWh: still the one open alarm.
        await h.PostAsync(T0.AddHours(1), Hour(T0, 120));
        await h.PostAsync(T0.AddHours(2), Hour(T0.AddHours(1), 120));

        var alarm = Assert.Single(await h.AlarmsAsync());
        Assert.Equal(AlarmState.Active, alarm.State);
        Assert.Equal((120d, 100d, "kWh"), (alarm.Value!.Value, alarm.Limit!.Value, alarm.Unit));
        Assert.Equal("Line feeder (works.line.elec): 2026-03-02 00:00–01:00: 120 kWh, limit 100 kWh", alarm.DetailEn);
        var (message, to) = Assert.Single(h.Notifier.Sent);
        Assert.Equal(AlarmTransition.Raised, message.Transition);
        Assert.Equal(["ops"], to);
        Assert.Equal("产线小时用电超过100 kWh — works.line.elec", message.TitleZh);
        Assert.Equal(("产线小时用电超过100 kWh / Line above 100 kWh in an hour", "工厂 Works", "works"), (message.RuleName, message.Site, message.SiteKey));
        // Raised when the hour 00:00-01:00 ended, in the site's zone (UTC here).
        Assert.Equal(T0.AddHours(1), message.At);
        Assert.Contains("120 kWh，限值 100 kWh", message.DetailZh, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consumption_PeriodInProgress_RaisesAsSoonAsItsTotalPassesTheLimit()
    {
        await using var h = await StartAsync(HourLimit());

        // 00:30 into the hour: 2 quarters of 60 kWh = 120 kWh already.
        await h.PostAsync(T0.AddMinutes(31), new ReadingInput(Line, T0.AddMinutes(15), 60), new ReadingInput(Line, T0.AddMinutes(30), 60));

        Assert.Equal(AlarmState.Active, Assert.Single(await h.AlarmsAsync()).State);
    }

    [Fact]
    public async Task Consumption_Hysteresis_HoldsAbove90Percent_ClearsBelow_ThenReRaisesANewAlarm()
    {
        await using var h = await StartAsync(HourLimit());

        await h.PostAsync(T0.AddHours(1), Hour(T0, 120));
        await h.PostAsync(T0.AddHours(2), Hour(T0.AddHours(1), 95));
        var held = Assert.Single(await h.AlarmsAsync());
        await h.PostAsync(T0.AddHours(3), Hour(T0.AddHours(2), 80));
        await h.PostAsync(T0.AddHours(4), Hour(T0.AddHours(3), 130));

        Assert.Equal(AlarmState.Active, held.State);
        var alarms = await h.AlarmsAsync();
        Assert.Equal(2, alarms.Count);
        Assert.Equal(AlarmState.ClearedUnack, alarms[0].State);
        Assert.Equal(T0.AddHours(2).ToUnixTimeMilliseconds(), alarms[0].EndedAt);
        Assert.Equal(AlarmState.Active, alarms[1].State);
        Assert.Equal(130, alarms[1].Value);
        Assert.Equal([AlarmTransition.Raised, AlarmTransition.Cleared, AlarmTransition.Raised], h.Notifier.Sent.Select(s => s.Message.Transition));
    }

    [Fact]
    public async Task Range_MinimumDuration_RaisesOnlyAfterThirtyMinutesAbove()
    {
        await using var h = await StartAsync(NoxPermit());

        await h.PostAsync(T0.AddMinutes(16), NoxSamples(0, 15, 250));
        var afterFifteen = await h.AlarmsAsync();
        await h.PostAsync(T0.AddMinutes(31), NoxSamples(20, 30, 250));

        Assert.Empty(afterFifteen);
        var alarm = Assert.Single(await h.AlarmsAsync());
        Assert.Equal(T0.ToUnixTimeMilliseconds(), alarm.StartedAt);
        Assert.Equal(T0.AddMinutes(30).ToUnixTimeMilliseconds(), alarm.RaisedAt);
        Assert.Equal("mg/m3", alarm.Unit);
    }

    private static AlarmRule NoxInstant() => NoxPermit() with { Key = "nox-now", ForMinutes = 0 };

    [Fact]
    public async Task Range_TwentySecondsAboveInAnUnfinishedQuarter_RaisesNothing_AndTheQuarterMeanDecides()
    {
        await using var h = await StartAsync(NoxInstant());

        // 20 s at 300 mg/m3 at the start of the quarter 00:00-00:15, judged while the quarter is in progress.
        ReadingInput[] burst = [.. Enumerable.Range(0, 5).Select(i => new ReadingInput(Nox, T0.AddSeconds(5 * i), 300))];
        await h.PostAsync(T0.AddSeconds(21), burst);
        var early = await h.AlarmsAsync();
        // The rest of the quarter at 80 mg/m3 (a reading each minute, 00:01 to 00:15): the quarter's time-weighted
        // mean is (300 x 60 s + 80 x 840 s) / 900 s = 94.7 mg/m3, under the limit of 180.
        await h.PostAsync(T0.AddMinutes(15).AddSeconds(5), [.. Enumerable.Range(1, 15).Select(m => new ReadingInput(Nox, T0.AddMinutes(m), 80))]);
        await h.TickAsync(T0.AddMinutes(16));

        Assert.Empty(early);
        Assert.Empty(await h.AlarmsAsync());
        Assert.Empty(h.Notifier.Sent);
    }

    [Fact]
    public async Task Range_CompletedQuarterAboveTheLimit_Raises()
    {
        await using var h = await StartAsync(NoxInstant());

        // A reading every minute 00:00-00:14 at 250 mg/m3, posted while the quarter runs: nothing yet.
        await h.PostAsync(T0.AddMinutes(14).AddSeconds(30), [.. Enumerable.Range(0, 15).Select(m => new ReadingInput(Nox, T0.AddMinutes(m), 250))]);
        var during = await h.AlarmsAsync();
        // The next reading, after the quarter ended, lets it be judged: mean 250 > 180.
        await h.PostAsync(T0.AddMinutes(15).AddSeconds(10), new ReadingInput(Nox, T0.AddMinutes(15), 250));

        Assert.Empty(during);
        var alarm = Assert.Single(await h.AlarmsAsync());
        Assert.Equal((AlarmState.Active, 250d, 180d), (alarm.State, alarm.Value!.Value, alarm.Limit!.Value));
        Assert.Equal(T0.ToUnixTimeMilliseconds(), alarm.StartedAt);
        Assert.Equal(T0.AddMinutes(15).ToUnixTimeMilliseconds(), alarm.RaisedAt);
        Assert.Equal(AlarmTransition.Raised, Assert.Single(h.Notifier.Sent).Message.Transition);
    }

    [Fact]
    public async Task Range_QuarterAboveTheLimit_WithNoLaterReading_IsJudgedByTheClockWhenItEnds()
    {
        await using var h = await StartAsync(NoxInstant());

        await h.PostAsync(T0.AddMinutes(14).AddSeconds(30), [.. Enumerable.Range(0, 15).Select(m => new ReadingInput(Nox, T0.AddMinutes(m), 250))]);
        await h.TickAsync(T0.AddMinutes(14).AddSeconds(50));
        var before = await h.AlarmsAsync();
        await h.TickAsync(T0.AddMinutes(15).AddSeconds(10));

        Assert.Empty(before);
        var alarm = Assert.Single(await h.AlarmsAsync());
        Assert.Equal((AlarmState.Active, 250d), (alarm.State, alarm.Value!.Value));
    }

    [Fact]
    public async Task Consumption_LimitAlreadyExceededMidHour_RaisesAtOnce_WhileARangeRuleOnTheSameDataWaits()
    {
        Assert.True(AlarmPeriods.JudgedInProgress(HourLimit().Condition));
        Assert.False(AlarmPeriods.JudgedInProgress(NoxInstant().Condition));
        Assert.False(AlarmPeriods.JudgedInProgress(new AnyOf { Of = [HourLimit().Condition, NoxInstant().Condition] }));
        await using var h = await StartAsync(HourLimit());

        // 00:20 into the hour: 60 + 60 kWh = 120 kWh > 100 kWh, and consumption cannot fall.
        await h.PostAsync(T0.AddMinutes(20), new ReadingInput(Line, T0.AddMinutes(15), 60), new ReadingInput(Line, T0.AddMinutes(20), 60));

        var alarm = Assert.Single(await h.AlarmsAsync());
        Assert.Equal((AlarmState.Active, 120d), (alarm.State, alarm.Value!.Value));
        Assert.Equal(T0.AddMinutes(20).ToUnixTimeMilliseconds(), alarm.RaisedAt);
    }

    [Fact]
    public async Task Restart_DurationInProgressContinues_AndOpenAlarmStaysOpen()
    {
        await using var h = await StartAsync(NoxPermit());

        await h.PostAsync(T0.AddMinutes(16), NoxSamples(0, 15, 250));
        await h.RestartAsync();
        await h.PostAsync(T0.AddMinutes(31), NoxSamples(20, 30, 250));
        var raised = Assert.Single(await h.AlarmsAsync());
        await h.RestartAsync();
        await h.PostAsync(T0.AddMinutes(46), NoxSamples(35, 45, 255));
        var stillOpen = Assert.Single(await h.AlarmsAsync());
        await h.PostAsync(T0.AddMinutes(76), NoxSamples(50, 75, 100));

        Assert.Equal(AlarmState.Active, raised.State);
        Assert.Equal((raised.Id, AlarmState.Active), (stillOpen.Id, stillOpen.State));
        var cleared = Assert.Single(await h.AlarmsAsync());
        Assert.Equal((raised.Id, AlarmState.ClearedUnack), (cleared.Id, cleared.State));
    }

    [Fact]
    public async Task Anomaly_CounterDrop_RaisesForTheHourAndClearsTheNext()
    {
        var rule = new AlarmRule
        {
            Key = "drop",
            Name = "Counter drop",
            Subject = AlarmSubject.EachMeter("electricity"),
            Condition = new CounterAnomaly { Kinds = [FindingKind.Drop], Per = AlarmGrain.Hour },
        };
        await using var h = await StartAsync(rule);
        double[] registers = [100, 110, 120, 5, 6, 7, 8, 9, 10, 11, 12, 13];

        await h.PostAsync(T0.AddHours(3), [.. registers.Select((v, i) => new ReadingInput(Counter, T0.AddMinutes(15 * (i + 1)), v))]);

        var alarm = Assert.Single(await h.AlarmsAsync());
        Assert.Equal(Counter, alarm.Subject);
        Assert.Equal(AlarmState.ClearedUnack, alarm.State);
        Assert.Contains("counter drop at 2026-03-02 01:00", alarm.DetailEn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoData_SilentLongerThanTheLimit_RaisesOnTheTick_AndClearsWhenDataReturns()
    {
        var rule = new AlarmRule { Key = "offline", Name = "Offline", Subject = AlarmSubject.Meter(Line), Condition = new NoData { Minutes = 30 } };
        await using var h = await StartAsync(rule);

        await h.PostAsync(T0.AddMinutes(15), new ReadingInput(Line, T0.AddMinutes(15), 1));
        await h.TickAsync(T0.AddMinutes(44));
        var quiet = await h.AlarmsAsync();
        await h.TickAsync(T0.AddMinutes(45));
        var raised = await h.AlarmsAsync();
        await h.PostAsync(T0.AddMinutes(50), new ReadingInput(Line, T0.AddMinutes(30), 1));
        await h.TickAsync(T0.AddMinutes(50));

        Assert.Empty(quiet);
        Assert.Equal(AlarmState.Active, Assert.Single(raised).State);
        Assert.Contains("no reading since 2026-03-02 00:15", raised[0].DetailEn, StringComparison.Ordinal);
        Assert.Equal(AlarmState.ClearedUnack, Assert.Single(await h.AlarmsAsync()).State);
    }

    [Fact]
    public async Task Escalation_UnacknowledgedAfterThirtyMinutes_TellsTheEscalationChannelsOnce()
    {
        await using var h = await StartAsync(HourLimit(escalation: new AlarmEscalation { AfterMinutes = 30, Recipients = ["manager"] }));

        await h.PostAsync(T0.AddHours(1), Hour(T0, 120));
        await h.TickAsync(T0.AddHours(1).AddMinutes(29));
        var early = h.Notifier.Sent.Count;
        await h.TickAsync(T0.AddHours(1).AddMinutes(30));
        await h.TickAsync(T0.AddHours(1).AddMinutes(40));

        Assert.Equal(1, early);
        var escalated = h.Notifier.Sent.Where(s => s.Message.Transition == AlarmTransition.Escalated).ToList();
        Assert.Equal(["manager"], Assert.Single(escalated).To);
        var alarm = Assert.Single(await h.AlarmsAsync());
        Assert.Equal(T0.AddHours(1).AddMinutes(30).ToUnixTimeMilliseconds(), alarm.EscalatedAt);
    }

    [Fact]
    public async Task Escalation_AcknowledgedInTime_IsNotEscalated()
    {
        await using var h = await StartAsync(HourLimit(escalation: new AlarmEscalation { AfterMinutes = 30, Recipients = ["manager"] }));
        await h.PostAsync(T0.AddHours(1), Hour(T0, 120));
        var id = Assert.Single(await h.AlarmsAsync()).Id;

        await h.Alarms.AcknowledgeAsync(h.TenantId, id, "li.wei", "on it", Ct);
        await h.TickAsync(T0.AddHours(2));

        Assert.DoesNotContain(h.Notifier.Sent, s => s.Message.Transition == AlarmTransition.Escalated);
    }

    [Fact]
    public async Task Lifecycle_AckCommentAssignClear_AllRecordedInHistory()
    {
        await using var h = await StartAsync(HourLimit());
        await h.PostAsync(T0.AddHours(1), Hour(T0, 120));
        var id = Assert.Single(await h.AlarmsAsync()).Id;

        h.Clock.SetUtcNow(T0.AddHours(1).AddMinutes(5));
        var acked = await h.Alarms.AcknowledgeAsync(h.TenantId, id, "li.wei", "on it", Ct);
        await h.Alarms.CommentAsync(h.TenantId, id, "li.wei", "compressor valve stuck", Ct);
        var assigned = await h.Alarms.AssignAsync(h.TenantId, id, "li.wei", "wang.fang", Ct);
        await h.PostAsync(T0.AddHours(2), Hour(T0.AddHours(1), 50));
        var history = await h.Alarms.HistoryAsync(h.TenantId, id, Ct);

        Assert.Equal(AlarmState.Acknowledged, acked!.State);
        Assert.Equal("wang.fang", assigned!.Assignee);
        Assert.Equal(AlarmState.Cleared, Assert.Single(await h.AlarmsAsync()).State);
        Assert.Equal([AlarmEventKind.Raised, AlarmEventKind.Acknowledged, AlarmEventKind.Commented, AlarmEventKind.Assigned, AlarmEventKind.Cleared],
            history!.Select(e => e.Kind));
        Assert.Equal(["system", "li.wei", "li.wei", "li.wei", "system"], history!.Select(e => e.By));
        await Assert.ThrowsAsync<AlarmTransitionException>(() => h.Alarms.AcknowledgeAsync(h.TenantId, id, "li.wei", null, Ct));
    }

    [Fact]
    public async Task Lifecycle_ClearedUnacknowledged_AcknowledgeClosesIt()
    {
        await using var h = await StartAsync(HourLimit());
        await h.PostAsync(T0.AddHours(1), Hour(T0, 120));
        await h.PostAsync(T0.AddHours(2), Hour(T0.AddHours(1), 50));
        var id = Assert.Single(await h.AlarmsAsync()).Id;

        var closed = await h.Alarms.AcknowledgeAsync(h.TenantId, id, "li.wei", null, Ct);

        Assert.Equal(AlarmState.Cleared, closed!.State);
    }

    [Fact]
    public async Task ClearByHand_WhileStillBreaching_NoNewAlarmUntilTheConditionStops()
    {
        await using var h = await StartAsync(HourLimit());
        await h.PostAsync(T0.AddHours(1), Hour(T0, 120));
        var id = Assert.Single(await h.AlarmsAsync()).Id;

        var cleared = await h.Alarms.ClearAsync(h.TenantId, id, "li.wei", "known: kiln start-up", Ct);
        await h.PostAsync(T0.AddHours(2), Hour(T0.AddHours(1), 120));
        var afterBreach = await h.AlarmsAsync();
        await h.PostAsync(T0.AddHours(3), Hour(T0.AddHours(2), 50));
        await h.PostAsync(T0.AddHours(4), Hour(T0.AddHours(3), 120));

        Assert.Equal(AlarmState.ClearedUnack, cleared!.State);
        Assert.Single(afterBreach);
        var all = await h.AlarmsAsync();
        Assert.Equal(2, all.Count);
        Assert.Equal(AlarmState.Active, all[1].State);
    }

    [Fact]
    public async Task LateData_BeforeTheLiveCursor_RaisesAHistoricalAlarm_NotSentToPeople()
    {
        await using var h = await StartAsync(HourLimit());
        await h.PostAsync(T0.AddHours(3), [.. Hour(T0.AddHours(1), 50), .. Hour(T0.AddHours(2), 50)]);

        await h.PostAsync(T0.AddHours(3), Hour(T0, 150));

        var alarm = Assert.Single(await h.AlarmsAsync());
        Assert.True(alarm.Historical);
        Assert.Equal(AlarmState.ClearedUnack, alarm.State);
        Assert.Equal((T0.ToUnixTimeMilliseconds(), T0.AddHours(1).ToUnixTimeMilliseconds()), (alarm.StartedAt, alarm.EndedAt!.Value));
        Assert.Empty(h.Notifier.Sent);
    }

    [Fact]
    public async Task AnyOf_EitherConditionRaises()
    {
        var rule = HourLimit() with
        {
            Key = "line-any",
            Condition = new AnyOf
            {
                Of = [new ConsumptionAbove { Per = AlarmGrain.Hour, Limit = 1000 }, new ChangeRateAbove { Compare = ChangeCompare.SameHourYesterday, ThresholdPercent = 50 }],
            },
        };
        await using var h = await StartAsync(rule);

        // Yesterday 00:00-01:00 40 kWh, today 00:00-01:00 80 kWh: +100 % trips the rate though 80 kWh is far below 1000.
        await h.PostAsync(T0.AddDays(1).AddHours(1), [.. Hour(T0, 40), .. Hour(T0.AddDays(1), 80)]);

        var alarm = Assert.Single(await h.AlarmsAsync());
        Assert.Contains("+100 % against the same hour yesterday", alarm.DetailEn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteRule_ClearsItsOpenAlarm()
    {
        await using var h = await StartAsync(HourLimit());
        await h.PostAsync(T0.AddHours(1), Hour(T0, 120));

        var deleted = await h.Alarms.DeleteRuleAsync(h.TenantId, Site, "line-hour", "li.wei", Ct);

        Assert.True(deleted);
        Assert.Equal(AlarmState.ClearedUnack, Assert.Single(await h.AlarmsAsync()).State);
        Assert.Empty((await h.Alarms.RulesAsync(h.TenantId, Site, Ct))!);
    }
}
