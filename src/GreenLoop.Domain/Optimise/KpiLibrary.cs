namespace GreenLoop.Domain.Optimise;

/// <summary>A quantity no meter measures that a library KPI reads with <c>recorded(...)</c>: its key, names and unit.</summary>
public sealed record RecordedQuantityKind(string Key, string Name, string NameZh, string Unit);

/// <summary>A ready KPI definition: the definition (without baseline, target or owner) and the recorded quantities it needs.</summary>
public sealed record LibraryKpi(KpiDefinition Definition, string Note, string NoteZh, IReadOnlyList<RecordedQuantityKind> Needs);

/// <summary>
/// Ready KPI definitions: the seven indicators of a cleaner-production audit's first self-check (unit-product
/// comprehensive energy, unit-product fresh water, solid-waste generation, main raw-material utilisation, reclaimed-water
/// reuse, main-pollutant emission intensity, packaging recycling), written for a ceramic tile plant (output in m²,
/// carriers <c>fresh_water</c> and <c>recycled_water</c>), and two more of the usual target table (wastewater COD,
/// certified green raw materials). A plant adapts the unit and the quantity keys to its own site.
/// </summary>
public static class KpiLibrary
{
    private static readonly RecordedQuantityKind SolidWaste = new("waste.solid", "Industrial solid waste generated", "一般工业固废产生量", "t");
    private static readonly RecordedQuantityKind MaterialInput = new("material.input", "Main raw material consumed (dry basis)", "主要原料消耗量（干基）", "t");
    private static readonly RecordedQuantityKind ProductMass = new("product.mass", "Mass of qualified product", "合格产品质量", "t");
    private static readonly RecordedQuantityKind NoxEmitted = new("emission.nox", "NOx emitted (CEMS or monitoring report)", "氮氧化物排放量（在线监测或监测报告）", "kg");
    private static readonly RecordedQuantityKind PackagingUsed = new("packaging.used", "Packaging used", "包装物使用量", "t");
    private static readonly RecordedQuantityKind PackagingRecovered = new("packaging.recovered", "Packaging recovered", "包装物回收量", "t");
    private static readonly RecordedQuantityKind Cod = new("lab.cod", "Wastewater COD (lab result)", "废水 COD 浓度（化验结果）", "mg/L");
    private static readonly RecordedQuantityKind PurchaseGreen = new("purchase.green", "Certified green raw materials purchased", "认证绿色原料采购量", "t");
    private static readonly RecordedQuantityKind PurchaseTotal = new("purchase.total", "Raw materials purchased", "原料采购总量", "t");

    private static LibraryKpi Kpi(string key, string name, string nameZh, KpiArea area, string unit, KpiDirection direction, string formula,
        KpiAggregation aggregation, string note, string noteZh, params RecordedQuantityKind[] needs) =>
        new(new KpiDefinition
        {
            Key = key, Name = name, NameZh = nameZh, Area = area, Unit = unit, Direction = direction, Formula = formula, Aggregation = aggregation,
        }, note, noteZh, needs);

    public static readonly IReadOnlyList<LibraryKpi> All =
    [
        Kpi("unit-energy", "Unit-product comprehensive energy consumption", "单位产品综合能耗", KpiArea.Energy, "kgce/m2", KpiDirection.Lower,
            "unit_energy()", KpiAggregation.Ratio,
            "The energy report's figure (GB/T 2589-2020): comprehensive energy / qualified output.",
            "同能源报告（GB/T 2589-2020）：综合能耗 / 合格产品产量。"),
        Kpi("unit-fresh-water", "Unit-product fresh water consumption", "单位产品新鲜水耗", KpiArea.Water, "m3/m2", KpiDirection.Lower,
            "consumption('fresh_water') / output()", KpiAggregation.Ratio,
            "Fresh water taken in (the site's counted fresh-water meters) per unit of qualified output.",
            "新鲜水取水量（站点计入的新鲜水表）/ 合格产品产量。"),
        Kpi("solid-waste-rate", "Industrial solid waste generation", "工业固废产生率", KpiArea.Waste, "kg/m2", KpiDirection.Lower,
            "recorded('waste.solid') * 1000 / output()", KpiAggregation.Ratio,
            "Solid waste generated (recorded, t) per unit of qualified output, in kg.",
            "固废产生量（记录值，t）/ 合格产品产量，折合 kg。", SolidWaste),
        Kpi("material-utilisation", "Main raw-material utilisation", "主要原料利用率", KpiArea.Materials, "%", KpiDirection.Higher,
            "recorded('product.mass') / recorded('material.input') * 100", KpiAggregation.Ratio,
            "Mass of qualified product / main raw material consumed (both recorded, t).",
            "合格产品质量 / 主要原料消耗量（均为记录值，t）。", ProductMass, MaterialInput),
        Kpi("water-reuse-rate", "Reclaimed-water reuse rate", "中水回用率", KpiArea.Water, "%", KpiDirection.Higher,
            "consumption('recycled_water') / (consumption('recycled_water') + consumption('fresh_water')) * 100", KpiAggregation.Ratio,
            "Recycled water / (recycled + fresh water), both metered.",
            "回用水量 /（回用水量 + 新鲜水量），均为计量值。"),
        Kpi("nox-intensity", "Main pollutant emission intensity (NOx)", "主要污染物排放强度（氮氧化物）", KpiArea.Emissions, "g/m2", KpiDirection.Lower,
            "recorded('emission.nox') * 1000 / output()", KpiAggregation.Ratio,
            "NOx emitted (recorded from CEMS totals or monitoring reports, kg) per unit of qualified output, in g.",
            "氮氧化物排放量（在线监测累计或监测报告的记录值，kg）/ 合格产品产量，折合 g。", NoxEmitted),
        Kpi("packaging-recycling", "Packaging recycling rate", "包装物回收率", KpiArea.Materials, "%", KpiDirection.Higher,
            "recorded('packaging.recovered') / recorded('packaging.used') * 100", KpiAggregation.Ratio,
            "Packaging recovered / packaging used (both recorded, t).",
            "包装物回收量 / 使用量（均为记录值，t）。", PackagingRecovered, PackagingUsed),
        Kpi("wastewater-cod", "Wastewater COD concentration", "废水 COD 浓度", KpiArea.Emissions, "mg/L", KpiDirection.Lower,
            "recorded_mean('lab.cod')", KpiAggregation.Ratio,
            "Mean of the lab results in the period, weighted by the days each sample stands for.",
            "该期间化验结果按代表天数加权的平均。", Cod),
        Kpi("green-materials-share", "Share of certified green raw materials purchased", "认证绿色原料采购占比", KpiArea.SupplyChain, "%", KpiDirection.Higher,
            "recorded('purchase.green') / recorded('purchase.total') * 100", KpiAggregation.Ratio,
            "Certified green raw materials purchased / all raw materials purchased (both recorded, t).",
            "认证绿色原料采购量 / 原料采购总量（均为记录值，t）。", PurchaseGreen, PurchaseTotal),
    ];
}
