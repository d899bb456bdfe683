using System.ComponentModel.DataAnnotations;

namespace GreenLoop.Pipeline.Monitor.Alarms;

/// <summary>Settings of the alarm engine, under <c>GreenLoop:Alarms</c>.</summary>
public sealed class AlarmOptions
{
    public const string Section = "GreenLoop:Alarms";

    /// <summary>Seconds between clock checks (no-data rules, escalation). Default 10.</summary>
    [Range(1, 3600)]
    public int TickSeconds { get; set; } = 10;

    /// <summary>
    /// Transitions whose data instant is older than this many minutes (back-fill, late data) are recorded but not sent
    /// to people: nobody wants ninety days of history on their phone. Default 60.
    /// </summary>
    [Range(0, 525_600)]
    public int NotifyMaxAgeMinutes { get; set; } = 60;
}
