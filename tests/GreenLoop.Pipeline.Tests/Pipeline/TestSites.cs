using GreenLoop.Domain.Model;

namespace GreenLoop.Pipeline.Tests.Pipeline;

/// <summary>Site documents shared by the pipeline tests.</summary>
internal static class TestSites
{
    public const string Shanghai = "Asia/Shanghai";
    public const string MainMeter = "plant.main.elec";
    public const string GasMeter = "plant.kiln.gas";
    public const string TempMeter = "plant.kiln.temp";

    /// <summary>
    /// A Shanghai plant with one meter of each kind: a cumulative main incomer (multiplier 2), a 15-minute
    /// period-ending gas meter and a kiln temperature gauge.
    /// </summary>
    public static SiteDefinition Plant(params MeterDefinition[] extraMeters) => new()
    {
        Key = "plant",
        Name = "Test plant",
        NameZh = "测试工厂",
        TimeZone = Shanghai,
        Industry = "ceramics",
        Nodes = [new NodeDefinition { Key = "kiln", Name = "Kiln workshop", NameZh = "窑炉车间" }],
        Meters =
        [
            new MeterDefinition { Key = MainMeter, Name = "Main incomer", NameZh = "总进线", Carrier = "electricity", Unit = "kWh", Kind = MeterKind.Cumulative, Multiplier = 2 },
            new MeterDefinition { Key = GasMeter, Name = "Kiln gas", Node = "kiln", Carrier = "natural_gas", Unit = "m3", Kind = MeterKind.Interval, IntervalMinutes = 15, Stamp = IntervalStamp.PeriodEnding },
            new MeterDefinition { Key = TempMeter, Name = "Kiln temperature", Node = "kiln", Quantity = MeterQuantity.ProcessVariable, Carrier = "kiln_temperature", Unit = "degC", Kind = MeterKind.Instantaneous },
            .. extraMeters,
        ],
    };
}
