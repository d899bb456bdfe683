using System.Text.RegularExpressions;

namespace GreenLoop.Accounting.Tests;

/// <summary>
/// The formulas and method names the calculators write read in Chinese in the Chinese UI and workbooks (issue 12,
/// item 21): every word of them is translated; numbers, units, symbols and standard numbers stay.
/// </summary>
public sealed partial class FormulaTextTests
{
    private static readonly ReferenceLibrary _library = ReferenceLibrary.Shipped;

    // What may stay in Latin letters in a Chinese formula: units, gases, standards and the IPCC.
    private static readonly HashSet<string> _kept = new(StringComparer.Ordinal)
    {
        "kgce", "kWh", "MWh", "GJ", "TJ", "MJ", "tC", "tCO2", "tCO2e", "kgCO2e", "kg", "t", "m3", "Nm3", "Nm", "GB", "T", "IPCC", "CO2", "CH4", "N2O",
        "E", "e", "p", "P", "h", "x", "GEC",
    };

    private static IEnumerable<Figure> Walk(Figure f) => new[] { f }.Concat(f.Parts.SelectMany(Walk));

    private static void AssertChinese(string zh, string en)
    {
        var words = LatinWord().Matches(zh).Select(m => m.Value).Where(w => !_kept.Contains(w)).ToList();
        Assert.True(words.Count == 0, $"'{zh}' (from '{en}') keeps English words: {string.Join(", ", words)}");
    }

    [Theory]
    [InlineData("cn-guideline")]
    [InlineData("ipcc")]
    public void GhgInventory_EveryFormulaAndTheMethod_ReadInChinese(string method)
    {
        var input = Given.Year(2023, new AccountingProfile { GridFactor = "CN.national", CombustionMethod = method },
            Given.Metered("electricity", 1_000_000, "kWh", "E-main"), Given.Metered("natural_gas", 250_000, "m3", "G-main"));

        var inventory = GhgCalculator.Compute(input, _library);

        var figures = new[] { inventory.TotalLocation, inventory.TotalMarket }.SelectMany(Walk).ToList();
        Assert.True(figures.Count >= 6, $"{figures.Count} figures");
        foreach (var f in figures) AssertChinese(f.FormulaZh, f.Formula);
        AssertChinese(inventory.MethodZh, inventory.Method);
        Assert.NotEqual(inventory.Method, inventory.MethodZh);
        Assert.Contains("范围一 + 范围二（基于位置）", inventory.TotalLocation.FormulaZh, StringComparison.Ordinal);
    }

    [Fact]
    public void EnergyReport_EveryFormula_ReadsInChinese()
    {
        var input = Given.Year(2023, new AccountingProfile(), Given.Metered("electricity", 1_000_000, "kWh", "E-main"));

        var report = EnergyCalculator.Compute(input, _library);

        foreach (var f in Walk(report.Total)) AssertChinese(f.FormulaZh, f.Formula);
        Assert.Equal("E = Σ eᵢ × pᵢ − 向外输出的能源（GB/T 2589-2020）", report.Total.FormulaZh);
    }

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9]*")]
    private static partial Regex LatinWord();
}
