namespace GreenLoop.Domain.Optimise;

/// <summary>
/// The indicator systems shipped with GreenLoop. The ceramic-tile system's published weights and benchmarks (陶瓷行业
/// 清洁生产评价指标体系（试行）, NDRC, drafted by the China Ceramic Industry Association) could not be read here: its
/// structure is shipped with the weights left unknown (null), so an evaluation with it says which values are missing
/// instead of inventing them. The unit-energy benchmarks are the limit levels of GB 21252-2023 (as the reference data
/// set holds them), taken as levels I/II/III — a mapping, flagged UNVERIFIED. A plant evaluates with the published
/// values by sending its completed system with the evaluation (see docs/kpis.md).
/// </summary>
public static class CpIndicatorSystems
{
    private const string Trial = "陶瓷行业清洁生产评价指标体系（试行），国家发展和改革委员会 / Cleaner-production evaluation indicator system of the ceramics industry (trial), NDRC — weights UNVERIFIED (not read from the published text)";
    private const string Limit = "GB 21252-2023 Table 1, dry-pressed tiles with water absorption 0.5-10 %, limit levels 1/2/3 taken as I/II/III — UNVERIFIED mapping";

    public static readonly IReadOnlyList<CpIndicatorSystem> All =
    [
        new()
        {
            Key = "ceramic-tile-draft",
            Name = "Ceramic tiles (dry-pressed): structure of the cleaner-production indicator system",
            NameZh = "干压陶瓷砖清洁生产评价指标体系（结构，权重待补）",
            Version = "2026.12-draft",
            Source = Trial,
            Indicators =
            [
                new() { Key = "unit-energy", Name = "Unit-product comprehensive energy consumption", NameZh = "单位产品综合能耗", Group = "resources-energy", Kind = IndicatorKind.Quantitative,
                    Kpi = "unit-energy", Unit = "kgce/m2", Direction = KpiDirection.Lower, LevelI = 3.4, LevelII = 3.7, LevelIII = 4.6, Limiting = true, Source = Limit, Unverified = true },
                new() { Key = "unit-fresh-water", Name = "Unit-product fresh water consumption", NameZh = "单位产品新鲜水耗", Group = "resources-energy", Kind = IndicatorKind.Quantitative,
                    Kpi = "unit-fresh-water", Unit = "m3/m2", Direction = KpiDirection.Lower, Source = Trial, Unverified = true },
                new() { Key = "material-utilisation", Name = "Main raw-material utilisation", NameZh = "主要原料利用率", Group = "resources-energy", Kind = IndicatorKind.Quantitative,
                    Kpi = "material-utilisation", Unit = "%", Direction = KpiDirection.Higher, Source = Trial, Unverified = true },
                new() { Key = "water-reuse-rate", Name = "Reclaimed-water reuse rate", NameZh = "中水回用率", Group = "resource-recovery", Kind = IndicatorKind.Quantitative,
                    Kpi = "water-reuse-rate", Unit = "%", Direction = KpiDirection.Higher, Source = Trial, Unverified = true },
                new() { Key = "solid-waste-rate", Name = "Industrial solid waste generation", NameZh = "工业固废产生率", Group = "pollutant-generation", Kind = IndicatorKind.Quantitative,
                    Kpi = "solid-waste-rate", Unit = "kg/m2", Direction = KpiDirection.Lower, Source = Trial, Unverified = true },
                new() { Key = "nox-intensity", Name = "NOx emission intensity", NameZh = "氮氧化物排放强度", Group = "pollutant-generation", Kind = IndicatorKind.Quantitative,
                    Kpi = "nox-intensity", Unit = "g/m2", Direction = KpiDirection.Lower, Source = Trial, Unverified = true },
                new() { Key = "audit-done", Name = "Cleaner-production audit carried out and its options implemented", NameZh = "开展清洁生产审核并实施方案", Group = "management", Kind = IndicatorKind.Qualitative,
                    Source = Trial, Unverified = true },
                new() { Key = "energy-management", Name = "Energy management system and metering (GB 17167)", NameZh = "能源管理体系与计量器具配备（GB 17167）", Group = "management", Kind = IndicatorKind.Qualitative,
                    Source = Trial, Unverified = true },
            ],
        },
    ];
}
