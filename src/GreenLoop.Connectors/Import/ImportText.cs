using System.Text.RegularExpressions;

namespace GreenLoop.Connectors.Import;

/// <summary>
/// The Chinese of the reasons and repairs an import reports (written in English by the importer and the ingest
/// checks, translated when shown, so the Import page reads in the user's language). A text no pattern knows stays as
/// it is. The page names its own controls; the command line's flags are given in brackets.
/// </summary>
public static class ImportText
{
    private static readonly (Regex Pattern, string Zh)[] _forms =
    [
        (Form("empty timestamp"), "时间为空"),
        (Form(@"cannot read '(?<t>.*)' as a timestamp; expected (?<e>.+)"), "无法把“${t}”读作时间；应为 ${e}"),
        (Form(@"(?<w>\S+ \S+) is before (?<d>\S+): readings before then are not accepted \(a zeroed or unset device clock\?\)"), "${w} 早于 ${d}：不接受此前的读数（设备时钟被清零或未设置？）"),
        (Form(@"(?<w>\S+ \S+) is more than a day ahead: readings from the future are not accepted \(a placeholder date or a wrong clock\?\)"), "${w} 超前一天以上：不接受未来的读数（占位日期或时钟错误？）"),
        (Form(@"midnight stamp quirk: (?<w>\S+ \S+) follows (?<p>\S+ \S+), so taken literally it lands 24 hours early; it is most likely (?<m>\S+ \S+), the end of the day's last interval\. .*"),
            "午夜时间戳问题：${w} 紧跟在 ${p} 之后，按字面理解会提前 24 小时；它很可能是 ${m}，即当天最后一个时段的结束。要把这类时间后移一天，请在导入页勾选“修复午夜时间戳”（命令行：--repair-midnight）后重新导入"),
        (Form(@"midnight stamp (?<w>\S+ \S+) \(after (?<p>\S+ \S+)\) moved one day forward to (?<m>\S+ \S+)"), "午夜时间戳 ${w}（在 ${p} 之后）后移一天为 ${m}"),
        (Form(@"the stamp has no UTC offset and no time zone was given \(.*\)"), "时间不带 UTC 偏移，且未指定时区：请在导入页选择“时区”（命令行：--tz，例如 Asia/Shanghai）"),
        (Form(@"local time (?<w>\S+ \S+) does not exist in (?<z>\S+) \(skipped by the daylight-saving change\)"), "当地时间 ${w} 在 ${z} 中不存在（夏令时切换跳过）"),
        (Form("empty meter key"), "计量表键名为空"),
        (Form(@"duplicate stamp in file \(row (?<r>\d+)\): (?<k>\S+) at (?<t>\S+) has (?<a>\S+) there and (?<b>\S+) here"), "文件内时间重复（第 ${r} 行）：${k} 在 ${t} 处那一行为 ${a}，这一行为 ${b}"),
        (Form("not a finite number"), "不是有限数值"),
        (Form("empty value; gaps are not zero"), "数值为空；缺测不等于零"),
        (Form(@"cannot read '(?<t>.*)' as a number \(decimal separator '(?<d>.)', no thousands separators\)"), "无法把“${t}”读作数值（小数点为“${d}”，不允许千位分隔符）"),
        (Form(@"'(?<t>.*)' is not a finite number"), "“${t}”不是有限数值"),
        (Form(@"missing column \(the row has (?<n>\d+) fields, this is column (?<c>\d+)\)"), "缺少列（该行只有 ${n} 个字段，此为第 ${c} 列）"),
        (Form(@"more than (?<n>\d+) fields"), "字段超过 ${n} 个"),
        (Form(@"unterminated quote \(a quoted line break is not supported\)"), "引号未闭合（不支持引号内换行）"),
        (Form(@"unknown meter '(?<m>.*)'; define it in a site document first, then replay the quarantine"), "未知计量表“${m}”：请先在站点文档中定义，再重放隔离区"),
        (Form(@"meter '(?<m>.*)' belongs to site '(?<s>.*)'; this API key may write to (?<o>.+) only"), "计量表“${m}”属于站点“${s}”；此 API 密钥只能写入 ${o}"),
        (Form(@"value must be a finite number \(NaN and infinities are refused\)"), "数值必须为有限数（拒绝 NaN 和无穷大）"),
        (Form(@"value (?<v>\S+) is larger than any meter shows \(at most (?<l>\S+) in magnitude\); check the register's scale and the payload"), "数值 ${v} 超出任何仪表的显示范围（绝对值最多 ${l}）；请检查寄存器倍率和数据内容"),
        (Form(@"value (?<v>\S+) is beyond what meter '(?<m>.*)' can show \(maxAbsValue (?<l>\S+) in its site document\); check the register's scale and the payload"), "数值 ${v} 超出计量表“${m}”的显示范围（站点文档中 maxAbsValue 为 ${l}）；请检查寄存器倍率和数据内容"),
        (Form(@"instant (?<t>\S+) is more than (?<h>\d+) h in the future; check the device clock and offset"), "时间 ${t} 超前 ${h} 小时以上；请检查设备时钟和时区偏移"),
        (Form(@"instant (?<t>\S+) is before (?<d>\S+); check the device clock"), "时间 ${t} 早于 ${d}；请检查设备时钟"),
        (Form(@"conflict: (?<v>\S+) is already stored for '(?<m>.*)' at (?<t>\S+); the stored reading is kept"), "冲突：计量表“${m}”在 ${t} 已存有 ${v}；保留已存读数"),
        (Form(@"negative reading (?<v>\S+) for cumulative register '(?<m>.*)': a register counts up from zero; check the sign and the register's scale"), "累计型计量表“${m}”的读数 ${v} 为负：表码从零向上累计；请检查符号和寄存器倍率"),
        (Form(@"negative consumption (?<v>\S+) for interval meter '(?<m>.*)'; export is metered by a meter with direction Export"), "区间型计量表“${m}”的用量 ${v} 为负；外送电量应由方向为“输出”的计量表计量"),
        (Form(@"the batch has two different values for '(?<m>.*)' at (?<t>\S+) \((?<a>\S+) and (?<b>\S+)\)"), "同一批次中计量表“${m}”在 ${t} 有两个不同数值（${a} 与 ${b}）"),
    ];

    private static Regex Form(string pattern) => new($"^{pattern}$", RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(100));

    /// <summary>The reason or repair in Chinese; the text itself when no pattern knows it.</summary>
    public static string Zh(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        foreach (var (pattern, zh) in _forms)
        {
            if (!pattern.IsMatch(text)) continue;
            // The expected stamp shapes: "ISO 8601 such as …", or the formats given joined by "or".
            return pattern.Replace(text, zh).Replace("ISO 8601 such as ", "ISO 8601 格式，例如 ", StringComparison.Ordinal)
                .Replace(" or ", " 或 ", StringComparison.Ordinal);
        }
        return text;
    }
}
