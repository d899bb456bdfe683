using System.Globalization;

namespace GreenLoop.Domain.Time;

/// <summary>
/// A point on the UTC time line, in Unix milliseconds. A type of its own so that an instant cannot be passed where an
/// id or a count is expected, nor an id where an instant is; eight bytes like the <c>long</c> it wraps, so rows and
/// arrays cost what they did (the derivation hot path keeps plain arrays of readings and is not touched by it).
/// Instants are stored as Unix milliseconds in every table, which is why that is the representation.
/// </summary>
public readonly record struct Instant(long UnixMs) : IComparable<Instant>
{
    public static Instant FromDateTimeOffset(DateTimeOffset value) => new(value.ToUnixTimeMilliseconds());

    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.FromUnixTimeMilliseconds(UnixMs);

    public int CompareTo(Instant other) => UnixMs.CompareTo(other.UnixMs);

    public static bool operator <(Instant left, Instant right) => left.UnixMs < right.UnixMs;

    public static bool operator >(Instant left, Instant right) => left.UnixMs > right.UnixMs;

    public static bool operator <=(Instant left, Instant right) => left.UnixMs <= right.UnixMs;

    public static bool operator >=(Instant left, Instant right) => left.UnixMs >= right.UnixMs;

    /// <summary>ISO 8601 in UTC with milliseconds, for messages and logs.</summary>
    public override string ToString() => ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
