using System.Globalization;
using System.Text.Json;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Optimise;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Pipeline.Optimise.Kpis;

/// <summary>The outcome of saving a KPI: the stored one, or the errors (nothing saved); <see cref="SiteFound"/> false means 404.</summary>
public sealed record KpiOutcome(StoredKpi? Kpi, IReadOnlyList<DefinitionError> Errors, bool SiteFound);

/// <summary>A stored KPI: its definition, who changed it last and when (Unix ms).</summary>
public sealed record StoredKpi(KpiDefinition Definition, string UpdatedBy, long UpdatedAt);

/// <summary>The baseline as resolved: its period and value, entered (with evidence) or computed (with its lineage).</summary>
public sealed record BaselineView(string Period, double? Value, bool Entered, string? Evidence, KpiValue? Computed);

/// <summary>The target as resolved: its period, the value aimed at, and how it was set (absolute or a change on the baseline).</summary>
public sealed record TargetView(string Period, double? Value, double? ChangePercent, string? Reason, string? ReasonZh);

/// <summary>
/// Where a KPI stands against its target: <c>onTrack</c>, <c>atRisk</c> (projected to miss by up to the tolerance),
/// <c>offTrack</c> (projected to miss by more), <c>noTarget</c>, or <c>noValue</c> (no projection: no data yet, or the
/// target period has not begun).
/// </summary>
/// <remarks>
/// <see cref="Provisional"/>: the value behind the projection rests on data less than 95 % complete (the threshold of
/// the limit-standard verdict, <c>EnergyCalculator.VerdictCompleteness</c>); the status is shown, marked as provisional.
/// </remarks>
public sealed record KpiStatus(string Status, double? Projection, string? ProjectionBasis, string Reason, string ReasonZh, bool Provisional = false);

/// <summary>One row of the KPI board: the definition, the value of the asked period, baseline, target and status.</summary>
public sealed record KpiBoardRow(KpiDefinition Kpi, KpiValue Current, BaselineView? Baseline, TargetView? Target, KpiStatus Status, string UpdatedBy, string UpdatedAt);

/// <summary>The KPI board of a site for a period.</summary>
public sealed record KpiBoard(string Site, string SiteName, string? SiteNameZh, string Period, string Today, IReadOnlyList<KpiBoardRow> Kpis);

/// <summary>A KPI month by month over a year, with its baseline and target values for the chart.</summary>
public sealed record KpiTrend(string Site, KpiDefinition Kpi, string Year, IReadOnlyList<KpiValue> Months, KpiValue YearValue, double? Baseline, double? Target);

/// <summary>
/// The cleaner-production KPIs of a site: definitions (validated against the site, formula errors by position),
/// their values per period from the figures GreenLoop has, baseline and target resolution, and the status with its
/// projection. Records live in the catalogue (<c>kpi</c>), read and changed through <see cref="ICatalogDb"/>.
/// </summary>
public sealed class KpiService(ISiteCatalog sites, ICatalogDb catalog, KpiEvaluator evaluator, MeterCatalog meters, TimeProvider clock)
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<StoredKpi>?> ListAsync(long tenantId, string siteKey, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        return (await db.Kpis.AsNoTracking().Where(k => k.SiteId == site.Id).ToListAsync(ct))
            .Select(Read).OrderBy(k => k.Definition.Area).ThenBy(k => k.Definition.Key, StringComparer.Ordinal).ToList();
    }

    public async Task<StoredKpi?> GetAsync(long tenantId, string siteKey, string key, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        return await db.Kpis.AsNoTracking().FirstOrDefaultAsync(k => k.SiteId == site.Id && k.Key == key, ct) is { } row ? Read(row) : null;
    }

    private static StoredKpi Read(KpiRecord row) => new(JsonSerializer.Deserialize<KpiDefinition>(row.Definition, _json)!, row.UpdatedBy, row.UpdatedAt);

    /// <summary>Creates or replaces the site's KPI with this key, if it is valid for the site.</summary>
    public async Task<KpiOutcome> SaveAsync(long tenantId, string siteKey, KpiDefinition kpi, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(kpi);
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return new KpiOutcome(null, [], false);
        var errors = KpiValidator.Validate(kpi, site.Definition).ToList();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        // A target changed on a saved KPI needs its reason, and the earlier target stays in the history.
        var previous = await GetAsync(tenantId, siteKey, kpi.Key, ct);
        var history = previous?.Definition.TargetHistory ?? [];
        if (previous is not null && previous.Definition.Target != kpi.Target)
        {
            if (string.IsNullOrWhiteSpace(kpi.TargetReason))
                errors.Add(new DefinitionError("targetReason", "the target changes: say why (e.g. the review's decision); the earlier target is kept in targetHistory"));
            else history = [.. history, new TargetRevision(previous.Definition.Target, kpi.Target,
                DateTimeOffset.FromUnixTimeMilliseconds(now).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), by, kpi.TargetReason.Trim())];
        }
        if (errors.Count > 0) return new KpiOutcome(null, errors, true);
        kpi = kpi with { TargetReason = null, TargetHistory = history };
        var json = JsonSerializer.Serialize(kpi, _json);
        await catalog.WriteAsync(tenantId, async db =>
        {
            var row = await db.Kpis.FirstOrDefaultAsync(k => k.SiteId == site.Id && k.Key == kpi.Key, ct);
            if (row is null) db.Kpis.Add(new KpiRecord { TenantId = tenantId, SiteId = site.Id, Key = kpi.Key, Definition = json, UpdatedBy = by, UpdatedAt = now });
            else (row.Definition, row.UpdatedBy, row.UpdatedAt) = (json, by, now);
            return await db.SaveChangesAsync(ct);
        }, ct);
        return new KpiOutcome(new StoredKpi(kpi, by, now), [], true);
    }

    /// <summary>Deletes the KPI; false if the site or the KPI does not exist.</summary>
    public async Task<bool> DeleteAsync(long tenantId, string siteKey, string key, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return false;
        return await catalog.WriteAsync(tenantId, async db => await db.Kpis.Where(k => k.SiteId == site.Id && k.Key == key).ExecuteDeleteAsync(ct) > 0, ct);
    }

    /// <summary>The site's local date today.</summary>
    public DateOnly Today(SiteModel site) => meters.Calendar(site.Definition.TimeZone).LocalDate(clock.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Parses a period (<c>yyyy</c> or <c>yyyy-MM</c>); a <see cref="BadInputException"/> says what is wrong.</summary>
    public static KpiPeriod Period(string text) =>
        KpiPeriod.TryParse(text, out var p) ? p : throw new BadInputException($"'{text}' is not a period; use a year (2026) or a month (2026-03), from 2000 to 2199");

    /// <summary>The board of a site for <paramref name="period"/> (default: the site's current year).</summary>
    public async Task<KpiBoard?> BoardAsync(long tenantId, string siteKey, string? period, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        var today = Today(site);
        var asked = period is null ? new KpiPeriod(today.Year, null) : Period(period);
        var kpis = await ListAsync(tenantId, siteKey, ct) ?? [];
        var scopes = new Dictionary<string, KpiEvaluator.Scope>(StringComparer.Ordinal);
        KpiEvaluator.Scope ScopeOf(KpiPeriod p) =>
            scopes.TryGetValue(p.ToString(), out var s) ? s : scopes[p.ToString()] = evaluator.For(tenantId, site.Id, siteKey, p);
        var rows = new List<KpiBoardRow>();
        foreach (var stored in kpis)
            rows.Add(await RowAsync(stored, ScopeOf, asked, today, ct));
        return new KpiBoard(siteKey, site.Definition.Name, site.Definition.NameZh, asked.ToString(), Iso(today), rows);
    }

    private async Task<KpiBoardRow> RowAsync(StoredKpi stored, Func<KpiPeriod, KpiEvaluator.Scope> scopeOf, KpiPeriod asked, DateOnly today, CancellationToken ct)
    {
        var kpi = stored.Definition;
        if (!KpiFormula.TryParse(kpi.Formula, out var formula, out var error))
            throw new InvalidOperationException($"stored KPI {kpi.Key} has a formula that does not parse: {error}");
        var current = await evaluator.EvaluateAsync(formula!, scopeOf(asked), ct);
        BaselineView? baseline = null;
        if (kpi.Baseline is { } b && KpiPeriod.TryParse(b.Period, out var bp))
        {
            if (b.Value is { } entered) baseline = new BaselineView(b.Period, entered, true, b.Evidence, null);
            else
            {
                var computed = await evaluator.EvaluateAsync(formula!, scopeOf(bp), ct);
                baseline = new BaselineView(b.Period, computed.Value, false, null, computed);
            }
        }
        TargetView? target = null;
        KpiStatus status;
        if (kpi.Target is { } t && KpiPeriod.TryParse(t.Period, out var tp))
        {
            target = t.Value is { } absolute
                ? new TargetView(t.Period, absolute, null, null, null)
                : baseline?.Value is { } baseValue
                    ? new TargetView(t.Period, baseValue * (1 + t.ChangePercent!.Value / 100), t.ChangePercent, null, null)
                    : new TargetView(t.Period, null, t.ChangePercent, "the baseline has no value, so the relative target has none", "基准值缺失，相对目标无法确定");
            var targetValue = tp.Equals(asked) ? current : await evaluator.EvaluateAsync(formula!, scopeOf(tp), ct);
            status = Status(kpi, target, targetValue, tp, today);
        }
        else status = new KpiStatus("noTarget", null, null, "no target set", "未设定目标");
        return new KpiBoardRow(kpi, current, baseline, target, status, stored.UpdatedBy,
            DateTimeOffset.FromUnixTimeMilliseconds(stored.UpdatedAt).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The status against the target: the projection to the end of the target period (a ratio as it stands so far, a
    /// sum scaled by the days of the period over the days passed), compared with the target in the KPI's direction.
    /// </summary>
    public static KpiStatus Status(KpiDefinition kpi, TargetView target, KpiValue sofar, KpiPeriod targetPeriod, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(kpi);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sofar);
        if (target.Value is not { } goal) return new KpiStatus("noValue", null, null, target.Reason ?? "no target value", target.ReasonZh ?? "无目标值");
        if (today < targetPeriod.First)
            return new KpiStatus("noValue", null, null, $"the target period {targetPeriod} has not begun", $"目标期间 {targetPeriod} 尚未开始");
        if (sofar.Value is not { } value)
            return new KpiStatus("noValue", null, null, $"no value yet for {targetPeriod}: {sofar.Reason}", $"{targetPeriod} 尚无数值：{sofar.ReasonZh}");
        var elapsed = Math.Min(targetPeriod.Days, today.DayNumber - targetPeriod.First.DayNumber + 1);
        var complete = elapsed >= targetPeriod.Days;
        var (projection, basis) = kpi.Aggregation == KpiAggregation.Sum && !complete
            ? (value * targetPeriod.Days / elapsed, $"{elapsed} of {targetPeriod.Days} days, scaled to the period")
            : (value, complete ? "the whole period" : $"{elapsed} of {targetPeriod.Days} days so far");
        var provisional = sofar.Completeness < GreenLoop.Accounting.EnergyCalculator.VerdictCompleteness;
        var (note, noteZh) = provisional
            ? (string.Create(CultureInfo.InvariantCulture, $" (provisional: data {sofar.Completeness * 100:0.#} % complete)"), string.Create(CultureInfo.InvariantCulture, $"（暂定：数据完整率 {sofar.Completeness * 100:0.#}%）"))
            : ("", "");
        var miss = kpi.Direction == KpiDirection.Lower ? projection - goal : goal - projection;
        var tolerance = Math.Abs(goal) * kpi.TolerancePercent / 100;
        var word = complete ? "ended at" : "projected to";
        var zh = complete ? "期末为" : "预计为";
        var text = string.Create(CultureInfo.InvariantCulture, $"{word} {projection:0.####} {kpi.Unit} against a target of {goal:0.####} {kpi.Unit}");
        var textZh = string.Create(CultureInfo.InvariantCulture, $"{zh} {projection:0.####} {kpi.Unit}，目标 {goal:0.####} {kpi.Unit}");
        if (miss <= 0) return new KpiStatus("onTrack", projection, basis, $"{text}: on track{note}", $"{textZh}：达标{noteZh}", provisional);
        if (miss <= tolerance)
            return new KpiStatus("atRisk", projection, basis, string.Create(CultureInfo.InvariantCulture, $"{text}: misses by {miss:0.####} {kpi.Unit}, within the {kpi.TolerancePercent:0.#} % tolerance{note}"),
                string.Create(CultureInfo.InvariantCulture, $"{textZh}：差 {miss:0.####} {kpi.Unit}，在 {kpi.TolerancePercent:0.#}% 容差内，有风险{noteZh}"), provisional);
        return new KpiStatus("offTrack", projection, basis, string.Create(CultureInfo.InvariantCulture, $"{text}: misses by {miss:0.####} {kpi.Unit}{note}"),
            string.Create(CultureInfo.InvariantCulture, $"{textZh}：差 {miss:0.####} {kpi.Unit}，偏离目标{noteZh}"), provisional);
    }

    /// <summary>A KPI month by month over <paramref name="requested"/> (default: the site's current year), with the year's value, baseline and target.</summary>
    public async Task<KpiTrend?> TrendAsync(long tenantId, string siteKey, string key, int? requested, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        var stored = await GetAsync(tenantId, siteKey, key, ct);
        if (site is null || stored is null) return null;
        var year = requested ?? Today(site).Year;
        if (year is < 2000 or > 2199) throw new BadInputException("year: 2000 to 2199");
        KpiFormula.TryParse(stored.Definition.Formula, out var formula, out _);
        var months = new List<KpiValue>();
        for (var m = 1; m <= 12; m++)
            months.Add(await evaluator.EvaluateAsync(formula!, evaluator.For(tenantId, site.Id, siteKey, new KpiPeriod(year, m)), ct));
        var board = await RowAsync(stored, p => evaluator.For(tenantId, site.Id, siteKey, p), new KpiPeriod(year, null), Today(site), ct);
        return new KpiTrend(siteKey, stored.Definition, year.ToString(CultureInfo.InvariantCulture), months, board.Current, board.Baseline?.Value, board.Target?.Value);
    }

    /// <summary>The values of the site's KPIs named in <paramref name="keys"/> for a period; a key the site has no KPI for gives null.</summary>
    public async Task<IReadOnlyDictionary<string, double?>?> ValuesAsync(long tenantId, string siteKey, KpiPeriod period, IEnumerable<string> keys, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        var stored = (await ListAsync(tenantId, siteKey, ct) ?? []).ToDictionary(k => k.Definition.Key, StringComparer.Ordinal);
        var scope = evaluator.For(tenantId, site.Id, siteKey, period);
        var values = new Dictionary<string, double?>(StringComparer.Ordinal);
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            values[key] = stored.TryGetValue(key, out var kpi) && KpiFormula.TryParse(kpi.Definition.Formula, out var formula, out _)
                ? (await evaluator.EvaluateAsync(formula!, scope, ct)).Value
                : null;
        }
        return values;
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
