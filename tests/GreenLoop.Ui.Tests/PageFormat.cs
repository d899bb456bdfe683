using System.Globalization;

namespace GreenLoop.Ui.Tests;

/// <summary>
/// How the pages write numbers (wwwroot/js/common.js: formatNumber, formatQuantity, formatPercent), for comparing
/// what a page shows with what the API answered. en and zh-CN write numbers alike: "1,280", "75.6", "99.2%".
/// </summary>
internal static class PageFormat
{
    private static readonly Dictionary<string, string> _unitLabels = new(StringComparer.Ordinal)
    {
        ["m3"] = "m³", ["m2"] = "m²", ["degC"] = "°C", ["mg/m3"] = "mg/m³", ["Nm3"] = "Nm³", ["m3/h"] = "m³/h", ["Nm3/h"] = "Nm³/h",
    };

    /// <summary>About four significant figures: no decimals from 1000, one from 100, two from 1, else three.</summary>
    public static string Number(double value)
    {
        var a = Math.Abs(value);
        var digits = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 3;
        return value.ToString("#,##0." + new string('#', digits), CultureInfo.InvariantCulture).TrimEnd('.');
    }

    public static string Quantity(double value, string unit) => $"{Number(value)} {_unitLabels.GetValueOrDefault(unit, unit)}";

    /// <summary>A 0..1 fraction with at most one decimal of percent.</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
