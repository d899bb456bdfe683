using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace GreenLoop.Domain.Optimise.Verification;

/// <summary>One coefficient of a fitted model with its standard error, t statistic and two-sided p-value.</summary>
public sealed record Coefficient(string Name, double Estimate, double StandardError, double T, double P);

/// <summary>
/// An ordinary least-squares fit: coefficients, the statistics a reader of ASHRAE Guideline 14 and the DOE EnPI rules
/// expects, fitted values and residuals. <see cref="F"/> and <see cref="FP"/> are null for a model with only an intercept.
/// </summary>
public sealed record OlsResult(
    IReadOnlyList<Coefficient> Coefficients, int N, int P, double Sse, double Sst, double RSquared, double AdjustedRSquared,
    double? F, double? FP, double MeanY, IReadOnlyList<double> Fitted, IReadOnlyList<double> Residuals);

/// <summary>
/// Ordinary least squares through a QR decomposition (MathNet.Numerics; no normal equations, so badly scaled drivers
/// such as degree-days next to tonnes lose no precision). The covariance of the coefficients is s²(RᵀR)⁻¹ with
/// s² = SSE / (n - p); p-values come from the regularised incomplete beta function, which keeps their relative
/// precision far into the tail (1 - CDF would not).
/// </summary>
public static class Ols
{
    /// <summary>Fits y on an intercept and the given columns.</summary>
    public static OlsResult Fit(IReadOnlyList<double> y, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> columns)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(columns);
        var n = y.Count;
        var p = columns.Count + 1;
        if (n <= p) throw new ArgumentException($"{n} points cannot fit {p} coefficients; at least {p + 1} are needed");
        var x = Matrix<double>.Build.Dense(n, p, (i, j) => j == 0 ? 1.0 : columns[j - 1].Values[i]);
        var yv = Vector<double>.Build.DenseOfEnumerable(y);
        var qr = x.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        var r = qr.R;
        for (var j = 0; j < p; j++)
        {
            if (Math.Abs(r[j, j]) <= 1e-12 * Math.Max(1, Math.Abs(r[0, 0])))
                throw new ArgumentException(j == 0 ? "the data have no points" : $"driver '{columns[j - 1].Name}' is constant or a combination of the others (collinear)");
        }
        var beta = qr.Solve(yv);
        var fitted = x * beta;
        var residuals = yv - fitted;
        var sse = residuals.DotProduct(residuals);
        var mean = y.Average();
        var sst = y.Sum(v => (v - mean) * (v - mean));
        var dof = n - p;
        var s2 = sse / dof;
        var rInv = r.Inverse();
        var cov = rInv * rInv.Transpose() * s2;
        var coefficients = new List<Coefficient>(p);
        for (var j = 0; j < p; j++)
        {
            var se = Math.Sqrt(cov[j, j]);
            var t = beta[j] / se;
            coefficients.Add(new Coefficient(j == 0 ? "intercept" : columns[j - 1].Name, beta[j], se, t, TwoSidedP(t, dof)));
        }
        var r2 = sst > 0 ? 1 - (sse / sst) : 0;
        var adj = 1 - ((1 - r2) * (n - 1) / dof);
        double? f = null, fp = null;
        if (p > 1 && sse > 0)
        {
            var d1 = p - 1;
            f = (sst - sse) / d1 / s2;
            fp = FTail(f.Value, d1, dof);
        }
        return new OlsResult(coefficients, n, p, sse, sst, r2, adj, f, fp, mean, fitted.ToArray(), residuals.ToArray());
    }

    /// <summary>P(|T| ≥ |t|) for Student's t with <paramref name="dof"/> degrees of freedom.</summary>
    public static double TwoSidedP(double t, double dof) =>
        double.IsFinite(t) ? SpecialFunctions.BetaRegularized(dof / 2, 0.5, dof / (dof + (t * t))) : 0;

    /// <summary>P(F ≥ f) for Fisher's F with (d1, d2) degrees of freedom.</summary>
    public static double FTail(double f, double d1, double d2) =>
        double.IsFinite(f) ? SpecialFunctions.BetaRegularized(d2 / 2, d1 / 2, d2 / (d2 + (d1 * f))) : 0;

    /// <summary>The two-sided critical t value at a confidence level (0.68, 0.90, ...).</summary>
    public static double TCritical(double confidence, double dof) =>
        MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, dof, 1 - ((1 - confidence) / 2));

    /// <summary>Lag-1 autocorrelation of residuals: Σ e(t)e(t-1) / Σ e(t)².</summary>
    public static double Autocorrelation(IReadOnlyList<double> residuals)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        double num = 0, den = 0;
        for (var i = 0; i < residuals.Count; i++)
        {
            den += residuals[i] * residuals[i];
            if (i > 0) num += residuals[i] * residuals[i - 1];
        }
        return den > 0 ? num / den : 0;
    }
}
