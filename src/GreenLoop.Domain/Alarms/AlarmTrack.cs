namespace GreenLoop.Domain.Alarms;

/// <summary>
/// What a rule remembers about one subject between evaluations (persisted, so a restart continues a duration in progress).
/// </summary>
/// <param name="RuleId">The stored rule.</param>
/// <param name="Subject">Meter, node or site key the state is about.</param>
/// <param name="PendingSince">Start of the first period of the current unbroken breach; null when not breaching.</param>
/// <param name="Cursor">Start of the last period judged live; periods before it are history (see the alarm service).</param>
/// <param name="Suppressed">Cleared by hand while still breaching: no new alarm until the condition stops breaching once.</param>
public sealed record AlarmTrack(long RuleId, string Subject, long? PendingSince, long? Cursor, bool Suppressed);

/// <summary>What the tracker decided for one period.</summary>
public enum TrackAction
{
    None,
    Raise,
    Clear,
}

/// <summary>The duration state machine: one step per judged period. Pure.</summary>
public static class AlarmTracker
{
    /// <summary>
    /// Advances <paramref name="track"/> by the verdict on the period starting at <paramref name="periodStart"/>, judged
    /// on data through <paramref name="through"/> (the period's end, or now for the period in progress).
    /// A breach raises once it has held <paramref name="forMs"/> since the first breaching period began. A period in
    /// progress (<paramref name="partial"/>) can breach (consumption only grows) but cannot clear or break a duration.
    /// </summary>
    public static (AlarmTrack Track, TrackAction Action) Step(AlarmTrack track, bool open, VerdictKind verdict, long periodStart, long through, bool partial, long forMs)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (partial && verdict != VerdictKind.Breach) verdict = VerdictKind.Unknown;
        switch (verdict)
        {
            case VerdictKind.Breach:
                var pending = track.PendingSince ?? periodStart;
                var next = track with { PendingSince = pending };
                if (open || track.Suppressed) return (next, TrackAction.None);
                return (next, through - pending >= forMs ? TrackAction.Raise : TrackAction.None);
            case VerdictKind.Clear:
                return (track with { PendingSince = null, Suppressed = false }, open ? TrackAction.Clear : TrackAction.None);
            case VerdictKind.Hold:
                return (track with { PendingSince = null, Suppressed = false }, TrackAction.None);
            default:
                return (track, TrackAction.None);
        }
    }
}
