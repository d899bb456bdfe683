using System.Globalization;

using GreenLoop.Connectors.Import;

namespace GreenLoop.Cli.Import;

/// <summary>Prints an <see cref="ImportResult"/> for a person: counts, time span, sums per meter, and the first issues and repairs.</summary>
public static class ImportSummaryPrinter
{
    public static void Print(TextWriter output, ImportResult result, int maxListed = 20)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        var s = result.Summary;
        var inv = CultureInfo.InvariantCulture;
        if (result.Error is not null) output.WriteLine($"Import failed 导入失败: {result.Error}");

        Line("Rows read 读取行数", Count(s.RowsRead) + (s.BlankLines > 0 ? $" (+{Count(s.BlankLines)} blank lines 空行)" : ""));
        if (s.Values != s.RowsRead) Line("Values 数值", Count(s.Values));
        Line("Accepted 接受", Count(s.Accepted) + (s.Repaired > 0 ? $" (repaired 修复 {Count(s.Repaired)})" : ""));
        Line("Rejected 拒绝", Count(s.Rejected));
        if (s.DuplicatesInFile > 0) Line("Repeated rows 重复行", Count(s.DuplicatesInFile) + " (identical, counted once 相同，只计一次)");
        if (s.AlreadyStored > 0) Line("Already stored 已存在", Count(s.AlreadyStored));
        if (s.FirstInstant is { } first && s.LastInstant is { } last)
            Line("Time span 时间范围", $"{first.ToString("yyyy-MM-dd'T'HH:mm:sszzz", inv)} .. {last.ToString("yyyy-MM-dd'T'HH:mm:sszzz", inv)}");
        foreach (var (meter, sum) in s.SumByMeter.OrderBy(p => p.Key, StringComparer.Ordinal))
            Line("Sum 合计 " + meter, sum.ToString("#,0.###", inv));
        var seconds = s.Elapsed.TotalSeconds;
        Line("Elapsed 用时", seconds.ToString("0.00", inv) + " s" +
            (seconds > 0 ? $" ({(s.RowsRead / seconds).ToString("N0", inv)} rows/s)" : ""));

        List("Rejected 拒绝", result.Issues, i => $"row {i.Row} [{i.Field}]: {i.Reason} | {i.RawLine}");
        List("Repaired 修复", result.Repairs, r => $"row {r.Row} [{r.Field}]: {r.What}");
        List("Repeated 重复", result.Duplicates, d => $"row {d.Row} [{d.Field}]: same as row {d.FirstRow}");

        void Line(string label, string value) => output.WriteLine($"{label,-28} {value}");

        string Count(long n) => n.ToString("N0", inv);

        void List<T>(string title, IReadOnlyList<T> items, Func<T, string> describe)
        {
            if (items.Count == 0) return;
            var shown = Math.Min(items.Count, maxListed);
            output.WriteLine(shown < items.Count ? $"{title} ({Count(shown)} of {Count(items.Count)}):" : $"{title}:");
            for (var i = 0; i < shown; i++) output.WriteLine("  " + describe(items[i]));
        }
    }
}
