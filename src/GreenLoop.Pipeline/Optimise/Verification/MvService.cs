using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GreenLoop.Domain.Optimise.Verification;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Pipeline.Optimise.Verification;

/// <summary>
/// Baseline models and savings verification (IPMVP Options B and C, ASHRAE Guideline 14, ISO 50006): a model is fitted
/// on the baseline period's data when it is saved and whenever asked, and stored with the data, statistics, checks and
/// method, so a figure derived from it reproduces later. Savings are computed for the reporting period on request; a
/// model that fails a check is never used silently: its savings come without totals and with the failed checks named.
/// </summary>
public sealed class MvService(ISiteCatalog sites, ICatalogDb catalog, MvData data, TimeProvider clock)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>The method text of every result: the model code's version and GreenLoop's.</summary>
    public static string Method { get; } = $"{BaselineModel.MethodVersion}; GreenLoop {typeof(MvService).Assembly.GetName().Version}";

    private static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out date) && date.Year is >= 2000 and <= 2199;

    internal static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Every problem with a spec, by field.</summary>
    public static Dictionary<string, string[]> Validate(ModelSpec spec, SiteModel site)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(site);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(spec.Name) || spec.Name.Length > 200) errors["name"] = ["1-200 characters"];
        if (spec.NameZh is { Length: > 200 }) errors["nameZh"] = ["at most 200 characters"];
        if (!spec.Subject.StartsWith("meter:", StringComparison.Ordinal) && !spec.Subject.StartsWith("node:", StringComparison.Ordinal))
            errors["subject"] = ["meter:KEY (IPMVP Option B) or node:NODE:CARRIER (Option C; node _site for the whole site)"];
        else if (MvData.DriverError(spec.Subject, site) is { } subjectError) errors["subject"] = [subjectError];
        else if (spec.Subject.StartsWith("meter:", StringComparison.Ordinal)
                 && site.Meters.First(m => m.Definition.Key == spec.Subject[6..]).Definition.Kind == Domain.Model.MeterKind.Instantaneous)
            errors["subject"] = ["the subject must measure consumption (a cumulative or interval meter), not a gauge"];
        if (spec.Grain is not ("hour" or "day" or "week" or "month")) errors["grain"] = ["hour, day, week or month"];
        var baselineOk = TryDate(spec.BaselineFrom, out var bf) & TryDate(spec.BaselineTo, out var bt);
        if (!baselineOk) errors["baselineFrom"] = ["the baseline period's first and last days, yyyy-MM-dd (baselineFrom, baselineTo)"];
        else if (bt < bf) errors["baselineTo"] = ["the baseline period ends before it starts"];
        else if (bt.DayNumber - bf.DayNumber > 3 * 366) errors["baselineTo"] = ["a baseline period covers at most three years"];
        else if (spec.Grain == "hour" && bt.DayNumber - bf.DayNumber > 366) errors["baselineTo"] = ["an hourly baseline covers at most a year"];
        if (spec.ReportingFrom is not null || spec.ReportingTo is not null)
        {
            if (!TryDate(spec.ReportingFrom, out var rf) | !TryDate(spec.ReportingTo, out var rt)) errors["reportingFrom"] = ["the reporting period's first and last days, yyyy-MM-dd (both or neither)"];
            else if (rt < rf) errors["reportingTo"] = ["the reporting period ends before it starts"];
            else if (baselineOk && rf <= bt) errors["reportingFrom"] = ["the reporting period starts after the baseline period"];
            else if (rt.DayNumber - rf.DayNumber > 5 * 366) errors["reportingTo"] = ["a reporting period covers at most five years"];
        }
        if (spec.Drivers.Count > 6) errors["drivers"] = ["at most 6 drivers"];
        var driverErrors = spec.Drivers.Select(d => MvData.DriverError(d, site) is { } e ? $"{d}: {e}" : null).OfType<string>().ToArray();
        if (driverErrors.Length > 0) errors["drivers"] = driverErrors;
        else if (spec.Drivers.Distinct(StringComparer.Ordinal).Count() != spec.Drivers.Count) errors["drivers"] = ["each driver once"];
        if (spec.Form == ModelForm.Mean && spec.Drivers.Count > 0) errors["form"] = ["the Mean form takes no drivers"];
        if (spec.Form != ModelForm.Mean && spec.Drivers.Count == 0) errors["drivers"] = [$"the {spec.Form} form needs at least one driver (for a change-point form, the temperature-like driver first)"];
        if (!Enum.IsDefined(spec.Form)) errors["form"] = ["Mean, Linear, ThreeParameterHeating, ThreeParameterCooling, FourParameter or FiveParameter"];
        if (spec.MinCompleteness is < 0.5 or > 1 || double.IsNaN(spec.MinCompleteness)) errors["minCompleteness"] = ["0.5 to 1"];
        if (spec.Adjustments.Count > 100) errors["adjustments"] = ["at most 100"];
        return errors;
    }

    private static void Throw(Dictionary<string, string[]> errors)
    {
        if (errors.Count > 0) throw new BadInputException(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
    }

    public async Task<IReadOnlyList<ModelView>?> ListAsync(long tenantId, string siteKey, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        var rows = await db.MvModels.AsNoTracking().Where(m => m.SiteId == site.Id).OrderByDescending(m => m.Id).ToListAsync(ct);
        return rows.Select(r => View(r, siteKey)).ToList();
    }

    public async Task<ModelView?> GetAsync(long tenantId, string siteKey, long id, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        return await db.MvModels.AsNoTracking().FirstOrDefaultAsync(m => m.SiteId == site.Id && m.Id == id, ct) is { } row ? View(row, siteKey) : null;
    }

    /// <summary>Saves a new model and fits it at once.</summary>
    public async Task<ModelView?> CreateAsync(long tenantId, string siteKey, ModelSpec spec, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        Throw(Validate(spec, site));
        await CheckProjectAsync(tenantId, site.Id, spec.ProjectId, ct);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        spec = spec with { Adjustments = spec.Adjustments.Select(a => a with { By = by, At = Iso(now) }).ToList() };
        Throw(AdjustmentErrors(spec.Adjustments));
        var result = await FitAsync(tenantId, site, spec, by, ct);
        var row = new MvModelRecord
        {
            TenantId = tenantId, SiteId = site.Id, Spec = JsonSerializer.Serialize(spec, Json), Fit = JsonSerializer.Serialize(result, Json),
            CreatedBy = by, CreatedAt = now, UpdatedAt = now,
        };
        await catalog.WriteAsync(tenantId, async db =>
        {
            db.MvModels.Add(row);
            return await db.SaveChangesAsync(ct);
        }, ct);
        return View(row, siteKey);
    }

    /// <summary>Replaces a model's spec (its adjustments stay unless given) and fits it again.</summary>
    public async Task<ModelView?> UpdateAsync(long tenantId, string siteKey, long id, ModelSpec spec, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        var current = await GetAsync(tenantId, siteKey, id, ct);
        if (current is null) return null;
        Throw(Validate(spec, site));
        await CheckProjectAsync(tenantId, site.Id, spec.ProjectId, ct);
        spec = spec with { Adjustments = current.Spec.Adjustments };
        return await SaveAsync(tenantId, site, id, spec, by, ct);
    }

    /// <summary>Fits the model again on the data as they stand now (late data, corrections), keeping its spec.</summary>
    public async Task<ModelView?> RefitAsync(long tenantId, string siteKey, long id, string by, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        var current = site is null ? null : await GetAsync(tenantId, siteKey, id, ct);
        return current is null ? null : await SaveAsync(tenantId, site!, id, current.Spec, by, ct);
    }

    /// <summary>Adds a non-routine adjustment (reason, who and when recorded); the stored fit is unaffected.</summary>
    public async Task<ModelView?> AdjustAsync(long tenantId, string siteKey, long id, NonRoutineAdjustment adjustment, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(adjustment);
        var current = await GetAsync(tenantId, siteKey, id, ct);
        if (current is null) return null;
        var added = adjustment with { By = by, At = Iso(clock.GetUtcNow().ToUnixTimeMilliseconds()) };
        Throw(AdjustmentErrors([added]));
        if (current.Spec.Adjustments.Count >= 100) throw new BadInputException("adjustments: at most 100 per model");
        var spec = current.Spec with { Adjustments = [.. current.Spec.Adjustments, added] };
        await catalog.WriteAsync(tenantId, async db =>
        {
            var row = await db.MvModels.FirstAsync(m => m.Id == id, ct);
            (row.Spec, row.UpdatedAt) = (JsonSerializer.Serialize(spec, Json), clock.GetUtcNow().ToUnixTimeMilliseconds());
            return await db.SaveChangesAsync(ct);
        }, ct);
        return await GetAsync(tenantId, siteKey, id, ct);
    }

    private static Dictionary<string, string[]> AdjustmentErrors(IEnumerable<NonRoutineAdjustment> adjustments)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var a in adjustments)
        {
            if (!TryDate(a.From, out var f) || !TryDate(a.To, out var t) || t < f) errors["adjustment.from"] = ["the first and last days it applies to, yyyy-MM-dd"];
            if (!double.IsFinite(a.Amount) || Math.Abs(a.Amount) > 1e12) errors["adjustment.amount"] = ["a finite energy per period in the subject's unit"];
            if (string.IsNullOrWhiteSpace(a.Reason) || a.Reason.Length > 2000) errors["adjustment.reason"] = ["why (1-2000 characters): a non-routine adjustment needs a reason a verifier can check"];
        }
        return errors;
    }

    private async Task CheckProjectAsync(long tenantId, long siteId, long? projectId, CancellationToken ct)
    {
        if (projectId is not { } pid) return;
        await using var db = catalog.Open(tenantId);
        if (!await db.Projects.AnyAsync(p => p.SiteId == siteId && p.Id == pid, ct)) throw new BadInputException($"projectId: no project {pid} at this site");
    }

    private async Task<ModelView?> SaveAsync(long tenantId, SiteModel site, long id, ModelSpec spec, string by, CancellationToken ct)
    {
        var result = await FitAsync(tenantId, site, spec, by, ct);
        await catalog.WriteAsync(tenantId, async db =>
        {
            var row = await db.MvModels.FirstAsync(m => m.SiteId == site.Id && m.Id == id, ct);
            (row.Spec, row.Fit, row.UpdatedAt) = (JsonSerializer.Serialize(spec, Json), JsonSerializer.Serialize(result, Json), clock.GetUtcNow().ToUnixTimeMilliseconds());
            return await db.SaveChangesAsync(ct);
        }, ct);
        return await GetAsync(tenantId, site.Definition.Key, id, ct);
    }

    private async Task<ModelResult> FitAsync(long tenantId, SiteModel site, ModelSpec spec, string by, CancellationToken ct)
    {
        var from = DateOnly.ParseExact(spec.BaselineFrom, DateFormat, CultureInfo.InvariantCulture);
        var to = DateOnly.ParseExact(spec.BaselineTo, DateFormat, CultureInfo.InvariantCulture);
        var (points, unit, carrier) = await data.CollectAsync(tenantId, site, spec, from, to, ct);
        var used = points.Where(p => p.Excluded is null).ToList();
        var now = Iso(clock.GetUtcNow().ToUnixTimeMilliseconds());
        if (used.Count == 0)
            return new ModelResult(null, [], false, "no baseline period has complete data of the subject and every driver", "基准期内没有主体和全部驱动变量都完整的周期",
                points, unit, carrier, now, by, Method);
        BaselineFit fit;
        try
        {
            fit = BaselineModel.Fit(spec.Form, used.Select(p => p.Y!.Value).ToList(), spec.Drivers, used.Select(p => (IReadOnlyList<double>)p.Drivers.Select(d => d!.Value).ToList()).ToList());
        }
        catch (ArgumentException e)
        {
            return new ModelResult(null, [], false, $"the model cannot be fitted: {e.Message}", $"模型无法拟合：{e.Message}", points, unit, carrier, now, by, Method);
        }
        var checks = BaselineModel.Checks(fit, spec.Grain);
        var (refusal, refusalZh) = Refusal(checks);
        return new ModelResult(fit, checks, refusal is null, refusal, refusalZh, points, unit, carrier, now, by, Method);
    }

    private static (string? En, string? Zh) Refusal(IEnumerable<ModelCheck> checks)
    {
        var failed = checks.Where(c => !c.Passed).ToList();
        return failed.Count == 0 ? (null, null)
            : ($"not usable: {string.Join("; ", failed.Select(f => f.Message))}", $"不可使用：{string.Join("；", failed.Select(f => f.MessageZh))}");
    }

    private static ModelView View(MvModelRecord r, string site)
    {
        var spec = JsonSerializer.Deserialize<ModelSpec>(r.Spec, Json)!;
        return new ModelView(r.Id, site, spec, spec.Option, r.Fit is null ? null : JsonSerializer.Deserialize<ModelResult>(r.Fit, Json),
            r.CreatedBy, Iso(r.CreatedAt), Iso(r.UpdatedAt));
    }

    /// <summary>
    /// The savings of the model's reporting period (or of <paramref name="from"/>..<paramref name="to"/>): avoided
    /// energy = adjusted baseline - reporting use per period and cumulative, the fractional savings uncertainty at 68 %
    /// and 90 %, normalised savings, and every check; totals only when the model and the reporting data pass them.
    /// </summary>
    public async Task<SavingsResult?> SavingsAsync(long tenantId, string siteKey, long id, string? from, string? to, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        var model = await GetAsync(tenantId, siteKey, id, ct);
        if (model is null) return null;
        var spec = model.Spec;
        var fromText = from ?? spec.ReportingFrom;
        var toText = to ?? spec.ReportingTo;
        if (!TryDate(fromText, out var rf) || !TryDate(toText, out var rt) || rt < rf)
            throw new BadInputException("from, to: the reporting period's first and last days, yyyy-MM-dd (set reportingFrom and reportingTo on the model, or give from and to)");
        if (rf <= DateOnly.ParseExact(spec.BaselineTo, DateFormat, CultureInfo.InvariantCulture))
            throw new BadInputException("from: the reporting period starts after the baseline period");
        if (rt.DayNumber - rf.DayNumber > 5 * 366) throw new BadInputException("to: a reporting period covers at most five years");
        var computedAt = Iso(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var result = model.Result;
        if (result?.Fit is not { } fit)
        {
            return Empty(model, result?.Refusal ?? "the model has no fit", result?.RefusalZh ?? "模型尚未拟合");
        }
        var (points, _, _) = await data.CollectAsync(tenantId, site, spec, rf, rt, ct);
        var used = points.Where(p => p.Excluded is null).ToList();
        var excluded = points.Where(p => p.Excluded is not null).ToList();
        var rows = used.Select(p => (IReadOnlyList<double>)p.Drivers.Select(d => d!.Value).ToList()).ToList();
        var checks = BaselineModel.Checks(fit, spec.Grain, rows).ToList();
        if (used.Count == 0)
            return Empty(model, "no reporting period has complete data of the subject and every driver", "报告期内没有主体和全部驱动变量都完整的周期") with { Excluded = excluded, Checks = checks };

        var n = fit.Ols.N;
        var periods = new List<SavingsPeriod>(used.Count);
        double cumulative = 0, cumulativeBaseline = 0;
        for (var k = 0; k < used.Count; k++)
        {
            var p = used[k];
            var predicted = fit.Predict(rows[k]);
            var (first, _, _) = MvData.DaysOf(spec.Grain, p.Period);
            var adjustment = spec.Adjustments.Where(a => Covers(a, first)).Sum(a => a.Amount);
            var adjusted = predicted + adjustment;
            var saving = adjusted - p.Y!.Value;
            cumulative += saving;
            cumulativeBaseline += adjusted;
            var band68 = Band(0.68, fit, n, k + 1, cumulative, cumulativeBaseline);
            var band90 = Band(0.90, fit, n, k + 1, cumulative, cumulativeBaseline);
            periods.Add(new SavingsPeriod(p.Period, p.Y.Value, predicted, adjustment, adjusted, saving, cumulative, band68, band90, rows[k]));
        }
        var baselineTotal = periods.Sum(p => p.AdjustedBaseline);
        var actual = periods.Sum(p => p.Actual);
        var savings = baselineTotal - actual;
        var fraction = baselineTotal != 0 ? savings / baselineTotal : (double?)null;
        var u68 = fraction is { } f68 ? SavingsUncertainty.Fractional(0.68, fit.CvRmse, n, fit.Parameters, fit.Autocorrelation, used.Count, f68) : null;
        var u90 = fraction is { } f90 ? SavingsUncertainty.Fractional(0.90, fit.CvRmse, n, fit.Parameters, fit.Autocorrelation, used.Count, f90) : null;
        var ci = CultureInfo.InvariantCulture;
        var fsuOk = u68 is { } u && u <= 0.5;
        checks.Add(new ModelCheck("fsu-68", "ASHRAE Guideline 14-2014: savings uncertainty below 50 % of the savings at 68 % confidence", fsuOk, u68, "≤ 50 % at 68 %",
            u68 is null ? "no savings, so no fractional uncertainty" : string.Create(ci, $"fractional savings uncertainty {u68 * 100:0.#} % at 68 % confidence {(fsuOk ? "≤" : ">")} 50 %"),
            u68 is null ? "无节能量，无法计算相对不确定度" : string.Create(ci, $"68 % 置信度下节能量相对不确定度 {u68 * 100:0.#} % {(fsuOk ? "≤" : ">")} 50 %"),
            "ASHRAE Guideline 14-2014：68 % 置信度下节能量不确定度低于节能量的 50 %"));
        var (refusal, refusalZh) = Refusal(checks);
        var usable = refusal is null;
        var normalised = usable ? Normalised(spec, fit, result, used, rows) : null;
        var covered = used.Sum(p => MvData.DaysOf(spec.Grain, p.Period).Fraction);
        return new SavingsResult(model.Id, spec.Subject, spec.Option, result.Unit, result.Carrier, fromText!, toText!, rt.DayNumber - rf.DayNumber + 1, covered,
            periods, excluded,
            usable ? baselineTotal : null, usable ? actual : null, usable ? savings : null, usable ? fraction : null,
            usable ? u68 : null, usable ? u90 : null, usable ? u68 < 1 : null, usable ? u90 < 1 : null,
            usable && u68 is { } a68 ? a68 * Math.Abs(savings) : null, usable && u90 is { } a90 ? a90 * Math.Abs(savings) : null,
            normalised, checks, usable, refusal, refusalZh, result.Method, computedAt);

        SavingsResult Empty(ModelView m, string why, string whyZh) =>
            new(m.Id, m.Spec.Subject, m.Spec.Option, m.Result?.Unit ?? "", m.Result?.Carrier ?? "", fromText!, toText!, rt.DayNumber - rf.DayNumber + 1, 0, [], [],
                null, null, null, null, null, null, null, null, null, null, null, m.Result?.Checks ?? [], false, why, whyZh, m.Result?.Method ?? Method, computedAt);
    }

    private static bool Covers(NonRoutineAdjustment a, DateOnly day) =>
        string.CompareOrdinal(a.From, day.ToString(DateFormat, CultureInfo.InvariantCulture)) <= 0
        && string.CompareOrdinal(a.To, day.ToString(DateFormat, CultureInfo.InvariantCulture)) >= 0;

    /// <summary>The absolute uncertainty band of cumulative savings after m reporting periods.</summary>
    private static double? Band(double confidence, BaselineFit fit, int n, int m, double cumulative, double cumulativeBaseline)
    {
        if (cumulativeBaseline == 0 || cumulative == 0) return null;
        var u = SavingsUncertainty.Fractional(confidence, fit.CvRmse, n, fit.Parameters, fit.Autocorrelation, m, cumulative / cumulativeBaseline);
        return u * Math.Abs(cumulative);
    }

    /// <summary>
    /// Normalised savings (IPMVP): a model of the same form fitted to the reporting period, and both models evaluated
    /// on the baseline period's conditions (its driver values): Σ baseline model - Σ reporting model.
    /// </summary>
    private static NormalisedSavings Normalised(ModelSpec spec, BaselineFit fit, ModelResult result, List<DataPoint> used, List<IReadOnlyList<double>> rows)
    {
        const string conditions = "the baseline period's drivers";
        if (spec.Form == ModelForm.Mean)
            return new NormalisedSavings(null, null, conditions, "a mean model has no drivers to normalise", "均值模型没有可归一化的驱动变量");
        BaselineFit reporting;
        try
        {
            reporting = BaselineModel.Fit(spec.Form, used.Select(p => p.Y!.Value).ToList(), spec.Drivers, rows);
        }
        catch (ArgumentException e)
        {
            return new NormalisedSavings(null, null, conditions, $"no reporting-period model: {e.Message}", $"无法建立报告期模型：{e.Message}");
        }
        var baseRows = result.Baseline.Where(p => p.Excluded is null).Select(p => (IReadOnlyList<double>)p.Drivers.Select(d => d!.Value).ToList()).ToList();
        var baseline = baseRows.Sum(fit.Predict);
        var value = baseline - baseRows.Sum(reporting.Predict);
        return new NormalisedSavings(value, baseline != 0 ? value / baseline : null, conditions, null, null);
    }
}
