namespace GreenLoop.Accounting;

/// <summary>
/// The Chinese form of the formulas and method names the calculators write: they are arithmetic with a few fixed
/// words, and these are the words (longest first, so a phrase is never split by a shorter one inside it).
/// </summary>
public static class FormulaText
{
    private static readonly (string En, string Zh)[] _phrases =
    [
        ("Σ (electricity − green certificates and contracts) × residual factor + Σ heat × factor", "Σ（外购电力 − 绿证及绿电合同）× 剩余排放因子 + Σ 外购热力 × 排放因子"),
        ("Σ purchased electricity × grid factor + Σ heat × factor", "Σ 外购电力 × 电网排放因子 + Σ 外购热力 × 排放因子"),
        ("E = Σ eᵢ × pᵢ − energy supplied outside (GB/T 2589-2020)", "E = Σ eᵢ × pᵢ − 向外输出的能源（GB/T 2589-2020）"),
        ("Chinese guideline (NCV × CC × OF × 44/12)", "国家温室气体核算指南方法（低位发热量 × 单位热值含碳量 × 碳氧化率 × 44/12）"),
        ("IPCC 2006 per-gas", "IPCC 2006 分气体方法"),
        ("no green certificates or contracts", "无绿证或绿电合同"),
        ("Σ combustion + Σ process", "Σ 燃烧排放 + Σ 过程排放"),
        ("Scope 1 + Scope 2 (location)", "范围一 + 范围二（基于位置）"),
        ("Scope 1 + Scope 2 (market)", "范围一 + 范围二（基于市场）"),
        ("Σ output meters", "Σ 产量计量表"),
        ("carbonate fraction", "碳酸盐含量"),
        ("calcined", "煅烧比例"),
        (" residual", " 剩余排放因子"),
        (" green:", " 绿电："),
    ];

    /// <summary>The formula or method name with its words in Chinese; numbers, units and symbols stay as they are.</summary>
    public static string Zh(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        foreach (var (en, zh) in _phrases) text = text.Replace(en, zh, StringComparison.Ordinal);
        return text;
    }
}
