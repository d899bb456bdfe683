using GreenLoop.Accounting;

namespace GreenLoop.Pipeline.Model.Accounting;

public static partial class ReportWorkbook
{
    private static readonly SheetColumn[] _sourceColumns =
    [
        new("范围 Scope", 10),
        new("ISO 14064-1 类别 Category", 16),
        new("排放源 Source", 30),
        new("能源/物料 Carrier", 20),
        new("基准 Basis", 22),
        new("活动数据 Activity", 18, XlStyle.Number2),
        new("活动数据单位 Activity unit", 12),
        new("CO2 (t)", 14, XlStyle.Number3),
        new("CH4 (t)", 12, XlStyle.Number3),
        new("N2O (t)", 12, XlStyle.Number3),
        new("排放量 Emissions (tCO2e)", 18, XlStyle.Number3),
        new("完整度 Completeness (%)", 14, XlStyle.Percent),
        new("标记 Flags", 28),
        new("计算式 Formula", 80),
    ];

    /// <summary>Writes the GHG inventory workbook: Summary, By source, Activity data, Factors used.</summary>
    public static void WriteCarbon(CarbonReport report, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(stream);
        var inv = report.Inventory;
        var figures = new List<Figure> { inv.TotalLocation, inv.TotalMarket };
        if (inv.IntensityLocation is { } intensity) figures.Add(intensity);

        var summary = new SheetBuilder(SummarySheet, _summaryColumns, filter: false);
        SummaryHead(summary, report.SiteName, report.Site, report.Period, "温室气体排放清单 GHG inventory (GHG Protocol scopes, ISO 14064-1:2018 categories)",
            report.DataSet, report.Completeness, report.UsesUnverified, inv.TotalLocation.Estimated || inv.TotalMarket.Estimated);
        summary.Row("核算方法 Combustion method", inv.MethodZh == inv.Method ? inv.Method : $"{inv.MethodZh}\n{inv.Method}");
        summary.Row("GWP 值 GWP set", inv.GwpSet, null, "IPCC assessment report of the global warming potentials (used by the per-gas method)");
        summary.Row("范围一 Scope 1 (direct)", new Styled(inv.Scope1.Value, XlStyle.Number3), "tCO2e", FormulaCell(inv.Scope1));
        summary.Row("范围二 Scope 2 (location-based)", new Styled(inv.Scope2Location.Value, XlStyle.Number3), "tCO2e", FormulaCell(inv.Scope2Location));
        summary.Row("范围二 Scope 2 (market-based)", new Styled(inv.Scope2Market.Value, XlStyle.Number3), "tCO2e", FormulaCell(inv.Scope2Market));
        summary.Row("ISO 14064-1 类别1 Category 1: direct emissions", new Styled(Category(inv, 1, null), XlStyle.Number3), "tCO2e", "combustion and process emissions (= Scope 1)");
        summary.Row("ISO 14064-1 类别2 Category 2: imported energy (location-based)", new Styled(Category(inv, 2, "market"), XlStyle.Number3), "tCO2e", "purchased electricity and heat");
        summary.Row("ISO 14064-1 类别2 Category 2: imported energy (market-based)", new Styled(Category(inv, 2, "location"), XlStyle.Number3), "tCO2e", "purchased electricity net of green certificates and contracts, and heat");
        summary.TotalRow("合计 Total (location-based)", new Styled(inv.TotalLocation.Value, XlStyle.BoldNumber3), "tCO2e", FormulaCell(inv.TotalLocation));
        summary.TotalRow("合计 Total (market-based)", new Styled(inv.TotalMarket.Value, XlStyle.BoldNumber3), "tCO2e", FormulaCell(inv.TotalMarket));
        if (inv.IntensityLocation is { } i)
        {
            var output = i.Parts.FirstOrDefault(p => p.Key == "output");
            if (output is not null) summary.Row("合格产品产量 Qualified output", new Styled(output.Value, XlStyle.Number2), output.Unit);
            summary.Row("碳排放强度 Carbon intensity (location-based)", new Styled(i.Value, XlStyle.Factor), i.Unit, FormulaCell(i));
        }
        SummaryTail(summary, report.Lock, report.Adjustments, inv.NotCounted);

        var bySource = new SheetBuilder(BySourceSheet, _sourceColumns);
        foreach (var l in inv.Lines.OrderBy(l => l.Scope).ThenBy(l => l.Source, StringComparer.Ordinal).ThenBy(l => l.Carrier, StringComparer.Ordinal).ThenBy(l => l.Basis, StringComparer.Ordinal))
        {
            var act = l.Figure.Activity.FirstOrDefault();
            bySource.Row(l.Scope, l.IsoCategory, SourceLabel(l.Source), CarrierCell(l.Carrier), BasisLabel(l.Basis), act?.Quantity, act?.Unit,
                l.Co2, l.Ch4, l.N2o, l.Figure.Value, l.Figure.Completeness, FlagCell(l.Figure), FormulaCell(l.Figure));
        }
        void Total(string label, Figure f) =>
            bySource.TotalRow(label, null, null, null, null, null, null, null, null, null, f.Value, f.Completeness, FlagCell(f), FormulaCell(f));
        Total("范围一合计 Scope 1 total", inv.Scope1);
        Total("范围二合计（基于位置）Scope 2 total, location-based", inv.Scope2Location);
        Total("范围二合计（基于市场）Scope 2 total, market-based", inv.Scope2Market);
        Total("总计（基于位置）Total, location-based", inv.TotalLocation);
        Total("总计（基于市场）Total, market-based", inv.TotalMarket);
        foreach (var n in inv.NotCounted)
        {
            bySource.Row(null, null, new Styled("未计入 Not counted", XlStyle.Warning), CarrierCell(n.Carrier), null, n.Quantity, n.Unit,
                null, null, null, null, null, new Styled("未计入 not counted", XlStyle.Warning), Reason(n));
        }

        Write(stream, $"{report.SiteName} — GHG inventory {report.Period}", [summary, bySource, ActivityData(figures), FactorsUsed(figures, null)]);
    }

    /// <summary>Sum of an ISO 14064-1 category, leaving out the Scope 2 lines of the other basis.</summary>
    private static double Category(GhgInventory inventory, int category, string? excludedBasis) =>
        inventory.Lines.Where(l => l.IsoCategory == category && (excludedBasis is null || l.Basis != excludedBasis)).Sum(l => l.Figure.Value);

    private static string SourceLabel(string source) => source switch
    {
        "combustion" => "化石燃料燃烧 Stationary combustion",
        "process" => "工业生产过程 Process (carbonates)",
        "electricity" => "外购电力 Purchased electricity",
        "heat" => "外购热力 Purchased heat",
        _ => source,
    };

    private static string? BasisLabel(string? basis) => basis switch
    {
        "location" => "基于位置 Location-based",
        "market" => "基于市场 Market-based",
        _ => basis,
    };
}
