using System.Globalization;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Monitor.Query;

/// <summary>Answers the dashboard and series queries from derived data only (buckets and roll-ups, never raw readings).</summary>
public sealed class QueryService(ISiteCatalog sites, ISeriesQueries series, MeterCatalog catalog, TimeProvider clock)
{
    public static string GrainName(Grain g) => g switch
    {
        Grain.Minutes15 => "15m",
        Grain.Hour => "hour",
        Grain.Day => "day",
        _ => "month",
    };

    /// <summary>
    /// The range in Unix milliseconds: the ends given, resolved in the site's calendar, and for a missing end the
    /// grain's default (15m: today; hour: yesterday and today; day: the 30 days before today and today; month: the 11
    /// months before this one and this one; always up to local midnight tonight). A range that does not end after it
    /// starts is the user's to correct.
    /// </summary>
    public (long From, long To) Bounds(SiteCalendar calendar, Grain grain, PeriodRange range)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(range);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var today = calendar.LocalDate(now);
        var end = calendar.DayStart(today.AddDays(1));
        var start = grain switch
        {
            Grain.Minutes15 => calendar.DayStart(today),
            Grain.Hour => calendar.DayStart(today.AddDays(-1)),
            Grain.Day => calendar.DayStart(today.AddDays(-30)),
            _ => calendar.MonthBounds(today.AddMonths(-11)).Start,
        };
        var f = range.From?.Resolve(calendar) ?? start;
        var t = range.To?.Resolve(calendar) ?? end;
        if (t <= f) throw new BadInputException("'to' must be after 'from'");
        return (f, t);
    }

    public async Task<SiteModel?> SiteAsync(long tenantId, string site, CancellationToken ct) => await sites.GetSiteAsync(tenantId, site, ct);

    public async Task<IReadOnlyList<SiteSummary>> SitesAsync(long tenantId, CancellationToken ct) =>
        (await sites.ListSitesAsync(tenantId, ct)).Select(s => new SiteSummary(s.Definition.Key, s.Definition.Name, s.Definition.NameZh,
            s.Definition.TimeZone, s.Definition.GridRegion, s.Definition.Industry, s.Nodes.Count - 1, s.Meters.Count)).ToList();

    public async Task<MeterSeries?> MeterSeriesAsync(long tenantId, string site, string meterKey, Grain grain, PeriodRange range, CancellationToken ct)
    {
        var meter = await FindMeterAsync(tenantId, site, meterKey, ct);
        if (meter is null) return null;
        var calendar = catalog.Calendar(meter.TimeZone);
        var (f, t) = Bounds(calendar, grain, range);
        var rows = await series.MeterSeriesAsync(new MeterId(meter.Id), grain, new Instant(f), new Instant(t), ct);
        var d = meter.Definition;
        return new MeterSeries(d.Key, d.Name, d.NameZh, d.Unit, d.Kind.ToString(), d.Carrier, GrainName(grain),
            rows.Select(r => Point(calendar, grain, r, 1)).ToList());
    }

    public async Task<NodeSeries?> NodeSeriesAsync(long tenantId, string site, string nodeKey, string carrier, Grain grain, PeriodRange range, CancellationToken ct)
    {
        var model = await sites.GetSiteAsync(tenantId, site, ct);
        var node = model?.Nodes.FirstOrDefault(n => n.Key == nodeKey);
        if (model is null || node is null) return null;
        var calendar = catalog.Calendar(model.Definition.TimeZone);
        var (f, t) = Bounds(calendar, grain, range);
        var rows = (await series.NodeTotalsAsync([node.Id], grain, new Instant(f), new Instant(t), ct))
            .Where(r => r.Carrier == carrier && r.Direction == MeterDirection.Import).ToList();
        var expected = CountedMeters(model, node.Id, carrier);
        var unit = model.Meters.FirstOrDefault(m => m.Definition.Carrier == carrier)?.Definition.Unit ?? "";
        return new NodeSeries(node.Key, node.Name, node.NameZh, carrier, unit, GrainName(grain),
            rows.Select(r => Point(calendar, grain, new PeriodRow(r.Ts, r.Value, null, null, r.CoveredMs, r.Flags, r.Meters), Math.Max(1, expected))).ToList());
    }

    public async Task<EnergyReport?> EnergyAsync(long tenantId, string site, Grain grain, PeriodRange range, string? nodeKey, CancellationToken ct)
    {
        var model = await sites.GetSiteAsync(tenantId, site, ct);
        if (model is null) return null;
        var calendar = catalog.Calendar(model.Definition.TimeZone);
        var (f, t) = Bounds(calendar, grain, range);
        List<SiteNode> nodes;
        if (nodeKey is null) nodes = [model.Root, .. model.Nodes.Where(n => n.ParentId == model.Root.Id)];
        else nodes = model.Nodes.Where(n => n.Key == nodeKey).ToList();
        if (nodes.Count == 0) return null;
        var rows = await series.NodeTotalsAsync(nodes.Select(n => n.Id).ToList(), grain, new Instant(f), new Instant(t), ct);
        var byId = nodes.ToDictionary(n => n.Id);
        // CountedMeters scans the site's meters; once per (node, carrier), not once per row (a year by day is thousands).
        var counted = new Dictionary<(long Node, string Carrier), int>();
        return new EnergyReport(model.Definition.Key, GrainName(grain), rows.Select(r =>
        {
            var n = byId[r.NodeId];
            if (!counted.TryGetValue((n.Id, r.Carrier), out var meters)) counted[(n.Id, r.Carrier)] = meters = CountedMeters(model, n.Id, r.Carrier);
            var len = PeriodLength(calendar, grain, r.Ts) * Math.Max(1, meters);
            return new EnergyRow(n.Key, n.Name, n.NameZh, r.Carrier, UnitOf(model, r.Carrier), r.Direction.ToString(), Iso(calendar, r.Ts), r.Value,
                Math.Round(Math.Min(1, r.CoveredMs / (double)len), 4), FlagNames(r.Flags));
        }).ToList());
    }

    public async Task<Overview?> OverviewAsync(long tenantId, string site, CancellationToken ct)
    {
        var model = await sites.GetSiteAsync(tenantId, site, ct);
        if (model is null) return null;
        var def = model.Definition;
        var calendar = catalog.Calendar(def.TimeZone);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var today = calendar.LocalDate(now);
        var (dayStart, dayEnd) = calendar.DayBounds(today);
        var (monthStart, _) = calendar.MonthBounds(today);
        var elapsedToday = Math.Max(1, Math.Min(now, dayEnd) - dayStart);
        var elapsedMonth = Math.Max(1, Math.Min(now, dayEnd) - monthStart);
        var root = model.Root;

        var curveRows = (await series.NodeTotalsAsync([root.Id], Grain.Minutes15, new Instant(dayStart), new Instant(dayEnd), ct))
            .Where(r => r.Carrier == "electricity" && r.Direction == MeterDirection.Import)
            // The quarter-hour in progress holds only part of its energy; as mean power it would look like a collapse.
            .Where(r => r.Ts + SiteCalendar.BucketMs <= now)
            .ToList();
        var elecUnit = UnitOf(model, "electricity");
        var powerUnit = elecUnit == "kWh" ? "kW" : elecUnit == "MWh" ? "MW" : elecUnit + "/h";
        var curve = new LoadCurve("electricity", powerUnit, curveRows.Select(r => new SeriesPoint(Iso(calendar, r.Ts),
            r.Value * 4, null, null, Math.Round(Math.Min(1, r.CoveredMs / (double)(SiteCalendar.BucketMs * Math.Max(1, CountedMeters(model, root.Id, "electricity")))), 4), FlagNames(r.Flags))).ToList());

        var dayRows = await series.NodeTotalsAsync([root.Id], Grain.Day, new Instant(dayStart), new Instant(dayStart + 1), ct);
        var monthRows = await series.NodeTotalsAsync([root.Id], Grain.Month, new Instant(monthStart), new Instant(monthStart + 1), ct);
        List<CarrierTotal> Totals(IReadOnlyList<NodeCarrierRow> rows, long elapsed) => rows
            .Where(r => r.Direction == MeterDirection.Import)
            .Select(r => new CarrierTotal(r.Carrier, UnitOf(model, r.Carrier), r.Value,
                Math.Round(Math.Min(1, r.CoveredMs / (double)(elapsed * Math.Max(1, CountedMeters(model, root.Id, r.Carrier)))), 4), FlagNames(r.Flags)))
            .OrderBy(r => r.Carrier, StringComparer.Ordinal).ToList();

        var workshops = model.Nodes.Where(n => n.ParentId == root.Id).ToList();
        var wsIds = workshops.Select(n => n.Id).ToList();
        var wsById = workshops.ToDictionary(n => n.Id);
        List<WorkshopTotal> Workshop(IReadOnlyList<NodeCarrierRow> rows) => rows
            .Where(r => r.Direction == MeterDirection.Import)
            .Select(r => new WorkshopTotal(wsById[r.NodeId].Key, wsById[r.NodeId].Name, wsById[r.NodeId].NameZh, r.Carrier, UnitOf(model, r.Carrier), r.Value))
            .ToList();
        var wsToday = Workshop(await series.NodeTotalsAsync(wsIds, Grain.Day, new Instant(dayStart), new Instant(dayStart + 1), ct));
        var wsMonth = Workshop(await series.NodeTotalsAsync(wsIds, Grain.Month, new Instant(monthStart), new Instant(monthStart + 1), ct));

        var last = await series.LastReadingsAsync(model.Id, ct);
        var statuses = new List<MeterStatus>();
        long coveredAll = 0;
        var keyOf = model.Nodes.ToDictionary(n => n.Id, n => n.Key);
        foreach (var m in model.Meters)
        {
            var rows = await series.MeterSeriesAsync(new MeterId(m.Id), Grain.Day, new Instant(dayStart), new Instant(dayStart + 1), ct);
            var covered = rows.Sum(r => r.CoveredMs);
            coveredAll += covered;
            var d = m.Definition;
            statuses.Add(new MeterStatus(d.Key, d.Name, d.NameZh, d.Carrier, d.Unit, d.Kind.ToString(), d.Node,
                last.TryGetValue(m.Id, out var ts) ? Iso(calendar, ts) : null, Math.Round(Math.Min(1, covered / (double)elapsedToday), 4)));
        }
        var completeness = model.Meters.Count == 0 ? 0 : Math.Round(Math.Min(1, coveredAll / (double)(elapsedToday * model.Meters.Count)), 4);

        return new Overview(def.Key, def.Name, def.NameZh, def.TimeZone, today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Iso(calendar, now),
            curve, Totals(dayRows, elapsedToday), Totals(monthRows, elapsedMonth), wsToday, wsMonth, completeness, statuses);
    }

    /// <summary>The events found in a meter's readings; a missing end of the range takes the default of the day grain.</summary>
    public async Task<IReadOnlyList<MeterEvent>?> EventsAsync(long tenantId, string site, string meterKey, PeriodRange range, CancellationToken ct)
    {
        var meter = await FindMeterAsync(tenantId, site, meterKey, ct);
        if (meter is null) return null;
        var calendar = catalog.Calendar(meter.TimeZone);
        var (f, t) = Bounds(calendar, Grain.Day, range);
        var findings = await series.FindingsAsync(new MeterId(meter.Id), new Instant(f), new Instant(t), ct);
        return findings.Select(x => new MeterEvent(Iso(calendar, x.Ts), x.Kind.ToString().ToLowerInvariant(), x.Detail, GreenLoop.Domain.Derivation.FindingText.Zh(x.Detail))).ToList();
    }

    public async Task<Balance?> BalanceAsync(long tenantId, string site, string meterKey, Grain grain, PeriodRange range, CancellationToken ct)
    {
        var model = await sites.GetSiteAsync(tenantId, site, ct);
        var parent = model?.Meters.FirstOrDefault(m => m.Definition.Key == meterKey);
        if (model is null || parent is null) return null;
        var calendar = catalog.Calendar(model.Definition.TimeZone);
        var (f, t) = Bounds(calendar, grain, range);
        var children = model.Meters.Where(m => m.Definition.Parent == meterKey).ToList();
        var parentRows = (await series.MeterSeriesAsync(new MeterId(parent.Id), grain, new Instant(f), new Instant(t), ct)).ToDictionary(r => r.Ts);
        var sums = new Dictionary<long, double>();
        foreach (var child in children)
        {
            foreach (var r in await series.MeterSeriesAsync(new MeterId(child.Id), grain, new Instant(f), new Instant(t), ct))
                if (r.Value is { } v) sums[r.Ts] = sums.GetValueOrDefault(r.Ts) + v;
        }
        var points = parentRows.Keys.Union(sums.Keys).Order().Select(ts =>
        {
            double? p = parentRows.TryGetValue(ts, out var pr) ? pr.Value : null;
            double? c = sums.TryGetValue(ts, out var s) ? s : null;
            double? loss = p is not null && c is not null ? p - c : null;
            double? pct = loss is not null && p is > 0 ? Math.Round(loss.Value / p.Value * 100, 3) : null;
            return new BalancePoint(Iso(calendar, ts), p, c, loss, pct);
        }).ToList();
        return new Balance(meterKey, parent.Definition.Unit, children.Select(c => c.Definition.Key).ToList(), GrainName(grain), points);
    }

    private async Task<MeterRef?> FindMeterAsync(long tenantId, string site, string meterKey, CancellationToken ct)
    {
        var meter = await catalog.FindAsync(tenantId, meterKey, ct);
        return meter is not null && meter.SiteKey == site ? meter : null;
    }

    private static int CountedMeters(SiteModel model, long nodeId, string carrier)
    {
        var ids = model.Counted.Where(c => c.NodeId == nodeId).Select(c => c.MeterId).ToHashSet();
        return model.Meters.Count(m => ids.Contains(m.Id) && m.Definition.Carrier == carrier && m.Definition.Direction == MeterDirection.Import);
    }

    private static string UnitOf(SiteModel model, string carrier) =>
        model.Meters.FirstOrDefault(m => m.Definition.Carrier == carrier)?.Definition.Unit ?? "";

    private static long PeriodLength(SiteCalendar calendar, Grain grain, long ts) => grain switch
    {
        Grain.Minutes15 => SiteCalendar.BucketMs,
        Grain.Hour => 3_600_000,
        Grain.Day => Length(calendar.DayBounds(calendar.LocalDate(ts))),
        _ => Length(calendar.MonthBounds(calendar.LocalDate(ts))),
    };

    private static long Length((long Start, long End) b) => b.End - b.Start;

    internal static SeriesPoint Point(SiteCalendar calendar, Grain grain, PeriodRow r, int meters) =>
        new(Iso(calendar, r.Ts), r.Value, r.Min, r.Max,
            Math.Round(Math.Min(1, r.CoveredMs / (double)(PeriodLength(calendar, grain, r.Ts) * meters)), 4), FlagNames(r.Flags));

    public static IReadOnlyList<string> FlagNames(QualityFlags flags) =>
        flags == QualityFlags.None ? [] : Enum.GetValues<QualityFlags>().Where(f => f != QualityFlags.None && flags.HasFlag(f)).Select(f => f.ToString().ToLowerInvariant()).ToList();

    public static string Iso(SiteCalendar calendar, long ts) =>
        calendar.ToLocalOffset(ts).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
