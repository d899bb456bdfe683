using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using GreenLoop.Domain.Optimise.Verification;

namespace GreenLoop.Domain.Tests.Optimise;

/// <summary>
/// Baseline models for measurement and verification: the regressions are compared with an independent implementation
/// (Debian's statsmodels and scipy, run by <c>/usr/bin/python3</c>), the Guideline 14 statistics and the savings
/// uncertainty are recomputed by hand in the test, and a known saving is recovered within its stated uncertainty.
/// </summary>
public sealed class BaselineModelTests
{
    private const double Relative = 1e-8;

    // ----- tools of the tests -----

    /// <summary>A fixed-seed generator (SplitMix64, uniform by its top 53 bits, normal by Box–Muller), so the data never change.</summary>
    private sealed class Noise(ulong seed)
    {
        private ulong _state = seed;

        public double Uniform()
        {
            _state += 0x9E3779B97F4A7C15UL;
            var z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }

        public double Uniform(double lo, double hi) => lo + ((hi - lo) * Uniform());

        public double Normal(double sd)
        {
            var u1 = 1 - Uniform(); // (0, 1]
            var u2 = Uniform();
            return sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
    }

    private sealed record StatsmodelsFit(
        [property: JsonPropertyName("params")] double[] Params,
        [property: JsonPropertyName("bse")] double[] Bse,
        [property: JsonPropertyName("tvalues")] double[] TValues,
        [property: JsonPropertyName("pvalues")] double[] PValues,
        [property: JsonPropertyName("rsquared")] double RSquared,
        [property: JsonPropertyName("rsquared_adj")] double RSquaredAdj,
        [property: JsonPropertyName("fvalue")] double FValue,
        [property: JsonPropertyName("f_pvalue")] double FPValue,
        [property: JsonPropertyName("ssr")] double Ssr,
        [property: JsonPropertyName("centered_tss")] double CenteredTss,
        [property: JsonPropertyName("nobs")] double NObs,
        [property: JsonPropertyName("df_resid")] double DfResid);

    private const string OlsScript = """
        import json, sys
        import numpy as np
        import statsmodels.api as sm
        with open(sys.argv[1]) as f:
            d = json.load(f)
        y = np.asarray(d["y"], dtype=float)
        X = sm.add_constant(np.column_stack([np.asarray(c, dtype=float) for c in d["columns"]]), has_constant="add")
        r = sm.OLS(y, X).fit()
        print(json.dumps({
            "params": r.params.tolist(), "bse": r.bse.tolist(), "tvalues": r.tvalues.tolist(), "pvalues": r.pvalues.tolist(),
            "rsquared": float(r.rsquared), "rsquared_adj": float(r.rsquared_adj),
            "fvalue": float(r.fvalue), "f_pvalue": float(r.f_pvalue),
            "ssr": float(r.ssr), "centered_tss": float(r.centered_tss), "nobs": float(r.nobs), "df_resid": float(r.df_resid),
        }))
        """;

    // scipy's t.ppf alone is off by up to 4.6e-9 relative (e.g. t.ppf(0.95, 30); checked against a 30-digit mpmath root
    // of the t CDF for confidence 0.68/0.80/0.90/0.95 and 2..400 dof), so the quantile is polished by Newton steps on
    // scipy's survival function t.sf, which brings it within 1.5e-15 of the mpmath root over that whole range.
    private const string TppfScript = """
        import json, sys
        from scipy.stats import t
        with open(sys.argv[1]) as f:
            d = json.load(f)
        q, dof = d["q"], d["dof"]
        tail = 1 - q
        x = t.ppf(q, dof)
        for _ in range(3):
            x = x + (t.sf(x, dof) - tail) / t.pdf(x, dof)
        print(json.dumps(float(x)))
        """;

    private static async Task<string> PythonAsync(string script, object input)
    {
        var path = Path.Combine(Path.GetTempPath(), $"greenloop-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(input));
        try
        {
            using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3")
            {
                ArgumentList = { "-c", script, path },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = System.Text.Encoding.UTF8,
            })!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(cts.Token);
            if (process.ExitCode != 0) throw new InvalidOperationException($"python3 failed: {await error}");
            return await output;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Statsmodels' OLS of y on an intercept and the columns.</summary>
    private static async Task<StatsmodelsFit> StatsmodelsAsync(IReadOnlyList<double> y, IReadOnlyList<IReadOnlyList<double>> columns) =>
        JsonSerializer.Deserialize<StatsmodelsFit>(await PythonAsync(OlsScript, new { y, columns }))!;

    /// <summary>scipy.stats.t.ppf(q, dof).</summary>
    private static async Task<double> ScipyTppfAsync(double q, double dof) =>
        JsonSerializer.Deserialize<double>(await PythonAsync(TppfScript, new { q, dof }));

    private static bool Close(double expected, double actual, double relative) =>
        Math.Abs(expected - actual) <= (relative * Math.Max(Math.Abs(expected), Math.Abs(actual))) + 1e-300;

    private static void Near(double expected, double? actual, double relative, string what)
    {
        Assert.NotNull(actual);
        Assert.True(Close(expected, actual.Value, relative), $"{what}: expected {expected:R}, got {actual.Value:R} (relative difference {Math.Abs(expected - actual.Value) / Math.Max(Math.Abs(expected), Math.Abs(actual.Value)):E2})");
    }

    /// <summary>Every statistic of our OLS against statsmodels' at 1e-8 relative.</summary>
    private static void SameAsStatsmodels(StatsmodelsFit reference, OlsResult ours)
    {
        Assert.Equal(reference.Params.Length, ours.Coefficients.Count);
        Assert.Equal((int)reference.NObs, ours.N);
        Assert.Equal((int)reference.DfResid, ours.N - ours.P);
        for (var j = 0; j < ours.Coefficients.Count; j++)
        {
            var c = ours.Coefficients[j];
            Near(reference.Params[j], c.Estimate, Relative, $"{c.Name} estimate");
            Near(reference.Bse[j], c.StandardError, Relative, $"{c.Name} standard error");
            Near(reference.TValues[j], c.T, Relative, $"{c.Name} t");
            Near(reference.PValues[j], c.P, Relative, $"{c.Name} p-value");
        }
        Near(reference.RSquared, ours.RSquared, Relative, "R²");
        Near(reference.RSquaredAdj, ours.AdjustedRSquared, Relative, "adjusted R²");
        Near(reference.FValue, ours.F, Relative, "F");
        Near(reference.FPValue, ours.FP, Relative, "F-test p-value");
        Near(reference.Ssr, ours.Sse, Relative, "SSE");
        Near(reference.CenteredTss, ours.Sst, Relative, "SST");
    }

    /// <summary>The documented change-point grid, written out again: 100 points evenly spaced from P10 to P90 ((n-1)p rank, linear interpolation).</summary>
    private static double[] DocumentedGrid(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        double Percentile(double p)
        {
            var rank = (sorted.Length - 1) * p;
            var below = (int)Math.Floor(rank);
            var above = Math.Min(below + 1, sorted.Length - 1);
            return sorted[below] + ((sorted[above] - sorted[below]) * (rank - below));
        }
        var lo = Percentile(0.10);
        var hi = Percentile(0.90);
        var grid = new double[100];
        for (var i = 0; i < 100; i++) grid[i] = lo + ((hi - lo) * i / 99);
        return grid;
    }

    private static int GridIndex(double[] grid, double point)
    {
        var index = Array.FindIndex(grid, g => Math.Abs(g - point) <= 1e-9 * Math.Max(1, Math.Abs(g)));
        Assert.True(index >= 0, $"change point {point:R} is not a point of the documented grid");
        return index;
    }

    private static IReadOnlyList<double> Column(IReadOnlyList<IReadOnlyList<double>> rows, int k) => rows.Select(r => r[k]).ToArray();

    // ----- OLS against statsmodels -----

    [Fact]
    public async Task Ols_TwoDrivers_MatchesStatsmodels()
    {
        // energy = 500 + 0.8·output + 3·hdd + N(0, 10²), 40 days.
        var noise = new Noise(20240601);
        const int n = 40;
        var output = new double[n];
        var hdd = new double[n];
        var energy = new double[n];
        for (var i = 0; i < n; i++)
        {
            output[i] = noise.Uniform(200, 1000);
            hdd[i] = noise.Uniform(0, 20);
            energy[i] = 500 + (0.8 * output[i]) + (3 * hdd[i]) + noise.Normal(10);
        }

        var ours = Ols.Fit(energy, [("output", output), ("hdd", hdd)]);
        var reference = await StatsmodelsAsync(energy, [output, hdd]);

        SameAsStatsmodels(reference, ours);
        Assert.Equal(["intercept", "output", "hdd"], ours.Coefficients.Select(c => c.Name));
        Assert.Equal(3, ours.P);
        // The data were made with these slopes: the fit must find them (loosely; this is a sanity check of the data).
        Assert.InRange(ours.Coefficients[1].Estimate, 0.75, 0.85);
        Assert.InRange(ours.Coefficients[2].Estimate, 2.5, 3.5);
        // Fitted + residual = y, and the residuals of a model with an intercept sum to zero.
        for (var i = 0; i < n; i++) Assert.Equal(energy[i], ours.Fitted[i] + ours.Residuals[i], 9);
        Assert.True(Math.Abs(ours.Residuals.Sum()) < 1e-8);

        // The linear baseline model is the same regression.
        var rows = Enumerable.Range(0, n).Select(i => new[] { output[i], hdd[i] }).ToArray();
        var fit = BaselineModel.Fit(ModelForm.Linear, energy, ["output", "hdd"], rows);
        SameAsStatsmodels(reference, fit.Ols);
        Assert.Equal(3, fit.Parameters);
        Assert.Empty(fit.ChangePoints);
    }

    // ----- change-point models -----

    [Fact]
    public async Task ThreeParameterCooling_WithProduction_MatchesStatsmodelsAtTheChosenChangePoint()
    {
        // energy = 1000 + 40·(T - 18)⁺ + 0.5·production + N(0, 10²), 80 days.
        const double trueCp = 18;
        var noise = new Noise(7);
        const int n = 80;
        var rows = new double[n][];
        var energy = new double[n];
        for (var i = 0; i < n; i++)
        {
            var t = noise.Uniform(0, 35);
            var made = noise.Uniform(100, 500);
            rows[i] = [t, made];
            energy[i] = 1000 + (40 * Math.Max(0, t - trueCp)) + (0.5 * made) + noise.Normal(10);
        }

        var fit = BaselineModel.Fit(ModelForm.ThreeParameterCooling, energy, ["temperature", "production"], rows);

        Assert.Equal(ModelForm.ThreeParameterCooling, fit.Form);
        Assert.Equal(["temperature", "production"], fit.Drivers);
        var cp = Assert.Single(fit.ChangePoints);
        // b0, slope, production slope and the change point.
        Assert.Equal(4, fit.Parameters);
        Assert.Equal(3, fit.Ols.P);

        // The change point is a point of the documented grid, within one grid step of the true 18 °C.
        var grid = DocumentedGrid(rows.Select(r => r[0]));
        var step = grid[1] - grid[0];
        var index = GridIndex(grid, cp);
        Assert.True(Math.Abs(cp - trueCp) <= step, $"change point {cp} is more than one grid step ({step}) from {trueCp}");

        // Statsmodels on the design at the chosen change point: (T - cp)⁺ and production.
        var above = rows.Select(r => Math.Max(0, r[0] - cp)).ToArray();
        var production = Column(rows, 1);
        var reference = await StatsmodelsAsync(energy, [above, production]);
        SameAsStatsmodels(reference, fit.Ols);

        // Least SSE: no neighbouring grid point does better (refits by Ols.Fit in the test).
        foreach (var k in new[] { -3, -2, -1, 1, 2, 3 })
        {
            if (index + k < 0 || index + k >= grid.Length) continue;
            var other = grid[index + k];
            var refit = Ols.Fit(energy, [("above", rows.Select(r => Math.Max(0, r[0] - other)).ToArray()), ("production", production)]);
            Assert.True(fit.Ols.Sse <= refit.Sse, $"SSE at the chosen {cp} ({fit.Ols.Sse}) exceeds SSE at {other} ({refit.Sse})");
        }

        // The prediction is b0 + b1·(T - cp)⁺ + b2·production.
        var c = fit.Ols.Coefficients;
        Assert.Equal(c[0].Estimate + (c[1].Estimate * (30 - cp)) + (c[2].Estimate * 250), fit.Predict([30, 250]), 9);
        Assert.Equal(c[0].Estimate + (c[2].Estimate * 250), fit.Predict([cp - 5, 250]), 9);
    }

    [Fact]
    public async Task FourParameter_MatchesStatsmodelsAtTheChosenChangePoint()
    {
        // energy = 800 - 15·(T - 12)⁻ + 25·(T - 12)⁺ + N(0, 8²): falls at 15 per degree up to 12 °C, then rises at 25.
        const double trueCp = 12;
        var noise = new Noise(4242);
        const int n = 90;
        var rows = new double[n][];
        var energy = new double[n];
        for (var i = 0; i < n; i++)
        {
            var t = noise.Uniform(-5, 35);
            rows[i] = [t];
            energy[i] = 800 + (-15 * Math.Min(0, t - trueCp)) + (25 * Math.Max(0, t - trueCp)) + noise.Normal(8);
        }

        var fit = BaselineModel.Fit(ModelForm.FourParameter, energy, ["temperature"], rows);
        var cp = Assert.Single(fit.ChangePoints);
        Assert.Equal(4, fit.Parameters);

        var grid = DocumentedGrid(rows.Select(r => r[0]));
        var step = grid[1] - grid[0];
        var index = GridIndex(grid, cp);
        Assert.True(Math.Abs(cp - trueCp) <= step, $"change point {cp} is more than one grid step ({step}) from {trueCp}");

        var below = rows.Select(r => Math.Min(0, r[0] - cp)).ToArray();
        var above = rows.Select(r => Math.Max(0, r[0] - cp)).ToArray();
        var reference = await StatsmodelsAsync(energy, [below, above]);
        SameAsStatsmodels(reference, fit.Ols);
        // Below the change point energy falls as T rises: (T - cp)⁻ ≤ 0 times a negative slope.
        Assert.InRange(fit.Ols.Coefficients[1].Estimate, -16, -14);
        Assert.InRange(fit.Ols.Coefficients[2].Estimate, 24, 26);

        foreach (var k in new[] { -3, -2, -1, 1, 2, 3 })
        {
            if (index + k < 0 || index + k >= grid.Length) continue;
            var other = grid[index + k];
            var refit = Ols.Fit(energy, [
                ("below", rows.Select(r => Math.Min(0, r[0] - other)).ToArray()),
                ("above", rows.Select(r => Math.Max(0, r[0] - other)).ToArray())]);
            Assert.True(fit.Ols.Sse <= refit.Sse, $"SSE at the chosen {cp} ({fit.Ols.Sse}) exceeds SSE at {other} ({refit.Sse})");
        }
    }

    [Fact]
    public async Task FiveParameter_FindsBothChangePointsAndMatchesStatsmodels()
    {
        // energy = 600 + 20·(10 - T)⁺ + 30·(T - 22)⁺ + N(0, 8²): flat between 10 and 22 °C.
        var noise = new Noise(99);
        const int n = 90;
        var rows = new double[n][];
        var energy = new double[n];
        for (var i = 0; i < n; i++)
        {
            var t = noise.Uniform(-5, 35);
            rows[i] = [t];
            energy[i] = 600 + (20 * Math.Max(0, 10 - t)) + (30 * Math.Max(0, t - 22)) + noise.Normal(8);
        }

        var fit = BaselineModel.Fit(ModelForm.FiveParameter, energy, ["temperature"], rows);
        Assert.Equal(2, fit.ChangePoints.Count);
        Assert.Equal(5, fit.Parameters);
        var grid = DocumentedGrid(rows.Select(r => r[0]));
        var step = grid[1] - grid[0];
        var (left, right) = (fit.ChangePoints[0], fit.ChangePoints[1]);
        GridIndex(grid, left);
        GridIndex(grid, right);
        Assert.True(left < right);
        Assert.True(Math.Abs(left - 10) <= step, $"left change point {left} is more than one grid step ({step}) from 10");
        Assert.True(Math.Abs(right - 22) <= step, $"right change point {right} is more than one grid step ({step}) from 22");

        var reference = await StatsmodelsAsync(energy, [
            rows.Select(r => Math.Max(0, left - r[0])).ToArray(),
            rows.Select(r => Math.Max(0, r[0] - right)).ToArray()]);
        SameAsStatsmodels(reference, fit.Ols);
    }

    // ----- Guideline 14 statistics -----

    [Fact]
    public void GoodnessOfFit_HandWorkedExample()
    {
        // y = 10, 12, 14, 16; ŷ = 9, 11, 13, 15; residuals 1, 1, 1, 1; p = 2.
        // ȳ = 52 / 4 = 13; SSE = 4; n - p = 2
        // CV(RMSE) = 100 · √(4 / 2) / 13 = 100 · 1.414214 / 13 = 10.878566 %
        // NMBE     = 100 · 4 / (2 · 13)                        = 15.384615 %
        var (cv, nmbe) = BaselineModel.GoodnessOfFit([10, 12, 14, 16], [9, 11, 13, 15], 2);
        Near(100 * Math.Sqrt(2) / 13, cv, 1e-14, "CV(RMSE)");
        Near(400.0 / 26, nmbe, 1e-14, "NMBE");
        Assert.InRange(cv, 10.8785, 10.8786);
        Assert.InRange(nmbe, 15.3846, 15.3847);
    }

    [Theory]
    [InlineData(ModelForm.Linear)]
    [InlineData(ModelForm.ThreeParameterCooling)]
    public void CvRmseAndNmbe_RecomputedWithTheGuideline14Formulas(ModelForm form)
    {
        var noise = new Noise(31337);
        const int n = 60;
        var rows = new double[n][];
        var energy = new double[n];
        for (var i = 0; i < n; i++)
        {
            var t = noise.Uniform(0, 35);
            var production = noise.Uniform(100, 500);
            rows[i] = [t, production];
            energy[i] = 1000 + (40 * Math.Max(0, t - 18)) + (0.5 * production) + noise.Normal(30);
        }
        var fit = BaselineModel.Fit(form, energy, ["temperature", "production"], rows);
        // Linear: b0 + 2 slopes = 3; 3-parameter cooling with production: b0, slope, cp, production slope = 4.
        Assert.Equal(form == ModelForm.Linear ? 3 : 4, fit.Parameters);

        // Guideline 14, written out: ŷ from the model's own prediction, p = the model's parameters (change point included).
        double sum = 0;
        for (var i = 0; i < n; i++) sum += energy[i];
        var mean = sum / n;
        double sse = 0, bias = 0;
        for (var i = 0; i < n; i++)
        {
            var e = energy[i] - fit.Predict(rows[i]);
            sse += e * e;
            bias += e;
        }
        var dof = n - fit.Parameters;
        var cv = 100 * Math.Sqrt(sse / dof) / mean;
        var nmbe = 100 * bias / (dof * mean);

        Near(cv, fit.CvRmse, 1e-10, "CV(RMSE)");
        // An OLS with an intercept leaves residuals summing to zero, so NMBE is zero up to rounding: compare absolutely.
        Assert.True(Math.Abs(nmbe - fit.Nmbe) <= 1e-9, $"NMBE {fit.Nmbe:R} vs {nmbe:R}");
        Assert.True(Math.Abs(fit.Nmbe) <= 1e-9);
        Near(Ols.Autocorrelation(fit.Ols.Residuals), fit.Autocorrelation, 1e-15, "autocorrelation");

        // The lag-1 autocorrelation written out: Σ e(t)e(t-1) / Σ e(t)².
        double num = 0, den = 0;
        for (var i = 0; i < n; i++)
        {
            var e = energy[i] - fit.Predict(rows[i]);
            den += e * e;
            if (i > 0) num += e * (energy[i - 1] - fit.Predict(rows[i - 1]));
        }
        Assert.True(Math.Abs((num / den) - fit.Autocorrelation) <= 1e-9, $"autocorrelation {fit.Autocorrelation:R} vs {num / den:R}");
    }

    // ----- checks -----

    [Fact]
    public void Checks_PureNoiseDriver_FailsR2()
    {
        var noise = new Noise(5);
        const int n = 50;
        var rows = new double[n][];
        var energy = new double[n];
        for (var i = 0; i < n; i++)
        {
            rows[i] = [noise.Uniform(0, 100)];
            energy[i] = 100 + noise.Normal(5);
        }
        var fit = BaselineModel.Fit(ModelForm.Linear, energy, ["random"], rows);
        Assert.True(fit.Ols.RSquared < 0.5);

        var checks = BaselineModel.Checks(fit, "day");
        var r2 = Assert.Single(checks, c => c.Key == "r2");
        Assert.False(r2.Passed);
        Assert.Equal(fit.Ols.RSquared, r2.Value);
        Assert.Contains("R²", r2.Message, StringComparison.Ordinal);
        Assert.Contains("< 0.5", r2.Message, StringComparison.Ordinal);
        // No reporting rows: no range checks.
        Assert.DoesNotContain(checks, c => c.Key.StartsWith("range:", StringComparison.Ordinal));
        Assert.Equal(["cvrmse", "nmbe", "model-p", "variables-p", "one-variable-p", "r2"], checks.Select(c => c.Key));
    }

    [Fact]
    public void Checks_GoodModel_PassesAndReportingRangeIsChecked()
    {
        var noise = new Noise(11);
        const int n = 60;
        var rows = new double[n][];
        var energy = new double[n];
        for (var i = 0; i < n; i++)
        {
            var output = noise.Uniform(200, 1000);
            rows[i] = [output];
            energy[i] = 2000 + (0.5 * output) + noise.Normal(20);
        }
        var fit = BaselineModel.Fit(ModelForm.Linear, energy, ["output"], rows);

        var inside = BaselineModel.Checks(fit, "day", [[300.0], [900.0]]);
        Assert.All(inside, c => Assert.True(c.Passed, $"{c.Key}: {c.Message}"));
        var inRange = Assert.Single(inside, c => c.Key == "range:output");
        Assert.Null(inRange.Value);
        Assert.Contains("inside the baseline range", inRange.Message, StringComparison.Ordinal);

        // 5,000 is far beyond both the baseline range (≈200..1000) and mean ± 3 sd (≈600 ± 690).
        var outside = BaselineModel.Checks(fit, "day", [[300.0], [5000.0]]);
        var outOfRange = Assert.Single(outside, c => c.Key == "range:output");
        Assert.False(outOfRange.Passed);
        Assert.Equal(5000, outOfRange.Value);
        Assert.Contains("outside the baseline range", outOfRange.Message, StringComparison.Ordinal);
        Assert.Contains("1 reporting period(s)", outOfRange.Message, StringComparison.Ordinal);
        // The statistical checks do not depend on the reporting rows.
        Assert.All(outside.Where(c => c.Key != "range:output"), c => Assert.True(c.Passed, $"{c.Key}: {c.Message}"));
    }

    // ----- savings uncertainty -----

    /// <summary>
    /// The two-sided critical t, taken in the test straight from MathNet's Student t (not through <see cref="Ols.TCritical"/>).
    /// </summary>
    private static double MathNetT(double confidence, double dof) =>
        MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, dof, 1 - ((1 - confidence) / 2));

    [Theory]
    [InlineData(0.90, 12.0, 120, 2, 0.3, 60, 0.15)]
    [InlineData(0.68, 8.0, 365, 3, 0.55, 90, 0.10)]
    [InlineData(0.95, 20.0, 24, 4, 0.0, 12, 0.25)]
    public void FractionalUncertainty_HandCalculation(double confidence, double cv, int n, int p, double rho, int m, double f)
    {
        // t: two-sided at the confidence level with n - p degrees of freedom.
        var t = MathNetT(confidence, n - p);
        // n′ = n (1 - ρ) / (1 + ρ)
        var nPrime = n * (1 - rho) / (1 + rho);
        // U = t · 1.26 · CV · √((n / n′)(1 + 2 / n′) / m) / F, CV as a fraction
        var expected = t * 1.26 * (cv / 100) * Math.Sqrt(n / nPrime * (1 + (2 / nPrime)) / m) / f;

        Near(nPrime, SavingsUncertainty.EffectivePoints(n, rho), 1e-15, "n′");
        Near(expected, SavingsUncertainty.Fractional(confidence, cv, n, p, rho, m, f), 1e-12, "fractional uncertainty");
        // A negative saving has the same relative uncertainty.
        Near(expected, SavingsUncertainty.Fractional(confidence, cv, n, p, rho, m, -f), 1e-12, "fractional uncertainty of a negative saving");
    }

    [Theory]
    [InlineData(0.90, 118)]
    [InlineData(0.68, 362)]
    [InlineData(0.95, 20)]
    [InlineData(0.90, 58)]
    [InlineData(0.90, 30)]
    [InlineData(0.95, 17)]
    [InlineData(0.80, 3)]
    public async Task CriticalT_MatchesScipy(double confidence, double dof)
    {
        // MathNet's StudentT.InvCDF (used by Ols.TCritical) solves CDF(x) = q by root finding and is not exact to the last
        // digits: against the 30-digit mpmath root it is off by up to 9.3e-12 relative (worst at t(0.975, 17); 5.9e-12 at
        // t(0.975, 20)). Hence 2e-11 here; the formula itself is checked to 1e-12 in FractionalUncertainty_HandCalculation.
        var reference = await ScipyTppfAsync(1 - ((1 - confidence) / 2), dof);
        Near(reference, Ols.TCritical(confidence, dof), 2e-11, $"t({confidence}, {dof})");
        Near(reference, MathNetT(confidence, dof), 2e-11, $"MathNet t({confidence}, {dof})");
    }

    [Theory]
    [InlineData(0.90, 12.0, 120, 2, 0.3, 60, 0.15)]
    [InlineData(0.95, 20.0, 24, 4, 0.0, 12, 0.25)]
    public async Task FractionalUncertainty_HandCalculationWithScipysT(double confidence, double cv, int n, int p, double rho, int m, double f)
    {
        // The same hand calculation with t from scipy (independent of MathNet); the tolerance is that of the t (above).
        var t = await ScipyTppfAsync(1 - ((1 - confidence) / 2), n - p);
        var nPrime = n * (1 - rho) / (1 + rho);
        var expected = t * 1.26 * (cv / 100) * Math.Sqrt(n / nPrime * (1 + (2 / nPrime)) / m) / f;
        Near(expected, SavingsUncertainty.Fractional(confidence, cv, n, p, rho, m, f), 2e-11, "fractional uncertainty");
    }

    [Fact]
    public void FractionalUncertainty_NegativeAutocorrelationIsTakenAsZero()
    {
        // 90 %, CV 12 %, n = 120, p = 2, m = 60, F = 0.15, ρ = -0.2 → ρ = 0, n′ = n = 120:
        // U = t(0.95, 118) · 1.26 · 0.12 · √((120 / 120)(1 + 2 / 120) / 60) / 0.15
        var t = MathNetT(0.90, 118);
        Assert.InRange(t, 1.657, 1.659); // tables: t(0.95, 120) = 1.658
        var expected = t * 1.26 * 0.12 * Math.Sqrt(1 * (1 + (2.0 / 120)) / 60) / 0.15;

        Assert.Equal(120, SavingsUncertainty.EffectivePoints(120, -0.2));
        Near(expected, SavingsUncertainty.Fractional(0.90, 12, 120, 2, -0.2, 60, 0.15), 1e-12, "U with ρ < 0");
        Near(expected, SavingsUncertainty.Fractional(0.90, 12, 120, 2, 0, 60, 0.15), 1e-12, "U with ρ = 0");
        // A positive ρ widens it: ρ = 0.2 gives n′ = 120 · 0.8 / 1.2 = 80.
        var widened = t * 1.26 * 0.12 * Math.Sqrt(120.0 / 80 * (1 + (2.0 / 80)) / 60) / 0.15;
        Near(widened, SavingsUncertainty.Fractional(0.90, 12, 120, 2, 0.2, 60, 0.15), 1e-12, "U with ρ = 0.2");
        Assert.Null(SavingsUncertainty.Fractional(0.90, 12, 120, 2, 0, 60, 0));
        Assert.Null(SavingsUncertainty.Fractional(0.90, 12, 120, 2, 0, 0, 0.15));
    }

    [Fact]
    public void KnownSaving_IsRecoveredWithinItsUncertainty()
    {
        // Baseline: 120 days of energy = (2000 + 0.05·output) · (1 + N(0, 1 %)).
        // Reporting: 60 days of energy = 0.92 · (2000 + 0.05·output) · (1 + N(0, 1 %)), an 8 % saving.
        var noise = new Noise(2025);
        const int baselineDays = 120, reportingDays = 60;
        var baselineRows = new double[baselineDays][];
        var baseline = new double[baselineDays];
        for (var i = 0; i < baselineDays; i++)
        {
            var output = noise.Uniform(5_000, 20_000);
            baselineRows[i] = [output];
            baseline[i] = (2000 + (0.05 * output)) * (1 + noise.Normal(0.01));
        }
        var reportingRows = new double[reportingDays][];
        var reported = new double[reportingDays];
        for (var i = 0; i < reportingDays; i++)
        {
            var output = noise.Uniform(5_000, 20_000);
            reportingRows[i] = [output];
            reported[i] = 0.92 * (2000 + (0.05 * output)) * (1 + noise.Normal(0.01));
        }

        var fit = BaselineModel.Fit(ModelForm.Linear, baseline, ["output"], baselineRows);
        Assert.All(BaselineModel.Checks(fit, "day", reportingRows), c => Assert.True(c.Passed, $"{c.Key}: {c.Message}"));

        double adjustedBaseline = 0, actual = 0;
        for (var i = 0; i < reportingDays; i++)
        {
            adjustedBaseline += fit.Predict(reportingRows[i]);
            actual += reported[i];
        }
        var found = (adjustedBaseline - actual) / adjustedBaseline;
        var u90 = SavingsUncertainty.Fractional(0.90, fit.CvRmse, baselineDays, fit.Parameters, fit.Autocorrelation, reportingDays, found);

        Assert.NotNull(u90);
        Assert.True(u90 < 1, $"the savings ({found:P2}) do not exceed their 90 % uncertainty (±{u90:P1} of the savings)");
        Assert.True(Math.Abs(found - 0.08) <= u90.Value * found, $"found {found:P3}, expected 8 % ± {u90.Value * found:P3}");
    }
}
