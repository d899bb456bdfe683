using System.Globalization;
using GreenLoop.Domain.Model;
using GreenLoop.Pipeline.Monitor.Query;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Optimise.Verification;

/// <summary>
/// The data of a baseline model, read from GreenLoop's own series (the figures <c>/meters/{key}/series</c> and
/// <c>/nodes/{key}/series</c> answer): one value of the subject and of each driver per period of the grain, with its
/// completeness. A period with a missing or incomplete value is kept with the reason and left out of the fit, never
/// filled with zeros.
/// </summary>
public sealed class MvData(QueryService queries)
{
    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>A series keyed by period, with the subject's unit and carrier.</summary>
    internal sealed record Series(Dictionary<string, (double? Value, double Completeness)> Points, string Unit, string Carrier);

    private static readonly string[] _weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>Every problem with a driver or subject text, or null when it reads.</summary>
    public static string? DriverError(string driver, SiteModel site)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(site);
        var parts = driver.Split(':');
        switch (parts[0])
        {
            case "meter" when parts.Length == 2:
                return site.Meters.Any(m => m.Definition.Key == parts[1]) ? null : $"no meter '{parts[1]}' at this site";
            case "node" when parts.Length == 3:
                if (site.Nodes.All(n => n.Key != parts[1])) return $"no node '{parts[1]}' at this site";
                return site.Meters.Any(m => m.Definition.Carrier == parts[2]) ? null : $"no meter of carrier '{parts[2]}' at this site";
            case "hdd" or "cdd" when parts.Length == 3:
                var meter = site.Meters.FirstOrDefault(m => m.Definition.Key == parts[1]);
                if (meter is null) return $"no meter '{parts[1]}' at this site";
                if (meter.Definition.Kind != MeterKind.Instantaneous) return $"meter '{parts[1]}' is not a gauge (degree-days need a temperature)";
                return double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var b) && double.IsFinite(b) && Math.Abs(b) < 1000
                    ? null : "the base temperature must be a number, e.g. hdd:weather.temp:18";
            case "days" when parts.Length == 1:
                return null;
            case "days" when parts.Length == 2:
                return parts[1].Split(',').All(d => _weekdays.Contains(d)) ? null : "days:mon,tue,… (sun, mon, tue, wed, thu, fri, sat)";
            default:
                return "meter:KEY, node:NODE:CARRIER, hdd:METER:BASE, cdd:METER:BASE, days or days:mon,…";
        }
    }

    /// <summary>The periods of a grain fully inside [from, to] (local days, both included), as period keys.</summary>
    public static IReadOnlyList<string> Periods(string grain, DateOnly from, DateOnly to)
    {
        var list = new List<string>();
        switch (grain)
        {
            case "hour":
                for (var d = from; d <= to; d = d.AddDays(1))
                    for (var h = 0; h < 24; h++) list.Add(string.Create(CultureInfo.InvariantCulture, $"{d:yyyy-MM-dd}T{h:00}"));
                break;
            case "day":
                for (var d = from; d <= to; d = d.AddDays(1)) list.Add(d.ToString(DateFormat, CultureInfo.InvariantCulture));
                break;
            case "week":
                var monday = from.AddDays(((int)DayOfWeek.Monday - (int)from.DayOfWeek + 7) % 7);
                for (var d = monday; d.AddDays(6) <= to; d = d.AddDays(7)) list.Add(d.ToString(DateFormat, CultureInfo.InvariantCulture));
                break;
            default:
                var m = new DateOnly(from.Year, from.Month, 1);
                if (m < from) m = m.AddMonths(1);
                for (; m.AddMonths(1).AddDays(-1) <= to; m = m.AddMonths(1)) list.Add(m.ToString("yyyy-MM", CultureInfo.InvariantCulture));
                break;
        }
        return list;
    }

    /// <summary>The local days of a period key.</summary>
    public static (DateOnly First, int Days, double Fraction) DaysOf(string grain, string period)
    {
        var first = DateOnly.ParseExact(grain == "month" ? period + "-01" : period[..10], DateFormat, CultureInfo.InvariantCulture);
        return grain switch
        {
            "hour" => (first, 1, 1 / 24.0),
            "day" => (first, 1, 1),
            "week" => (first, 7, 7),
            _ => (first, DateTime.DaysInMonth(first.Year, first.Month), DateTime.DaysInMonth(first.Year, first.Month)),
        };
    }

    /// <summary>The subject's and the drivers' values for each period of the grain in [from, to].</summary>
    public async Task<(IReadOnlyList<DataPoint> Points, string Unit, string Carrier)> CollectAsync(long tenantId, SiteModel site, ModelSpec spec, DateOnly from, DateOnly to, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(spec);
        var siteKey = site.Definition.Key;
        var periods = Periods(spec.Grain, from, to);
        var subject = await SeriesAsync(tenantId, siteKey, spec.Subject, spec.Grain, from, to, ct);
        var drivers = new List<(string Name, Series Series)>();
        foreach (var d in spec.Drivers) drivers.Add((d, await DriverAsync(tenantId, site, d, spec.Grain, from, to, ct)));
        var points = new List<DataPoint>(periods.Count);
        foreach (var period in periods)
        {
            var (y, yc) = subject.Points.TryGetValue(period, out var s) ? s : (null, 0);
            var values = new List<double?>(drivers.Count);
            var completeness = y is null ? 0 : yc;
            string? excluded = null, excludedZh = null;
            if (y is null) (excluded, excludedZh) = ($"no data of {spec.Subject}", $"{spec.Subject} 无数据");
            else if (yc < spec.MinCompleteness) (excluded, excludedZh) = (Incomplete(spec.Subject, yc, spec.MinCompleteness), IncompleteZh(spec.Subject, yc, spec.MinCompleteness));
            foreach (var (name, series) in drivers)
            {
                var (v, c) = series.Points.TryGetValue(period, out var dv) ? dv : (null, 0);
                values.Add(v);
                completeness = Math.Min(completeness, v is null ? 0 : c);
                if (excluded is not null) continue;
                if (v is null) (excluded, excludedZh) = ($"no data of driver {name}", $"驱动变量 {name} 无数据");
                else if (c < spec.MinCompleteness) (excluded, excludedZh) = (Incomplete(name, c, spec.MinCompleteness), IncompleteZh(name, c, spec.MinCompleteness));
            }
            points.Add(new DataPoint(period, y, values, Math.Round(completeness, 4), excluded, excludedZh));
        }
        return (points, subject.Unit, subject.Carrier);
    }

    private static string Incomplete(string what, double c, double min) =>
        string.Create(CultureInfo.InvariantCulture, $"{what} covers {c * 100:0.#} % of the period (at least {min * 100:0.#} % needed)");

    private static string IncompleteZh(string what, double c, double min) =>
        string.Create(CultureInfo.InvariantCulture, $"{what} 仅覆盖该周期 {c * 100:0.#} %（至少需要 {min * 100:0.#} %）");

    private static Grain FetchGrain(string grain) => grain switch { "hour" => Grain.Hour, "month" => Grain.Month, _ => Grain.Day };

    private static string Key(string grain, string start) => grain switch { "hour" => start[..13], "month" => start[..7], _ => start[..10] };

    /// <summary>A meter's or node's series at the model's grain (weeks summed from days, or averaged for a gauge).</summary>
    private async Task<Series> SeriesAsync(long tenantId, string siteKey, string subject, string grain, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var parts = subject.Split(':');
        var range = PeriodRange.Dates(from, to.AddDays(1));
        IReadOnlyList<SeriesPoint> points;
        string unit, carrier;
        bool gauge;
        if (parts[0] == "meter")
        {
            var s = await queries.MeterSeriesAsync(tenantId, siteKey, parts[1], FetchGrain(grain), range, ct);
            (points, unit, carrier, gauge) = s is null ? ([], "", "", false) : (s.Points, s.Unit, s.Carrier, s.Kind == nameof(MeterKind.Instantaneous));
        }
        else
        {
            var s = await queries.NodeSeriesAsync(tenantId, siteKey, parts[1], parts[2], FetchGrain(grain), range, ct);
            (points, unit, carrier, gauge) = s is null ? ([], "", parts[2], false) : (s.Points, s.Unit, parts[2], false);
        }
        var fetchGrain = grain == "week" ? "day" : grain;
        var byKey = new Dictionary<string, (double? Value, double Completeness)>(StringComparer.Ordinal);
        foreach (var p in points) byKey[Key(fetchGrain, p.Start)] = (p.Value, p.Completeness);
        if (grain != "week") return new Series(byKey, unit, carrier);
        var weeks = new Dictionary<string, (double? Value, double Completeness)>(StringComparer.Ordinal);
        foreach (var week in Periods("week", from, to))
        {
            var monday = DateOnly.ParseExact(week, DateFormat, CultureInfo.InvariantCulture);
            double sum = 0, completeness = 0;
            var present = 0;
            for (var i = 0; i < 7; i++)
            {
                if (!byKey.TryGetValue(monday.AddDays(i).ToString(DateFormat, CultureInfo.InvariantCulture), out var day) || day.Value is null) continue;
                sum += day.Value.Value;
                completeness += day.Completeness;
                present++;
            }
            weeks[week] = present == 0 ? (null, 0) : (gauge ? sum / present : sum, completeness / 7);
        }
        return new Series(weeks, unit, carrier);
    }

    private async Task<Series> DriverAsync(long tenantId, SiteModel site, string driver, string grain, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var parts = driver.Split(':');
        if (parts[0] is "meter" or "node") return await SeriesAsync(tenantId, site.Definition.Key, driver, grain, from, to, ct);
        var periods = Periods(grain, from, to);
        var result = new Dictionary<string, (double? Value, double Completeness)>(StringComparer.Ordinal);
        if (parts[0] == "days")
        {
            var set = parts.Length == 2 ? parts[1].Split(',').Select(d => (DayOfWeek)Array.IndexOf(_weekdays, d)).ToHashSet() : null;
            foreach (var period in periods)
            {
                var (first, days, fraction) = DaysOf(grain, period);
                double count = set is null ? fraction : 0;
                if (set is not null)
                {
                    for (var i = 0; i < days; i++) if (set.Contains(first.AddDays(i).DayOfWeek)) count += grain == "hour" ? 1 / 24.0 : 1;
                }
                result[period] = (count, 1);
            }
            return new Series(result, "d", "");
        }
        // Degree-days from the temperature meter's daily (or, at hour grain, hourly) means.
        var baseT = double.Parse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture);
        var heating = parts[0] == "hdd";
        var temps = await SeriesAsync(tenantId, site.Definition.Key, $"meter:{parts[1]}", grain == "hour" ? "hour" : "day", from, to, ct);
        foreach (var period in periods)
        {
            if (grain == "hour")
            {
                result[period] = temps.Points.TryGetValue(period, out var t) && t.Value is { } tv
                    ? ((heating ? Math.Max(0, baseT - tv) : Math.Max(0, tv - baseT)) / 24, t.Completeness) : (null, 0);
                continue;
            }
            var (first, days, _) = DaysOf(grain, period);
            double sum = 0, completeness = 0;
            var present = 0;
            for (var i = 0; i < days; i++)
            {
                if (!temps.Points.TryGetValue(first.AddDays(i).ToString(DateFormat, CultureInfo.InvariantCulture), out var t) || t.Value is not { } tv) continue;
                sum += heating ? Math.Max(0, baseT - tv) : Math.Max(0, tv - baseT);
                completeness += t.Completeness;
                present++;
            }
            // A missing day is not a day of zero degree-days: the period stays incomplete (and is left out) instead.
            result[period] = present == 0 ? (null, 0) : (sum * days / present, completeness / days);
        }
        return new Series(result, "K·d", "");
    }
}
