using System.Globalization;
using System.Text.Json.Serialization;

namespace GreenLoop.Domain.Optimise.Verification;

/// <summary>The shape of a baseline model.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelForm>))]
public enum ModelForm
{
    /// <summary>The baseline period's mean: E = b0.</summary>
    Mean,
    /// <summary>Ordinary least squares on one or more drivers: E = b0 + Σ bi·xi.</summary>
    Linear,
    /// <summary>3-parameter heating: E = b0 + b1·(cp - T)⁺ (+ linear drivers).</summary>
    ThreeParameterHeating,
    /// <summary>3-parameter cooling: E = b0 + b1·(T - cp)⁺ (+ linear drivers).</summary>
    ThreeParameterCooling,
    /// <summary>4-parameter: E = b0 + b1·(T - cp)⁻ + b2·(T - cp)⁺, two slopes meeting at cp (+ linear drivers).</summary>
    FourParameter,
    /// <summary>5-parameter: E = b0 + b1·(cpL - T)⁺ + b2·(T - cpR)⁺, a flat band between two change points (+ linear drivers).</summary>
    FiveParameter,
}

/// <summary>One statistical check of a model: its name, whether it passed, the value and the limit, and why in both languages.</summary>
public sealed record ModelCheck(string Key, string Standard, bool Passed, double? Value, string Limit, string Message, string MessageZh, string? StandardZh = null);

/// <summary>
/// A fitted baseline model: its form, drivers (the change-point driver first for change-point forms), change points,
/// the OLS at those change points, the Guideline 14 statistics and the residual autocorrelation, the ranges of the
/// drivers in the baseline period (for the EnPI range check), and the method text recorded with every result.
/// </summary>
public sealed record BaselineFit(
    ModelForm Form, IReadOnlyList<string> Drivers, IReadOnlyList<double> ChangePoints, OlsResult Ols, int Parameters,
    double CvRmse, double Nmbe, double Autocorrelation, IReadOnlyList<DriverRange> Ranges, string Method)
{
    /// <summary>The model's prediction for one period's drivers (same order as <see cref="Drivers"/>).</summary>
    public double Predict(IReadOnlyList<double> drivers)
    {
        ArgumentNullException.ThrowIfNull(drivers);
        var design = BaselineModel.DesignRow(Form, ChangePoints, drivers);
        var c = Ols.Coefficients;
        var e = c[0].Estimate;
        for (var j = 0; j < design.Length; j++) e += c[j + 1].Estimate * design[j];
        return e;
    }
}

/// <summary>A driver's range in the baseline period: minimum, maximum, mean and standard deviation (n - 1).</summary>
public sealed record DriverRange(string Driver, double Min, double Max, double Mean, double StandardDeviation);

/// <summary>
/// Fits baseline models. Change points are found by a documented search: a grid of 100 candidate points evenly spaced
/// between the 10th and 90th percentiles of the change-point driver (for the 5-parameter form, every ordered pair of
/// them at least one grid step apart); the candidate with the least sum of squared errors wins, ties to the lower
/// point. The reported coefficients, standard errors and p-values are those of ordinary least squares at the chosen
/// change points (conditional on them); the change points count as parameters in CV(RMSE), NMBE and the F-test's
/// reported parameter count <see cref="BaselineFit.Parameters"/>.
/// </summary>
public static class BaselineModel
{
    /// <summary>The method text recorded with every model and result, so a verified figure can be reproduced.</summary>
    public const string MethodVersion = "greenloop-mv/1 (OLS by QR, MathNet.Numerics 5.0.0; change points: 100-point grid between P10 and P90, least SSE)";

    private const int GridPoints = 100;

    /// <summary>Whether a form has a change-point driver (its first driver).</summary>
    public static bool HasChangePoint(ModelForm form) => form is ModelForm.ThreeParameterHeating or ModelForm.ThreeParameterCooling or ModelForm.FourParameter or ModelForm.FiveParameter;

    /// <summary>Parameters of a form with <paramref name="drivers"/> drivers, change points included.</summary>
    public static int ParameterCount(ModelForm form, int drivers) => form switch
    {
        ModelForm.Mean => 1,
        ModelForm.Linear => 1 + drivers,
        ModelForm.ThreeParameterHeating or ModelForm.ThreeParameterCooling => 3 + (drivers - 1),
        ModelForm.FourParameter => 4 + (drivers - 1),
        _ => 5 + (drivers - 1),
    };

    /// <summary>The design columns (intercept excluded) of one period for a form and its change points.</summary>
    public static double[] DesignRow(ModelForm form, IReadOnlyList<double> changePoints, IReadOnlyList<double> drivers)
    {
        ArgumentNullException.ThrowIfNull(changePoints);
        ArgumentNullException.ThrowIfNull(drivers);
        if (form == ModelForm.Mean) return [];
        if (form == ModelForm.Linear) return [.. drivers];
        var t = drivers[0];
        var head = form switch
        {
            ModelForm.ThreeParameterHeating => new[] { Math.Max(0, changePoints[0] - t) },
            ModelForm.ThreeParameterCooling => [Math.Max(0, t - changePoints[0])],
            ModelForm.FourParameter => [Math.Min(0, t - changePoints[0]), Math.Max(0, t - changePoints[0])],
            _ => [Math.Max(0, changePoints[0] - t), Math.Max(0, t - changePoints[1])],
        };
        return [.. head, .. drivers.Skip(1)];
    }

    /// <summary>The names of the design columns, for the coefficient table.</summary>
    public static string[] DesignNames(ModelForm form, IReadOnlyList<string> drivers)
    {
        ArgumentNullException.ThrowIfNull(drivers);
        if (form == ModelForm.Mean) return [];
        if (form == ModelForm.Linear) return [.. drivers];
        var d = drivers[0];
        var head = form switch
        {
            ModelForm.ThreeParameterHeating => new[] { $"({d} below cp)" },
            ModelForm.ThreeParameterCooling => [$"({d} above cp)"],
            ModelForm.FourParameter => [$"({d} - cp) below", $"({d} - cp) above"],
            _ => [$"({d} below cpL)", $"({d} above cpR)"],
        };
        return [.. head, .. drivers.Skip(1)];
    }

    /// <summary>
    /// Fits a model of <paramref name="form"/> to y (one value per period) and the drivers (one row per period, in the
    /// order of <paramref name="driverNames"/>). Throws <see cref="ArgumentException"/> with a reason a person can act
    /// on when the data cannot carry the model.
    /// </summary>
    public static BaselineFit Fit(ModelForm form, IReadOnlyList<double> y, IReadOnlyList<string> driverNames, IReadOnlyList<IReadOnlyList<double>> rows)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(driverNames);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count != y.Count) throw new ArgumentException("one driver row per period is needed");
        if (form == ModelForm.Mean && driverNames.Count > 0) throw new ArgumentException("the mean model takes no drivers");
        if (form == ModelForm.Linear && driverNames.Count == 0) throw new ArgumentException("a linear model needs at least one driver");
        if (HasChangePoint(form) && driverNames.Count == 0) throw new ArgumentException("a change-point model needs its change-point driver (e.g. the temperature) first");
        var parameters = ParameterCount(form, driverNames.Count);
        if (y.Count < parameters + 2) throw new ArgumentException($"{y.Count} periods are too few for a {form} model with {parameters} parameters; at least {parameters + 2} are needed");

        double[] changePoints = [];
        OlsResult? best = null;
        if (HasChangePoint(form))
        {
            var grid = Grid(rows.Select(r => r[0]).ToArray());
            if (grid.Length < 2) throw new ArgumentException($"driver '{driverNames[0]}' hardly varies in the baseline period; a change point cannot be found");
            var candidates = form == ModelForm.FiveParameter
                ? from i in Enumerable.Range(0, grid.Length) from j in Enumerable.Range(i + 1, grid.Length - i - 1) select new[] { grid[i], grid[j] }
                : grid.Select(g => new[] { g });
            foreach (var cp in candidates)
            {
                OlsResult fit;
                try
                {
                    fit = FitAt(form, cp, y, driverNames, rows);
                }
                catch (ArgumentException)
                {
                    continue; // a change point with no data on one side: not a candidate
                }
                if (best is null || fit.Sse < best.Sse) (best, changePoints) = (fit, cp);
            }
            if (best is null) throw new ArgumentException($"no change point of '{driverNames[0]}' leaves data on both sides");
        }
        else
        {
            best = FitAt(form, [], y, driverNames, rows);
        }

        var (cv, nmbe) = GoodnessOfFit(y, best.Fitted, parameters);
        var ranges = driverNames.Select((name, k) => Range(name, rows.Select(r => r[k]).ToArray())).ToList();
        return new BaselineFit(form, driverNames.ToArray(), changePoints, best, parameters, cv, nmbe, Ols.Autocorrelation(best.Residuals), ranges, MethodVersion);
    }

    private static OlsResult FitAt(ModelForm form, double[] changePoints, IReadOnlyList<double> y, IReadOnlyList<string> names, IReadOnlyList<IReadOnlyList<double>> rows)
    {
        var design = rows.Select(r => DesignRow(form, changePoints, r)).ToArray();
        var columnNames = DesignNames(form, names);
        var columns = columnNames.Select((name, j) => (name, (IReadOnlyList<double>)design.Select(d => d[j]).ToArray())).ToList();
        return Verification.Ols.Fit(y, columns);
    }

    private static double[] Grid(double[] values)
    {
        var sorted = values.Order().ToArray();
        var lo = Percentile(sorted, 0.10);
        var hi = Percentile(sorted, 0.90);
        if (!(hi > lo)) return [];
        return Enumerable.Range(0, GridPoints).Select(i => lo + ((hi - lo) * i / (GridPoints - 1))).ToArray();
    }

    /// <summary>Linear-interpolation percentile of sorted values (the (n-1)p rank).</summary>
    private static double Percentile(double[] sorted, double p)
    {
        var rank = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(rank);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (rank - lo));
    }

    private static DriverRange Range(string name, double[] values)
    {
        var mean = values.Average();
        var sd = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
        return new DriverRange(name, values.Min(), values.Max(), mean, sd);
    }

    /// <summary>
    /// CV(RMSE) and NMBE in percent as ASHRAE Guideline 14 defines them for a model with p parameters:
    /// CV(RMSE) = 100 · √(Σ(y - ŷ)² / (n - p)) / ȳ; NMBE = 100 · Σ(y - ŷ) / ((n - p) · ȳ).
    /// </summary>
    public static (double CvRmse, double Nmbe) GoodnessOfFit(IReadOnlyList<double> y, IReadOnlyList<double> fitted, int parameters)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(fitted);
        var n = y.Count;
        var mean = y.Average();
        double sse = 0, sum = 0;
        for (var i = 0; i < n; i++)
        {
            var e = y[i] - fitted[i];
            sse += e * e;
            sum += e;
        }
        var dof = n - parameters;
        return (100 * Math.Sqrt(sse / dof) / mean, 100 * sum / (dof * mean));
    }

    /// <summary>Whether a grain is coarse (a month) for the Guideline 14 limits.</summary>
    public static (double CvLimit, double NmbeLimit) Guideline14Limits(string grain) =>
        grain == "month" ? (15, 5) : (30, 10);

    /// <summary>
    /// The checks of a fit: ASHRAE Guideline 14 (CV(RMSE) and NMBE limits by grain) and, for a model with drivers, the
    /// DOE EnPI rules for regression models (overall p &lt; 0.10, every variable p &lt; 0.20 and at least one &lt; 0.10,
    /// R² ≥ 0.5). <paramref name="reporting"/>, when given, are the reporting period's driver rows: each must lie inside
    /// the baseline range or within 3 standard deviations of its mean.
    /// </summary>
    public static IReadOnlyList<ModelCheck> Checks(BaselineFit fit, string grain, IReadOnlyList<IReadOnlyList<double>>? reporting = null)
    {
        ArgumentNullException.ThrowIfNull(fit);
        const string g14 = "ASHRAE Guideline 14-2014 (limits as commonly cited; UNVERIFIED against the text)";
        const string g14Zh = "ASHRAE Guideline 14-2014（限值按通行引用，未对照原文核实 UNVERIFIED）";
        const string enpi = "US DOE EnPI Tool, regression model acceptance";
        const string enpiZh = "美国能源部 EnPI 工具，回归模型采纳规则";
        var ci = CultureInfo.InvariantCulture;
        var checks = new List<ModelCheck>();
        var (cvLimit, nmbeLimit) = Guideline14Limits(grain);
        var cvOk = double.IsFinite(fit.CvRmse) && fit.CvRmse <= cvLimit;
        checks.Add(new ModelCheck("cvrmse", g14, cvOk, fit.CvRmse, string.Create(ci, $"≤ {cvLimit} % ({grain})"),
            string.Create(ci, $"CV(RMSE) {fit.CvRmse:0.##} % {(cvOk ? "within" : "exceeds")} the {cvLimit} % limit for {GrainEn(grain)} data"),
            string.Create(ci, $"CV(RMSE) {fit.CvRmse:0.##} % {(cvOk ? "在" : "超过")} {GrainZh(grain)}数据 {cvLimit} % 限值{(cvOk ? "内" : "")}")));
        var nmbeOk = double.IsFinite(fit.Nmbe) && Math.Abs(fit.Nmbe) <= nmbeLimit;
        checks.Add(new ModelCheck("nmbe", g14, nmbeOk, fit.Nmbe, string.Create(ci, $"±{nmbeLimit} % ({grain})"),
            string.Create(ci, $"NMBE {Fixed(fit.Nmbe)} % {(nmbeOk ? "within" : "outside")} ±{nmbeLimit} %"),
            string.Create(ci, $"NMBE {Fixed(fit.Nmbe)} % {(nmbeOk ? "在" : "超出")} ±{nmbeLimit} %{(nmbeOk ? " 以内" : "")}")));
        if (fit.Form != ModelForm.Mean)
        {
            var fOk = fit.Ols.FP is { } fp && fp < 0.10;
            checks.Add(new ModelCheck("model-p", enpi, fOk, fit.Ols.FP, "< 0.10",
                string.Create(ci, $"overall F-test p = {P(fit.Ols.FP)} {(fOk ? "<" : "≥")} 0.10"),
                string.Create(ci, $"模型整体 F 检验 p = {P(fit.Ols.FP)} {(fOk ? "<" : "≥")} 0.10")));
            var vars = fit.Ols.Coefficients.Skip(1).ToList();
            var worst = vars.MaxBy(c => c.P)!;
            var allOk = vars.All(c => c.P < 0.20);
            checks.Add(new ModelCheck("variables-p", enpi, allOk, worst.P, "every variable < 0.20",
                allOk ? "every variable has p < 0.20" : string.Create(ci, $"variable '{worst.Name}' has p = {P(worst.P)} ≥ 0.20"),
                allOk ? "所有变量 p < 0.20" : string.Create(ci, $"变量“{worst.Name}”的 p = {P(worst.P)} ≥ 0.20")));
            var bestVar = vars.MinBy(c => c.P)!;
            var oneOk = bestVar.P < 0.10;
            checks.Add(new ModelCheck("one-variable-p", enpi, oneOk, bestVar.P, "at least one variable < 0.10",
                oneOk ? string.Create(ci, $"'{bestVar.Name}' has p = {P(bestVar.P)} < 0.10") : "no variable has p < 0.10",
                oneOk ? string.Create(ci, $"“{bestVar.Name}”的 p = {P(bestVar.P)} < 0.10") : "没有 p < 0.10 的变量"));
            var r2Ok = fit.Ols.RSquared >= 0.5;
            checks.Add(new ModelCheck("r2", enpi, r2Ok, fit.Ols.RSquared, "≥ 0.5",
                string.Create(ci, $"R² = {fit.Ols.RSquared:0.####} {(r2Ok ? "≥" : "<")} 0.5"),
                string.Create(ci, $"R² = {fit.Ols.RSquared:0.####} {(r2Ok ? "≥" : "<")} 0.5")));
        }
        if (reporting is { Count: > 0 })
        {
            for (var k = 0; k < fit.Ranges.Count; k++)
            {
                var range = fit.Ranges[k];
                var lo = Math.Min(range.Min, range.Mean - (3 * range.StandardDeviation));
                var hi = Math.Max(range.Max, range.Mean + (3 * range.StandardDeviation));
                var outside = reporting.Select(r => r[k]).Where(v => v < lo || v > hi).ToList();
                var ok = outside.Count == 0;
                checks.Add(new ModelCheck($"range:{range.Driver}", enpi, ok, ok ? null : outside[0],
                    string.Create(ci, $"{range.Min:0.###}..{range.Max:0.###} or mean ± 3 sd ({lo:0.###}..{hi:0.###})"),
                    ok ? $"reporting-period {range.Driver} lies inside the baseline range"
                       : string.Create(ci, $"{outside.Count} reporting period(s) have {range.Driver} outside the baseline range {range.Min:0.###}..{range.Max:0.###} and beyond 3 standard deviations of its mean (e.g. {outside[0]:0.###}); the model cannot be used there"),
                    ok ? $"报告期 {range.Driver} 在基准期范围内"
                       : string.Create(ci, $"报告期有 {outside.Count} 个周期的 {range.Driver} 超出基准期范围 {range.Min:0.###}..{range.Max:0.###} 且偏离均值超过 3 倍标准差（如 {outside[0]:0.###}），模型不能用于该报告期")));
            }
        }
        return checks.Select(c => c with { StandardZh = c.Standard == g14 ? g14Zh : enpiZh }).ToList();
    }

    private static string GrainEn(string grain) => grain switch { "month" => "monthly", "week" => "weekly", "hour" => "hourly", _ => "daily" };

    /// <summary>A p-value as text: four decimals, or in scientific notation below 0.0001.</summary>
    private static string P(double? p) => p is not { } v ? "n/a" : v < 1e-4 ? v.ToString("0.##E+0", CultureInfo.InvariantCulture) : v.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>A small signed percentage as text, without "-0".</summary>
    private static string Fixed(double v) => Math.Abs(v) < 5e-4 ? "0.000" : v.ToString("0.000", CultureInfo.InvariantCulture);

    private static string GrainZh(string grain) => grain switch { "month" => "月", "week" => "周", "hour" => "小时", _ => "日" };
}

/// <summary>
/// The fractional savings uncertainty of ASHRAE Guideline 14-2014 Annex B (Reddy and Claridge), with the
/// autocorrelation correction: U = t · 1.26 · CV · √((n / n′)(1 + 2 / n′)(1 / m)) / F, where CV is CV(RMSE) as a
/// fraction, n the baseline points, n′ = n (1 - ρ) / (1 + ρ) with ρ the lag-1 autocorrelation of the baseline residuals
/// (a negative ρ is taken as 0: no credit), m the reporting points, F the savings as a fraction of the adjusted
/// baseline, and t the two-sided Student t at the confidence level with n - p degrees of freedom.
/// </summary>
public static class SavingsUncertainty
{
    /// <summary>The effective number of points n′.</summary>
    public static double EffectivePoints(int n, double rho)
    {
        var r = Math.Max(0, rho);
        return n * (1 - r) / (1 + r);
    }

    /// <summary>The fractional uncertainty of the savings (0.25 = ±25 % of the savings); null when F is 0.</summary>
    public static double? Fractional(double confidence, double cvRmsePercent, int n, int parameters, double rho, int m, double savingsFraction)
    {
        if (savingsFraction == 0 || m <= 0) return null;
        var nPrime = EffectivePoints(n, rho);
        if (nPrime <= 0) return null;
        var t = Ols.TCritical(confidence, n - parameters);
        return t * 1.26 * (cvRmsePercent / 100) * Math.Sqrt(n / nPrime * (1 + (2 / nPrime)) / m) / Math.Abs(savingsFraction);
    }
}
