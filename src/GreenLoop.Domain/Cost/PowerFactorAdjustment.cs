using System.Globalization;

namespace GreenLoop.Domain.Cost;

/// <summary>
/// The power-factor adjustment of the electricity charge (力调电费) by 《功率因数调整电费办法》 ((83)水电财字第215号,
/// 水利电力部、国家物价局, 1983), for its three standards 0.90, 0.85 and 0.80. For the month's power factor (two
/// decimals, rounded half up) each table gives the percentage by which the basic + energy charges (not the government
/// funds) are raised (positive) or lowered (negative). The tables follow one rule per standard:
/// <list type="bullet">
/// <item>above the standard, lowered: 0.90 — 0.15 % per 0.01 to 0.94, 0.75 % from 0.95; 0.85 — 0.1 % per 0.01 to 0.90,
/// then 0.15 % per 0.01 to 1.10 % from 0.94; 0.80 — 0.1 % per 0.01 to 0.90, 1.15 % at 0.91, 1.30 % from 0.92;</item>
/// <item>below the standard, raised 0.5 % per 0.01 for twenty steps (to +10 %), then 1 % per 0.01 for five steps (to
/// +15 %), then 2 % for each further 0.01.</item>
/// </list>
/// The 0.90 and 0.85 tables were read row by row in secondary copies of the published tables (the 1983 text itself was
/// not read); the 0.80 table is the rule as a secondary source states it, not read as a table: UNVERIFIED.
/// </summary>
public static class PowerFactorAdjustment
{
    /// <summary>The standards the rules know, with whom each applies to (the 1983 rules' wording, summarised).</summary>
    public static readonly IReadOnlyList<(double Standard, string AppliesTo, string AppliesToZh)> Standards =
    [
        (0.90, "high-voltage industrial users above 160 kVA, users with voltage-regulating equipment, large power-drainage stations", "160 kVA 以上高压供电工业用户、装有带负荷调整电压装置的高压供电电力用户和 3200 kVA 及以上的高压供电电力排灌站"),
        (0.85, "other industrial users of 100 kVA (kW) and above, non-industrial users, 100 kVA and above power-drainage stations", "100 kVA（kW）及以上的其他工业用户、100 kVA（kW）及以上的非工业用户和电力排灌站"),
        (0.80, "agricultural users of 100 kVA (kW) and above, and wholesale-supply users", "100 kVA（kW）及以上的农业用户和趸售用户"),
    ];

    public const string Source = "《功率因数调整电费办法》(83)水电财字第215号 (水利电力部、国家物价局, 1983), 功率因数调整电费表 — read in secondary copies; the 0.80 table UNVERIFIED";

    /// <summary>Whether a standard's table was read row by row (0.90, 0.85) or only as a stated rule (0.80: UNVERIFIED).</summary>
    public static bool Verified(double standard) => Math.Round(standard, 2) is 0.90 or 0.85;

    /// <summary>The percentage for the month's power factor <paramref name="billed"/> (two decimals) under <paramref name="standard"/>.</summary>
    public static double Percent(double standard, double billed)
    {
        var s = StandardIndex(standard);
        var hundredths = (int)Math.Round(billed * 100, MidpointRounding.AwayFromZero);
        var std = (int)Math.Round(standard * 100, MidpointRounding.AwayFromZero);
        if (hundredths >= std) return -Reduction(s, hundredths - std);
        var below = std - hundredths;
        // +0.5 % per 0.01 for the first 20 steps, +1 % per 0.01 for the next 5, +2 % per 0.01 after that.
        if (below <= 20) return Math.Round(0.5 * below, 2);
        if (below <= 25) return 10 + (below - 20);
        return 15 + 2 * (below - 25);
    }

    private static int StandardIndex(double standard) => Math.Round(standard, 2) switch
    {
        0.90 => 0,
        0.85 => 1,
        0.80 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(standard), standard.ToString(CultureInfo.InvariantCulture), "the standard power factor is 0.90, 0.85 or 0.80"),
    };

    // The reduction (positive, %) for 0.01 · steps above the standard, by the table of each standard.
    private static readonly double[][] _reductions =
    [
        [0, 0.15, 0.30, 0.45, 0.60, 0.75],
        [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.65, 0.80, 0.95, 1.10],
        [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.15, 1.30],
    ];

    private static double Reduction(int standard, int above)
    {
        var table = _reductions[standard];
        return table[Math.Min(above, table.Length - 1)];
    }
}
