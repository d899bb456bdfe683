using GreenLoop.Domain.Alarms;

namespace GreenLoop.Domain.Tests.Alarms;

public sealed class AlarmTrackerTests
{
    private const long Quarter = 900_000;
    private static readonly AlarmTrack Fresh = new(1, "m", null, null, false);

    [Fact]
    public void Step_BreachWithoutDuration_RaisesAtOnce()
    {
        var (track, action) = AlarmTracker.Step(Fresh, open: false, VerdictKind.Breach, 0, Quarter, partial: false, forMs: 0);

        Assert.Equal(TrackAction.Raise, action);
        Assert.Equal(0, track.PendingSince);
    }

    [Fact]
    public void Step_MinimumDuration_RaisesWhenHeldLongEnough()
    {
        // 30 minutes required: the first quarter (0-15 min) is pending, the second (15-30 min) raises.
        var (t1, a1) = AlarmTracker.Step(Fresh, false, VerdictKind.Breach, 0, Quarter, false, 2 * Quarter);
        var (t2, a2) = AlarmTracker.Step(t1, false, VerdictKind.Breach, Quarter, 2 * Quarter, false, 2 * Quarter);

        Assert.Equal(TrackAction.None, a1);
        Assert.Equal(TrackAction.Raise, a2);
        Assert.Equal(0, t2.PendingSince);
    }

    [Fact]
    public void Step_BreakInTheBreach_RestartsTheDuration()
    {
        var (t1, _) = AlarmTracker.Step(Fresh, false, VerdictKind.Breach, 0, Quarter, false, 2 * Quarter);
        var (t2, _) = AlarmTracker.Step(t1, false, VerdictKind.Hold, Quarter, 2 * Quarter, false, 2 * Quarter);
        var (t3, a3) = AlarmTracker.Step(t2, false, VerdictKind.Breach, 2 * Quarter, 3 * Quarter, false, 2 * Quarter);

        Assert.Null(t2.PendingSince);
        Assert.Equal(2 * Quarter, t3.PendingSince);
        Assert.Equal(TrackAction.None, a3);
    }

    [Fact]
    public void Step_PeriodInProgress_CannotClearOrBreakADuration()
    {
        var (t1, _) = AlarmTracker.Step(Fresh, true, VerdictKind.Breach, 0, Quarter, false, 0);

        var (t2, a2) = AlarmTracker.Step(t1, true, VerdictKind.Clear, Quarter, Quarter + 60_000, partial: true, 0);

        Assert.Equal(TrackAction.None, a2);
        Assert.Equal(0, t2.PendingSince);
    }

    [Fact]
    public void Step_PeriodInProgress_DurationCountsOnlyTimeElapsed()
    {
        // 15 minutes required; 5 minutes into the first breaching quarter it is still pending.
        var (_, action) = AlarmTracker.Step(Fresh, false, VerdictKind.Breach, 0, 5 * 60_000, partial: true, Quarter);

        Assert.Equal(TrackAction.None, action);
    }

    [Fact]
    public void Step_OpenAlarmAndClear_Clears_AndHoldKeepsItOpen()
    {
        var (_, hold) = AlarmTracker.Step(Fresh with { PendingSince = 0 }, true, VerdictKind.Hold, Quarter, 2 * Quarter, false, 0);
        var (_, clear) = AlarmTracker.Step(Fresh with { PendingSince = 0 }, true, VerdictKind.Clear, Quarter, 2 * Quarter, false, 0);

        Assert.Equal(TrackAction.None, hold);
        Assert.Equal(TrackAction.Clear, clear);
    }

    [Fact]
    public void Step_Suppressed_RaisesNothingUntilTheConditionStops()
    {
        var suppressed = Fresh with { Suppressed = true };

        var (t1, a1) = AlarmTracker.Step(suppressed, false, VerdictKind.Breach, 0, Quarter, false, 0);
        var (t2, _) = AlarmTracker.Step(t1, false, VerdictKind.Clear, Quarter, 2 * Quarter, false, 0);
        var (_, a3) = AlarmTracker.Step(t2, false, VerdictKind.Breach, 2 * Quarter, 3 * Quarter, false, 0);

        Assert.Equal(TrackAction.None, a1);
        Assert.False(t2.Suppressed);
        Assert.Equal(TrackAction.Raise, a3);
    }

    [Fact]
    public void Step_Unknown_ChangesNothing()
    {
        var t = Fresh with { PendingSince = 0 };

        var (next, action) = AlarmTracker.Step(t, false, VerdictKind.Unknown, Quarter, 2 * Quarter, false, 3 * Quarter);

        Assert.Equal(t, next);
        Assert.Equal(TrackAction.None, action);
    }
}
