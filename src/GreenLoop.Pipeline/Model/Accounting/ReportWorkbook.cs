using System.Globalization;
using GreenLoop.Accounting;

namespace GreenLoop.Pipeline.Model.Accounting;

/// <summary>
/// The energy report and the GHG inventory as Excel workbooks laid out the way a carbon accountant files them: a
/// summary, the figures by carrier or by source, the activity data and the factors used (with source, year,
/// UNVERIFIED flag and any site override). Headers are Chinese and English with units in the header; numbers are
/// numeric cells (kgce, tce, tCO2e as computed, unrounded; the format only shows fewer digits); completeness and
/// shares are fractions shown as percentages. The header row is frozen.
/// </summary>
public static partial class ReportWorkbook
{
    /// <summary>MIME type of an .xlsx file.</summary>
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Sheet names, shared by both workbooks where they mean the same thing.</summary>
    public const string SummarySheet = "汇总 Summary";
    public const string ByCarrierSheet = "分品种 By carrier";
    public const string BySourceSheet = "分排放源 By source";
    public const string ActivitySheet = "活动数据 Activity data";
    public const string FactorsSheet = "所用因子 Factors used";

    /// <summary>A file name like <c>demo-carbon-2026-10.xlsx</c>; <paramref name="kind"/> is <c>energy</c> or <c>carbon</c>.</summary>
    public static string FileName(string site, string kind, string period) => $"{Safe(site)}-{kind}-{period}.xlsx";

    /// <summary>A site key as part of a file name: letters, digits, '-', '_' and '.' kept, anything else '_'.</summary>
    private static string Safe(string site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return new string(site.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
    }

    /// <summary>The energy report as an .xlsx file.</summary>
    public static byte[] Energy(EnergyReport report)
    {
        using var stream = new MemoryStream();
        WriteEnergy(report, stream);
        return stream.ToArray();
    }

    /// <summary>The GHG inventory as an .xlsx file.</summary>
    public static byte[] Carbon(CarbonReport report)
    {
        using var stream = new MemoryStream();
        WriteCarbon(report, stream);
        return stream.ToArray();
    }

    private static readonly SheetColumn[] _summaryColumns =
    [
        new("项目 Item", 44),
        new("数值 Value", 22, XlStyle.Factor),
        new("单位 Unit", 16),
        new("说明 Note", 90),
    ];

    /// <summary>Rows every summary starts with: site, period, data set, completeness and warnings.</summary>
    private static void SummaryHead(SheetBuilder s, string siteName, string site, string period, string report, string dataSet, double completeness, bool unverified, bool estimated)
    {
        s.Row("工厂 Site", $"{siteName} ({site})");
        s.Row("报告期 Period", period);
        s.Row("报告 Report", report);
        s.Row("参考数据集版本 Reference data set", dataSet, null, "every factor's source and year: sheet " + FactorsSheet);
        s.Row("数据完整度 Data completeness", new Styled(completeness, XlStyle.Percent), "%",
            estimated ? new Styled("含估算数据 Contains estimated data: part of the period is not measured (see " + ActivitySheet + ")", XlStyle.Warning) : "全部实测 Fully measured");
        s.Row("待核实因子 UNVERIFIED factors", unverified ? new Styled("是 Yes", XlStyle.Warning) : "否 No", null,
            unverified ? new Styled("UNVERIFIED: 报告使用了未经核实的参考值，提交前请核对来源 The report uses reference values not yet verified against their source; check them (" + FactorsSheet + ") before filing", XlStyle.Warning) : null);
    }

    /// <summary>Rows every summary ends with: lock status, adjustments, carriers not counted.</summary>
    private static void SummaryTail(SheetBuilder s, LockInfo? lockInfo, IReadOnlyList<Adjustment> adjustments, IReadOnlyList<NotCounted> notCounted)
    {
        s.Row("锁定状态 Lock status", lockInfo is null ? "未锁定 Not locked" : "已锁定 Locked", null,
            lockInfo is null ? "figures follow the data as it arrives" : $"locked {lockInfo.LockedAt} by {lockInfo.By}; the figures above are the locked ones");
        foreach (var a in adjustments)
        {
            s.Row(new Styled($"调整 Adjustment: {a.Key}", XlStyle.Warning), new Styled(a.Difference, XlStyle.Number3), a.Unit,
                $"data arrived after the lock: locked {Num(a.Locked)}, now {Num(a.Current)} {a.Unit}; the locked figure stands");
        }
        foreach (var n in notCounted)
            s.Row(new Styled($"未计入 Not counted: {CarrierCell(n.Carrier)}", XlStyle.Warning), new Styled(n.Quantity, XlStyle.Number2), n.Unit, Reason(n));
    }

    private static readonly SheetColumn[] _activityColumns =
    [
        new("能源/物料 Carrier", 22),
        new("计量表 Meters", 40),
        new("期间 Period", 12),
        new("数量 Quantity", 18, XlStyle.Number2),
        new("单位 Unit", 10),
        new("完整度 Completeness (%)", 16, XlStyle.Percent),
        new("估算 Estimated", 14),
    ];

    private static SheetBuilder ActivityData(IEnumerable<Figure> figures)
    {
        var sheet = new SheetBuilder(ActivitySheet, _activityColumns);
        var seen = new HashSet<(string, string, double, double, string)>();
        foreach (var a in Walk(figures).SelectMany(f => f.Activity))
        {
            if (!seen.Add((a.Carrier, a.Unit, a.Quantity, a.Completeness, a.Period))) continue;
            var estimated = a.Completeness < 1 - 1e-9;
            sheet.Row(CarrierCell(a.Carrier), string.Join(", ", a.Meters), a.Period, a.Quantity, a.Unit, a.Completeness,
                estimated ? new Styled("是 Yes", XlStyle.Warning) : "否 No");
        }
        return sheet;
    }

    private static readonly SheetColumn[] _factorColumns =
    [
        new("因子 Factor ID", 40),
        new("名称 Name (中文)", 30),
        new("名称 Name (English)", 36),
        new("数值 Value", 14, XlStyle.Factor),
        new("单位 Unit", 16),
        new("来源 Source", 80),
        new("年份 Year", 8),
        new("待核实 UNVERIFIED", 14),
        new("覆盖原因 Override reason", 36),
        new("覆盖人 Override by", 16),
        new("覆盖时间 Override at", 22),
        new("数据集 Data set", 12),
    ];

    /// <summary>A figure's formula in both languages (one when its words need no translation).</summary>
    internal static string FormulaCell(Figure f) => f.FormulaZh == f.Formula ? f.Formula : $"{f.FormulaZh}\n{f.Formula}";

    /// <summary>The standard or publication of a factor in both languages (one when they are the same).</summary>
    internal static string? SourceText(FactorUse? f) =>
        f is null ? null : f.SourceZh is { Length: > 0 } zh && zh != f.Source ? $"{zh} / {f.Source}" : f.Source;

    private static SheetBuilder FactorsUsed(IEnumerable<Figure> figures, LimitVerdict? verdict)
    {
        var sheet = new SheetBuilder(FactorsSheet, _factorColumns);
        foreach (var f in Walk(figures).SelectMany(f => f.Factors).DistinctBy(f => (f.Id, f.Value, f.Year, f.Override?.At)).OrderBy(f => f.Id, StringComparer.Ordinal))
        {
            sheet.Row(f.Id, f.NameZh, f.Name, f.Value, f.Unit, SourceText(f), f.Year,
                f.Unverified ? new Styled("UNVERIFIED", XlStyle.Warning) : null,
                f.Override?.Reason, f.Override?.By, f.Override?.At.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), f.LibraryVersion);
        }
        if (verdict is not null)
        {
            var levels = new[] { (1, verdict.Level1), (2, verdict.Level2), (3, verdict.Level3) };
            var productClass = ProductClass(verdict);
            foreach (var (level, value) in levels)
            {
                sheet.Row($"energy_limit/{verdict.Standard} L{level}", $"{verdict.Standard} {level}级", $"{productClass}, level {level}",
                    value, verdict.Unit, verdict.Standard, null, verdict.Unverified ? new Styled("UNVERIFIED", XlStyle.Warning) : null);
            }
        }
        return sheet;
    }

    /// <summary>The figures and every figure they are made of, depth first.</summary>
    private static IEnumerable<Figure> Walk(IEnumerable<Figure> figures)
    {
        foreach (var f in figures)
        {
            yield return f;
            foreach (var p in Walk(f.Parts)) yield return p;
        }
    }

    private static string Flags(Figure f)
    {
        var flags = new List<string>();
        if (f.UsesUnverified) flags.Add("UNVERIFIED");
        if (f.Estimated) flags.Add("估算 estimated");
        if (Walk([f]).SelectMany(x => x.Factors).Any(x => x.Override is not null)) flags.Add("覆盖 override");
        return string.Join("; ", flags);
    }

    private static object? FlagCell(Figure f) => Flags(f) is { Length: > 0 } text ? new Styled(text, XlStyle.Warning) : null;

    /// <summary>The product class of a limit verdict, without the "level 1" its level-1 row's name ends with.</summary>
    /// <summary>A carrier as a workbook shows it: its names in both languages and its key, "天然气 Natural gas (natural_gas)".</summary>
    public static string CarrierCell(string? carrier) =>
        carrier is null ? "" : CarrierNames.Zh(carrier) == carrier ? carrier : $"{CarrierNames.Zh(carrier)} {CarrierNames.En(carrier)} ({carrier})";

    /// <summary>Why a carrier was not counted, Chinese first: "中文 / English".</summary>
    public static string Reason(NotCounted n)
    {
        ArgumentNullException.ThrowIfNull(n);
        return n.ReasonZh is { } zh ? $"{zh} / {n.Reason}" : n.Reason;
    }

    /// <summary>The product class as the workbook names it: the standard's Chinese name, then the English one.</summary>
    public static string ProductClass(LimitVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var en = verdict.ProductClass.EndsWith(" level 1", StringComparison.Ordinal) ? verdict.ProductClass[..^" level 1".Length] : verdict.ProductClass;
        var zh = verdict.ProductClassZh is { } z && z.EndsWith(" 1级", StringComparison.Ordinal) ? z[..^" 1级".Length] : verdict.ProductClassZh;
        return zh is null ? en : $"{zh} / {en}";
    }

    private static string Num(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
}
