using System.Text.Json;
using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;

namespace GreenLoop.Domain.Tests.Alarms;

public sealed class AlarmLifecycleTests
{
    private static readonly Alarm Raised = new()
    {
        Id = 7,
        SiteId = 1,
        Site = "plant",
        RuleId = 3,
        RuleKey = "air-hour-limit",
        RuleName = "Air above 600 kWh in an hour",
        Subject = "air",
        Severity = AlarmSeverity.Major,
        StartedAt = 1000,
        RaisedAt = 2000,
        CreatedAt = 3000,
        DetailEn = "950 kWh, limit 600 kWh",
        DetailZh = "950 kWh，限值 600 kWh",
    };

    [Fact]
    public void Acknowledge_Active_BecomesAcknowledgedAndStaysOpen()
    {
        var (a, e) = AlarmLifecycle.Acknowledge(Raised, "li.wei", 5000, "looking at it");

        Assert.Equal(AlarmState.Acknowledged, a.State);
        Assert.True(a.IsOpen);
        Assert.Equal(("li.wei", 5000L), (a.AcknowledgedBy, a.AcknowledgedAt!.Value));
        Assert.Equal(new AlarmHistoryEntry(7, 5000, AlarmEventKind.Acknowledged, "li.wei", "looking at it"), e);
    }

    [Fact]
    public void Clear_Acknowledged_BecomesCleared()
    {
        var (acked, _) = AlarmLifecycle.Acknowledge(Raised, "li.wei", 5000, null);

        var (a, e) = AlarmLifecycle.Clear(acked, AlarmLifecycle.System, 6000, 5500, "back below 540 kWh");

        Assert.Equal(AlarmState.Cleared, a.State);
        Assert.Equal(5500, a.EndedAt);
        Assert.Equal(AlarmEventKind.Cleared, e.Kind);
    }

    [Fact]
    public void Clear_Active_BecomesClearedUnack_AndAcknowledgeClosesIt()
    {
        var (cleared, _) = AlarmLifecycle.Clear(Raised, AlarmLifecycle.System, 6000, 5500, null);
        var (closed, _) = AlarmLifecycle.Acknowledge(cleared, "li.wei", 7000, null);

        Assert.Equal(AlarmState.ClearedUnack, cleared.State);
        Assert.False(cleared.IsOpen);
        Assert.Equal(AlarmState.Cleared, closed.State);
    }

    [Fact]
    public void Acknowledge_Twice_IsRejected()
    {
        var (acked, _) = AlarmLifecycle.Acknowledge(Raised, "a", 5000, null);

        Assert.Throws<AlarmTransitionException>(() => AlarmLifecycle.Acknowledge(acked, "b", 6000, null));
    }

    [Fact]
    public void Clear_Cleared_IsRejected()
    {
        var (cleared, _) = AlarmLifecycle.Clear(Raised, "a", 6000, 6000, null);

        Assert.Throws<AlarmTransitionException>(() => AlarmLifecycle.Clear(cleared, "b", 7000, 7000, null));
    }

    [Fact]
    public void CommentAndAssign_KeepTheStateAndRecordWhoAndWhat()
    {
        var (commented, c) = AlarmLifecycle.Comment(Raised, "li.wei", 5000, "valve stuck open");
        var (assigned, a) = AlarmLifecycle.Assign(Raised, "li.wei", 5000, "wang.fang");

        Assert.Equal(AlarmState.Active, commented.State);
        Assert.Equal("valve stuck open", c.Text);
        Assert.Equal("wang.fang", assigned.Assignee);
        Assert.Equal(AlarmEventKind.Assigned, a.Kind);
    }

    [Fact]
    public void EscalateIfDue_UnacknowledgedPastTheTime_EscalatesOnce()
    {
        var escalation = new AlarmEscalation { AfterMinutes = 30, Recipients = ["manager"] };
        var due = Raised.CreatedAt + (30 * 60_000);

        Assert.Null(AlarmLifecycle.EscalateIfDue(Raised, escalation, due - 1));
        var (escalated, e) = AlarmLifecycle.EscalateIfDue(Raised, escalation, due)!.Value;
        Assert.Equal(due, escalated.EscalatedAt);
        Assert.Equal(AlarmEventKind.Escalated, e.Kind);
        Assert.Null(AlarmLifecycle.EscalateIfDue(escalated, escalation, due + 60_000));
        Assert.Null(AlarmLifecycle.EscalateIfDue(AlarmLifecycle.Acknowledge(Raised, "a", due - 1, null).Alarm, escalation, due));
    }

    [Fact]
    public void Rule_JsonRoundTrip_KeepsTheConditionTree()
    {
        var rule = new AlarmRule
        {
            Key = "nox",
            Name = "NOx",
            Subject = AlarmSubject.Meter("stack.nox"),
            Condition = new AnyOf { Of = [new ValueOutOfRange { Max = 180 }, new CounterAnomaly { Kinds = [FindingKind.Spike], Per = AlarmGrain.Minutes15 }] },
            Severity = AlarmSeverity.Critical,
            ForMinutes = 15,
        };
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        var json = JsonSerializer.Serialize(rule, options);
        var back = JsonSerializer.Deserialize<AlarmRule>(json, options)!;

        Assert.Contains("\"type\":\"any\"", json, StringComparison.Ordinal);
        Assert.Contains("\"severity\":\"critical\"", json, StringComparison.Ordinal);
        Assert.Contains("\"per\":\"15m\"", json, StringComparison.Ordinal);
        var any = Assert.IsType<AnyOf>(back.Condition);
        Assert.Equal(180, Assert.IsType<ValueOutOfRange>(any.Of[0]).Max);
    }

    [Fact]
    public void Validate_BadRule_ReportsEveryProblemWithItsPath()
    {
        var site = new SiteDefinition
        {
            Key = "plant",
            Name = "Plant",
            TimeZone = "Asia/Shanghai",
            Meters = [new MeterDefinition { Key = "main", Name = "Main", Carrier = "electricity", Unit = "kWh" }],
        };
        var rule = new AlarmRule
        {
            Key = "bad key",
            Name = "",
            Subject = AlarmSubject.Meter("nope"),
            Condition = new AllOf { Of = [new ConsumptionAbove { Per = AlarmGrain.Hour }, new CompletenessBelow { BelowPercent = 120, Per = AlarmGrain.Day }] },
            ClearRatio = 1.5,
        };

        var errors = AlarmRuleValidator.Validate(rule, site).Select(e => e.Path).ToList();

        Assert.Equal(["key", "name", "clearRatio", "subject.key", "condition.of[0]", "condition.of[1]", "condition.of[1].belowPercent"], errors);
    }
}
