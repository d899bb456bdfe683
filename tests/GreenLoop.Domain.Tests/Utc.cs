namespace GreenLoop.Domain.Tests;

/// <summary>UTC instants as Unix milliseconds, so expected values read as wall-clock times.</summary>
internal static class Utc
{
    public const long Minute = 60_000;
    public const long Hour = 60 * Minute;
    public const long Bucket = 15 * Minute;

    /// <summary>An instant on 2026-03-02, the day the derivation tests use (UTC has no daylight saving anyway).</summary>
    public static long At(int hour, int minute, int second = 0) => On(2026, 3, 2, hour, minute, second);

    public static long On(int year, int month, int day, int hour, int minute, int second = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).ToUnixTimeMilliseconds();
}
