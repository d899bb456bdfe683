using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Optimise;
using GreenLoop.Pipeline.Model.Accounting;
using GreenLoop.Pipeline.Monitor.Query;
using GreenLoop.Pipeline.Optimise.Kpis;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Pipeline.Optimise.Audits;

/// <summary>A cleaner-production audit: its title, the period its balances are drawn for, the team and notes.</summary>
public sealed record CpAuditBody
{
    public string Title { get; init; } = "";
    public string Period { get; init; } = "";
    public IReadOnlyList<string> Team { get; init; } = [];
    public string? Notes { get; init; }
}

/// <summary>The stage of an audit option (方案): proposed, screened, feasible, implemented — or rejected.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OptionStage>))]
public enum OptionStage { Proposed, Screened, Feasible, Implemented, Rejected }

/// <summary>An audit option: what, in which area, its estimated cost (yuan) and expected benefit, who proposed it.</summary>
public sealed record CpOptionBody
{
    public string Title { get; init; } = "";
    public string? Description { get; init; }
    public KpiArea Area { get; init; } = KpiArea.Energy;
    public double? InvestmentYuan { get; init; }
    public string? ExpectedBenefit { get; init; }
    public string? ProposedBy { get; init; }
}

/// <summary>A change of an option's stage, with the reason (screening result, feasibility study …).</summary>
public sealed record OptionChange(OptionStage? Stage = null, string? Note = null);

public sealed record OptionEvent(string At, string By, string What, string? Note);

public sealed record CpOptionView(long Id, long AuditId, CpOptionBody Option, OptionStage Stage, IReadOnlyList<OptionEvent> History, string CreatedBy, string CreatedAt);

/// <summary>One node's quantity in a balance.</summary>
public sealed record NodeFlow(string Node, string Name, string? NameZh, double Value, double Completeness);

/// <summary>
/// The water balance of a period from the meter tree: fresh water taken in (the site's counted fresh-water meters),
/// by first-level node, the part no node meter accounts for (distribution losses or unmetered users), recycled water,
/// water discharged (a metered <c>wastewater</c> carrier, else the recorded quantity <c>water.discharged</c>), water
/// consumed (intake − discharged: evaporation, product, losses) and the reuse rate recycled / (recycled + intake).
/// </summary>
public sealed record WaterBalance(string Period, string Unit, double? Intake, IReadOnlyList<NodeFlow> ByNode, double? NodesTotal, double? Unaccounted,
    double? Recycled, double? Discharged, string DischargedSource, double? Consumed, double? ReuseRatePercent, double Completeness);

/// <summary>One energy carrier's balance: the site's total, its first-level nodes, and what no node accounts for.</summary>
public sealed record CarrierBalance(string Carrier, string Unit, double Site, IReadOnlyList<NodeFlow> ByNode, double NodesTotal, double Unaccounted,
    double? UnaccountedPercent, double Completeness);

/// <summary>The energy balance of a period: per energy carrier, and the comprehensive energy of the energy report (kgce).</summary>
public sealed record EnergyBalance(string Period, IReadOnlyList<CarrierBalance> Carriers, double? ComprehensiveKgce);

/// <summary>One recorded flow of a material balance (key <c>material.in.*</c> or <c>material.out.*</c>), pro rata over the period.</summary>
public sealed record MaterialFlow(string Key, string Unit, double Value);

/// <summary>
/// The material balance of a period from recorded quantities: inputs (<c>material.in.*</c>), outputs
/// (<c>material.out.*</c>: product, by-products, waste, emissions), the difference (unaccounted) and the closure
/// (outputs / inputs). Mixed units give no totals, with the reason.
/// </summary>
public sealed record MaterialBalance(string Period, IReadOnlyList<MaterialFlow> Inputs, IReadOnlyList<MaterialFlow> Outputs, string? Unit,
    double? InputTotal, double? OutputTotal, double? Unaccounted, double? ClosurePercent, string? Reason);

/// <summary>An audit with its balances and options.</summary>
public sealed record CpAuditView(long Id, string Site, CpAuditBody Audit, WaterBalance? Water, EnergyBalance? Energy, MaterialBalance? Materials,
    IReadOnlyList<CpOptionView> Options, string CreatedBy, string CreatedAt);

/// <summary>
/// Cleaner-production audits: the facts of an audit period — water, energy and material balances drawn from the meter
/// tree and recorded quantities — and the audit's options (方案) with their stages. Options are the projects of the
/// next stage (issue 14).
/// </summary>
public sealed class CpAuditService(ISiteCatalog sites, ICatalogDb catalog, QueryService queries, AccountingService accounting, TimeProvider clock)
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Water carriers of the balances; every other carrier of an energy meter is an energy carrier.</summary>
    public const string FreshWater = "fresh_water", RecycledWater = "recycled_water", Wastewater = "wastewater";

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static Dictionary<string, string[]> Validate(CpAuditBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Title) || body.Title.Length > 200) errors["title"] = ["1-200 characters"];
        if (!KpiPeriod.TryParse(body.Period, out _)) errors["period"] = ["the audit period: a year yyyy or a month yyyy-MM"];
        if (body.Team.Count > 50 || body.Team.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > 100)) errors["team"] = ["up to 50 names of 1-100 characters"];
        if (body.Notes is { Length: > 8000 }) errors["notes"] = ["at most 8000 characters"];
        return errors;
    }

    public static Dictionary<string, string[]> Validate(CpOptionBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Title) || body.Title.Length > 200) errors["title"] = ["1-200 characters"];
        if (body.Description is { Length: > 4000 }) errors["description"] = ["at most 4000 characters"];
        if (!Enum.IsDefined(body.Area)) errors["area"] = ["energy, water, waste, materials, emissions, supplyChain or other"];
        if (body.InvestmentYuan is { } i && (!double.IsFinite(i) || i < 0 || i > 1e12)) errors["investmentYuan"] = ["0 to 1e12 yuan"];
        if (body.ExpectedBenefit is { Length: > 2000 }) errors["expectedBenefit"] = ["at most 2000 characters"];
        if (body.ProposedBy is { Length: > 100 }) errors["proposedBy"] = ["at most 100 characters"];
        return errors;
    }

    public async Task<IReadOnlyList<CpAuditView>?> ListAsync(long tenantId, string siteKey, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        return (await db.CpAudits.AsNoTracking().Where(a => a.SiteId == site.Id).OrderByDescending(a => a.CreatedAt).ToListAsync(ct))
            .Select(a => new CpAuditView(a.Id, siteKey, JsonSerializer.Deserialize<CpAuditBody>(a.Body, _json)!, null, null, null, [], a.CreatedBy, Iso(a.CreatedAt))).ToList();
    }

    public async Task<CpAuditView?> CreateAsync(long tenantId, string siteKey, CpAuditBody body, string by, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var row = new CpAuditRecord { TenantId = tenantId, SiteId = site.Id, Body = JsonSerializer.Serialize(body, _json), CreatedBy = by, CreatedAt = now, UpdatedAt = now };
        await catalog.WriteAsync(tenantId, async db =>
        {
            db.CpAudits.Add(row);
            return await db.SaveChangesAsync(ct);
        }, ct);
        return await GetAsync(tenantId, siteKey, row.Id, ct);
    }

    /// <summary>The audit with its three balances for its period and its options.</summary>
    public async Task<CpAuditView?> GetAsync(long tenantId, string siteKey, long id, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        CpAuditRecord? row;
        List<CpOptionRecord> options;
        await using (var db = catalog.Open(tenantId))
        {
            row = await db.CpAudits.AsNoTracking().FirstOrDefaultAsync(a => a.SiteId == site.Id && a.Id == id, ct);
            if (row is null) return null;
            options = await db.CpOptions.AsNoTracking().Where(o => o.AuditId == id).OrderBy(o => o.Id).ToListAsync(ct);
        }
        var body = JsonSerializer.Deserialize<CpAuditBody>(row.Body, _json)!;
        var period = KpiPeriod.TryParse(body.Period, out var p) ? p : throw new InvalidOperationException($"audit {id} has period '{body.Period}'");
        var report = await queries.EnergyAsync(tenantId, siteKey, Grain.Month, PeriodRange.Dates(period.First, period.End), null, ct);
        var rows = report?.Rows.Where(r => r.Direction == "Import" && r.Value is not null).ToList() ?? [];
        var nodes = site.Nodes.Where(n => n.ParentId == site.Root.Id).ToDictionary(n => n.Key);
        var water = Water(site, period, rows, nodes, await DischargedAsync(tenantId, site.Id, period, ct));
        var energy = await EnergyAsync(tenantId, siteKey, site, period, rows, nodes, ct);
        var materials = await MaterialsAsync(tenantId, site.Id, period, ct);
        return new CpAuditView(row.Id, siteKey, body, water, energy, materials, options.Select(OptionOf).ToList(), row.CreatedBy, Iso(row.CreatedAt));
    }

    private static (double Value, double Completeness)? Sum(IEnumerable<EnergyRow> rows)
    {
        var list = rows.ToList();
        return list.Count == 0 ? null : (list.Sum(r => r.Value!.Value), list.Min(r => r.Completeness));
    }

    private static IReadOnlyList<NodeFlow> ByNode(IEnumerable<EnergyRow> rows, Dictionary<string, SiteNode> nodes) =>
        rows.Where(r => nodes.ContainsKey(r.Node)).GroupBy(r => r.Node)
            .Select(g => new NodeFlow(g.Key, nodes[g.Key].Name, nodes[g.Key].NameZh, g.Sum(r => r.Value!.Value), g.Min(r => r.Completeness)))
            .OrderByDescending(n => n.Value).ToList();

    private async Task<(double? Value, string Source)> DischargedAsync(long tenantId, long siteId, KpiPeriod period, CancellationToken ct)
    {
        await using var db = catalog.Open(tenantId);
        var records = await QuantityService.InPeriod(db, siteId, period).Where(q => q.Key == "water.discharged").ToListAsync(ct);
        if (records.Count == 0) return (null, "none");
        return (records.Sum(r => QuantityService.Prorated(r, period)), "recorded water.discharged");
    }

    private static WaterBalance? Water(SiteModel site, KpiPeriod period, List<EnergyRow> rows, Dictionary<string, SiteNode> nodes, (double? Value, string Source) recorded)
    {
        var root = site.Root.Key;
        var intake = Sum(rows.Where(r => r.Node == root && r.Carrier == FreshWater));
        if (intake is null) return null;
        var byNode = ByNode(rows.Where(r => r.Carrier == FreshWater), nodes);
        var nodesTotal = byNode.Count == 0 ? (double?)null : byNode.Sum(n => n.Value);
        var recycled = Sum(rows.Where(r => r.Node == root && r.Carrier == RecycledWater));
        var metered = Sum(rows.Where(r => r.Node == root && r.Carrier == Wastewater));
        var (discharged, source) = metered is { } m ? (m.Value, "metered wastewater") : recorded;
        var unit = rows.First(r => r.Carrier == FreshWater).Unit;
        return new WaterBalance(period.ToString(), unit, intake.Value.Value, byNode, nodesTotal, nodesTotal is { } t ? intake.Value.Value - t : null,
            recycled?.Value, discharged, source, discharged is { } d ? intake.Value.Value - d : null,
            recycled is { } rc && rc.Value + intake.Value.Value > 0 ? rc.Value / (rc.Value + intake.Value.Value) * 100 : null,
            Math.Min(intake.Value.Completeness, recycled?.Completeness ?? 1));
    }

    private async Task<EnergyBalance> EnergyAsync(long tenantId, string siteKey, SiteModel site, KpiPeriod period, List<EnergyRow> rows,
        Dictionary<string, SiteNode> nodes, CancellationToken ct)
    {
        var energyCarriers = site.Definition.Meters.Where(m => m.Quantity == MeterQuantity.EnergyCarrier && m.Carrier is not (FreshWater or RecycledWater or Wastewater))
            .Select(m => m.Carrier).ToHashSet(StringComparer.Ordinal);
        var carriers = new List<CarrierBalance>();
        foreach (var carrier in energyCarriers.Order(StringComparer.Ordinal))
        {
            if (Sum(rows.Where(r => r.Node == site.Root.Key && r.Carrier == carrier)) is not { } total) continue;
            var byNode = ByNode(rows.Where(r => r.Carrier == carrier), nodes);
            var nodesTotal = byNode.Sum(n => n.Value);
            var unaccounted = total.Value - nodesTotal;
            carriers.Add(new CarrierBalance(carrier, rows.First(r => r.Carrier == carrier).Unit, total.Value, byNode, nodesTotal, unaccounted,
                total.Value == 0 ? null : unaccounted / total.Value * 100, Math.Min(total.Completeness, byNode.Select(n => n.Completeness).DefaultIfEmpty(1).Min())));
        }
        var report = await accounting.EnergyAsync(tenantId, siteKey, period.ToString(), ct);
        return new EnergyBalance(period.ToString(), carriers, report is { HasData: true } r ? r.Account.Total.Value : null);
    }

    private async Task<MaterialBalance> MaterialsAsync(long tenantId, long siteId, KpiPeriod period, CancellationToken ct)
    {
        List<QuantityRecord> records;
        await using (var db = catalog.Open(tenantId))
            records = await QuantityService.InPeriod(db, siteId, period).Where(q => q.Key.StartsWith("material.")).ToListAsync(ct);
        List<MaterialFlow> Flows(string prefix) => records.Where(r => r.Key.StartsWith(prefix, StringComparison.Ordinal))
            .GroupBy(r => (r.Key, r.Unit))
            .Select(g => new MaterialFlow(g.Key.Key, g.Key.Unit, g.Sum(r => QuantityService.Prorated(r, period))))
            .OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        var inputs = Flows("material.in.");
        var outputs = Flows("material.out.");
        var units = inputs.Concat(outputs).Select(f => f.Unit).Distinct(StringComparer.Ordinal).ToList();
        if (inputs.Count == 0)
            return new MaterialBalance(period.ToString(), inputs, outputs, null, null, null, null, null, $"no material.in.* quantity recorded in {period}");
        if (units.Count > 1)
            return new MaterialBalance(period.ToString(), inputs, outputs, null, null, null, null, null, $"the flows are recorded in several units ({string.Join(", ", units)})");
        var (inTotal, outTotal) = (inputs.Sum(f => f.Value), outputs.Sum(f => f.Value));
        return new MaterialBalance(period.ToString(), inputs, outputs, units[0], inTotal, outTotal, inTotal - outTotal, inTotal == 0 ? null : outTotal / inTotal * 100, null);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Options

    public async Task<CpOptionView?> AddOptionAsync(long tenantId, string siteKey, long auditId, CpOptionBody body, string by, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using (var db = catalog.Open(tenantId))
        {
            if (!await db.CpAudits.AnyAsync(a => a.SiteId == site.Id && a.Id == auditId, ct)) return null;
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var row = new CpOptionRecord
        {
            TenantId = tenantId, AuditId = auditId, Stage = nameof(OptionStage.Proposed), Body = JsonSerializer.Serialize(body, _json),
            History = JsonSerializer.Serialize(new[] { new OptionEvent(Iso(now), by, "proposed", null) }, _json), CreatedBy = by, CreatedAt = now, UpdatedAt = now,
        };
        await catalog.WriteAsync(tenantId, async db =>
        {
            db.CpOptions.Add(row);
            return await db.SaveChangesAsync(ct);
        }, ct);
        return OptionOf(row);
    }

    /// <summary>Moves an option to another stage with a note; a stage is never skipped backwards silently (the history keeps every move).</summary>
    public async Task<CpOptionView?> ChangeOptionAsync(long tenantId, string siteKey, long auditId, long id, OptionChange change, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        if (change.Note is { Length: > 2000 }) throw new BadInputException("note: at most 2000 characters");
        CpOptionRecord? updated = null;
        await catalog.WriteAsync(tenantId, async db =>
        {
            var row = await db.CpOptions.FirstOrDefaultAsync(o => o.AuditId == auditId && o.Id == id && o.Audit!.SiteId == site.Id, ct);
            if (row is null) return 0;
            var stage = change.Stage ?? Enum.Parse<OptionStage>(row.Stage);
            var history = JsonSerializer.Deserialize<List<OptionEvent>>(row.History, _json)!;
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            history.Add(new OptionEvent(Iso(now), by, stage.ToString() == row.Stage ? "note" : $"stage {row.Stage} -> {stage}", change.Note));
            (row.Stage, row.History, row.UpdatedAt) = (stage.ToString(), JsonSerializer.Serialize(history, _json), now);
            updated = row;
            return await db.SaveChangesAsync(ct);
        }, ct);
        return updated is null ? null : OptionOf(updated);
    }

    private static CpOptionView OptionOf(CpOptionRecord o) => new(o.Id, o.AuditId, JsonSerializer.Deserialize<CpOptionBody>(o.Body, _json)!,
        Enum.Parse<OptionStage>(o.Stage), JsonSerializer.Deserialize<List<OptionEvent>>(o.History, _json)!, o.CreatedBy, Iso(o.CreatedAt));
}
