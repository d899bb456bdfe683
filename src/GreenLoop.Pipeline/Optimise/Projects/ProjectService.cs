using System.Globalization;
using System.Text.Json;
using GreenLoop.Accounting;
using GreenLoop.Domain.Optimise;
using GreenLoop.Pipeline.Model.Accounting;
using GreenLoop.Pipeline.Optimise.Verification;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Pipeline.Optimise.Projects;

/// <summary>
/// The register of energy-saving and cleaner-production projects: state with who and when, documents, and the
/// economics (ROI as Chinese practice defines it, simple and discounted payback, NPV, IRR, tCO2e avoided at the site's
/// own emission intensity, abatement cost) on the planned lines and, once a baseline model has verified the savings,
/// on the verified ones. Verifying freezes the savings result with its method and version.
/// </summary>
public sealed class ProjectService(ISiteCatalog sites, ICatalogDb catalog, MvService models, AccountingService accounting, TimeProvider clock)
{
    /// <summary>Largest document, bytes.</summary>
    public const int MaxDocumentBytes = 10 * 1024 * 1024;

    private static JsonSerializerOptions Json => MvService.Json;
    private const string DateFormat = "yyyy-MM-dd";

    private static readonly string[] _categories = ["energy-saving", "cleaner-production", "renewable", "water", "waste", "other"];
    private static readonly string[] _costs = ["equipment", "process-change", "consulting", "training", "digital-system", "other"];
    private static readonly string[] _benefits = ["energy", "water", "raw-materials", "pollutant-fees", "fines-avoided", "recovered-materials", "waste-heat", "subsidies", "other"];

    /// <summary>Every problem with a project body, by field.</summary>
    public static Dictionary<string, string[]> Validate(ProjectBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Title) || body.Title.Length > 200) errors["title"] = ["1-200 characters"];
        if (body.TitleZh is { Length: > 200 }) errors["titleZh"] = ["at most 200 characters"];
        if (!_categories.Contains(body.Category)) errors["category"] = [string.Join(", ", _categories)];
        if (body.Description is { Length: > 8000 }) errors["description"] = ["at most 8000 characters"];
        if (string.IsNullOrWhiteSpace(body.Owner) || body.Owner.Length > 100) errors["owner"] = ["who answers for it, 1-100 characters"];
        foreach (var (field, value) in new[] { ("startDate", body.StartDate), ("commissionDate", body.CommissionDate) })
            if (value is not null && !DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) errors[field] = ["yyyy-MM-dd"];
        if (body.LifeYears is < 1 or > 50) errors["lifeYears"] = ["1 to 50 years"];
        if (!double.IsFinite(body.DiscountRate) || body.DiscountRate is < 0 or > 1) errors["discountRate"] = ["0 to 1 (0.08 = 8 %)"];
        if (!double.IsFinite(body.AnnualRunningCost) || body.AnnualRunningCost is < 0 or > 1e12) errors["annualRunningCost"] = ["0 to 1e12 ¥ per year"];
        if (body.Investment.Count > 50 || body.Investment.Any(l => !_costs.Contains(l.Category) || !double.IsFinite(l.Amount) || l.Amount is < 0 or > 1e12 || l.Description is { Length: > 500 }))
            errors["investment"] = [$"up to 50 lines; category {string.Join(", ", _costs)}; amount 0 to 1e12 ¥"];
        var carriers = body.Prices.Select(p => p.Carrier).ToHashSet(StringComparer.Ordinal);
        var benefitErrors = new List<string>();
        if (body.Benefits.Count > 50) benefitErrors.Add("up to 50 lines");
        for (var i = 0; i < body.Benefits.Count; i++)
        {
            var b = body.Benefits[i];
            if (!_benefits.Contains(b.Category)) benefitErrors.Add($"line {i + 1}: category is one of {string.Join(", ", _benefits)}");
            if (b.AnnualAmount is { } a && (!double.IsFinite(a) || Math.Abs(a) > 1e12)) benefitErrors.Add($"line {i + 1}: annualAmount is a finite ¥ per year");
            if (b.AnnualEnergy is { } e && (!double.IsFinite(e) || e < 0 || e > 1e13)) benefitErrors.Add($"line {i + 1}: annualEnergy is 0 to 1e13 in the carrier's unit");
            if (b.AnnualEnergy is not null && b.Carrier is null) benefitErrors.Add($"line {i + 1}: annualEnergy needs its carrier");
            if (b.AnnualAmount is null && (b.AnnualEnergy is null || b.Carrier is null || !carriers.Contains(b.Carrier)))
                benefitErrors.Add($"line {i + 1}: give annualAmount (¥ per year), or annualEnergy with a carrier that has a price in prices");
        }
        if (benefitErrors.Count > 0) errors["benefits"] = [.. benefitErrors];
        if (body.Prices.Count > 20 || body.Prices.Any(p => string.IsNullOrWhiteSpace(p.Carrier) || !double.IsFinite(p.Price) || p.Price is < 0 or > 1e6
                || string.IsNullOrWhiteSpace(p.Unit) || string.IsNullOrWhiteSpace(p.Source) || p.Source.Length > 500))
            errors["prices"] = ["up to 20: carrier, price 0 to 1e6 ¥ per unit, unit, and source (the tariff or contract it comes from)"];
        else if (carriers.Count != body.Prices.Count) errors["prices"] = ["one price per carrier"];
        if ((body.AuditId is null) != (body.OptionId is null)) errors["optionId"] = ["auditId and optionId go together"];
        return errors;
    }

    private static void Throw(Dictionary<string, string[]> errors)
    {
        if (errors.Count > 0) throw new BadInputException(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
    }

    private static string Iso(long ms) => MvService.Iso(ms);

    public async Task<IReadOnlyList<ProjectView>?> ListAsync(long tenantId, string siteKey, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        List<ProjectRecord> rows;
        await using (var db = catalog.Open(tenantId))
            rows = await db.Projects.AsNoTracking().Where(p => p.SiteId == site.Id).OrderBy(p => p.Id).ToListAsync(ct);
        var carbon = new CarbonCache();
        var views = new List<ProjectView>(rows.Count);
        foreach (var r in rows) views.Add(await ViewAsync(r, site, [], carbon, ct));
        return views;
    }

    public async Task<ProjectView?> GetAsync(long tenantId, string siteKey, long id, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        ProjectRecord? row;
        List<ProjectDocument> documents;
        await using (var db = catalog.Open(tenantId))
        {
            row = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.SiteId == site.Id && p.Id == id, ct);
            if (row is null) return null;
            documents = (await db.ProjectDocuments.AsNoTracking().Where(d => d.ProjectId == id).OrderBy(d => d.Id)
                    .Select(d => new { d.Id, d.Name, d.ContentType, Bytes = (long)d.Content.Length, d.UploadedBy, d.UploadedAt }).ToListAsync(ct))
                .Select(d => new ProjectDocument(d.Id, d.Name, d.ContentType, d.Bytes, d.UploadedBy, Iso(d.UploadedAt))).ToList();
        }
        return await ViewAsync(row, site, documents, new CarbonCache(), ct);
    }

    /// <summary>Registers a project (state Idea unless given); an audit option it names must be the site's.</summary>
    public async Task<ProjectView?> CreateAsync(long tenantId, string siteKey, ProjectBody body, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        Throw(Validate(body));
        await CheckRefsAsync(tenantId, site, body, ct);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var from = body.OptionId is { } o ? $"registered from audit {body.AuditId} option {o}" : "registered";
        var row = new ProjectRecord
        {
            TenantId = tenantId, SiteId = site.Id, State = nameof(ProjectState.Idea), Body = JsonSerializer.Serialize(body, Json),
            History = JsonSerializer.Serialize(new[] { new ProjectEvent(Iso(now), by, from, null) }, Json), CreatedBy = by, CreatedAt = now, UpdatedAt = now,
        };
        await catalog.WriteAsync(tenantId, async db =>
        {
            db.Projects.Add(row);
            return await db.SaveChangesAsync(ct);
        }, ct);
        return await GetAsync(tenantId, siteKey, row.Id, ct);
    }

    private async Task CheckRefsAsync(long tenantId, SiteModel site, ProjectBody body, CancellationToken ct)
    {
        if (body.Node is { } node && site.Nodes.All(n => n.Key != node)) throw new BadInputException($"node: no node '{node}' at this site");
        await using var db = catalog.Open(tenantId);
        if (body.WorkOrder is { } workOrder && !await db.WorkOrders.AnyAsync(w => w.SiteId == site.Id && w.Id == workOrder, ct))
            throw new BadInputException($"workOrder: no work order {workOrder} at this site");
        if (body.OptionId is not { } optionId) return;
        var ok = await db.CpOptions.AnyAsync(o => o.Id == optionId && o.AuditId == body.AuditId && o.Audit!.SiteId == site.Id, ct);
        if (!ok) throw new BadInputException($"optionId: no option {optionId} in audit {body.AuditId} at this site");
    }

    /// <summary>Replaces a project's record (a verified project's verification stays as frozen).</summary>
    public async Task<ProjectView?> UpdateAsync(long tenantId, string siteKey, long id, ProjectBody body, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        Throw(Validate(body));
        await CheckRefsAsync(tenantId, site, body, ct);
        var found = await catalog.WriteAsync(tenantId, async db =>
        {
            var row = await db.Projects.FirstOrDefaultAsync(p => p.SiteId == site.Id && p.Id == id, ct);
            if (row is null) return false;
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var history = JsonSerializer.Deserialize<List<ProjectEvent>>(row.History, Json)!;
            history.Add(new ProjectEvent(Iso(now), by, "record changed", null));
            (row.Body, row.History, row.UpdatedAt) = (JsonSerializer.Serialize(body, Json), JsonSerializer.Serialize(history, Json), now);
            await db.SaveChangesAsync(ct);
            return true;
        }, ct);
        return found ? await GetAsync(tenantId, siteKey, id, ct) : null;
    }

    /// <summary>
    /// Moves a project to another state, or links the baseline model that verifies it. Verified needs the state
    /// Commissioned, a linked model and a savings result the model's checks allow; the result is frozen then.
    /// </summary>
    public async Task<ProjectView?> ChangeAsync(long tenantId, string siteKey, long id, ProjectChange change, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        var current = await GetAsync(tenantId, siteKey, id, ct);
        if (current is null) return null;
        if (change.Note is { Length: > 2000 }) throw new BadInputException("note: at most 2000 characters");
        if (change.State is { } s && !Enum.IsDefined(s)) throw new BadInputException("state: Idea, Proposed, Approved, InProgress, Commissioned, Verified or Rejected");
        var modelId = change.ModelId ?? current.ModelId;
        if (change.ModelId is { } mid && await models.GetAsync(tenantId, siteKey, mid, ct) is null) throw new BadInputException($"modelId: no model {mid} at this site");
        var state = change.State ?? current.State;
        ProjectVerification? verification = null;
        if (state == ProjectState.Verified && current.State != ProjectState.Verified)
        {
            if (current.State != ProjectState.Commissioned) throw new BadInputException($"state: a project is verified after it is commissioned; it is {current.State}");
            if (modelId is null) throw new BadInputException("modelId: link the baseline model whose savings verify the project");
            verification = await VerifyAsync(tenantId, siteKey, modelId.Value, current.Project, by, ct);
        }
        if (state != ProjectState.Verified && current.State == ProjectState.Verified && state != ProjectState.Rejected)
            throw new BadInputException("state: a verified project stays verified (or is rejected); its verified figures are frozen");
        var what = new List<string>();
        if (state != current.State) what.Add($"state {current.State} -> {state}");
        if (modelId != current.ModelId) what.Add($"model {modelId}");
        if (verification is not null)
            what.Add(string.Create(CultureInfo.InvariantCulture, $"verified: {verification.AnnualEnergy:0.##} {verification.Unit} per year by model {verification.ModelId}"));
        if (what.Count == 0 && change.Note is null) return current;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var site = (await sites.GetSiteAsync(tenantId, siteKey, ct))!;
        await catalog.WriteAsync(tenantId, async db =>
        {
            var row = await db.Projects.FirstAsync(p => p.SiteId == site.Id && p.Id == id, ct);
            var history = JsonSerializer.Deserialize<List<ProjectEvent>>(row.History, Json)!;
            history.Add(new ProjectEvent(Iso(now), by, what.Count == 0 ? "note" : string.Join("; ", what), change.Note));
            (row.State, row.ModelId, row.History, row.UpdatedAt) = (state.ToString(), modelId, JsonSerializer.Serialize(history, Json), now);
            if (verification is not null) row.Verification = JsonSerializer.Serialize(verification, Json);
            return await db.SaveChangesAsync(ct);
        }, ct);
        return await GetAsync(tenantId, siteKey, id, ct);
    }

    private async Task<ProjectVerification> VerifyAsync(long tenantId, string siteKey, long modelId, ProjectBody body, string by, CancellationToken ct)
    {
        var result = await models.SavingsAsync(tenantId, siteKey, modelId, null, null, ct)
            ?? throw new BadInputException($"modelId: no model {modelId} at this site");
        if (!result.Usable || result.Savings is not { } savings)
            throw new BadInputException($"state: the savings cannot verify the project: {result.Refusal}");
        // A year of savings from the days the savings actually cover (not the calendar days asked for).
        var annual = savings * 365.0 / result.CoveredDays;
        var price = body.Prices.FirstOrDefault(p => p.Carrier == result.Carrier);
        return new ProjectVerification(modelId, result, annual, result.Unit, result.Carrier, price is null ? null : annual * price.Price,
            Iso(clock.GetUtcNow().ToUnixTimeMilliseconds()), by);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Documents

    public async Task<ProjectDocument?> AttachAsync(long tenantId, string siteKey, long id, EvidenceFileInput file, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        ProjectDocumentRecord? row = null;
        await catalog.WriteAsync(tenantId, async db =>
        {
            if (!await db.Projects.AnyAsync(p => p.SiteId == site.Id && p.Id == id, ct)) return 0;
            row = new ProjectDocumentRecord { TenantId = tenantId, ProjectId = id, Name = file.Name, ContentType = file.ContentType, Content = file.Content, UploadedBy = by, UploadedAt = now };
            db.ProjectDocuments.Add(row);
            return await db.SaveChangesAsync(ct);
        }, ct);
        return row is null ? null : new ProjectDocument(row.Id, row.Name, row.ContentType, row.Content.Length, by, Iso(now));
    }

    public async Task<EvidenceFileInput?> DocumentAsync(long tenantId, string siteKey, long id, long documentId, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        var row = await db.ProjectDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == documentId && d.ProjectId == id && d.Project!.SiteId == site.Id, ct);
        return row is null ? null : new EvidenceFileInput(row.Name, row.ContentType, row.Content);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Economics

    /// <summary>The site's carbon intensities per carrier, read once per request.</summary>
    private sealed class CarbonCache
    {
        public Dictionary<string, CarbonTerm>? Terms { get; set; }
    }

    private async Task<ProjectView> ViewAsync(ProjectRecord row, SiteModel site, IReadOnlyList<ProjectDocument> documents, CarbonCache carbon, CancellationToken ct)
    {
        var body = JsonSerializer.Deserialize<ProjectBody>(row.Body, Json)!;
        var verification = row.Verification is null ? null : JsonSerializer.Deserialize<ProjectVerification>(row.Verification, Json);
        var planned = await EconomicsAsync(row.TenantId, site, body, body.Benefits, "planned", carbon, ct);
        ProjectEconomics? verified = null;
        if (verification is not null)
        {
            // The verified energy replaces the estimated energy lines of its carrier; every other line stays as planned.
            var price = body.Prices.FirstOrDefault(p => p.Carrier == verification.Carrier);
            var lines = body.Benefits.Where(b => !(b.Category == "energy" && b.Carrier == verification.Carrier))
                .Append(new BenefitLine("energy", verification.AnnualMoney ?? (price is null ? 0 : verification.AnnualEnergy * price.Price),
                    $"verified by model {verification.ModelId} (IPMVP Option {verification.Result.Option})", verification.Carrier, verification.AnnualEnergy)).ToList();
            verified = await EconomicsAsync(row.TenantId, site, body, lines, "verified", carbon, ct);
        }
        return new ProjectView(row.Id, site.Definition.Key, body, Enum.Parse<ProjectState>(row.State), JsonSerializer.Deserialize<List<ProjectEvent>>(row.History, Json)!,
            documents, planned, verified, verification, row.ModelId, row.CreatedBy, Iso(row.CreatedAt), Iso(row.UpdatedAt));
    }

    private async Task<ProjectEconomics> EconomicsAsync(long tenantId, SiteModel site, ProjectBody body, IReadOnlyList<BenefitLine> lines, string basis, CarbonCache carbon, CancellationToken ct)
    {
        var investment = body.Investment.Sum(l => l.Amount);
        var priced = lines.Select(l => l.AnnualAmount is null && l.Carrier is { } c && l.AnnualEnergy is { } e && body.Prices.FirstOrDefault(p => p.Carrier == c) is { } price
            ? l with { AnnualAmount = e * price.Price } : l).ToList();
        var benefit = priced.Sum(l => l.AnnualAmount ?? 0);
        var net = benefit - body.AnnualRunningCost;
        var flows = Economics.Flows(investment, net, body.LifeYears);
        var terms = new List<CarbonTerm>();
        foreach (var group in priced.Where(l => l.Carrier is not null && l.AnnualEnergy is not null).GroupBy(l => l.Carrier!))
            terms.Add(await CarbonAsync(tenantId, site, group.Key, group.Sum(l => l.AnnualEnergy!.Value), carbon, ct));
        double? tonnes = terms.Count == 0 || terms.All(t => t.Tonnes is null) ? null : terms.Sum(t => t.Tonnes ?? 0);
        return new ProjectEconomics(basis, investment, benefit, body.AnnualRunningCost, net, Economics.Roi(benefit, investment), Economics.SimplePayback(investment, net),
            Economics.DiscountedPayback(body.DiscountRate, flows), Economics.Npv(body.DiscountRate, flows), Economics.Irr(flows), tonnes,
            tonnes is { } t ? Economics.AbatementCost(investment, body.DiscountRate, body.LifeYears, body.AnnualRunningCost, benefit, t) : null,
            terms, flows, priced);
    }

    /// <summary>
    /// tCO2e per unit of a carrier at this site: the location-based tonnes of the carrier's lines in the site's GHG
    /// inventory of the latest year with data, over the activity they were computed from; the factors come with it.
    /// </summary>
    private async Task<CarbonTerm> CarbonAsync(long tenantId, SiteModel site, string carrier, double energy, CarbonCache cache, CancellationToken ct)
    {
        if (cache.Terms is null)
        {
            cache.Terms = new Dictionary<string, CarbonTerm>(StringComparer.Ordinal);
            var year = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds()).Year;
            CarbonReport? report = null;
            foreach (var y in new[] { year, year - 1 })
            {
                report = await accounting.CarbonAsync(tenantId, site.Definition.Key, y.ToString(CultureInfo.InvariantCulture), ct);
                if (report is { HasData: true }) break;
            }
            if (report is { HasData: true })
            {
                foreach (var g in report.Inventory.Lines.Where(l => l.Basis is null or "location").GroupBy(l => l.Carrier))
                {
                    var activity = g.SelectMany(l => l.Figure.Activity).Where(a => a.Carrier == g.Key).ToList();
                    var quantity = activity.Sum(a => a.Quantity);
                    if (quantity <= 0) continue;
                    var source = $"GET /reports/carbon?period={report.Period} (location-based {g.Key} lines / metered {g.Key})";
                    var sourceZh = $"碳排放报告 {report.Period}（基于位置，{g.Key} 排放 / {g.Key} 计量用量）";
                    cache.Terms[g.Key] = new CarbonTerm(g.Key, 0, activity[0].Unit, g.Sum(l => l.Figure.Value) / quantity, null, source, sourceZh,
                        g.SelectMany(l => l.Figure.Factors).DistinctBy(f => f.Id).ToList());
                }
            }
        }
        if (cache.Terms.TryGetValue(carrier, out var term))
            return term with { AnnualEnergy = energy, Tonnes = energy * term.Intensity };
        return new CarbonTerm(carrier, energy, "", null, null, "GET /reports/carbon", "碳排放报告", [],
            $"the site's GHG inventory has no {carrier} emissions to take an intensity from", $"站点温室气体清单中没有 {carrier} 的排放，无法得到排放强度");
    }

    /// <summary>The portfolio of the site: MAC curve, totals by state, planned against verified.</summary>
    public async Task<Portfolio?> PortfolioAsync(long tenantId, string siteKey, CancellationToken ct)
    {
        var list = await ListAsync(tenantId, siteKey, ct);
        if (list is null) return null;
        var bars = new List<MacBar>();
        var left = new List<long>();
        foreach (var p in list)
        {
            var e = p.Verified ?? p.Planned;
            if (p.State == ProjectState.Rejected || e.TonnesPerYear is not > 0 || e.AbatementCost is null) { left.Add(p.Id); continue; }
            bars.Add(new MacBar(p.Id, p.Project.Title, p.Project.TitleZh, p.State, e.TonnesPerYear.Value, e.AbatementCost.Value, 0, e.Basis));
        }
        double cumulative = 0;
        var curve = bars.OrderBy(b => b.AbatementCost).ThenBy(b => b.Project).Select(b => b with { CumulativeTonnes = cumulative += b.TonnesPerYear }).ToList();
        var totals = Enum.GetValues<ProjectState>().Select(s =>
        {
            var ps = list.Where(p => p.State == s).ToList();
            return new StateTotal(s, ps.Count, ps.Sum(p => p.Planned.Investment), ps.Sum(p => p.Planned.AnnualBenefit),
                ps.Any(p => p.Verified is not null) ? ps.Sum(p => p.Verified?.AnnualBenefit ?? 0) : null);
        }).Where(t => t.Projects > 0).ToList();
        var verifiedOnes = list.Where(p => p.Verified is not null).ToList();
        return new Portfolio(siteKey, curve, left, totals, verifiedOnes.Sum(p => p.Planned.AnnualBenefit), verifiedOnes.Sum(p => p.Verified!.AnnualBenefit),
            verifiedOnes.Sum(p => p.Planned.TonnesPerYear ?? 0), verifiedOnes.Sum(p => p.Verified!.TonnesPerYear ?? 0));
    }
}

/// <summary>A file as uploaded or stored.</summary>
public sealed record EvidenceFileInput(string Name, string ContentType, byte[] Content);
