namespace GreenLoop.Accounting;

/// <summary>Display names of the carrier keys GreenLoop documents, in English and Chinese; other keys show as themselves.</summary>
public static class CarrierNames
{
    private static readonly Dictionary<string, (string En, string Zh)> _names = new(StringComparer.Ordinal)
    {
        ["electricity"] = ("Grid electricity", "外购电力"),
        ["pv_electricity"] = ("On-site PV electricity", "自发光伏电力"),
        ["natural_gas"] = ("Natural gas", "天然气"),
        ["diesel"] = ("Diesel", "柴油"),
        ["raw_coal"] = ("Raw coal", "原煤"),
        ["lpg"] = ("LPG", "液化石油气"),
        ["steam"] = ("Steam", "蒸汽"),
        ["heat"] = ("Heat", "热力"),
        ["fresh_water"] = ("Fresh water", "新鲜水"),
        ["recycled_water"] = ("Recycled water", "回用水"),
        ["compressed_air"] = ("Compressed air", "压缩空气"),
        ["tile_output"] = ("Tile output", "瓷砖产量"),
        ["body_raw_material"] = ("Body raw material", "坯体原料"),
    };

    public static string En(string carrier) => _names.TryGetValue(carrier, out var n) ? n.En : carrier;

    public static string Zh(string carrier) => _names.TryGetValue(carrier, out var n) ? n.Zh : carrier;
}
