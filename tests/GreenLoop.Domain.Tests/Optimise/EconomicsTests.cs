using GreenLoop.Domain.Optimise;

namespace GreenLoop.Domain.Tests.Optimise;

/// <summary>
/// The investment arithmetic of a measure. Every expected value is worked out by hand in the test (the arithmetic is
/// written out, never copied from the code under test).
/// </summary>
public sealed class EconomicsTests
{
    private static void Near(double expected, double? actual, double relative, string what)
    {
        Assert.NotNull(actual);
        var tolerance = (relative * Math.Max(Math.Abs(expected), Math.Abs(actual.Value))) + 1e-300;
        Assert.True(Math.Abs(expected - actual.Value) <= tolerance, $"{what}: expected {expected:R}, got {actual.Value:R}");
    }

    [Fact]
    public void Npv_SmallSeriesAt8Percent_MatchesHandDiscounting()
    {
        double[] flows = [-1000, 300, 400, 500];
        // (1.08)^1 = 1.08, (1.08)^2 = 1.1664, (1.08)^3 = 1.259712
        // 300 / 1.08     = 277.777777...
        // 400 / 1.1664   = 342.935528...
        // 500 / 1.259712 = 396.916117...
        // NPV = -1000 + 277.777778 + 342.935528 + 396.916117 = 17.629423...
        var expected = -1000 + (300 / 1.08) + (400 / 1.1664) + (500 / 1.259712);
        Near(expected, Economics.Npv(0.08, flows), 1e-12, "NPV at 8 %");
        Assert.InRange(Economics.Npv(0.08, flows), 17.6294, 17.6295);

        // At 0 % the NPV is the plain sum: -1000 + 300 + 400 + 500 = 200.
        Assert.Equal(200, Economics.Npv(0, flows), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => Economics.Npv(-1, flows));
    }

    [Fact]
    public void Irr_ConventionalProject_IsTheRootOfNpvAndMatchesAnIndependentBisection()
    {
        // -1000 now, then 300 at the end of each of 5 years.
        var flows = Economics.Flows(1000, 300, 5);
        Assert.Equal([-1000, 300, 300, 300, 300, 300], flows);

        // Independent reference: NPV(r) = -1000 + 300 · (1 - (1 + r)^-5) / r (annuity formula, not a sum over the flows),
        // which falls with r; bisect it on [1 %, 100 %] until the interval is below 1e-14.
        static double AnnuityNpv(double r) => -1000 + (300 * (1 - Math.Pow(1 + r, -5)) / r);
        double lo = 0.01, hi = 1.0;
        Assert.True(AnnuityNpv(lo) > 0 && AnnuityNpv(hi) < 0);
        while (hi - lo > 1e-14)
        {
            var mid = (lo + hi) / 2;
            if (AnnuityNpv(mid) > 0) lo = mid;
            else hi = mid;
        }
        var reference = (lo + hi) / 2;
        // Textbook check: the 5-year annuity factor must be 1000 / 300 = 3.3333; tables give 3.3522 at 15 % and 3.2743 at
        // 16 %, so by linear interpolation r ≈ 15 % + (3.3522 - 3.3333) / (3.3522 - 3.2743) % = 15.24 %.
        Assert.InRange(reference, 0.1523, 0.1525);

        var irr = Economics.Irr(flows);
        Assert.Equal("single", irr.Kind);
        Assert.Equal(1, irr.SignChanges);
        Assert.NotNull(irr.Rate);
        Assert.Equal([irr.Rate.Value], irr.Rates);
        Assert.True(Math.Abs(irr.Rate.Value - reference) <= 1e-9, $"IRR {irr.Rate.Value:R} vs hand bisection {reference:R}");
        Assert.True(Math.Abs(Economics.Npv(irr.Rate.Value, flows)) <= 1e-6, "NPV at the IRR is not zero");
    }

    [Fact]
    public void Irr_AllPositiveFlows_IsNone()
    {
        var irr = Economics.Irr([100, 50, 50]);
        Assert.Equal("none", irr.Kind);
        Assert.Null(irr.Rate);
        Assert.Equal(0, irr.SignChanges);
        Assert.Empty(irr.Rates);
    }

    [Fact]
    public void Irr_SignChangesButNoCrossing_IsNone()
    {
        // -100, +50, -100: with x = 1 + r, NPV·x² = -100x² + 50x - 100. Its discriminant 50² - 4·100·100 = -37,500 < 0,
        // so NPV < 0 for every rate: two sign changes, no IRR.
        double[] flows = [-100, 50, -100];
        Assert.Equal(2, Economics.SignChanges(flows));
        var irr = Economics.Irr(flows);
        Assert.Equal("none", irr.Kind);
        Assert.Null(irr.Rate);
        Assert.Equal(2, irr.SignChanges);
        Assert.Empty(irr.Rates);
    }

    [Fact]
    public void Irr_TwoCrossings_IsMultipleWithBothRoots()
    {
        // -100, +230, -132: NPV·x² = -100x² + 230x - 132 = 0 with x = 1 + r
        // x = (230 ± √(230² - 4·100·132)) / 200 = (230 ± √(52,900 - 52,800)) / 200 = (230 ± 10) / 200 = 1.1 or 1.2
        // so r = 10 % and r = 20 %.
        double[] flows = [-100, 230, -132];
        var irr = Economics.Irr(flows);
        Assert.Equal("multiple", irr.Kind);
        Assert.Null(irr.Rate);
        Assert.Equal(2, irr.SignChanges);
        Assert.Equal(2, irr.Rates.Count);
        var rates = irr.Rates.Order().ToArray();
        Assert.True(Math.Abs(rates[0] - 0.10) <= 1e-9, $"first root {rates[0]:R}");
        Assert.True(Math.Abs(rates[1] - 0.20) <= 1e-9, $"second root {rates[1]:R}");
    }

    [Fact]
    public void SignChanges_SkipsZeros()
    {
        Assert.Equal(1, Economics.SignChanges([-100, 0, 0, 50]));
        Assert.Equal(0, Economics.SignChanges([0, 0]));
        Assert.Equal(3, Economics.SignChanges([-1, 0, 2, -3, 0, 4]));
    }

    [Fact]
    public void DiscountedPayback_InterpolatesInsideTheYearTheCumulativeTurns()
    {
        // -1000, then 500 a year for 4 years at 10 %:
        // year 1: 500 / 1.1   = 454.545454...  cumulative -545.454545...
        // year 2: 500 / 1.21  = 413.223140...  cumulative -132.231405...
        // year 3: 500 / 1.331 = 375.657400...  cumulative +243.425995...  -> turns in year 3
        // payback = 2 + 132.231405 / 375.657400 = 2 + 0.352000... = 2.352000...
        var beforeYear3 = -1000 + (500 / 1.1) + (500 / 1.21);
        var year3 = 500 / 1.331;
        var expected = 2 + (-beforeYear3 / year3);
        Near(expected, Economics.DiscountedPayback(0.10, Economics.Flows(1000, 500, 4)), 1e-12, "discounted payback");
        Assert.InRange(expected, 2.3519, 2.3521);

        // At 0 % it is the simple payback: 1000 / 500 = 2 years exactly (the cumulative reaches 0 at the end of year 2).
        Near(2.0, Economics.DiscountedPayback(0, Economics.Flows(1000, 500, 4)), 1e-15, "payback at 0 %");

        // -1000, then 400 a year for 3 years at 10 %: 363.64 + 330.58 + 300.53 = 994.74 < 1000, never repaid.
        Assert.Null(Economics.DiscountedPayback(0.10, Economics.Flows(1000, 400, 3)));
        // Nothing to repay: payback 0.
        Assert.Equal(0, Economics.DiscountedPayback(0.10, [0, 100]));
    }

    [Fact]
    public void SimplePayback_IsInvestmentOverAnnualNetBenefit()
    {
        // 1000 / 300 = 3.333... years
        Near(1000.0 / 300.0, Economics.SimplePayback(1000, 300), 1e-15, "simple payback");
        Assert.Null(Economics.SimplePayback(1000, 0));
        Assert.Null(Economics.SimplePayback(1000, -50));
    }

    [Fact]
    public void Roi_IsAnnualBenefitOverInvestmentInPercent()
    {
        // 250 / 1000 × 100 = 25 %
        Near(25, Economics.Roi(250, 1000), 1e-15, "ROI");
        // 80,000 / 320,000 × 100 = 25 %; negative benefit gives a negative ROI: -10 / 200 × 100 = -5 %
        Near(25, Economics.Roi(80_000, 320_000), 1e-15, "ROI");
        Near(-5, Economics.Roi(-10, 200), 1e-15, "negative ROI");
        Assert.Null(Economics.Roi(250, 0));
    }

    [Fact]
    public void CapitalRecoveryFactor_MatchesTheAnnuityFormula()
    {
        // (1.08)^10 by repeated multiplication = 2.158924997...
        var g = 1.0;
        for (var i = 0; i < 10; i++) g *= 1.08;
        Assert.InRange(g, 2.158924, 2.158926);
        // CRF = 0.08 · 2.158925 / (2.158925 - 1) = 0.172714 / 1.158925 = 0.149029...
        var crf = 0.08 * g / (g - 1);
        Assert.InRange(crf, 0.149029, 0.149030);
        Near(crf, Economics.CapitalRecoveryFactor(0.08, 10), 1e-13, "CRF(8 %, 10)");

        // At 0 % the payment is 1 / n.
        Near(0.2, Economics.CapitalRecoveryFactor(0, 5), 1e-15, "CRF(0, 5)");
        // One year: the principal plus one year's interest, 1 + r.
        Near(1.05, Economics.CapitalRecoveryFactor(0.05, 1), 1e-14, "CRF(5 %, 1)");
        Assert.Throws<ArgumentOutOfRangeException>(() => Economics.CapitalRecoveryFactor(0.08, 0));
    }

    [Fact]
    public void AbatementCost_AnnualisedCostPerTonne_PositiveAndNegative()
    {
        var g = 1.0;
        for (var i = 0; i < 10; i++) g *= 1.08;
        var crf = 0.08 * g / (g - 1); // 0.149029...

        // ¥100,000 over 10 years at 8 %: 100,000 × 0.149029 = 14,902.95 a year;
        // + 2,000 running cost - 10,000 savings = 6,902.95; / 50 t = 138.06 ¥/t.
        var costly = ((100_000 * crf) + 2_000 - 10_000) / 50;
        Assert.InRange(costly, 138.05, 138.07);
        Near(costly, Economics.AbatementCost(100_000, 0.08, 10, 2_000, 10_000, 50), 1e-13, "abatement cost");

        // Same measure saving ¥30,000 a year: (14,902.95 + 2,000 - 30,000) / 50 = -261.94 ¥/t (saves money per tonne).
        var paying = ((100_000 * crf) + 2_000 - 30_000) / 50;
        Assert.InRange(paying, -261.95, -261.93);
        var found = Economics.AbatementCost(100_000, 0.08, 10, 2_000, 30_000, 50);
        Near(paying, found, 1e-13, "negative abatement cost");
        Assert.True(found < 0);

        // At 0 %: 100,000 / 10 = 10,000 a year; (10,000 + 0 - 4,000) / 20 = 300 ¥/t.
        Near(300, Economics.AbatementCost(100_000, 0, 10, 0, 4_000, 20), 1e-15, "abatement at 0 %");
        Assert.Null(Economics.AbatementCost(100_000, 0.08, 10, 2_000, 10_000, 0));
    }
}
