using System.Globalization;
using GreenLoop.Domain.Optimise;
using GreenLoop.Pipeline.Optimise.Kpis;

namespace GreenLoop.Demo;

/// <summary>
/// The demo plant's cleaner-production KPI table (the typical table of a ceramics plant's audit: area, KPI, 2025
/// baseline, 2026 target, responsible departments), with the quantities its KPIs read recorded monthly for the
/// back-filled months. The 2025 baselines are entered (the demo has no 2025 data) and say so in their evidence.
/// </summary>
public static class DemoKpis
{
    private const string Evidence = "演示数据：演示工厂 2025 年清洁生产审核报告（示意，非真实工厂） Demo data: 2025 cleaner-production audit report of the demo plant (illustrative, not a real plant)";

    private static KpiDefinition From(string key, double baseline, KpiTarget target, string department, string person, KpiAggregation aggregation = KpiAggregation.Ratio)
    {
        var library = KpiLibrary.All.Single(k => k.Definition.Key == key).Definition;
        return library with
        {
            Aggregation = aggregation,
            Baseline = new KpiBaseline { Period = "2025", Value = baseline, Evidence = Evidence },
            Target = target,
            Owner = new KpiOwner { Department = department, Person = person },
        };
    }

    /// <summary>The KPIs: unit energy -5 %, reuse rate to 72 %, solid waste -10 %, COD 70 mg/L, green materials 25 %.</summary>
    public static IReadOnlyList<KpiDefinition> All { get; } =
    [
        From("unit-energy", 3.95, new KpiTarget { Period = "2026", ChangePercent = -5 }, "生产部、设备部 Production, Equipment", "王建国"),
        From("water-reuse-rate", 68, new KpiTarget { Period = "2026", Value = 72 }, "环安部、生产部 EHS, Production", "李娜"),
        From("solid-waste-rate", 0.50, new KpiTarget { Period = "2026", ChangePercent = -10 }, "生产部、工艺部 Production, Process", "陈伟"),
        From("wastewater-cod", 80, new KpiTarget { Period = "2026", Value = 70 }, "环安部 EHS", "李娜"),
        From("green-materials-share", 15, new KpiTarget { Period = "2026", Value = 25 }, "采购部 Purchasing", "赵敏"),
    ];

    /// <summary>
    /// The recorded quantities of the local months from <paramref name="first"/> to <paramref name="last"/>: solid
    /// waste (about 0.45 kg per m² of the plant's 30,000 m² a day), purchases (20 % certified green), and a COD lab
    /// result every week.
    /// </summary>
    public static IReadOnlyList<QuantityInput> Quantities(DateOnly first, DateOnly last)
    {
        var list = new List<QuantityInput>();
        // One record per month, for the part of it from first to last.
        for (var month = first; month <= last; month = new DateOnly(month.Year, month.Month, 1).AddMonths(1))
        {
            var monthEnd = new DateOnly(month.Year, month.Month, 1).AddMonths(1).AddDays(-1);
            var end = monthEnd < last ? monthEnd : last;
            var days = end.DayNumber - month.DayNumber + 1;
            string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var noise = (month.Month % 3) * 0.01;
            list.Add(new QuantityInput("waste.solid", null, Iso(month), Iso(end), Math.Round(30_000 * days * (0.45 + noise) / 1000, 1), "t", "演示：当月地磅单 Demo: weighbridge tickets of the month"));
            list.Add(new QuantityInput("purchase.total", null, Iso(month), Iso(end), Math.Round(1_500.0 * days, 0), "t", "演示：采购台账 Demo: purchase ledger"));
            list.Add(new QuantityInput("purchase.green", null, Iso(month), Iso(end), Math.Round(1_500.0 * days * (0.20 + noise), 0), "t", "演示：认证供应商 Demo: certified suppliers"));
            for (var day = month; day <= end; day = day.AddDays(7))
            {
                var week = day.AddDays(6) < end ? day.AddDays(6) : end;
                list.Add(new QuantityInput("lab.cod", null, Iso(day), Iso(week), 66 + (day.Day % 5) * 2.5, "mg/L", "演示：每周混合水样 Demo: weekly composite sample"));
            }
        }
        return list;
    }
}

/// <summary>The demo plant's finished quarterly review (of the latest full month, the last its data covers), with two actions (one done, one overdue).</summary>
public static class DemoReview
{
    /// <summary>The review of the month before <paramref name="today"/>, met on the 3rd of this month (or today, if earlier).</summary>
    public static GreenLoop.Pipeline.Optimise.Reviews.ReviewBody Review(DateOnly today)
    {
        var month = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var meeting = new DateOnly(today.Year, today.Month, Math.Min(3, today.Day));
        return new()
        {
            Title = $"{month.Year} 年第 {(month.Month - 1) / 3 + 1} 季度清洁生产评审 Q{(month.Month - 1) / 3 + 1} {month.Year} cleaner-production review (to {month:yyyy-MM})",
            MeetingDate = meeting.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Period = month.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            Cycle = "quarterly",
            Attendees = ["王建国", "李娜", "陈伟", "赵敏"],
            Findings =
            [
                new("unit-energy", "2号窑燃烧器空燃比偏高，单耗高于目标（演示） Kiln 2 burners ran rich; unit energy above target (demo)."),
                new("water-reuse-rate", "回用水泵密封渗漏，回用量下降（演示） The recycled-water pump seal leaks; reuse fell (demo)."),
            ],
            Decisions = ["调整2号窑燃烧器空燃比 Tune kiln 2 burner air ratio", "更换回用水泵密封 Replace the recycled-water pump seal"],
            Notes = "演示数据 Demo data",
        };
    }

    /// <summary>The review's actions: the burner tuning (done, with its before/after check) and the pump seal (overdue).</summary>
    public static IReadOnlyList<GreenLoop.Pipeline.Optimise.Reviews.ActionBody> Actions(DateOnly today)
    {
        var month = new DateOnly(today.Year, today.Month, 1);
        string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string Period(DateOnly d) => d.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return
        [
            new() { Title = "调整2号窑燃烧器空燃比 Tune kiln 2 burner air ratio", Owner = "陈伟", DueDate = Iso(today.AddDays(20)), Kpi = "unit-energy",
                BeforePeriod = Period(month.AddMonths(-2)), AfterPeriod = Period(month.AddMonths(-1)) },
            new() { Title = "更换回用水泵密封 Replace the recycled-water pump seal", Owner = "李娜", DueDate = Iso(today.AddDays(-3)), Kpi = "water-reuse-rate" },
        ];
    }
}
