namespace GreenLoop.Demo;

/// <summary>The planted data problems, each at a fixed local time on a day before the anchor date.</summary>
public sealed partial class DemoPlant
{
    /// <summary>The dryer's gas meter is exchanged this many days before the anchor (recorded in the site events).</summary>
    public const int ReplacementDaysBefore = 40;
    public const int RolloverDaysBefore = 25;
    public const int DropDaysBefore = 20;
    public const int GapDaysBefore = 10;
    public const int SpikeDaysBefore = 5;
    public const int LateDaysBefore = 2;

    /// <summary>The register value of the one bad reading of <see cref="DemoMeterKeys.Packing"/>.</summary>
    public const double DropValue = 12.34;

    /// <summary>The new dryer gas meter's register at its installation.</summary>
    public const double ReplacementNewValue = 0;

    /// <summary>NOx level during the planted spike, mg/m3 (permit limit 180).</summary>
    public const double NoxSpikeLevel = 252;

    /// <summary>The compressed-air leak-and-pressure programme is commissioned this many days before the anchor.</summary>
    public const int AirSavingDaysBefore = 30;

    /// <summary>What the programme saves: the compressors' energy for the same production falls by this share.</summary>
    public const double AirSavingFraction = 0.08;

    /// <summary>Air-compressor load during the over-limit hour, kW: every standby compressor runs against a burst main.</summary>
    public const double OverLimitKw = 950;

    /// <summary>Plausibility limit of <see cref="DemoMeterKeys.AirCompressors"/>, kWh per hour; normal load stays under 400 kW.</summary>
    public const double AirMaxRatePerHour = 600;

    // The over-limit hour is local 21:00-22:00: quarter hours 84 to 87.
    private const int OverLimitFirstSlot = 84;
    private const int OverLimitSlots = 4;

    private readonly EventTimes _events;

    /// <summary>Every planted event, in time order.</summary>
    public IReadOnlyList<PlantedEvent> PlantedEvents { get; }

    private static (EventTimes Times, IReadOnlyList<PlantedEvent> List) PlantEvents(DateOnly anchor)
    {
        long At(int daysBefore, int hour, int minute, int second = 0) =>
            ((long)(anchor.DayNumber - daysBefore - UnixEpochDayNumber) * DayMs) - UtcOffsetMs
            + (hour * HourMs) + (minute * 60_000L) + (second * 1000L);

        var times = new EventTimes(
            // Off every sampling grid coarser than 5 s, so that no reading sits on the exchange itself.
            Replacement: At(ReplacementDaysBefore, 10, 37, 25),
            Wrap: At(RolloverDaysBefore, 13, 7, 30),
            Drop: At(DropDaysBefore, 14, 15),
            GapStart: At(GapDaysBefore, 9, 0),
            GapEnd: At(GapDaysBefore, 12, 0),
            NoxStart: At(SpikeDaysBefore, 14, 10),
            NoxEnd: At(SpikeDaysBefore, 14, 30),
            OverLimitDay: anchor.DayNumber - SpikeDaysBefore - UnixEpochDayNumber,
            LateStart: At(LateDaysBefore, 10, 0),
            LateEnd: At(LateDaysBefore, 12, 0));

        var overLimitStart = At(SpikeDaysBefore, 21, 0);
        PlantedEvent[] list =
        [
            new(PlantedEventKind.Replacement, DemoMeterKeys.DryerGas, ToOffset(times.Replacement), ToOffset(times.Replacement),
                "Dryer gas meter exchanged; the old register's last value is recorded as the event's OldValue and the new register starts at 0. Readings at or after the event come from the new register."),
            new(PlantedEventKind.Rollover, DemoMeterKeys.FreshWater, ToOffset(times.Wrap), ToOffset(times.Wrap),
                "Fresh-water register (six digits, RolloverAt 1,000,000) passes 999,999.99 and wraps to 0; consumption continues across the wrap."),
            new(PlantedEventKind.Drop, DemoMeterKeys.Packing, ToOffset(times.Drop), ToOffset(times.Drop),
                $"One bad reading: the packing meter reports {DropValue} instead of its register; the next reading is normal again. Unexplained: no event recorded."),
            new(PlantedEventKind.Gap, DemoMeterKeys.Glazing, ToOffset(times.GapStart), ToOffset(times.GapEnd),
                "Glazing-line meter sends nothing for 3 hours (readings strictly between start and end are missing); its register keeps counting, so the first reading after the gap carries the 3 hours."),
            new(PlantedEventKind.Spike, DemoMeterKeys.StackNox, ToOffset(times.NoxStart), ToOffset(times.NoxEnd),
                $"NOx at the kiln stack jumps to about {NoxSpikeLevel} mg/m3 for 20 minutes (start and end inclusive), above the 180 mg/m3 permit limit."),
            new(PlantedEventKind.OverLimit, DemoMeterKeys.AirCompressors, ToOffset(overLimitStart), ToOffset(overLimitStart + HourMs),
                $"Air compressors draw about {OverLimitKw} kW for one hour (a burst compressed-air main), above MaxRatePerHour {AirMaxRatePerHour} kWh/h. Real consumption: the main incomer sees it too."),
            new(PlantedEventKind.LateBatch, DemoMeterKeys.Kiln2Gas, ToOffset(times.LateStart), ToOffset(times.LateEnd),
                "Kiln 2 gas readings in [start, end) are withheld from the back-fill and posted after it, like a gateway's buffer sent after a network outage."),
        ];
        return (times, [.. list.OrderBy(e => e.Start)]);
    }

    private readonly record struct EventTimes(
        long Replacement, long Wrap, long Drop, long GapStart, long GapEnd, long NoxStart, long NoxEnd, long OverLimitDay,
        long LateStart, long LateEnd);
}
