using System.Globalization;
using System.Text;
using GreenLoop.Pipeline.Model.Accounting;

namespace GreenLoop.Pipeline.Cost;

/// <summary>
/// A month's electricity bill as CSV (RFC 4180): the energy lines by tariff version and band, the funds, then the
/// totals (energy charge, basic charge, power-factor adjustment, funds, total). UTF-8 with a byte-order mark, because
/// Excel reads a CSV without one in the machine's ANSI code page and garbles the Chinese labels. Numbers are written
/// in the invariant culture with every digit (round-trip), so a program reading the file back gets the bill's values.
/// </summary>
public static class ElectricityBillCsv
{
    /// <summary>MIME type of the file.</summary>
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>The header row: bilingual labels, units in the headers.</summary>
    public static readonly IReadOnlyList<string> Header =
        ["项目 Item", "电价版本生效日 Tariff version from", "时段 Band", "电量 Energy (kWh)", "电价 Price (¥/kWh)", "金额 Amount (¥)"];

    /// <summary>The CSV file's bytes, the UTF-8 byte-order mark first.</summary>
    public static byte[] Write(BillView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var b = view.Bill;
        var text = new StringBuilder();
        Line(text, Header);
        foreach (var l in b.Energy) Line(text, "电度电费 Energy charge", l.ValidFrom, ReportWorkbook.BandLabel(l.Band), Num(l.Kwh), Num(l.Price), Num(l.Amount));
        foreach (var s in b.Surcharges)
            Line(text, s.NameZh is { Length: > 0 } zh ? $"{zh} {s.Name}" : s.Name, "", "", Num(s.Kwh), Num(s.Price), Num(s.Amount));
        Line(text, "电度电费合计 Energy charge total", "", "", Num(b.Kwh), "", Num(b.EnergyCharge));
        Line(text, "基本电费 Basic charge", "", "", "", "", Num(b.Basic?.Amount ?? 0));
        Line(text, "力调电费 Power-factor adjustment", "", "", "", "", Num(b.PowerFactor?.Amount ?? 0));
        Line(text, "政府性基金及附加合计 Funds total", "", "", "", "", Num(b.Surcharges.Sum(s => s.Amount)));
        Line(text, "电费合计 Total", "", "", Num(b.Kwh), "", Num(b.Total));
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder text, params IReadOnlyList<string> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) text.Append(',');
            var cell = cells[i];
            // RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled.
            if (cell.AsSpan().IndexOfAny(",\"\r\n") >= 0) text.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            else text.Append(cell);
        }
        text.Append("\r\n");
    }
}
