using System.Text.RegularExpressions;

namespace GreenLoop.Domain.Derivation;

/// <summary>
/// The Chinese of the findings <see cref="Deriver"/> writes (stored in English, translated when read, so findings
/// stored before this existed read in Chinese too). A text no pattern knows stays as it is.
/// </summary>
public static partial class FindingText
{
    private static readonly (Regex Pattern, string Zh)[] _forms =
    [
        (Form(@"register (?<a>\S+) -> (?<b>\S+) \(old\), then from (?<c>\S+) \(new\)"), "表码 ${a} → ${b}（旧表），之后从 ${c} 起（新表）"),
        (Form(@"register restarts at (?<a>\S+); consumption before the event since (?<b>\S+) is unknown"), "表码从 ${a} 重新开始；事件前自 ${b} 起的用量未知"),
        (Form(@"register wrapped at (?<w>\S+): (?<a>\S+) -> (?<b>\S+)"), "表码在 ${w} 处溢出归零：${a} → ${b}"),
        (Form(@"reading (?<v>\S+) is below the previous (?<p>\S+) and the next (?<n>\S+) continues the register: a bad reading, skipped"), "读数 ${v} 低于前一读数 ${p}，而下一读数 ${n} 延续表码：判为坏读数，已跳过"),
        (Form(@"reading fell from (?<a>\S+) to (?<b>\S+) with no recorded replacement or reset; this span is not counted"), "读数从 ${a} 降至 ${b}，且无换表或复位记录；该时段不计入"),
        (Form(@"no reading for (?<d>.+?); (?<e>\S+) spread evenly over the gap \(estimated\)"), "${d}无读数；${e} 平均分摊到该缺口（估算）"),
        (Form(@"(?<e>\S+) in (?<d>.+?) is (?<r>\S+)/h, above the plausible (?<l>\S+)/h"), "${d}内 ${e}，即 ${r}/h，高于合理上限 ${l}/h"),
        (Form(@"(?<e>\S+) in (?<d>.+?) is above the plausible (?<l>\S+)/h"), "${d}内 ${e}，高于合理上限 ${l}/h"),
        (Form(@"no interval reading for (?<d>.+)"), "${d}无区间读数"),
        (Form(@"no sample for (?<d>.+)"), "${d}无采样"),
    ];

    private static Regex Form(string pattern) => new($"^{pattern}$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    /// <summary>The finding in Chinese, durations included ("1.5 h" -> "1.5 小时").</summary>
    public static string Zh(string? detail)
    {
        if (string.IsNullOrEmpty(detail)) return detail ?? "";
        foreach (var (pattern, zh) in _forms)
        {
            var match = pattern.Match(detail);
            if (!match.Success) continue;
            var text = pattern.Replace(detail, zh);
            return Duration().Replace(text, m => m.Groups[2].Value == "h" ? $"{m.Groups[1].Value} 小时" : $"{m.Groups[1].Value} 分钟");
        }
        return detail;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?) (h|min)(?![a-z])", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();
}
