using GreenLoop.Pipeline.Optimise.Field;

namespace GreenLoop.Pipeline.Model.Accounting;

public static partial class ReportWorkbook
{
    private static readonly SheetColumn[] _complianceColumns =
    [
        new("周 Week (Mon)", 14), new("模板 Template", 24), new("应检 Due", 10, XlStyle.Number2), new("按时 On time", 12, XlStyle.Number2), new("迟检 Late", 10, XlStyle.Number2),
        new("漏检 Missed", 10, XlStyle.Number2), new("未到期/进行中 Open", 16, XlStyle.Number2), new("按时率 On-time rate", 16, XlStyle.Percent),
    ];

    private static readonly SheetColumn[] _failureColumns =
    [
        new("模板 Template", 24), new("检查项 Item", 20), new("检查次数 Answered", 16, XlStyle.Number2), new("不合格 Failed", 14, XlStyle.Number2), new("不合格率 Failure rate", 18, XlStyle.Percent),
    ];

    private static readonly SheetColumn[] _openWorkColumns =
    [
        new("节点 Node", 20), new("未完成工单 Open", 16, XlStyle.Number2), new("逾期 Overdue", 12, XlStyle.Number2), new("平均工龄（天） Mean age (d)", 22, XlStyle.Number2),
        new("最长工龄（天） Oldest (d)", 22, XlStyle.Number2),
    ];

    /// <summary>The field-work report as an .xlsx file: compliance per template and week, failure rates per item, open work by node, mean time to repair.</summary>
    public static byte[] Field(FieldReport report, string siteName)
    {
        ArgumentNullException.ThrowIfNull(report);
        var compliance = new SheetBuilder("巡检合规 Compliance", _complianceColumns);
        foreach (var r in report.Compliance) compliance.Row(r.Week, r.Template, r.Due, r.OnTime, r.Late, r.Missed, r.Open, r.OnTimeRate);
        var failures = new SheetBuilder("不合格率 Failure rates", _failureColumns);
        foreach (var r in report.Failures) failures.Row(r.Template, r.Item, r.Answered, r.Failed, r.Rate);
        var work = new SheetBuilder("未完成工单 Open work", _openWorkColumns);
        foreach (var r in report.OpenWork) work.Row(r.Node ?? "—", r.Open, r.Overdue, r.MeanAgeDays, r.OldestAgeDays);
        work.TotalRow("平均修复时间（小时） MTTR (h)", report.MttrHours, null, null, null);
        work.TotalRow("已修复工单 Work orders repaired", report.Repaired, null, null, null);
        using var stream = new MemoryStream();
        Write(stream, $"{siteName} 巡检与工单 Field work {report.From} – {report.To}", [compliance, failures, work]);
        return stream.ToArray();
    }
}
