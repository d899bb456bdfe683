namespace GreenLoop.Demo;

/// <summary>Settings of the demo plant, bound from the configuration section <see cref="SectionName"/>.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "GreenLoop:Demo";

    /// <summary>Whether the server creates the demo site and feeds it. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Days of history posted at the first start, at 15-minute steps (0 to <see cref="DemoPlant.HistoryDays"/>). Default 90.</summary>
    public int BackfillDays { get; set; } = 90;

    /// <summary>
    /// Seconds between live posts, which is also the spacing of live readings; must divide 900 (15 minutes). Default 10:
    /// 26 readings per post, about 225k readings a day; 60 gives a sixth of that.
    /// </summary>
    public int LiveIntervalSeconds { get; set; } = 10;

    /// <summary>Every problem with these settings; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BackfillDays is < 0 or > DemoPlant.HistoryDays)
            errors.Add($"{SectionName}:BackfillDays must be 0 to {DemoPlant.HistoryDays}.");
        if (LiveIntervalSeconds is < 1 or > 900 || 900 % LiveIntervalSeconds != 0)
            errors.Add($"{SectionName}:LiveIntervalSeconds must divide 900 (e.g. 5, 10, 30, 60).");
        return errors;
    }
}
