using System.Globalization;
using GreenLoop.Domain.Optimise;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Model.Accounting;
using GreenLoop.Pipeline.Monitor.Query;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Pipeline.Optimise.Kpis;

/// <summary>One figure a formula read: the call as written, its value and unit, how complete its data is, and where it comes from.</summary>
public sealed record KpiTerm(string Call, double? Value, string Unit, double Completeness, string Source, string SourceZh, string? Reason = null, string? ReasonZh = null);

/// <summary>
/// A KPI's value for a period, or no value with the reason (never 0 for missing data), and the terms it was computed
/// from: the lineage a person follows back to the reports, the meters and the recorded quantities.
/// </summary>
public sealed record KpiValue(string Period, double? Value, string? Reason, string? ReasonZh, double Completeness, IReadOnlyList<KpiTerm> Terms);

/// <summary>
/// Computes KPI formulas for one site and period from the figures GreenLoop already has: the energy report and GHG
/// inventory (<see cref="AccountingService"/>), node and meter totals (<see cref="QueryService"/>, as <c>/energy</c> and
/// the series answer), and recorded quantities. Figures are read once per period and shared by every KPI.
/// </summary>
public sealed class KpiEvaluator(AccountingService accounting, QueryService queries, ICatalogDb catalog, Verification.MvService models)
{
    /// <summary>A figure or why there is none.</summary>
    internal readonly record struct Figure(double? Value, string Unit, double Completeness, string Source, string SourceZh, string? Reason, string? ReasonZh);

    /// <summary>The figures of one site and period, read on first use.</summary>
    public sealed class Scope(long tenantId, long siteId, string site, KpiPeriod period)
    {
        public long TenantId { get; } = tenantId;
        public long SiteId { get; } = siteId;
        public string Site { get; } = site;
        public KpiPeriod Period { get; } = period;
        internal Model.Accounting.EnergyReport? Energy { get; set; }
        internal CarbonReport? Carbon { get; set; }
        internal bool EnergyRead { get; set; }
        internal bool CarbonRead { get; set; }
        internal Dictionary<string, Figure> Cache { get; } = new(StringComparer.Ordinal);
        internal List<QuantityRecord>? Quantities { get; set; }
    }

    public Scope For(long tenantId, long siteId, string site, KpiPeriod period) => new(tenantId, siteId, site, period);

    /// <summary>The value of <paramref name="formula"/> in <paramref name="scope"/>.</summary>
    public async Task<KpiValue> EvaluateAsync(KpiFormula formula, Scope scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(formula);
        ArgumentNullException.ThrowIfNull(scope);
        var terms = new List<KpiTerm>();
        foreach (var call in formula.Calls)
        {
            var text = CallText(call);
            if (terms.Any(t => t.Call == text)) continue;
            var f = await FigureAsync(call, scope, ct);
            terms.Add(new KpiTerm(text, f.Value, f.Unit, f.Completeness, f.Source, f.SourceZh, f.Reason, f.ReasonZh));
        }
        var byCall = terms.ToDictionary(t => t.Call);
        var (value, reason, reasonZh) = Compute(formula.Root, byCall);
        var completeness = terms.Count == 0 ? 1 : terms.Min(t => t.Completeness);
        if (value is { } v && !double.IsFinite(v)) (value, reason, reasonZh) = (null, "the result is not a finite number", "结果不是有限数值");
        return new KpiValue(scope.Period.ToString(), value, reason, reasonZh, completeness, terms);
    }

    private static string CallText(CallNode call) => $"{call.Name}({string.Join(", ", call.Arguments.Select(a => $"'{a}'"))})";

    private static (double? Value, string? Reason, string? ReasonZh) Compute(FormulaNode node, Dictionary<string, KpiTerm> terms)
    {
        switch (node)
        {
            case NumberNode n:
                return (n.Value, null, null);
            case NegateNode n:
                var inner = Compute(n.Operand, terms);
                return inner.Value is { } x ? (-x, null, null) : inner;
            case CallNode c:
                var term = terms[CallText(c)];
                return term.Value is { } tv ? (tv, null, null) : (null, $"{term.Call}: {term.Reason}", $"{term.Call}：{term.ReasonZh}");
            case BinaryNode b:
                var left = Compute(b.Left, terms);
                if (left.Value is null) return left;
                var right = Compute(b.Right, terms);
                if (right.Value is null) return right;
                var (l, r) = (left.Value.Value, right.Value.Value);
                if (b.Operator == '/' && r == 0)
                    return (null, $"division by zero at position {b.Position}: the divisor is 0 in this period", $"第 {b.Position} 个字符处除以零：该期间除数为 0");
                return (b.Operator switch { '+' => l + r, '-' => l - r, '*' => l * r, _ => l / r }, null, null);
            default:
                throw new InvalidOperationException($"unknown formula node {node.GetType().Name}");
        }
    }

    private async Task<Figure> FigureAsync(CallNode call, Scope scope, CancellationToken ct)
    {
        var key = CallText(call);
        if (scope.Cache.TryGetValue(key, out var cached)) return cached;
        var figure = call.Name switch
        {
            "consumption" => await ConsumptionAsync(scope, call.Arguments[0], call.Arguments.Count > 1 ? call.Arguments[1] : "_site", ct),
            "meter" => await MeterAsync(scope, call.Arguments[0], ct),
            "output" or "energy" or "unit_energy" => await EnergyFigureAsync(scope, call.Name, ct),
            "emissions" => await EmissionsAsync(scope, call.Arguments.Count > 0 ? call.Arguments[0] : "location", ct),
            "recorded" => await RecordedAsync(scope, call.Arguments[0], mean: false, ct),
            "recorded_mean" => await RecordedAsync(scope, call.Arguments[0], mean: true, ct),
            "days" => new Figure(scope.Period.Days, "d", 1, "calendar", "日历", null, null),
            "baseline_expected" or "savings" or "enpi_improvement" => await ModelFigureAsync(scope, call.Name, call.Arguments[0], ct),
            _ => throw new InvalidOperationException($"unknown function {call.Name}"),
        };
        scope.Cache[key] = figure;
        return figure;
    }

    private static Figure None(string unit, string source, string sourceZh, string reason, string reasonZh) => new(null, unit, 0, source, sourceZh, reason, reasonZh);

    private PeriodRange Range(Scope scope) => PeriodRange.Dates(scope.Period.First, scope.Period.End);

    private async Task<Figure> ConsumptionAsync(Scope scope, string carrier, string node, CancellationToken ct)
    {
        var source = $"GET /energy?grain=month, node {node}, carrier {carrier}";
        var sourceZh = $"能源数据（按月，节点 {node}，介质 {carrier}）";
        var report = await queries.EnergyAsync(scope.TenantId, scope.Site, Grain.Month, Range(scope), node, ct);
        var rows = report?.Rows.Where(r => r.Node == node && r.Carrier == carrier && r.Direction == "Import").ToList() ?? [];
        var unit = rows.FirstOrDefault()?.Unit ?? "";
        if (rows.Count == 0 || rows.All(r => r.Value is null))
            return None(unit, source, sourceZh, $"no metered {carrier} at {node} in {scope.Period}", $"{scope.Period} 在 {node} 没有 {carrier} 的计量数据");
        return new Figure(rows.Sum(r => r.Value ?? 0), unit, rows.Min(r => r.Completeness), source, sourceZh, null, null);
    }

    private async Task<Figure> MeterAsync(Scope scope, string meter, CancellationToken ct)
    {
        var source = $"GET /meters/{meter}/series?grain=month";
        var sourceZh = $"计量表 {meter} 按月数据";
        var series = await queries.MeterSeriesAsync(scope.TenantId, scope.Site, meter, Grain.Month, Range(scope), ct);
        var points = series?.Points.Where(p => p.Value is not null).ToList() ?? [];
        if (series is null || points.Count == 0)
            return None(series?.Unit ?? "", source, sourceZh, $"no data of meter {meter} in {scope.Period}", $"{scope.Period} 计量表 {meter} 无数据");
        return new Figure(points.Sum(p => p.Value!.Value), series.Unit, points.Min(p => p.Completeness), source, sourceZh, null, null);
    }

    private async Task<Figure> EnergyFigureAsync(Scope scope, string name, CancellationToken ct)
    {
        if (!scope.EnergyRead)
        {
            scope.Energy = await accounting.EnergyAsync(scope.TenantId, scope.Site, scope.Period.ToString(), ct);
            scope.EnergyRead = true;
        }
        var source = $"GET /reports/energy?period={scope.Period}";
        var sourceZh = $"能源报告 {scope.Period}";
        if (scope.Energy is not { HasData: true } report)
            return None(name == "energy" ? "kgce" : "", source, sourceZh, $"nothing metered in {scope.Period}", $"{scope.Period} 无计量数据");
        var a = report.Account;
        return name switch
        {
            "energy" => new Figure(a.Total.Value, a.Total.Unit, a.Total.Completeness, source, sourceZh, null, null),
            "output" => a.Output is { } o
                ? new Figure(o.Value, o.Unit, o.Completeness, source, sourceZh, null, null)
                : None("", source, sourceZh, "the site has no product-output meter with data in the period", "该期间站点没有有数据的产品产量计量表"),
            _ => a.UnitEnergy is { } u
                ? new Figure(u.Value, u.Unit, u.Completeness, source, sourceZh, null, null)
                : None("", source, sourceZh, "no output in the period, so no unit-product energy", "该期间无产量，无法计算单位产品综合能耗"),
        };
    }

    private async Task<Figure> EmissionsAsync(Scope scope, string basis, CancellationToken ct)
    {
        if (!scope.CarbonRead)
        {
            scope.Carbon = await accounting.CarbonAsync(scope.TenantId, scope.Site, scope.Period.ToString(), ct);
            scope.CarbonRead = true;
        }
        var source = $"GET /reports/carbon?period={scope.Period} ({basis}-based)";
        var sourceZh = $"碳排放报告 {scope.Period}（{(basis == "market" ? "基于市场" : "基于位置")}）";
        if (scope.Carbon is not { HasData: true } report)
            return None("tCO2e", source, sourceZh, $"nothing metered in {scope.Period}", $"{scope.Period} 无计量数据");
        var total = basis == "market" ? report.Inventory.TotalMarket : report.Inventory.TotalLocation;
        return new Figure(total.Value, "tCO2e", total.Completeness, source, sourceZh, null, null);
    }

    /// <summary>A figure of a baseline model's savings in the period (ISO 50006 energy baseline, avoided energy, EnPI improvement).</summary>
    private async Task<Figure> ModelFigureAsync(Scope scope, string name, string model, CancellationToken ct)
    {
        var source = $"GET /mv-models/{model}/savings?from={scope.Period.First:yyyy-MM-dd}&to={scope.Period.End.AddDays(-1):yyyy-MM-dd}";
        var sourceZh = $"基准模型 {model} 节能量（{scope.Period}）";
        var unit = name == "enpi_improvement" ? "%" : "";
        if (!long.TryParse(model, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return None(unit, source, sourceZh, $"'{model}' is not a model id", $"“{model}”不是模型编号");
        Verification.SavingsResult? result;
        try
        {
            result = await models.SavingsAsync(scope.TenantId, scope.Site, id, scope.Period.First.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                scope.Period.End.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ct);
        }
        catch (BadInputException e)
        {
            return None(unit, source, sourceZh, e.Message, $"该期间无法计算：{e.Message}");
        }
        if (result is null) return None(unit, source, sourceZh, $"no model {model} at this site", $"站点没有模型 {model}");
        if (!result.Usable || result.Savings is not { } saved || result.AdjustedBaseline is not { } baseline)
            return None(name == "enpi_improvement" ? "%" : result.Unit, source, sourceZh, result.Refusal ?? "the model gives no savings", result.RefusalZh ?? "模型未给出节能量");
        // The share of the model's periods in the KPI period that had complete data (the others are left out, not filled).
        var completeness = result.Periods.Count / (double)Math.Max(1, result.Periods.Count + result.Excluded.Count);
        return name switch
        {
            "baseline_expected" => new Figure(baseline, result.Unit, completeness, source, sourceZh, null, null),
            "savings" => new Figure(saved, result.Unit, completeness, source, sourceZh, null, null),
            _ => baseline == 0 ? None("%", source, sourceZh, "the energy baseline is 0", "能源基准为 0")
                : new Figure(saved / baseline * 100, "%", completeness, source, sourceZh, null, null),
        };
    }

    private async Task<Figure> RecordedAsync(Scope scope, string key, bool mean, CancellationToken ct)
    {
        if (scope.Quantities is null)
        {
            await using var db = catalog.Open(scope.TenantId);
            scope.Quantities = await QuantityService.InPeriod(db, scope.SiteId, scope.Period).ToListAsync(ct);
        }
        var rows = scope.Quantities.Where(q => q.Key == key).ToList();
        var source = $"recorded quantities '{key}' ({rows.Count} in {scope.Period})";
        var sourceZh = $"记录量“{key}”（{scope.Period} 共 {rows.Count} 条）";
        if (rows.Count == 0)
            return None("", source, sourceZh, $"nothing recorded for '{key}' in {scope.Period}", $"{scope.Period} 没有“{key}”的记录");
        var units = rows.Select(r => r.Unit).Distinct(StringComparer.Ordinal).ToList();
        if (units.Count > 1)
            return None(units[0], source, sourceZh, $"'{key}' is recorded in several units ({string.Join(", ", units)})", $"“{key}”的记录单位不一致（{string.Join("、", units)}）");
        // A record spanning the period's edge counts for the days inside it (pro rata).
        double weighted = 0, days = 0;
        foreach (var r in rows)
        {
            var (inside, span) = QuantityService.Overlap(r, scope.Period);
            if (span <= 0 || inside <= 0) continue;
            weighted += mean ? r.Value * inside : r.Value * inside / span;
            days += inside;
        }
        var value = mean ? (days > 0 ? weighted / days : (double?)null) : weighted;
        return new Figure(value, units[0], 1, source, sourceZh, null, null);
    }
}
