using GreenLoop.Pipeline.Meter.Ingest;

namespace GreenLoop.Demo.Tests;

/// <summary>A fixed anchor and helpers to read one local day of the demo plant.</summary>
internal static class DemoTestData
{
    /// <summary>The anchor date of every demo test: planted events lie 2 to 40 days before it.</summary>
    public static readonly DateOnly Anchor = new(2026, 11, 23);

    public static readonly TimeSpan Quarter = TimeSpan.FromMinutes(15);

    /// <summary>One plant for tests that do not need their own (the plant is thread-safe and its readings immutable).</summary>
    public static DemoPlant Shared { get; } = new(Anchor);

    /// <summary>A new plant with an empty cache, for tests about independence from the order of generation.</summary>
    public static DemoPlant Plant() => new(Anchor);

    /// <summary>Local time (UTC+8) on the day <paramref name="daysBefore"/> the anchor.</summary>
    public static DateTimeOffset Local(int daysBefore, int hour, int minute = 0, int second = 0) =>
        new DateTimeOffset(Anchor.AddDays(-daysBefore).ToDateTime(TimeOnly.MinValue), DemoPlant.UtcOffset)
            .AddHours(hour).AddMinutes(minute).AddSeconds(second);

    /// <summary>Every 15-minute reading of a local day, including the one at its opening midnight.</summary>
    public static List<ReadingInput> Day(DemoPlant plant, int daysBefore)
    {
        var start = Local(daysBefore, 0);
        return [.. plant.Readings(start - Quarter, start.AddDays(1), Quarter)];
    }

    public static List<ReadingInput> Of(this IEnumerable<ReadingInput> readings, string meter) =>
        [.. readings.Where(r => r.Meter == meter)];

    public static double At(this IEnumerable<ReadingInput> readings, string meter, DateTimeOffset ts) =>
        readings.Single(r => r.Meter == meter && r.Ts == ts).Value;

    /// <summary>Consumption in engineering units between the first and last reading of a cumulative meter (no wrap, no exchange).</summary>
    public static double Consumption(this IReadOnlyList<ReadingInput> day, DemoPlant plant, string meter)
    {
        var readings = day.Of(meter);
        var multiplier = plant.Definition.Meters.Single(m => m.Key == meter).Multiplier;
        return (readings[^1].Value - readings[0].Value) * multiplier;
    }
}
