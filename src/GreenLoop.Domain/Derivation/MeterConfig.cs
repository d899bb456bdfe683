using GreenLoop.Domain.Model;

namespace GreenLoop.Domain.Derivation;

/// <summary>What derivation needs to know about one meter. Durations are milliseconds.</summary>
public sealed record MeterConfig
{
    public required MeterKind Kind { get; init; }
    public double Multiplier { get; init; } = 1;
    /// <summary>Raw register value at which a cumulative counter wraps to zero.</summary>
    public double? RolloverAt { get; init; }
    public long IntervalMs { get; init; } = SiteCalendarConstants.BucketMs;
    public IntervalStamp Stamp { get; init; } = IntervalStamp.PeriodEnding;
    public long MaxGapMs { get; init; } = 3_600_000;
    /// <summary>Engineering units per hour above which a span is flagged as a spike.</summary>
    public double? MaxRatePerHour { get; init; }

    public static MeterConfig From(MeterDefinition m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new MeterConfig
        {
            Kind = m.Kind,
            Multiplier = m.Multiplier,
            RolloverAt = m.RolloverAt,
            IntervalMs = m.IntervalMinutes * 60_000L,
            Stamp = m.Stamp,
            MaxGapMs = m.MaxGapMinutes * 60_000L,
            MaxRatePerHour = m.MaxRatePerHour,
        };
    }
}

internal static class SiteCalendarConstants
{
    public const long BucketMs = 15 * 60 * 1000;
}

/// <summary>A stored reading: Unix milliseconds and raw value.</summary>
public readonly record struct RawReading(long Ts, double Value);

/// <summary>A recorded replacement or reset at an instant (Unix ms).</summary>
public readonly record struct CounterEvent(long Ts, MeterEventKind Kind, double? OldValue, double NewValue);
