using System.Globalization;
using GreenLoop.Pipeline.Optimise.Projects;
using GreenLoop.Pipeline.Optimise.Verification;

namespace GreenLoop.Pipeline.Model.Accounting;

public static partial class ReportWorkbook
{
    private static readonly SheetColumn[] _coefficientColumns =
    [
        new("项 Term", 30), new("系数 Estimate", 18, XlStyle.Factor), new("标准误 Std. error", 18, XlStyle.Factor), new("t", 12, XlStyle.Factor),
        new("p 值 p-value", 14, XlStyle.Factor),
    ];

    private static readonly SheetColumn[] _checkColumns =
    [
        new("检验 Check", 20), new("结果 Result", 12), new("数值 Value", 14, XlStyle.Factor), new("限值 Limit", 36), new("说明 Detail", 70), new("依据 Standard", 50),
    ];

    private static readonly SheetColumn[] _savingsColumns =
    [
        new("周期 Period", 14), new("实际 Actual", 16, XlStyle.Number2), new("模型预测 Predicted", 16, XlStyle.Number2), new("非常规调整 Adjustment", 16, XlStyle.Number2),
        new("调整后基准 Adjusted baseline", 18, XlStyle.Number2), new("节能量 Savings", 16, XlStyle.Number2), new("累计 Cumulative", 16, XlStyle.Number2),
        new("±68 %", 14, XlStyle.Number2), new("±90 %", 14, XlStyle.Number2),
    ];

    private static readonly SheetColumn[] _economicsColumns = [new("项目 Item", 40), new("计划 Planned", 18, XlStyle.Number2), new("验证 Verified", 18, XlStyle.Number2), new("单位 Unit", 14)];

    /// <summary>
    /// A project's measurement and verification report as an .xlsx file, laid out as a GB/T 28750-style M&amp;V report:
    /// the measure and its boundary, the baseline model (data, coefficients, statistics, checks), the non-routine
    /// adjustments, the savings per period with their uncertainty, and the economics planned and verified.
    /// </summary>
    public static byte[] Verification(ProjectView project, ModelView? model, SavingsResult? savings, string siteName)
    {
        ArgumentNullException.ThrowIfNull(project);
        var ci = CultureInfo.InvariantCulture;
        var p = project.Project;
        var summary = new SheetBuilder("概况 Summary", _minutesColumns, filter: false)
            .Row("站点 Site", $"{siteName} ({project.Site})")
            .Row("项目 Project", GreenLoop.Notifications.AlarmWording.Both(p.Title, p.TitleZh))
            .Row("类别 Category", p.Category)
            .Row("负责人 Owner", p.Owner)
            .Row("状态 State", project.State.ToString())
            .Row("投运日期 Commissioned", p.CommissionDate ?? "");
        if (model is not null)
        {
            var s = model.Spec;
            summary.Row("测量边界 Boundary", $"{s.Subject} — IPMVP 选项 Option {model.Option} ({(model.Option == "B" ? "改造部位隔离测量 retrofit isolation, the measure's own meter" : "整体设施 whole facility, main meter")})")
                .Row("基准期 Baseline period", $"{s.BaselineFrom} .. {s.BaselineTo} ({s.Grain})")
                .Row("报告期 Reporting period", savings is null ? $"{s.ReportingFrom} .. {s.ReportingTo}" : $"{savings.From} .. {savings.To}")
                .Row("模型 Model", $"{s.Form}; 驱动变量 drivers: {(s.Drivers.Count == 0 ? "—" : string.Join(", ", s.Drivers))}")
                .Row("方法 Method", model.Result?.Method ?? "");
        }
        if (savings is not null)
        {
            summary.Row("可用 Usable", savings.Usable ? "是 Yes" : $"否 No — {savings.RefusalZh} / {savings.Refusal}");
            if (savings.Savings is { } total)
            {
                summary.Row("节能量 Savings", string.Create(ci, $"{total:0.##} {savings.Unit} ({savings.SavingsFraction * 100:0.##} % of the adjusted baseline {savings.AdjustedBaseline:0.##} {savings.Unit})"))
                    .Row("不确定度 Uncertainty", string.Create(ci, $"±{savings.Band68:0.##} {savings.Unit} (68 %, {savings.Uncertainty68 * 100:0.#} %), ±{savings.Band90:0.##} {savings.Unit} (90 %, {savings.Uncertainty90 * 100:0.#} %)"))
                    .Row("显著性 Significance", $"68 %: {(savings.Exceeds68 == true ? "节能量大于不确定度 savings exceed the uncertainty" : "不显著 not significant")}; 90 %: {(savings.Exceeds90 == true ? "节能量大于不确定度 savings exceed the uncertainty" : "不显著 not significant")}");
            }
            if (savings.Normalised is { Value: { } nv } n) summary.Row("标准化节能量 Normalised savings", string.Create(ci, $"{nv:0.##} {savings.Unit} ({n.Conditions})"));
            summary.Row("计算时间 Computed", savings.ComputedAt);
        }
        if (project.Verification is { } v) summary.Row("验证 Verified", string.Create(ci, $"{v.VerifiedAt} by {v.VerifiedBy}: {v.AnnualEnergy:0.##} {v.Unit}/a"));

        var sheets = new List<SheetBuilder> { summary };
        if (model?.Result is { } result)
        {
            var coefficients = new SheetBuilder("基准模型 Baseline model", _coefficientColumns);
            if (result.Fit is { } fit)
            {
                foreach (var c in fit.Ols.Coefficients) coefficients.Row(c.Name, c.Estimate, c.StandardError, c.T, c.P);
                for (var i = 0; i < fit.ChangePoints.Count; i++) coefficients.Row($"变点 Change point {i + 1}", fit.ChangePoints[i], null, null, null);
                coefficients.Row("n", fit.Ols.N, null, null, null).Row("参数 Parameters", fit.Parameters, null, null, null)
                    .Row("R²", fit.Ols.RSquared, null, null, null).Row("调整 R² Adjusted R²", fit.Ols.AdjustedRSquared, null, null, null)
                    .Row("F", fit.Ols.F, null, null, fit.Ols.FP).Row("CV(RMSE) %", fit.CvRmse, null, null, null).Row("NMBE %", fit.Nmbe, null, null, null)
                    .Row("残差自相关 ρ Residual autocorrelation", fit.Autocorrelation, null, null, null);
            }
            else
            {
                coefficients.Row(result.RefusalZh ?? "", null, null, null, null).Row(result.Refusal ?? "", null, null, null, null);
            }
            sheets.Add(coefficients);
            var checks = new SheetBuilder("检验 Checks", _checkColumns);
            foreach (var c in savings?.Checks ?? result.Checks)
                checks.Row(c.Key, c.Passed ? "通过 Pass" : new Styled("未通过 Fail", XlStyle.Warning), c.Value, c.Limit, $"{c.MessageZh} / {c.Message}", c.StandardZh is null ? c.Standard : $"{c.StandardZh} / {c.Standard}");
            sheets.Add(checks);
            var driverColumns = model.Spec.Drivers.Select(d => new SheetColumn(d, 16, XlStyle.Factor)).ToArray();
            var baseline = new SheetBuilder("基准期数据 Baseline data",
                [new("周期 Period", 14), new($"{model.Spec.Subject} ({result.Unit})", 18, XlStyle.Number2), .. driverColumns, new("完整度 Completeness", 14, XlStyle.Percent), new("剔除原因 Left out", 50)]);
            foreach (var d in result.Baseline)
                baseline.Row([d.Period, d.Y, .. d.Drivers.Cast<object?>(), d.Completeness, d.Excluded is null ? null : $"{d.ExcludedZh} / {d.Excluded}"]);
            sheets.Add(baseline);
            var adjustments = new SheetBuilder("非常规调整 Adjustments", [new("起 From", 12), new("止 To", 12), new($"每周期调整量 Per period ({result.Unit})", 20, XlStyle.Number2), new("原因 Reason", 60), new("记录人 By", 14), new("时间 At", 22)]);
            foreach (var a in model.Spec.Adjustments) adjustments.Row(a.From, a.To, a.Amount, a.Reason, a.By, a.At);
            sheets.Add(adjustments);
        }
        if (savings is not null)
        {
            var periods = new SheetBuilder($"节能量 Savings ({savings.Unit})", _savingsColumns);
            foreach (var s in savings.Periods) periods.Row(s.Period, s.Actual, s.Predicted, s.Adjustment, s.AdjustedBaseline, s.Savings, s.Cumulative, s.Band68, s.Band90);
            if (savings.Savings is { } total) periods.Row("合计 Total", savings.Actual, null, null, savings.AdjustedBaseline, total, total, savings.Band68, savings.Band90);
            sheets.Add(periods);
        }
        var economics = new SheetBuilder("经济性 Economics", _economicsColumns);
        var pl = project.Planned;
        var ve = project.Verified;
        economics.Row("总投资 Total investment", pl.Investment, ve?.Investment, "¥")
            .Row("年总收益 Annual total benefit", pl.AnnualBenefit, ve?.AnnualBenefit, "¥/a")
            .Row("年运行费用 Annual running cost", pl.AnnualRunningCost, ve?.AnnualRunningCost, "¥/a")
            .Row("年净收益 Annual net benefit", pl.AnnualNetBenefit, ve?.AnnualNetBenefit, "¥/a")
            .Row("投资收益率 ROI", pl.Roi, ve?.Roi, "%")
            .Row("静态回收期 Simple payback", pl.SimplePayback, ve?.SimplePayback, "a")
            .Row("动态回收期 Discounted payback", pl.DiscountedPayback, ve?.DiscountedPayback, "a")
            .Row(string.Create(ci, $"净现值 NPV ({p.DiscountRate * 100:0.##} %, {p.LifeYears} a)"), pl.Npv, ve?.Npv, "¥")
            .Row($"内部收益率 IRR ({pl.Irr.Kind}{(ve is null ? "" : $" / {ve.Irr.Kind}")})", pl.Irr.Rate * 100, ve?.Irr.Rate * 100, "%")
            .Row("年减排量 CO2e avoided", pl.TonnesPerYear, ve?.TonnesPerYear, "tCO2e/a")
            .Row("减排成本 Abatement cost", pl.AbatementCost, ve?.AbatementCost, "¥/tCO2e");
        sheets.Add(economics);
        using var stream = new MemoryStream();
        Write(stream, $"{siteName} {p.Title} 节能量测量与验证报告 M&V report", sheets);
        return stream.ToArray();
    }
}
