namespace GreenLoop.Domain.Optimise;

/// <summary>The internal rate of return, or why there is none to give.</summary>
/// <param name="Rate">The rate (0.12 = 12 %) when exactly one exists in the searched range.</param>
/// <param name="Kind"><c>single</c>, <c>none</c> (NPV never crosses zero: e.g. the savings never repay the cost) or
/// <c>multiple</c> (the cash flows change sign more than once and NPV crosses zero more than once).</param>
/// <param name="SignChanges">Sign changes of the cash-flow series (Descartes' rule: at most that many positive roots).</param>
/// <param name="Rates">Every crossing found when there are several.</param>
public sealed record IrrResult(double? Rate, string Kind, int SignChanges, IReadOnlyList<double> Rates);

/// <summary>
/// The investment arithmetic of a project, written out so that a test can repeat it by hand. Cash flows are yearly,
/// index 0 the investment year (usually negative), index t the end of year t.
/// </summary>
public static class Economics
{
    /// <summary>ROI as the Chinese cleaner-production practice states it: annual total benefit / total investment × 100 %.</summary>
    public static double? Roi(double annualBenefit, double investment) => investment > 0 ? annualBenefit / investment * 100 : null;

    /// <summary>Simple payback in years: investment / annual net benefit; null when the benefit is not positive.</summary>
    public static double? SimplePayback(double investment, double annualNetBenefit) =>
        annualNetBenefit > 0 ? investment / annualNetBenefit : null;

    /// <summary>Net present value of yearly cash flows at <paramref name="rate"/> (flow t discounted by (1+r)^t).</summary>
    public static double Npv(double rate, IReadOnlyList<double> flows)
    {
        ArgumentNullException.ThrowIfNull(flows);
        if (rate <= -1) throw new ArgumentOutOfRangeException(nameof(rate), "the rate must be above -100 %");
        double npv = 0, factor = 1;
        for (var t = 0; t < flows.Count; t++)
        {
            npv += flows[t] / factor;
            factor *= 1 + rate;
        }
        return npv;
    }

    /// <summary>
    /// Discounted payback in years: the time at which the cumulative discounted cash flow first turns non-negative,
    /// interpolated linearly inside that year; null when it never does within the flows given.
    /// </summary>
    public static double? DiscountedPayback(double rate, IReadOnlyList<double> flows)
    {
        ArgumentNullException.ThrowIfNull(flows);
        double cumulative = 0, factor = 1;
        for (var t = 0; t < flows.Count; t++)
        {
            var discounted = flows[t] / factor;
            var before = cumulative;
            cumulative += discounted;
            if (t > 0 && before < 0 && cumulative >= 0) return t - 1 + (-before / discounted);
            if (t == 0 && cumulative >= 0) return 0;
            factor *= 1 + rate;
        }
        return null;
    }

    /// <summary>Sign changes in the cash flows, zeros skipped.</summary>
    public static int SignChanges(IReadOnlyList<double> flows)
    {
        ArgumentNullException.ThrowIfNull(flows);
        var changes = 0;
        var last = 0;
        foreach (var f in flows)
        {
            var s = Math.Sign(f);
            if (s == 0) continue;
            if (last != 0 && s != last) changes++;
            last = s;
        }
        return changes;
    }

    /// <summary>
    /// The IRR: NPV(r) = 0 searched on r in (-99 %, 1000 %] on a grid fine enough to see every crossing of a yearly
    /// series (2,000 log-spaced points), each crossing refined by bisection to 1e-12. One crossing gives the rate; none
    /// or several are reported as such, never as a number that is only one of several answers.
    /// </summary>
    public static IrrResult Irr(IReadOnlyList<double> flows)
    {
        ArgumentNullException.ThrowIfNull(flows);
        var changes = SignChanges(flows);
        if (changes == 0) return new IrrResult(null, "none", 0, []);
        // Grid on log(1 + r) from log(0.01) to log(11).
        const int points = 2000;
        double lo = Math.Log(0.01), hi = Math.Log(11);
        var roots = new List<double>();
        var prevRate = Math.Exp(lo) - 1;
        var prevNpv = Npv(prevRate, flows);
        for (var i = 1; i <= points; i++)
        {
            var rate = Math.Exp(lo + ((hi - lo) * i / points)) - 1;
            var npv = Npv(rate, flows);
            if (npv == 0) roots.Add(rate);
            else if (prevNpv != 0 && Math.Sign(npv) != Math.Sign(prevNpv)) roots.Add(Bisect(flows, prevRate, rate, prevNpv));
            (prevRate, prevNpv) = (rate, npv);
        }
        return roots.Count switch
        {
            0 => new IrrResult(null, "none", changes, []),
            1 => new IrrResult(roots[0], "single", changes, roots),
            _ => new IrrResult(null, "multiple", changes, roots),
        };
    }

    private static double Bisect(IReadOnlyList<double> flows, double a, double b, double npvA)
    {
        for (var i = 0; i < 200 && b - a > 1e-12; i++)
        {
            var m = (a + b) / 2;
            var npvM = Npv(m, flows);
            if (npvM == 0) return m;
            if (Math.Sign(npvM) == Math.Sign(npvA)) (a, npvA) = (m, npvM);
            else b = m;
        }
        return (a + b) / 2;
    }

    /// <summary>Capital recovery factor r(1+r)^n / ((1+r)^n - 1): the yearly payment that repays 1 over n years at r (1/n at r = 0).</summary>
    public static double CapitalRecoveryFactor(double rate, int years)
    {
        if (years <= 0) throw new ArgumentOutOfRangeException(nameof(years), "the life must be at least one year");
        if (rate == 0) return 1.0 / years;
        var g = Math.Pow(1 + rate, years);
        return rate * g / (g - 1);
    }

    /// <summary>
    /// Abatement cost in ¥ per tCO2e: (investment × CRF(rate, life) + yearly running cost - yearly savings) / tCO2e
    /// avoided per year. Negative means the measure saves money for each tonne avoided. Null without tonnes avoided.
    /// </summary>
    public static double? AbatementCost(double investment, double rate, int life, double annualCost, double annualSavings, double tonnesPerYear) =>
        tonnesPerYear > 0 ? ((investment * CapitalRecoveryFactor(rate, life)) + annualCost - annualSavings) / tonnesPerYear : null;

    /// <summary>The yearly flows of a measure: -investment in year 0, then the net benefit for each year of its life.</summary>
    public static double[] Flows(double investment, double annualNetBenefit, int life)
    {
        if (life <= 0) throw new ArgumentOutOfRangeException(nameof(life), "the life must be at least one year");
        var flows = new double[life + 1];
        flows[0] = -investment;
        for (var t = 1; t <= life; t++) flows[t] = annualNetBenefit;
        return flows;
    }
}
