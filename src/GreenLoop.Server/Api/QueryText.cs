using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using GreenLoop.Pipeline.Monitor.Query;
using GreenLoop.Storage;

namespace GreenLoop.Server.Api;

/// <summary>Why a query-string parameter cannot be read: the parameter, and the reason as the 400 answer states it.</summary>
public sealed record QueryTextError(string Parameter, string Reason);

/// <summary>A series query as read from the query string: the grain and the range, both in the site's terms.</summary>
public sealed record RangeRequest(Grain Grain, PeriodRange Range);

/// <summary>
/// Reads the grain and the range of the series queries from their query-string text (<c>grain</c>, <c>from</c>,
/// <c>to</c>). Only the text is read here: placing a local date needs the site's calendar, which the query service
/// has (<see cref="QueryService.Bounds"/>), and so do the defaults of a missing end.
/// </summary>
public static class QueryText
{
    /// <summary>Reads a grain: 15m, hour, day or month (and their aliases); absent, <paramref name="whenAbsent"/>.</summary>
    public static bool TryGrain(string? text, Grain whenAbsent, out Grain grain, [NotNullWhen(false)] out QueryTextError? error)
    {
        error = null;
        grain = whenAbsent;
        if (text is null) return true;
        switch (text.ToLowerInvariant())
        {
            // Empty (grain= without a value) reads as hour whatever the default, as it always has.
            case "" or "hour" or "1h": grain = Grain.Hour; return true;
            case "15m" or "15min" or "quarter": grain = Grain.Minutes15; return true;
            case "day" or "1d": grain = Grain.Day; return true;
            case "month": grain = Grain.Month; return true;
            default:
                error = new QueryTextError("grain", $"unknown grain '{text}'; use 15m, hour, day or month");
                return false;
        }
    }

    /// <summary>Reads one end of a range: a local date (yyyy-MM-dd, meaning local midnight) or an ISO 8601 instant with offset; blank, none.</summary>
    public static bool TryBound(string parameter, string? text, out RangeBound? bound, [NotNullWhen(false)] out QueryTextError? error)
    {
        bool OutOfRange(out QueryTextError? e)
        {
            e = new QueryTextError(parameter, $"'{text}' is outside {FirstDate:yyyy-MM-dd} … {LastDate:yyyy-MM-dd}, the dates GreenLoop keeps data for");
            return false;
        }

        error = null;
        bound = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (date < FirstDate || date > LastDate) return OutOfRange(out error);
            bound = RangeBound.OnDate(date);
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant) && HasOffset(text))
        {
            if (instant.UtcDateTime.Year < FirstDate.Year || instant.UtcDateTime.Year > LastDate.Year) return OutOfRange(out error);
            bound = RangeBound.At(instant);
            return true;
        }
        error = new QueryTextError(parameter, $"'{text}' is neither a date (yyyy-MM-dd) nor an ISO 8601 instant with offset");
        return false;
    }

    /// <summary>The dates a range may name: no data lies outside them (see PlausibleTime), and beyond them local-time arithmetic would overflow.</summary>
    public static readonly DateOnly FirstDate = new(2000, 1, 1);

    public static readonly DateOnly LastDate = new(2199, 12, 31);

    /// <summary>Reads <c>from</c> and <c>to</c>; either may be absent.</summary>
    public static bool TryRange(string? from, string? to, [NotNullWhen(true)] out PeriodRange? range, [NotNullWhen(false)] out QueryTextError? error)
    {
        range = null;
        if (!TryBound("from", from, out var start, out error) || !TryBound("to", to, out var end, out error)) return false;
        range = new PeriodRange(start, end);
        return true;
    }

    /// <summary>Reads <c>grain</c>, then <c>from</c> and <c>to</c>; the first that cannot be read is the error.</summary>
    public static bool TryRequest(string? grain, Grain whenAbsent, string? from, string? to,
        [NotNullWhen(true)] out RangeRequest? request, [NotNullWhen(false)] out QueryTextError? error)
    {
        request = null;
        if (!TryGrain(grain, whenAbsent, out var g, out error) || !TryRange(from, to, out var range, out error)) return false;
        request = new RangeRequest(g, range);
        return true;
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && (text[^6] == '+' || text[^6] == '-'));
}
