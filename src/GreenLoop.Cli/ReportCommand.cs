using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GreenLoop.Accounting;
using GreenLoop.Pipeline;
using GreenLoop.Pipeline.Model.Accounting;

namespace GreenLoop.Cli;

/// <summary>
/// <c>greenloop report energy|carbon --site KEY --period 2025|2025-06 [--format table|json] [--xlsx FILE]</c>: the
/// energy report or the GHG inventory of a site and period from the local data directory, as a table, as the same JSON
/// the HTTP API answers, or as an Excel workbook.
/// </summary>
internal static class ReportCommand
{
    public const string Usage = """
        usage: greenloop report energy|carbon --site KEY --period 2025|2025-06 [--format table|json] [--xlsx FILE] [--data DIR]

          energy   comprehensive energy consumption (GB/T 2589-2020), unit-product energy, limit verdict
          carbon   GHG inventory: Scope 1 combustion and process, Scope 2 location- and market-based
          --format table (default) or json (the report as GET /api/v1/sites/KEY/reports/energy|carbon answers it)
          --xlsx   write the report as an Excel workbook; with --xlsx and no --format nothing else is printed but the file name
        """;

    /// <summary>The HTTP API's JSON (web defaults, enums as strings, nulls kept), indented.</summary>
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task<int> RunAsync(List<string> args, string? data, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Count > 0 && args[0] is "-h" or "--help")
        {
            await output.WriteLineAsync(Usage);
            return 0;
        }
        var site = CliApp.TakeOption(args, "--site");
        var period = CliApp.TakeOption(args, "--period");
        var format = CliApp.TakeOption(args, "--format");
        var xlsx = CliApp.TakeOption(args, "--xlsx");
        string? problem = null;
        if (args.Count == 0 || args[0] is not ("energy" or "carbon")) problem = "name the report: energy or carbon";
        else if (args.Count > 1) problem = $"unexpected '{args[1]}'";
        else if (string.IsNullOrWhiteSpace(site)) problem = "--site KEY is required";
        else if (string.IsNullOrWhiteSpace(period)) problem = "--period is required: a year (2025) or a month (2025-06)";
        else if (format is not (null or "table" or "json")) problem = $"--format must be table or json, not '{format}'";
        if (problem is not null)
        {
            await error.WriteLineAsync($"error: {problem}\n\n{Usage}");
            return 1;
        }

        await using var platform = await LocalPlatform.OpenAsync(data, ct, readOnly: true);
        try
        {
            object? report = args[0] == "energy"
                ? await platform.Accounting.EnergyAsync(platform.TenantId, site!, period!, ct)
                : await platform.Accounting.CarbonAsync(platform.TenantId, site!, period!, ct);
            if (report is null)
            {
                await error.WriteLineAsync($"error: no site '{site}'");
                return 2;
            }
            if (xlsx is not null)
            {
                var bytes = report is EnergyReport e ? ReportWorkbook.Energy(e) : ReportWorkbook.Carbon((CarbonReport)report);
                await File.WriteAllBytesAsync(xlsx, bytes, ct);
                if (format is null)
                {
                    await output.WriteLineAsync($"wrote {xlsx} ({bytes.Length:N0} bytes)");
                    return 0;
                }
            }
            if (format == "json") await output.WriteLineAsync(JsonSerializer.Serialize(report, report.GetType(), _json));
            else await output.WriteAsync(report is EnergyReport energy ? ReportTable.Energy(energy) : ReportTable.Carbon((CarbonReport)report));
            return 0;
        }
        catch (BadInputException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }
    }
}

/// <summary>Plain-text tables of the reports for a terminal; CJK characters count two columns wide.</summary>
internal static class ReportTable
{
    public static string Energy(EnergyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var a = report.Account;
        var sb = new StringBuilder();
        Head(sb, "能耗报告 Energy report (GB/T 2589-2020)", report.SiteName, report.Site, report.Period, report.DataSet, report.Completeness, report.UsesUnverified, a.Total.Estimated);
        var rows = new List<string[]> { new[] { "Carrier 品种", "Direction 方向", "Quantity 实物量", "Unit", "Coefficient 折标系数", "kgce 折标准煤", "Flags 标记" } };
        foreach (var line in a.Lines)
        {
            var act = line.Activity.FirstOrDefault();
            var c = line.Factors.FirstOrDefault();
            rows.Add([
                act?.Carrier ?? line.Label, line.Key.EndsWith(".export", StringComparison.Ordinal) ? "outside 外供(−)" : "consumed 消耗",
                N(act?.Quantity, "N2"), act?.Unit ?? "", c is null ? "" : $"{F(c.Value)} {c.Unit}", N(line.Value, "N2"), Flags(line)]);
        }
        Table(sb, rows, rightAligned: [2, 4, 5]);
        sb.AppendLine(Inv($"Total 综合能耗: {a.Total.Value:N2} kgce = {a.Total.Value / 1000:N3} tce"));
        if (a.Output is { } o) sb.AppendLine(Inv($"Output 合格产品产量: {o.Value:N2} {o.Unit}"));
        if (a.UnitEnergy is { } u) sb.AppendLine(Inv($"Unit-product energy 单位产品综合能耗: {u.Value:N4} {u.Unit}"));
        if (a.Verdict is { } v)
        {
            sb.AppendLine(Inv($"Limit 限额 {v.Standard} ({ReportWorkbook.ProductClass(v)}): L1 {F(v.Level1)} / L2 {F(v.Level2)} / L3 {F(v.Level3)} {v.Unit}{(v.Unverified ? " [UNVERIFIED]" : "")}"));
            sb.AppendLine(Inv($"Verdict 判定: {v.VerdictZh} / {v.Verdict}"));
        }
        foreach (var n in a.NotCounted) sb.AppendLine(Inv($"Not counted 未计入: {n.Carrier} {n.Quantity:N2} {n.Unit} — {n.Reason}"));
        Tail(sb, report.Lock, report.Adjustments);
        return sb.ToString();
    }

    public static string Carbon(CarbonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var inv = report.Inventory;
        var sb = new StringBuilder();
        Head(sb, "温室气体排放清单 GHG inventory", report.SiteName, report.Site, report.Period, report.DataSet, report.Completeness, report.UsesUnverified,
            inv.TotalLocation.Estimated || inv.TotalMarket.Estimated);
        sb.AppendLine(Inv($"Method 方法: {inv.Method}; GWP {inv.GwpSet}"));
        var rows = new List<string[]> { new[] { "Scope 范围", "ISO", "Source 排放源", "Carrier", "Basis 基准", "Activity 活动数据", "tCO2", "tCH4", "tN2O", "tCO2e", "Flags 标记" } };
        foreach (var l in inv.Lines.OrderBy(l => l.Scope).ThenBy(l => l.Source, StringComparer.Ordinal).ThenBy(l => l.Carrier, StringComparer.Ordinal).ThenBy(l => l.Basis, StringComparer.Ordinal))
        {
            var act = l.Figure.Activity.FirstOrDefault();
            rows.Add([
                Inv($"{l.Scope}"), Inv($"{l.IsoCategory}"), l.Source, l.Carrier, l.Basis ?? "", act is null ? "" : Inv($"{act.Quantity:N2} {act.Unit}"),
                N(l.Co2, "N3"), N(l.Ch4, "N6"), N(l.N2o, "N6"), N(l.Figure.Value, "N3"), Flags(l.Figure)]);
        }
        Table(sb, rows, rightAligned: [5, 6, 7, 8, 9]);
        sb.AppendLine(Inv($"Scope 1 范围一: {inv.Scope1.Value:N3} tCO2e"));
        sb.AppendLine(Inv($"Scope 2 范围二: location-based 基于位置 {inv.Scope2Location.Value:N3} tCO2e; market-based 基于市场 {inv.Scope2Market.Value:N3} tCO2e"));
        sb.AppendLine(Inv($"Total 合计: location-based {inv.TotalLocation.Value:N3} tCO2e; market-based {inv.TotalMarket.Value:N3} tCO2e"));
        if (inv.IntensityLocation is { } i) sb.AppendLine(Inv($"Intensity 碳排放强度 (location-based): {i.Value:N4} {i.Unit}"));
        foreach (var n in inv.NotCounted) sb.AppendLine(Inv($"Not counted 未计入: {n.Carrier} {n.Quantity:N2} {n.Unit} — {n.Reason}"));
        Tail(sb, report.Lock, report.Adjustments);
        return sb.ToString();
    }

    private static void Head(StringBuilder sb, string title, string siteName, string site, string period, string dataSet, double completeness, bool unverified, bool estimated)
    {
        sb.AppendLine(Inv($"{title} — {siteName} ({site}), {period}"));
        sb.AppendLine(Inv($"Reference data 参考数据集 {dataSet}; completeness 数据完整度 {completeness:P1}{(estimated ? " — contains estimated data 含估算数据" : "")}"));
        if (unverified) sb.AppendLine("WARNING 警告: uses UNVERIFIED reference values (flagged below); check their sources before filing");
        sb.AppendLine();
    }

    private static void Tail(StringBuilder sb, LockInfo? lockInfo, IReadOnlyList<Adjustment> adjustments)
    {
        sb.AppendLine(lockInfo is null ? "Lock 锁定: not locked 未锁定" : Inv($"Lock 锁定: locked {lockInfo.LockedAt} by {lockInfo.By}; the figures above are the locked ones"));
        foreach (var x in adjustments)
            sb.AppendLine(Inv($"Adjustment 调整 {x.Key}: locked {x.Locked:N3}, now {x.Current:N3}, difference {x.Difference:+#,##0.000;-#,##0.000;0} {x.Unit}"));
    }

    private static string Flags(Figure f)
    {
        var flags = new List<string>();
        if (f.UsesUnverified) flags.Add("UNVERIFIED");
        if (f.Estimated) flags.Add(Inv($"estimated 估算 ({f.Completeness:P1} measured)"));
        if (f.Factors.Any(x => x.Override is not null)) flags.Add("override 覆盖");
        return string.Join(", ", flags);
    }

    private static void Table(StringBuilder sb, List<string[]> rows, int[] rightAligned)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => Width(r[c]))).ToArray();
        for (var r = 0; r < rows.Count; r++)
        {
            var cells = rows[r].Select((text, c) =>
            {
                var pad = new string(' ', widths[c] - Width(text));
                return r > 0 && rightAligned.Contains(c) ? pad + text : text + pad;
            });
            sb.AppendLine(string.Join("  ", cells).TrimEnd());
            if (r == 0) sb.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        }
        sb.AppendLine();
    }

    /// <summary>Terminal columns: CJK ideographs and full-width forms take two.</summary>
    private static int Width(string s) => s.Sum(c => Wide(c) ? 2 : 1);

    private static bool Wide(char c) =>
        c is (>= '\u1100' and <= '\u115F') or (>= '\u2E80' and <= '\uA4CF') or (>= '\uAC00' and <= '\uD7A3') or (>= '\uF900' and <= '\uFAFF')
            or (>= '\uFE30' and <= '\uFE4F') or (>= '\uFF00' and <= '\uFF60') or (>= '\uFFE0' and <= '\uFFE6');

    private static string N(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "";

    private static string F(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
