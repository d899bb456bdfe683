using System.Globalization;
using GreenLoop.Pipeline.Monitor.Query;

namespace GreenLoop.Testing;

/// <summary>The query service's ranges from the local dates tests write (yyyy-MM-dd).</summary>
public static class Ranges
{
    /// <summary>Local midnight of <paramref name="from"/> to local midnight of <paramref name="to"/>, in the site's time zone.</summary>
    public static PeriodRange Dates(string from, string to) => PeriodRange.Dates(Date(from), Date(to));

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
