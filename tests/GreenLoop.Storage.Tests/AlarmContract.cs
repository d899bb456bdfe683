using GreenLoop.Domain.Alarms;
using GreenLoop.Testing;

namespace GreenLoop.Storage.Tests;

/// <summary>Alarm rules, evaluation tracks, alarms with their history; one open alarm per rule and subject.</summary>
public abstract class AlarmContract : StoreContract
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private static AlarmRule Rule(string key, double limit) => new()
    {
        Key = key,
        Name = "Night base load " + key,
        NameZh = "夜间基础负荷",
        Subject = AlarmSubject.Meter(TestSites.MainMeter),
        Condition = new ConsumptionAbove { Limit = limit },
        Recipients = ["ops"],
    };

    private static Alarm NewAlarm(StoredAlarmRule rule, string subject, long startedAt, AlarmSeverity severity = AlarmSeverity.Major) => new()
    {
        SiteId = rule.SiteId,
        Site = rule.SiteKey,
        RuleId = rule.Id,
        RuleKey = rule.Rule.Key,
        RuleName = rule.Rule.Name,
        Subject = subject,
        Severity = severity,
        StartedAt = startedAt,
        RaisedAt = startedAt,
        CreatedAt = startedAt + 5,
        Value = 120,
        Limit = 100,
        Unit = "kWh",
        DetailEn = "120 kWh > 100 kWh",
        DetailZh = "120 kWh > 100 kWh",
    };

    private static async Task<(PipelineHarness H, long Site)> StartWithPlantAsync(Func<DateTimeOffset, Task<PipelineHarness>> start)
    {
        var h = await start(_now);
        await h.Store.ApplySiteAsync(h.TenantId, TestSites.PlantWithKilnElec(), 1, Ct);
        return (h, (await h.Store.GetSiteAsync(h.TenantId, "plant", Ct))!.Id);
    }

    [Fact]
    public async Task SaveAlarmRule_SameKeyTwice_ReplacesTheDefinitionAndKeepsTheId()
    {
        var (h, site) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;

        var first = await h.Store.SaveAlarmRuleAsync(site, Rule("night", 100), 10, Ct);
        var second = await h.Store.SaveAlarmRuleAsync(site, Rule("night", 80), 20, Ct);
        var other = await h.Store.SaveAlarmRuleAsync(site, Rule("day", 500), 30, Ct);

        Assert.Equal(first.Id, second.Id);
        Assert.NotEqual(first.Id, other.Id);
        Assert.Equal((h.TenantId, site, "plant", 20L), (second.TenantId, second.SiteId, second.SiteKey, second.UpdatedAt));
        Assert.Equal(80, Assert.IsType<ConsumptionAbove>(second.Rule.Condition).Limit);
        var listed = await h.Store.AlarmRulesAsync(site, Ct);
        Assert.Equal(["day", "night"], listed.Select(r => r.Rule.Key));
        Assert.Equal(80, Assert.IsType<ConsumptionAbove>(listed[1].Rule.Condition).Limit);
        Assert.Equal(["ops"], listed[1].Rule.Recipients);
        Assert.Equal(2, (await h.Store.AlarmRulesAsync(null, Ct)).Count);
        Assert.Empty(await h.Store.AlarmRulesAsync(site + 1000, Ct));
    }

    [Fact]
    public async Task DeleteAlarmRule_WithTracksAndAlarms_RemovesRuleAndItsTracksButKeepsAlarms()
    {
        var (h, site) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        var night = await h.Store.SaveAlarmRuleAsync(site, Rule("night", 100), 10, Ct);
        var day = await h.Store.SaveAlarmRuleAsync(site, Rule("day", 500), 10, Ct);
        var saved = await h.Store.SaveAlarmWorkAsync(new AlarmWork(
            [new AlarmTrack(night.Id, TestSites.MainMeter, 100, 200, false), new AlarmTrack(day.Id, TestSites.MainMeter, null, 300, true)],
            [new AlarmChange(NewAlarm(night, TestSites.MainMeter, 1000), [new AlarmHistoryEntry(0, 1005, AlarmEventKind.Raised, "system", null)])]), Ct);

        var deleted = await h.Store.DeleteAlarmRuleAsync(site, "night", Ct);
        var again = await h.Store.DeleteAlarmRuleAsync(site, "night", Ct);

        Assert.True(deleted);
        Assert.False(again);
        Assert.Equal(["day"], (await h.Store.AlarmRulesAsync(site, Ct)).Select(r => r.Rule.Key));
        Assert.Equal([new AlarmTrack(day.Id, TestSites.MainMeter, null, 300, true)], await h.Store.AlarmTracksAsync(Ct));
        Assert.NotNull(await h.Store.GetAlarmAsync(h.TenantId, saved[0].Id, Ct));
    }

    [Fact]
    public async Task SaveAlarmWork_NewAlarmThenAcknowledged_IdAssignedBodyUpdatedHistoryInOrder()
    {
        var (h, site) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        var rule = await h.Store.SaveAlarmRuleAsync(site, Rule("night", 100), 10, Ct);

        var raised = Assert.Single(await h.Store.SaveAlarmWorkAsync(new AlarmWork(
            [new AlarmTrack(rule.Id, TestSites.MainMeter, 900, 1000, false), new AlarmTrack(rule.Id, TestSites.MainMeter, null, 1000, false)],
            [new AlarmChange(NewAlarm(rule, TestSites.MainMeter, 1000), [new AlarmHistoryEntry(0, 1005, AlarmEventKind.Raised, "system", "120 > 100")])]), Ct));
        var acknowledged = raised with { State = AlarmState.Acknowledged, AcknowledgedAt = 2000, AcknowledgedBy = "li.wei" };
        await h.Store.SaveAlarmWorkAsync(new AlarmWork([],
            [new AlarmChange(acknowledged, [new AlarmHistoryEntry(raised.Id, 2000, AlarmEventKind.Acknowledged, "li.wei", null), new AlarmHistoryEntry(raised.Id, 2001, AlarmEventKind.Commented, "li.wei", "kiln warming up")])]), Ct);

        Assert.True(raised.Id > 0);
        Assert.Equal(acknowledged, await h.Store.GetAlarmAsync(h.TenantId, raised.Id, Ct));
        // The last track of a rule and subject in one piece of work is the one kept.
        Assert.Equal([new AlarmTrack(rule.Id, TestSites.MainMeter, null, 1000, false)], await h.Store.AlarmTracksAsync(Ct));
        Assert.Equal(
            [new AlarmHistoryEntry(raised.Id, 1005, AlarmEventKind.Raised, "system", "120 > 100"), new AlarmHistoryEntry(raised.Id, 2000, AlarmEventKind.Acknowledged, "li.wei", null),
             new AlarmHistoryEntry(raised.Id, 2001, AlarmEventKind.Commented, "li.wei", "kiln warming up")],
            await h.Store.AlarmHistoryAsync(raised.Id, Ct));
        Assert.Equal([acknowledged], await h.Store.OpenAlarmsAsync(Ct));
    }

    [Fact]
    public async Task SaveAlarmWork_SecondOpenAlarmForTheSameRuleAndSubject_FailsAndWritesNothing()
    {
        var (h, site) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        var rule = await h.Store.SaveAlarmRuleAsync(site, Rule("night", 100), 10, Ct);
        var open = Assert.Single(await h.Store.SaveAlarmWorkAsync(new AlarmWork([], [new AlarmChange(NewAlarm(rule, TestSites.MainMeter, 1000), [])]), Ct));

        await Assert.ThrowsAnyAsync<Exception>(() => h.Store.SaveAlarmWorkAsync(new AlarmWork(
            [new AlarmTrack(rule.Id, "other-subject", 5, 5, false)],
            [new AlarmChange(NewAlarm(rule, "other-subject", 1500), []), new AlarmChange(NewAlarm(rule, TestSites.MainMeter, 2000), [])]), Ct));

        Assert.Equal([open], await h.Store.OpenAlarmsAsync(Ct));
        Assert.Empty(await h.Store.AlarmTracksAsync(Ct));
        // Once the first is cleared, a new one for the same rule and subject is allowed.
        await h.Store.SaveAlarmWorkAsync(new AlarmWork([], [new AlarmChange(open with { State = AlarmState.Cleared, EndedAt = 1900 }, [])]), Ct);
        var next = Assert.Single(await h.Store.SaveAlarmWorkAsync(new AlarmWork([], [new AlarmChange(NewAlarm(rule, TestSites.MainMeter, 2000), [])]), Ct));
        Assert.Equal([next], await h.Store.OpenAlarmsAsync(Ct));
    }

    [Fact]
    public async Task ListAlarms_Filters_NewestFirstWithinTheTenant()
    {
        var (h, site) = await StartWithPlantAsync(StartAsync);
        await using var _h = h;
        var other = await h.Store.EnsureTenantAsync("other", "Other", Ct);
        await h.Store.ApplySiteAsync(other, TestSites.PlantWithKilnElec("plant", "o"), 1, Ct);
        var otherSite = (await h.Store.GetSiteAsync(other, "plant", Ct))!.Id;
        var rule = await h.Store.SaveAlarmRuleAsync(site, Rule("night", 100), 10, Ct);
        var otherRule = await h.Store.SaveAlarmRuleAsync(otherSite, Rule("night", 100), 10, Ct);
        // Spans: a [1000, 2000) cleared, b [3000, open) critical, c [5000, 6000) cleared-unacknowledged; theirs [1000, open).
        var saved = await h.Store.SaveAlarmWorkAsync(new AlarmWork([],
        [
            new AlarmChange(NewAlarm(rule, "a", 1000) with { State = AlarmState.Cleared, EndedAt = 2000 }, []),
            new AlarmChange(NewAlarm(rule, "b", 3000, AlarmSeverity.Critical), []),
            new AlarmChange(NewAlarm(rule, "c", 5000) with { State = AlarmState.ClearedUnack, EndedAt = 6000 }, []),
            new AlarmChange(NewAlarm(otherRule, "a", 1000), []),
        ]), Ct);
        async Task<string[]> List(AlarmFilter f) => [.. (await h.Store.ListAlarmsAsync(h.TenantId, f, Ct)).Select(a => a.Subject)];

        Assert.Equal(["c", "b", "a"], await List(new AlarmFilter()));
        Assert.Equal(["c", "b"], await List(new AlarmFilter { Limit = 2 }));
        Assert.Equal(["b"], await List(new AlarmFilter { States = [AlarmState.Active, AlarmState.Acknowledged] }));
        Assert.Equal(["c", "a"], await List(new AlarmFilter { States = [AlarmState.Cleared, AlarmState.ClearedUnack] }));
        Assert.Equal(["b"], await List(new AlarmFilter { Severities = [AlarmSeverity.Critical] }));
        Assert.Equal(["a"], await List(new AlarmFilter { Subject = "a", SiteId = site, RuleId = rule.Id }));
        // Overlapping [2500, 5500): a ended at 2000 (out), b open since 3000 (in), c started 5000 (in).
        Assert.Equal(["c", "b"], await List(new AlarmFilter { From = 2500, To = 5500 }));
        Assert.Equal(["b", "a"], await List(new AlarmFilter { To = 5000 }));
        Assert.Empty(await List(new AlarmFilter { SiteId = otherSite }));
        Assert.Null(await h.Store.GetAlarmAsync(h.TenantId, saved[3].Id, Ct));
        Assert.Equal(saved[3], await h.Store.GetAlarmAsync(other, saved[3].Id, Ct));
        Assert.Equal([saved[1].Id, saved[3].Id], (await h.Store.OpenAlarmsAsync(Ct)).Select(a => a.Id));
    }
}
