using GreenLoop.Domain.Model;

namespace GreenLoop.Testing;

/// <summary>Site documents shared by the pipeline and storage tests.</summary>
public static class TestSites
{
    public const string Shanghai = "Asia/Shanghai";
    public const string MainMeter = "plant.main.elec";
    public const string GasMeter = "plant.kiln.gas";
    public const string TempMeter = "plant.kiln.temp";
    public const string KilnElec = "plant.kiln.elec";

    /// <summary>
    /// A Shanghai plant with one meter of each kind: a cumulative main incomer (multiplier 2), a 15-minute
    /// period-ending gas meter and a kiln temperature gauge.
    /// </summary>
    public static SiteDefinition Plant(params MeterDefinition[] extraMeters) => Site("plant", [.. OneOfEachKind("plant"), .. extraMeters]);

    /// <summary>
    /// <see cref="Plant"/> under another key and meter prefix, with the kiln's electricity sub-meter <c>{prefix}.kiln.elec</c>
    /// (counted toward the kiln, not toward the site, whose electricity is the main incomer).
    /// </summary>
    public static SiteDefinition PlantWithKilnElec(string key = "plant", string meterPrefix = "plant") => Site(key,
    [
        .. OneOfEachKind(meterPrefix),
        new MeterDefinition { Key = meterPrefix + ".kiln.elec", Name = "Kiln electricity", Node = "kiln", Carrier = "electricity", Unit = "kWh", Kind = MeterKind.Cumulative, Parent = meterPrefix + ".main.elec" },
    ]);

    private static SiteDefinition Site(string key, MeterDefinition[] meters) => new()
    {
        Key = key,
        Name = "Test plant",
        NameZh = "测试工厂",
        TimeZone = Shanghai,
        Industry = "ceramics",
        Nodes = [new NodeDefinition { Key = "kiln", Name = "Kiln workshop", NameZh = "窑炉车间" }],
        Meters = meters,
    };

    private static MeterDefinition[] OneOfEachKind(string prefix) =>
    [
        new MeterDefinition { Key = prefix + ".main.elec", Name = "Main incomer", NameZh = "总进线", Carrier = "electricity", Unit = "kWh", Kind = MeterKind.Cumulative, Multiplier = 2 },
        new MeterDefinition { Key = prefix + ".kiln.gas", Name = "Kiln gas", Node = "kiln", Carrier = "natural_gas", Unit = "m3", Kind = MeterKind.Interval, IntervalMinutes = 15, Stamp = IntervalStamp.PeriodEnding },
        new MeterDefinition { Key = prefix + ".kiln.temp", Name = "Kiln temperature", Node = "kiln", Quantity = MeterQuantity.ProcessVariable, Carrier = "kiln_temperature", Unit = "degC", Kind = MeterKind.Instantaneous },
    ];
}
