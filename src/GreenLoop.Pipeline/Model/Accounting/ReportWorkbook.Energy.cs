using GreenLoop.Accounting;

namespace GreenLoop.Pipeline.Model.Accounting;

public static partial class ReportWorkbook
{
    private static readonly SheetColumn[] _carrierColumns =
    [
        new("能源品种 Carrier", 22),
        new("方向 Direction", 22),
        new("实物量 Quantity", 18, XlStyle.Number2),
        new("计量单位 Unit", 10),
        new("折标系数 Coefficient", 14, XlStyle.Factor),
        new("系数单位 Coefficient unit", 14),
        new("系数来源 Coefficient source", 60),
        new("系数年份 Year", 10),
        new("折标准煤 Standard coal (kgce)", 20, XlStyle.Number2),
        new("折标准煤 Standard coal (tce)", 18, XlStyle.Number3),
        new("占比 Share (%)", 12, XlStyle.Percent),
        new("完整度 Completeness (%)", 14, XlStyle.Percent),
        new("标记 Flags", 28),
        new("计算式 Formula", 60),
    ];

    /// <summary>Writes the energy workbook: Summary, By carrier, Activity data, Factors used.</summary>
    public static void WriteEnergy(EnergyReport report, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(stream);
        var a = report.Account;
        var figures = new List<Figure> { a.Total };
        if (a.Output is { } output) figures.Add(output);

        var summary = new SheetBuilder(SummarySheet, _summaryColumns, filter: false);
        SummaryHead(summary, report.SiteName, report.Site, report.Period, "综合能耗 Comprehensive energy consumption (GB/T 2589-2020)",
            report.DataSet, report.Completeness, report.UsesUnverified, a.Total.Estimated);
        summary.TotalRow("综合能耗 Comprehensive energy consumption", new Styled(a.Total.Value, XlStyle.BoldNumber2), "kgce", FormulaCell(a.Total));
        summary.TotalRow("综合能耗 Comprehensive energy consumption", new Styled(a.Total.Value / 1000, XlStyle.BoldNumber3), "tce", "1 tce = 1000 kgce");
        if (a.Output is { } o) summary.Row("合格产品产量 Qualified output", new Styled(o.Value, XlStyle.Number2), o.Unit, string.Join(", ", o.Activity.SelectMany(x => x.Meters)));
        if (a.UnitEnergy is { } u) summary.TotalRow("单位产品综合能耗 Unit-product energy consumption", new Styled(u.Value, XlStyle.Factor), u.Unit, FormulaCell(u));
        if (a.Verdict is { } v)
        {
            summary.Row("限额标准 Limit standard", v.Standard, null, ProductClass(v));
            summary.Row("1级 Level 1 (most efficient)", v.Level1, v.Unit);
            summary.Row("2级 Level 2", v.Level2, v.Unit);
            summary.Row("3级 Level 3 (mandatory limit)", v.Level3, v.Unit);
            var verdict = $"{v.VerdictZh} / {v.Verdict}";
            summary.Row("判定 Verdict", v.Level is null || v.Provisional ? new Styled(verdict, XlStyle.Warning) : new Styled(verdict, XlStyle.BoldText), null,
                v.Unverified ? new Styled("UNVERIFIED: the limit values are not yet verified against the standard's text", XlStyle.Warning) : $"{Num(v.Value)} {v.Unit}");
        }
        else
        {
            summary.Row("判定 Verdict", "—", null, a.Output is null ? "no product output metered" : "no limit class in the site's accounting profile");
        }
        SummaryTail(summary, report.Lock, report.Adjustments, a.NotCounted);

        var byCarrier = new SheetBuilder(ByCarrierSheet, _carrierColumns);
        var total = a.Total.Value;
        foreach (var line in a.Lines)
        {
            var act = line.Activity.FirstOrDefault();
            var coefficient = line.Factors.FirstOrDefault();
            var export = line.Key.EndsWith(".export", StringComparison.Ordinal);
            byCarrier.Row(act is null ? line.Label : CarrierCell(act.Carrier), export ? "外供（扣除）Supplied outside (deducted)" : "消耗 Consumed",
                act?.Quantity, act?.Unit, coefficient?.Value, coefficient?.Unit, SourceText(coefficient), coefficient?.Year,
                line.Value, line.Value / 1000, total == 0 ? null : line.Value / total, line.Completeness, FlagCell(line), FormulaCell(line));
        }
        byCarrier.TotalRow("合计 Total", null, null, null, null, null, null, null, total, total / 1000, total == 0 ? null : 1.0, a.Total.Completeness, FlagCell(a.Total), FormulaCell(a.Total));
        foreach (var n in a.NotCounted)
        {
            byCarrier.Row(CarrierCell(n.Carrier), "未计入 Not counted", n.Quantity, n.Unit, null, null, null, null, null, null, null, null,
                new Styled("未计入 not counted", XlStyle.Warning), Reason(n));
        }

        Write(stream, $"{report.SiteName} — energy {report.Period}", [summary, byCarrier, ActivityData(figures), FactorsUsed(figures, a.Verdict)]);
    }
}
