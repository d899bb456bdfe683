using GreenLoop.Accounting;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Model.Accounting;
using GreenLoop.Pipeline.Monitor.Query;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Monitor.Flow;

/// <summary>A node on the way from the site to the node drawn (the breadcrumb).</summary>
public sealed record FlowPathItem(string Node, string Name, string? NameZh);

/// <summary>
/// The energy-flow diagram of a site (or of one node's subtree) over a period: where the range starts and ends (site-local
/// ISO instants), the unit (<c>energy</c> or <c>tce</c>), the way down from the site, the reference data set the
/// coefficients come from, the least completeness of the flows drawn, and the diagram itself.
/// </summary>
public sealed record EnergyFlowReport(string Site, string SiteName, string? SiteNameZh, string From, string To, string Unit, string Node,
    IReadOnlyList<FlowPathItem> Path, string DataSet, double Completeness, bool HasData, IReadOnlyList<FlowCarrier> Carriers, IReadOnlyList<FlowNode> Nodes,
    IReadOnlyList<FlowLink> Links, IReadOnlyList<FlowBalance> Balances, IReadOnlyList<FlowProblem> Problems);

/// <summary>
/// Reads what <see cref="EnergyFlow"/> needs from the store — the node tree, each node's derived totals per carrier over
/// the period (the roll-up of <c>/energy</c>, no double counting), which nodes have counted meters, the energy report's
/// standard-coal conversions — and draws the diagram.
/// </summary>
public sealed class EnergyFlowService(ISiteCatalog sites, ISeriesQueries series, MeterCatalog catalog, AccountingService accounting, TimeProvider clock)
{
    /// <summary>
    /// The diagram of <paramref name="nodeKey"/>'s subtree (null: the whole site) over <paramref name="range"/> in
    /// <paramref name="unit"/>; null when the site or the node does not exist.
    /// </summary>
    public async Task<EnergyFlowReport?> FlowAsync(long tenantId, string siteKey, PeriodRange range, FlowUnit unit, string? nodeKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(range);
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        var focus = string.IsNullOrEmpty(nodeKey) ? site.Root : site.Nodes.FirstOrDefault(n => n.Key == nodeKey);
        if (focus is null) return null;
        var calendar = catalog.Calendar(site.Definition.TimeZone);
        var (from, to) = Bounds(calendar, range);
        // Completeness counts only the part of the period that has happened.
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var elapsed = Math.Max(1, Math.Min(to, Math.Max(from, now)) - from);

        var subtree = Subtree(site, focus);
        var keyOf = site.Nodes.ToDictionary(n => n.Id, n => n.Key);
        var meters = site.Meters.Where(m => m.Definition is { Quantity: MeterQuantity.EnergyCarrier, Direction: MeterDirection.Import }
            && m.Definition.Kind != MeterKind.Instantaneous).ToDictionary(m => m.Id);
        var carriers = meters.Values.GroupBy(m => m.Definition.Carrier, StringComparer.Ordinal).Select(g => (Carrier: g.Key, g.First().Definition.Unit))
            .OrderBy(c => c.Carrier == "electricity" ? 0 : 1).ThenBy(c => c.Carrier, StringComparer.Ordinal).ToList();
        var inSubtree = subtree.Select(n => n.Id).ToHashSet();
        var countedMeters = site.Counted.Where(c => inSubtree.Contains(c.NodeId) && meters.ContainsKey(c.MeterId))
            .GroupBy(c => (keyOf[c.NodeId], meters[c.MeterId].Definition.Carrier)).ToDictionary(g => g.Key, g => g.Count());

        var sums = new Dictionary<(string, string), (double Value, long Covered, QualityFlags Flags)>();
        foreach (var (grain, f, t) in Pieces(calendar, from, to))
        {
            foreach (var r in await series.NodeTotalsAsync([.. inSubtree], grain, new Instant(f), new Instant(t), ct))
            {
                if (r.Direction != MeterDirection.Import || r.Value is not { } v || !countedMeters.ContainsKey((keyOf[r.NodeId], r.Carrier))) continue;
                var key = (keyOf[r.NodeId], r.Carrier);
                var s = sums.GetValueOrDefault(key);
                sums[key] = (s.Value + v, s.Covered + r.CoveredMs, s.Flags | r.Flags);
            }
        }
        var totals = sums.ToDictionary(s => s.Key,
            s => new FlowTotal(s.Value.Value, Math.Round(Math.Min(1, s.Value.Covered / (double)(elapsed * countedMeters[s.Key])), 4), s.Value.Flags));

        var conversions = await accounting.ConversionsAsync(site, calendar.LocalDate(from).Year, carriers, ct);
        var tree = subtree.Select(n => new FlowTreeNode(n.Key, n.Name, n.NameZh, n.Id == focus.Id || n.ParentId is not { } p ? null : keyOf[p])).ToList();
        var diagram = EnergyFlow.Build(focus.Key, tree, carriers.Select(c => new FlowCarrierInput(c.Carrier, c.Unit, conversions.GetValueOrDefault(c.Carrier))).ToList(),
            totals, countedMeters.Keys.ToHashSet(), unit);

        var path = new List<FlowPathItem>();
        var byId = site.Nodes.ToDictionary(n => n.Id);
        for (SiteNode? n = focus; n is not null; n = n.ParentId is { } p ? byId[p] : null) path.Insert(0, new FlowPathItem(n.Key, n.Name, n.NameZh));
        var def = site.Definition;
        return new EnergyFlowReport(def.Key, def.Name, def.NameZh, QueryService.Iso(calendar, from), QueryService.Iso(calendar, to),
            unit == FlowUnit.Tce ? "tce" : "energy", focus.Key, path, ReferenceLibrary.Version,
            diagram.Links.Select(l => l.Completeness).DefaultIfEmpty(0).Min(), diagram.Links.Count > 0,
            diagram.Carriers, diagram.Nodes, diagram.Links, diagram.Balances, diagram.Problems);
    }

    /// <summary>
    /// The range in Unix milliseconds: the ends given, resolved in the site's calendar; by default this month so far
    /// (from local midnight on the 1st to local midnight tonight).
    /// </summary>
    public (long From, long To) Bounds(SiteCalendar calendar, PeriodRange range)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(range);
        var today = calendar.LocalDate(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var f = range.From?.Resolve(calendar) ?? calendar.MonthBounds(today).Start;
        var t = range.To?.Resolve(calendar) ?? calendar.DayStart(today.AddDays(1));
        if (t <= f) throw new BadInputException("'to' must be after 'from'");
        return (f, t);
    }

    /// <summary>
    /// [from, to) cut into the coarsest stored periods that fit: whole local months, then days, then hours at the ends,
    /// then 15-minute buckets; a bucket counts when it starts inside the range (instants are taken to the quarter hour).
    /// A year is then 12 month rows per node and carrier, not 35,040 buckets.
    /// </summary>
    internal static IEnumerable<(Grain Grain, long From, long To)> Pieces(SiteCalendar calendar, long from, long to) => Split(calendar, from, to, Grain.Month);

    private static IEnumerable<(Grain, long, long)> Split(SiteCalendar calendar, long from, long to, Grain grain)
    {
        if (from >= to) yield break;
        if (grain == Grain.Minutes15)
        {
            yield return (grain, from, to);
            yield break;
        }
        var finer = grain - 1;
        var start = Ceil(calendar, from, grain);
        var end = Floor(calendar, to, grain);
        if (start >= end)
        {
            foreach (var p in Split(calendar, from, to, finer)) yield return p;
            yield break;
        }
        foreach (var p in Split(calendar, from, start, finer)) yield return p;
        yield return (grain, start, end);
        foreach (var p in Split(calendar, end, to, finer)) yield return p;
    }

    private static long Floor(SiteCalendar calendar, long ms, Grain grain) => grain switch
    {
        Grain.Month => calendar.MonthBounds(calendar.LocalDate(ms)).Start,
        Grain.Day => calendar.DayStart(calendar.LocalDate(ms)),
        _ => calendar.HourStart(ms),
    };

    private static long Ceil(SiteCalendar calendar, long ms, Grain grain)
    {
        var floor = Floor(calendar, ms, grain);
        if (floor == ms) return ms;
        return grain switch
        {
            Grain.Month => calendar.MonthBounds(calendar.LocalDate(ms)).End,
            Grain.Day => calendar.DayStart(calendar.LocalDate(ms).AddDays(1)),
            _ => floor + 3_600_000,
        };
    }

    private static List<SiteNode> Subtree(SiteModel site, SiteNode focus)
    {
        var kids = site.Nodes.Where(n => n.ParentId is not null).ToLookup(n => n.ParentId!.Value);
        var list = new List<SiteNode>();
        var stack = new Stack<SiteNode>([focus]);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            list.Add(n);
            foreach (var k in kids[n.Id]) stack.Push(k);
        }
        return list;
    }
}
