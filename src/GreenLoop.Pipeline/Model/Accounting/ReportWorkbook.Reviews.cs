using GreenLoop.Pipeline.Optimise.Reviews;

namespace GreenLoop.Pipeline.Model.Accounting;

public static partial class ReportWorkbook
{
    private static readonly SheetColumn[] _minutesColumns = [new("项目 Item", 28), new("内容 Content", 100)];

    private static readonly SheetColumn[] _frozenColumns =
    [
        new("指标 KPI", 34), new("期间 Period", 10), new("会时值 Value at the meeting", 18, XlStyle.Factor), new("单位 Unit", 12),
        new("目标 Target", 14, XlStyle.Factor), new("状态 Status", 14), new("预计 Projection", 14, XlStyle.Factor),
        new("现值 Value now", 16, XlStyle.Factor), new("调整 Adjustment", 14, XlStyle.Factor), new("原因分析 Analysis", 70),
    ];

    private static readonly SheetColumn[] _actionColumns =
    [
        new("编号 No.", 8), new("措施 Action", 40), new("责任人 Owner", 14), new("期限 Due", 12), new("状态 State", 14), new("逾期 Overdue", 10),
        new("指标 KPI", 18), new("改善前 Before", 14, XlStyle.Factor), new("改善后 After", 14, XlStyle.Factor), new("有效性 Effectiveness", 40), new("证据 Evidence", 50),
    ];

    private static string ActionStateLabel(ActionState s) => s switch
    {
        ActionState.Open => "未开始 Open",
        ActionState.InProgress => "进行中 In progress",
        ActionState.Done => "已完成 Done",
        _ => "已验证 Verified",
    };

    /// <summary>The minutes of a review as an .xlsx file: the meeting, the KPIs as frozen (and adjusted since), the actions.</summary>
    public static byte[] ReviewMinutes(ReviewView review, string siteName)
    {
        ArgumentNullException.ThrowIfNull(review);
        var r = review.Review;
        var meeting = new SheetBuilder("会议 Meeting", _minutesColumns, filter: false)
            .Row("站点 Site", $"{siteName} ({review.Site})")
            .Row("评审 Review", r.Title)
            .Row("会议日期 Meeting date", r.MeetingDate)
            .Row("评审期间 Period reviewed", r.Period)
            .Row("周期 Cycle", r.Cycle)
            .Row("状态 State", review.State == "held" ? $"已召开，指标值已冻结 Held, values frozen ({review.HeldAt} by {review.HeldBy})" : "草稿 Draft")
            .Row("参会人 Attendees", string.Join("、", r.Attendees));
        for (var i = 0; i < r.Decisions.Count; i++) meeting.Row($"决议 Decision {i + 1}", r.Decisions[i]);
        if (r.Notes is { Length: > 0 } notes) meeting.Row("备注 Notes", notes);
        var kpis = new SheetBuilder("指标 KPIs", _frozenColumns);
        foreach (var f in review.Frozen)
        {
            var adjustment = review.Adjustments.FirstOrDefault(a => a.Key == f.Key);
            kpis.Row(GreenLoop.Notifications.AlarmWording.Both(f.Name, f.NameZh), f.Period, f.Value, f.Unit, f.Target, StatusLabel(f.Status), f.Projection,
                adjustment is null ? f.Value : adjustment.Current, adjustment?.Difference,
                string.Join(" ", r.Findings.Where(x => x.Kpi == f.Key).Select(x => x.Analysis)));
        }
        var actions = new SheetBuilder("措施 Actions", _actionColumns);
        foreach (var a in review.Actions)
        {
            actions.Row(a.Id, a.Action.Title, a.Action.Owner, a.Action.DueDate, ActionStateLabel(a.State),
                a.Overdue ? new Styled("逾期 Overdue", XlStyle.Warning) : null, a.Action.Kpi, a.Effectiveness?.Before.Value, a.Effectiveness?.After.Value,
                a.Effectiveness is { } e ? $"{e.ReasonZh} / {e.Reason}" : null, a.Action.Evidence);
        }
        using var stream = new MemoryStream();
        Write(stream, $"{siteName} {r.Title} 评审纪要 Review minutes", [meeting, kpis, actions]);
        return stream.ToArray();
    }
}
