namespace GreenLoop.Domain.Derivation;

/// <summary>Quality flags on a derived period. Stored as a bit mask.</summary>
[Flags]
public enum QualityFlags
{
    None = 0,
    /// <summary>Part of the value was spread across a gap longer than the meter's maximum gap.</summary>
    Estimated = 1,
    /// <summary>Readings are missing for part of the period (gap longer than the meter's maximum gap).</summary>
    Gap = 2,
    /// <summary>An unexplained counter drop lies in the period; that span is not counted.</summary>
    Drop = 4,
    Rollover = 8,
    Replacement = 16,
    Reset = 32,
    /// <summary>Consumption faster than the meter's plausibility limit.</summary>
    Spike = 64,
}

/// <summary>
/// One derived 15-minute bucket. Energy is a <c>double</c> in the meter's engineering unit: meters report binary
/// floating-point registers and the derivation spreads values proportionally to time, so exact decimal arithmetic
/// would only pretend to a precision the inputs do not have. Null <see cref="Value"/> means nothing countable.
/// </summary>
/// <param name="Start">UTC start, Unix ms, a multiple of 15 minutes.</param>
/// <param name="Value">Consumption (cumulative, interval) or time-weighted mean (instantaneous).</param>
/// <param name="Min">Instantaneous only: lowest value held in the bucket.</param>
/// <param name="Max">Instantaneous only: highest value held in the bucket.</param>
/// <param name="CoveredMs">Milliseconds of the bucket backed by measured data (gaps and drops excluded).</param>
/// <param name="Flags">Quality flags.</param>
public readonly record struct BucketValue(long Start, double? Value, double? Min, double? Max, long CoveredMs, QualityFlags Flags);

/// <summary>Something derivation noticed about a meter's readings, shown on the meter page and used by alarms.</summary>
public readonly record struct MeterFinding(long Ts, FindingKind Kind, string Detail);

/// <summary>Kinds of <see cref="MeterFinding"/>.</summary>
public enum FindingKind
{
    Drop,
    Rollover,
    Replacement,
    Reset,
    Gap,
    Spike,
}

/// <summary>Buckets of a span and the findings whose instant lies in it.</summary>
public sealed record DerivationResult(IReadOnlyList<BucketValue> Buckets, IReadOnlyList<MeterFinding> Findings);
