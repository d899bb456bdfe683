using GreenLoop.Accounting;
using GreenLoop.Domain.Model;
using static GreenLoop.Demo.DemoMeterKeys;

namespace GreenLoop.Demo;

/// <summary>The demo plant's site document.</summary>
/// <remarks>
/// How the meters add up (the roll-up rule itself belongs to the pipeline):
/// <list type="bullet">
/// <item>Each main meter (electricity incomer, gas main, fresh water) sits at the site itself (<c>Node</c> null) with
/// role <c>Counted</c>: the site's total per carrier is its counted meters only.</item>
/// <item>Each workshop's electricity and gas meter has role <c>Counted</c>, <c>Parent</c> = the main meter (for balance
/// and losses) and <c>Node</c> = its workshop. The roll-up counts a meter toward a node unless its parent meter already
/// counts there: so the site total is the main meter and each workshop total is its own meter, nothing twice.</item>
/// <item>The electricity feeders sum to the incomer minus about 3 % transformer and cable losses; the gas sub-meters to
/// the gas main minus 0.8 % (unmetered small users and meter tolerance).</item>
/// <item>Rooftop PV is its own carrier <c>pv_electricity</c>, direction Import, counted at the <c>pv</c> node. Not
/// <c>electricity</c> with direction Export: all of it is consumed on site, none is exported, and netting it against
/// grid import would hide both figures. Kept apart, <c>electricity</c> stays the grid import (the bill and Scope 2) and
/// the site's consumption is <c>electricity</c> + <c>pv_electricity</c>. The inverters feed the polishing workshop's
/// 0.4 kV bus, so the polishing feeder meter reads the workshop's load net of PV, and the <c>pv</c> node sits under
/// <c>polish</c>: that workshop's subtree holds both halves of its supply, and the feeders still sum to the incomer.</item>
/// </list>
/// </remarks>
public sealed partial class DemoPlant
{
    private SiteDefinition BuildDefinition()
    {
        var dryerGas = DemoModel.Counters[DemoModel.DryerGasIndex];
        var oldRegister = Math.Round(dryerGas.StartRegister + (_replacementEnergy.Value / dryerGas.Multiplier), 2);
        return new SiteDefinition
        {
            Key = SiteKey,
            Name = "Demo ceramic floor-tile plant, Foshan",
            NameZh = "演示陶瓷地砖厂（佛山）",
            TimeZone = "Asia/Shanghai",
            GridRegion = "CN-Guangdong",
            Industry = "ceramics",
            // Polished porcelain floor tile, dry-pressed, water absorption 0.2-0.5 %: GB 21252-2023 levels 4.0/4.9/6.5
            // kgce/m² (no product thicker than 15 mm, so the thickness factor is 1.00). Process CO2 from the calcite in
            // the body mix; the grid factor follows the site's grid region (Guangdong).
            Accounting = new AccountingProfile
            {
                LimitClass = "GB 21252-2023.tile_dry_pressed_abs_0.2_0.5",
                Carriers = new Dictionary<string, CarrierAccounting>
                {
                    ["body_raw_material"] = new()
                    {
                        Role = CarrierRole.CarbonateMaterial,
                        Carbonate = "CaCO3",
                        CarbonateFraction = DemoModel.BodyCalciteFraction,
                    },
                },
            },
            Nodes = Nodes(),
            Meters = Meters(),
            Events =
            [
                new MeterEventDefinition
                {
                    Meter = DryerGas,
                    Kind = MeterEventKind.Replacement,
                    Ts = ToOffset(_events.Replacement),
                    OldValue = oldRegister,
                    NewValue = ReplacementNewValue,
                    Note = "Rotary (Roots) gas meter replaced after failing its periodic verification",
                },
            ],
        };
    }

    private static NodeDefinition[] Nodes() =>
    [
        Node("prep", "Raw-material preparation (ball mills)", "原料车间（球磨）", NodeKind.Workshop),
        Node("spray", "Spray-drying tower", "喷雾干燥塔", NodeKind.Process),
        Node("press", "Press workshop", "压制车间", NodeKind.Workshop),
        Node("dryer", "Dryer", "干燥窑", NodeKind.Process),
        Node("glaze", "Glazing line", "施釉线", NodeKind.Line),
        Node("kiln", "Kiln workshop", "窑炉车间", NodeKind.Workshop),
        Node("kiln1", "Roller kiln 1", "1号辊道窑", NodeKind.Equipment, "kiln"),
        Node("kiln2", "Roller kiln 2", "2号辊道窑", NodeKind.Equipment, "kiln"),
        Node("kiln-stack", "Kiln exhaust stack (CEMS)", "窑炉排气筒（在线监测）", NodeKind.Equipment, "kiln"),
        Node("polish", "Polishing workshop", "抛光车间", NodeKind.Workshop),
        Node("pv", "Rooftop PV (polishing workshop roof)", "屋顶光伏（抛光车间屋面）", NodeKind.Equipment, "polish"),
        Node("packing", "Packing", "包装车间", NodeKind.Workshop),
        Node("utilities", "Utilities", "公用工程", NodeKind.Utility),
        Node("air", "Air-compressor station", "空压站", NodeKind.Equipment, "utilities"),
        Node("pumps", "Pump house", "水泵房", NodeKind.Equipment, "utilities"),
        Node("wwtp", "Wastewater treatment", "污水处理站", NodeKind.Utility),
    ];

    private static MeterDefinition[] Meters()
    {
        MeterDefinition Counter(string key, string name, string nameZh, string? node, string unit, MeterRole role, string? parent,
            MeterQuantity quantity = MeterQuantity.EnergyCarrier)
        {
            var model = DemoModel.Counters.Single(c => c.Key == key);
            return new MeterDefinition
            {
                Key = key,
                Name = name,
                NameZh = nameZh,
                Node = node,
                Quantity = quantity,
                Carrier = model.Carrier,
                Kind = MeterKind.Cumulative,
                Unit = unit,
                Multiplier = model.Multiplier,
                Role = role,
                Parent = parent,
            };
        }
        MeterDefinition Feeder(string key, string name, string nameZh, string node) =>
            Counter(key, name, nameZh, node, "kWh", MeterRole.Counted, MainElectricity);
        MeterDefinition GasSub(string key, string name, string nameZh, string node) =>
            Counter(key, name, nameZh, node, "m3", MeterRole.Counted, MainGas);
        MeterDefinition Gauge(string key, string name, string nameZh, string node, MeterQuantity quantity, string carrier, string unit) =>
            new()
            {
                Key = key,
                Name = name,
                NameZh = nameZh,
                Node = node,
                Quantity = quantity,
                Carrier = carrier,
                Kind = MeterKind.Instantaneous,
                Unit = unit,
            };

        return
        [
            Counter(MainElectricity, "Main incomer (10 kV)", "10kV总进线", null, "kWh", MeterRole.Counted, null),
            Feeder(BallMills, "Ball mills", "球磨机", "prep"),
            Feeder(SprayElectricity, "Spray tower fans and pumps", "喷雾塔风机及泵", "spray"),
            Feeder(Presses, "Presses", "压机", "press"),
            Feeder(DryerElectricity, "Dryer fans and drives", "干燥窑风机及传动", "dryer"),
            Feeder(Glazing, "Glazing line", "施釉线", "glaze"),
            Feeder(Kiln1Electricity, "Roller kiln 1 drives and fans", "1号辊道窑传动及风机", "kiln1"),
            Feeder(Kiln2Electricity, "Roller kiln 2 drives and fans", "2号辊道窑传动及风机", "kiln2"),
            Feeder(PolishingFeeder, "Polishing feeder (net of rooftop PV)", "抛光车间馈线（已扣除屋顶光伏）", "polish"),
            Feeder(Packing, "Packing lines", "包装线", "packing"),
            Feeder(AirCompressors, "Air compressors", "空压机", "air") with { MaxRatePerHour = AirMaxRatePerHour },
            Feeder(Pumps, "Pumps", "水泵", "pumps"),
            Feeder(Wastewater, "Wastewater treatment", "污水处理", "wwtp"),
            Counter(PvGeneration, "Rooftop PV generation", "屋顶光伏发电量", "pv", "kWh", MeterRole.Counted, null),
            Counter(MainGas, "Natural gas main", "天然气总表", null, "m3", MeterRole.Counted, null),
            GasSub(SprayGas, "Spray tower hot-air furnace", "喷雾塔热风炉", "spray"),
            GasSub(Kiln1Gas, "Roller kiln 1 burners", "1号辊道窑燃烧器", "kiln1"),
            GasSub(Kiln2Gas, "Roller kiln 2 burners", "2号辊道窑燃烧器", "kiln2"),
            GasSub(DryerGas, "Dryer burners", "干燥窑燃烧器", "dryer"),
            Counter(FreshWater, "Fresh water main", "新鲜水总表", null, "m3", MeterRole.Counted, null)
                with { RolloverAt = DemoModel.FreshWaterRollover },
            Counter(RecycledWater, "Recycled water from treatment", "回用水", "wwtp", "m3", MeterRole.Counted, null, MeterQuantity.Material),
            new MeterDefinition
            {
                Key = TileOutput,
                Name = "Tile output",
                NameZh = "成品产量",
                Node = "packing",
                Quantity = MeterQuantity.ProductOutput,
                Carrier = "tile_output",
                Kind = MeterKind.Interval,
                Unit = "m2",
                IntervalMinutes = 60,
                Stamp = IntervalStamp.PeriodEnding,
            },
            new MeterDefinition
            {
                Key = BodyRawMaterial,
                Name = "Body raw material to ball mills",
                NameZh = "球磨坯料投料量",
                Node = "prep",
                Quantity = MeterQuantity.Material,
                Carrier = "body_raw_material",
                Kind = MeterKind.Interval,
                Unit = "t",
                IntervalMinutes = 60,
                Stamp = IntervalStamp.PeriodEnding,
            },
            Gauge(Kiln1Temperature, "Kiln 1 firing-zone temperature", "1号窑烧成带温度", "kiln1", MeterQuantity.ProcessVariable, "kiln_temperature", "degC"),
            Gauge(Kiln2Temperature, "Kiln 2 firing-zone temperature", "2号窑烧成带温度", "kiln2", MeterQuantity.ProcessVariable, "kiln_temperature", "degC"),
            Gauge(StackSo2, "Stack SO2 (CEMS)", "烟气二氧化硫（在线监测）", "kiln-stack", MeterQuantity.Emission, "so2", "mg/m3"),
            Gauge(StackNox, "Stack NOx (CEMS)", "烟气氮氧化物（在线监测）", "kiln-stack", MeterQuantity.Emission, "nox", "mg/m3"),
            Gauge(StackParticulates, "Stack particulates (CEMS)", "烟气颗粒物（在线监测）", "kiln-stack", MeterQuantity.Emission, "particulates", "mg/m3"),
        ];
    }

    private static NodeDefinition Node(string key, string name, string nameZh, NodeKind kind, string? parent = null) =>
        new() { Key = key, Name = name, NameZh = nameZh, Kind = kind, Parent = parent };
}
