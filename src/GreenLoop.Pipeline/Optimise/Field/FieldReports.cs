using System.Globalization;
using System.Text.Json;
using GreenLoop.Domain.Optimise.Field;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Pipeline.Optimise.Field;

/// <summary>
/// Inspection compliance of one template in one week (Monday to Sunday): occurrences due, done on time, done late,
/// missed, still open (upcoming, due or overdue), and the on-time rate over the settled ones (on time / (on time + late +
/// missed)).
/// </summary>
public sealed record ComplianceRow(string Template, string Week, int Due, int OnTime, int Late, int Missed, int Open, double? OnTimeRate);

/// <summary>How often an item failed: answers, failures, rate.</summary>
public sealed record ItemFailureRow(string Template, string Item, int Answered, int Failed, double Rate);

/// <summary>The open work of a node: open work orders, how many overdue, their mean and oldest age in days.</summary>
public sealed record OpenWorkRow(string? Node, int Open, int Overdue, double MeanAgeDays, double OldestAgeDays);

/// <summary>
/// The field-work report of a site for local days from..to: compliance per template and week, failure rate per item,
/// mean time to repair (work order opened to done, hours, over the work orders done in the period), and open work by node
/// and age (now).
/// </summary>
public sealed record FieldReport(string Site, string From, string To, IReadOnlyList<ComplianceRow> Compliance, IReadOnlyList<ItemFailureRow> Failures,
    double? MttrHours, int Repaired, IReadOnlyList<OpenWorkRow> OpenWork);

/// <summary>Builds the <see cref="FieldReport"/>.</summary>
public sealed class FieldReports(ISiteCatalog sites, ICatalogDb catalog, FieldService field, WorkOrderService workOrders, Meter.MeterCatalog meters, TimeProvider clock)
{
    public async Task<FieldReport?> ReportAsync(long tenantId, string siteKey, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        if (to < from || to.DayNumber - from.DayNumber > 93) throw new BadInputException("to: from 1 to 93 days after from");
        var occurrences = (await field.OccurrencesAsync(tenantId, siteKey, from, to, null, null, ct))!;
        var compliance = occurrences
            .GroupBy(o => (o.Template, Week: Monday(DateOnly.ParseExact(o.Due[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture))))
            .OrderBy(g => g.Key.Week).ThenBy(g => g.Key.Template, StringComparer.Ordinal)
            .Select(g =>
            {
                int Count(OccurrenceState s) => g.Count(o => o.State == s);
                var (onTime, late, missed) = (Count(OccurrenceState.DoneOnTime), Count(OccurrenceState.DoneLate), Count(OccurrenceState.Missed));
                var settled = onTime + late + missed;
                return new ComplianceRow(g.Key.Template, g.Key.Week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), g.Count(), onTime, late, missed,
                    g.Count() - settled, settled == 0 ? null : onTime / (double)settled);
            }).ToList();

        var calendar = meters.Calendar(site.Definition.TimeZone);
        var (start, _) = calendar.DayBounds(from);
        var (_, end) = calendar.DayBounds(to);
        List<(string Template, string Outcomes)> done;
        await using (var db = catalog.Open(tenantId))
            done = (await db.Inspections.AsNoTracking().Where(i => i.SiteId == site.Id && i.SubmittedAt >= start && i.SubmittedAt < end)
                .Select(i => new { i.Template!.Key, i.Outcomes }).ToListAsync(ct)).Select(i => (i.Key, i.Outcomes)).ToList();
        var failures = done
            .SelectMany(i => JsonSerializer.Deserialize<List<ItemOutcome>>(i.Outcomes, FieldService.Json)!.Select(o => (i.Template, o)))
            .GroupBy(x => (x.Template, x.o.Item))
            .Select(g => new ItemFailureRow(g.Key.Template, g.Key.Item, g.Count(), g.Count(x => x.o.Failed), g.Count(x => x.o.Failed) / (double)g.Count()))
            .OrderByDescending(r => r.Rate).ThenBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.Item, StringComparer.Ordinal).ToList();

        var all = await workOrders.ListAsync(tenantId, siteKey, open: false, null, ct) ?? [];
        var repairs = new List<double>();
        foreach (var w in all)
        {
            var doneAt = w.History.FirstOrDefault(e => e.What.Contains("-> Done", StringComparison.Ordinal))?.At;
            if (doneAt is null) continue;
            var doneMs = DateTimeOffset.Parse(doneAt, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
            if (doneMs < start || doneMs >= end) continue;
            repairs.Add((doneMs - DateTimeOffset.Parse(w.CreatedAt, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()) / 3_600_000.0);
        }
        var now = clock.GetUtcNow();
        var openWork = all.Where(w => w.State is not (WorkOrderState.Done or WorkOrderState.Verified or WorkOrderState.Cancelled))
            .GroupBy(w => w.Order.Node)
            .Select(g =>
            {
                var ages = g.Select(w => (now - DateTimeOffset.Parse(w.CreatedAt, CultureInfo.InvariantCulture)).TotalDays).ToList();
                return new OpenWorkRow(g.Key, g.Count(), g.Count(w => w.Overdue), ages.Average(), ages.Max());
            }).OrderByDescending(r => r.OldestAgeDays).ToList();
        return new FieldReport(siteKey, from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            compliance, failures, repairs.Count == 0 ? null : repairs.Average(), repairs.Count, openWork);
    }

    private static DateOnly Monday(DateOnly d) => d.AddDays(-(((int)d.DayOfWeek + 6) % 7));
}
