namespace GreenLoop.Domain.Time;

/// <summary>
/// The instants GreenLoop accepts for readings and meter events: nothing before 2000 (a zeroed device clock, a Unix
/// epoch or year-0001 default) and nothing more than a day ahead (a wrong clock or offset). Derivation then never meets
/// a span it cannot sensibly derive in one go.
/// </summary>
public static class PlausibleTime
{
    /// <summary>Instants before this are refused.</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Instants more than this far ahead of now are refused.</summary>
    public static readonly TimeSpan MaxFuture = TimeSpan.FromDays(1);
}
