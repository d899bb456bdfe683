namespace GreenLoop.Demo;

/// <summary>The kinds of data problem planted in the demo plant's readings, for the pipeline to find.</summary>
public enum PlantedEventKind
{
    /// <summary>A meter was exchanged; recorded in the site definition's events; the new register starts from 0.</summary>
    Replacement,
    /// <summary>A register reached its <c>RolloverAt</c> and wrapped to zero.</summary>
    Rollover,
    /// <summary>A meter sent nothing for a while; its register kept counting.</summary>
    Gap,
    /// <summary>Readings withheld from the back-fill and posted after it, as a gateway's buffered batch would be.</summary>
    LateBatch,
    /// <summary>An instantaneous value far above its normal range (and above its permit limit).</summary>
    Spike,
    /// <summary>Real consumption faster than the meter's <c>MaxRatePerHour</c>.</summary>
    OverLimit,
    /// <summary>One bad reading: the register falls to a small value, then the next reading is normal again.</summary>
    Drop,
}

/// <summary>One planted event: which meter, when (<see cref="Start"/> = <see cref="End"/> for an instant), and what happened.</summary>
public sealed record PlantedEvent(PlantedEventKind Kind, string Meter, DateTimeOffset Start, DateTimeOffset End, string Description);
