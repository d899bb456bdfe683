using System.Globalization;
using GreenLoop.Accounting;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Monitor.Query;

/// <summary>A period's total of one carrier: value (null when no data: never zero) and completeness (0-1).</summary>
public sealed record PeriodTotal(string Period, double? Value, double Completeness);

/// <summary>A change from one period to another: the difference and the percentage of the earlier value (null without both, or from zero).</summary>
public sealed record Change(double? Difference, double? Percent);

/// <summary>
/// One carrier (or one unit consumption: carrier per unit of output) compared: this period, the previous one (环比,
/// month-on-month for a month), the same period a year earlier (同比), and the two changes.
/// </summary>
public sealed record ComparisonRow(string Carrier, string Unit, string Direction, PeriodTotal Current, PeriodTotal Previous, PeriodTotal LastYear, Change Mom, Change Yoy,
    string? PerOutput = null);

/// <summary>
/// Year-on-year and period-on-period of a node's energy by carrier for a day, a month or a year, with the unit
/// consumption per unit of product output where the site meters its output. Every figure is a sum of the rows
/// <c>GET …/energy</c> answers for the same node and period.
/// </summary>
public sealed record Comparison(string Site, string Node, string Kind, string Period, string PreviousPeriod, string LastYearPeriod,
    IReadOnlyList<ComparisonRow> Rows, IReadOnlyList<ComparisonRow> UnitConsumption);

/// <summary>Compares a period's energy with the previous period and the same period a year earlier (同比 / 环比).</summary>
public sealed class ComparisonService(QueryService queries, GreenLoop.Pipeline.Meter.MeterCatalog meters, TimeProvider clock)
{
    /// <summary>
    /// The comparison for <paramref name="period"/>: <c>yyyy-MM-dd</c> (a day), <c>yyyy-MM</c> (a month) or <c>yyyy</c>
    /// (a year); null: the site's current local month.
    /// </summary>
    public async Task<Comparison?> CompareAsync(long tenantId, string site, string? period, string? nodeKey, CancellationToken ct)
    {
        var model = await queries.SiteAsync(tenantId, site, ct);
        if (model is null) return null;
        period ??= meters.Calendar(model.Definition.TimeZone).LocalDate(clock.GetUtcNow().ToUnixTimeMilliseconds()).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var node = nodeKey ?? SiteNode.RootKey;
        if (model.Nodes.All(n => n.Key != node)) return null;
        var (kind, current) = Parse(period);
        var (previous, lastYear) = kind switch
        {
            "day" => (current.AddDays(-1), current.AddYears(-1)),
            "month" => (current.AddMonths(-1), current.AddYears(-1)),
            _ => (current.AddYears(-1), current.AddYears(-1)),
        };
        var now = await TotalsAsync(tenantId, site, node, kind, current, ct);
        var before = await TotalsAsync(tenantId, site, node, kind, previous, ct);
        var yearAgo = await TotalsAsync(tenantId, site, node, kind, lastYear, ct);
        var keys = now.Keys.Concat(before.Keys).Concat(yearAgo.Keys).Distinct().OrderBy(k => k.Carrier, StringComparer.Ordinal).ThenBy(k => k.Direction, StringComparer.Ordinal).ToList();
        PeriodTotal Of(Dictionary<(string Carrier, string Unit, string Direction), PeriodTotal> totals, (string, string, string) key, DateOnly start) =>
            totals.GetValueOrDefault(key) ?? new PeriodTotal(Label(kind, start), null, 0);
        var rows = keys.Select(k => Row(k.Carrier, k.Unit, k.Direction, Of(now, k, current), Of(before, k, previous), Of(yearAgo, k, lastYear))).ToList();

        // Unit consumption: each energy carrier per unit of the product output (the site's ProductOutput carriers).
        var profile = model.Definition.Accounting ?? new AccountingProfile();
        var outputs = rows.Where(r => profile.For(r.Carrier).Role == CarrierRole.ProductOutput).ToList();
        var perOutput = new List<ComparisonRow>();
        foreach (var output in outputs)
            foreach (var energy in rows.Where(r => profile.For(r.Carrier).Role is not (CarrierRole.ProductOutput or CarrierRole.None) && r.Direction == "Import"))
                perOutput.Add(Row(energy.Carrier, $"{energy.Unit}/{output.Unit}", energy.Direction,
                    Ratio(energy.Current, output.Current), Ratio(energy.Previous, output.Previous), Ratio(energy.LastYear, output.LastYear)) with { PerOutput = output.Carrier });
        return new Comparison(model.Definition.Key, node, kind, Label(kind, current), Label(kind, previous), Label(kind, lastYear), rows, perOutput);
    }

    private static ComparisonRow Row(string carrier, string unit, string direction, PeriodTotal current, PeriodTotal previous, PeriodTotal lastYear) =>
        new(carrier, unit, direction, current, previous, lastYear, ChangeOf(current.Value, previous.Value), ChangeOf(current.Value, lastYear.Value));

    private static PeriodTotal Ratio(PeriodTotal energy, PeriodTotal output) =>
        new(energy.Period, energy.Value is { } e && output.Value is > 0 and var o ? e / o : null, Math.Min(energy.Completeness, output.Completeness));

    /// <summary>The change from <paramref name="before"/> to <paramref name="now"/>; no percentage from zero.</summary>
    public static Change ChangeOf(double? now, double? before) =>
        now is { } n && before is { } b ? new Change(n - b, b != 0 ? (n - b) / Math.Abs(b) * 100 : null) : new Change(null, null);

    private static (string Kind, DateOnly Start) Parse(string period)
    {
        var c = CultureInfo.InvariantCulture;
        if (DateOnly.TryParseExact(period, "yyyy-MM-dd", c, DateTimeStyles.None, out var day) && day.Year is >= 2001 and <= 2199) return ("day", day);
        if (DateOnly.TryParseExact(period + "-01", "yyyy-MM-dd", c, DateTimeStyles.None, out var month) && month.Year is >= 2001 and <= 2199) return ("month", month);
        if (int.TryParse(period, NumberStyles.None, c, out var year) && period.Length == 4 && year is >= 2001 and <= 2199) return ("year", new DateOnly(year, 1, 1));
        throw new BadInputException($"period: '{period}' is not yyyy-MM-dd (a day), yyyy-MM (a month) or yyyy (a year) between 2001 and 2199");
    }

    private static string Label(string kind, DateOnly start) => kind switch
    {
        "day" => start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "month" => start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        _ => start.ToString("yyyy", CultureInfo.InvariantCulture),
    };

    /// <summary>The node's totals per carrier over the period: the sum of its /energy rows (by day for a day, by month otherwise), completeness weighted by length.</summary>
    private async Task<Dictionary<(string Carrier, string Unit, string Direction), PeriodTotal>> TotalsAsync(long tenantId, string site, string node, string kind,
        DateOnly start, CancellationToken ct)
    {
        var end = kind switch { "day" => start.AddDays(1), "month" => start.AddMonths(1), _ => start.AddYears(1) };
        var grain = kind == "day" ? Grain.Day : Grain.Month;
        var report = await queries.EnergyAsync(tenantId, site, grain, PeriodRange.Dates(start, end), node == SiteNode.RootKey ? null : node, ct);
        var periods = kind == "year" ? 12 : 1;
        return (report?.Rows ?? []).Where(r => r.Node == node).GroupBy(r => (r.Carrier, r.Unit, r.Direction)).ToDictionary(g => g.Key, g =>
        {
            var values = g.Where(r => r.Value is not null).ToList();
            // Completeness over the whole period: the rows' (each a month of a year, or the day) mean, months weighted by their days.
            double weighted = 0, total = 0;
            for (var m = 0; m < periods; m++)
            {
                var monthStart = start.AddMonths(m);
                var days = kind == "year" ? DateTime.DaysInMonth(monthStart.Year, monthStart.Month) : 1;
                var label = kind == "day" ? null : monthStart.ToString("yyyy-MM", CultureInfo.InvariantCulture);
                var row = label is null ? g.FirstOrDefault() : g.FirstOrDefault(r => r.Start.StartsWith(label, StringComparison.Ordinal));
                weighted += (row?.Completeness ?? 0) * days;
                total += days;
            }
            return new PeriodTotal(Label(kind, start), values.Count == 0 ? null : values.Sum(r => r.Value!.Value), Math.Round(weighted / total, 4));
        });
    }
}
