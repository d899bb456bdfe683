using GreenLoop.Pipeline.Optimise.Kpis;

namespace GreenLoop.Pipeline.Model.Accounting;

public static partial class ReportWorkbook
{
    private static readonly SheetColumn[] _kpiColumns =
    [
        new("指标 KPI", 36),
        new("领域 Area", 14),
        new("单位 Unit", 12),
        new("方向 Better", 10),
        new("基准期 Baseline period", 12),
        new("基准值 Baseline", 16, XlStyle.Factor),
        new("目标期 Target period", 12),
        new("目标值 Target", 16, XlStyle.Factor),
        new("本期 Period", 10),
        new("本期值 Value", 16, XlStyle.Factor),
        new("完整度 Completeness (%)", 14, XlStyle.Percent),
        new("预计 Projection", 16, XlStyle.Factor),
        new("状态 Status", 14),
        new("说明 Note", 60),
        new("责任部门 Owner", 24),
        new("责任人 Person", 14),
        new("公式 Formula", 60),
    ];

    private static readonly SheetColumn[] _kpiTermColumns =
    [
        new("指标 KPI", 22),
        new("期间 Period", 10),
        new("项 Term", 40),
        new("数值 Value", 18, XlStyle.Factor),
        new("单位 Unit", 12),
        new("完整度 Completeness (%)", 14, XlStyle.Percent),
        new("来源 Source", 60),
        new("无值原因 No value because", 50),
    ];

    private static string StatusLabel(string status) => status switch
    {
        "onTrack" => "达标 On track",
        "atRisk" => "有风险 At risk",
        "offTrack" => "偏离 Off track",
        "noTarget" => "无目标 No target",
        _ => "无数值 No value",
    };

    private static string AreaLabel(GreenLoop.Domain.Optimise.KpiArea area) => area switch
    {
        GreenLoop.Domain.Optimise.KpiArea.Energy => "能源 Energy",
        GreenLoop.Domain.Optimise.KpiArea.Water => "水 Water",
        GreenLoop.Domain.Optimise.KpiArea.Waste => "固废 Waste",
        GreenLoop.Domain.Optimise.KpiArea.Materials => "物料 Materials",
        GreenLoop.Domain.Optimise.KpiArea.Emissions => "排放 Emissions",
        GreenLoop.Domain.Optimise.KpiArea.SupplyChain => "供应链 Supply chain",
        _ => "其他 Other",
    };

    /// <summary>The KPI board as an .xlsx file: one row per KPI, and every term behind each value.</summary>
    public static byte[] Kpis(KpiBoard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        var kpis = new SheetBuilder("指标 KPIs", _kpiColumns);
        var terms = new SheetBuilder("计算项 Terms", _kpiTermColumns);
        foreach (var row in board.Kpis)
        {
            var k = row.Kpi;
            kpis.Row(GreenLoop.Notifications.AlarmWording.Both(k.Name, k.NameZh), AreaLabel(k.Area), k.Unit,
                k.Direction == GreenLoop.Domain.Optimise.KpiDirection.Lower ? "越低越好 Lower" : "越高越好 Higher",
                row.Baseline?.Period, row.Baseline?.Value, row.Target?.Period, row.Target?.Value, row.Current.Period, row.Current.Value,
                row.Current.Value is null ? null : row.Current.Completeness, row.Status.Projection,
                row.Status.Status is "offTrack" or "noValue" ? new Styled(StatusLabel(row.Status.Status), XlStyle.Warning) : StatusLabel(row.Status.Status),
                row.Current.Value is null ? $"{row.Current.ReasonZh} / {row.Current.Reason}" : $"{row.Status.ReasonZh} / {row.Status.Reason}",
                k.Owner?.Department, k.Owner?.Person, k.Formula);
            foreach (var t in row.Current.Terms)
                terms.Row(k.Key, row.Current.Period, t.Call, t.Value, t.Unit, t.Value is null ? null : t.Completeness, $"{t.SourceZh} / {t.Source}",
                    t.Reason is null ? null : $"{t.ReasonZh} / {t.Reason}");
        }
        using var stream = new MemoryStream();
        Write(stream, $"{board.SiteNameZh ?? board.SiteName} 清洁生产指标 KPIs {board.Period}", [kpis, terms]);
        return stream.ToArray();
    }
}
