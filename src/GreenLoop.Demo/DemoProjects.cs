using System.Globalization;
using GreenLoop.Domain.Optimise.Verification;
using GreenLoop.Pipeline.Optimise.Projects;
using GreenLoop.Pipeline.Optimise.Verification;

namespace GreenLoop.Demo;

/// <summary>
/// The demo plant's three projects: a kiln waste-heat recovery (approved), the compressed-air leak-and-pressure
/// programme (commissioned <see cref="DemoPlant.AirSavingDaysBefore"/> days before the anchor; the generator really
/// saves <see cref="DemoPlant.AirSavingFraction"/> of the compressors' energy from then on) and a rooftop PV extension
/// (proposed). The air programme's baseline model is a daily regression of the compressors' sub-meter (IPMVP Option B)
/// on tile output and Sundays; the burst compressed-air main of the planted over-limit hour is a non-routine adjustment.
/// Prices are illustrative and say so: the site's tariffs come with the tariff work.
/// </summary>
public static class DemoProjects
{
    private const string PriceSource = "演示价格（示意，UNVERIFIED） Demo price, illustrative (UNVERIFIED)";

    private static readonly PriceLine[] _prices =
    [
        new("electricity", 0.72, "kWh", PriceSource),
        new("natural_gas", 3.90, "m3", PriceSource),
    ];

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The three projects; the air programme's commissioning date follows the anchor.</summary>
    public static IReadOnlyList<ProjectBody> All(DateOnly anchor) =>
    [
        new()
        {
            Title = "Kiln waste-heat recovery to the dryer", TitleZh = "窑炉余热回收至干燥窑", Category = "energy-saving", Owner = "王建国", Node = "kiln",
            Description = "辊道窑急冷段和缓冷段热风引至干燥窑，替代部分天然气。Hot air from the kilns' cooling zones to the dryer, replacing part of its natural gas.",
            LifeYears = 12, DiscountRate = 0.08, AnnualRunningCost = 60_000, Prices = _prices,
            Investment = [new("equipment", 1_800_000, "风机、管道、保温 Fans, ducts, insulation"), new("process-change", 300_000), new("consulting", 80_000), new("training", 20_000)],
            Benefits = [new("energy", null, "干燥窑天然气 Dryer natural gas", "natural_gas", 320_000)],
        },
        new()
        {
            Title = "Compressed-air leak and pressure programme", TitleZh = "空压系统查漏与降压", Category = "energy-saving", Owner = "陈伟", Node = "air",
            Description = "超声波查漏修漏，管网压力由 0.75 MPa 降至 0.65 MPa。Ultrasonic leak survey and repair; header pressure from 0.75 to 0.65 MPa.",
            CommissionDate = Iso(anchor.AddDays(-DemoPlant.AirSavingDaysBefore)), StartDate = Iso(anchor.AddDays(-DemoPlant.AirSavingDaysBefore - 20)),
            LifeYears = 5, DiscountRate = 0.08, AnnualRunningCost = 10_000, Prices = _prices,
            Investment = [new("equipment", 120_000, "超声波检漏仪、快速接头 Ultrasonic detector, couplings"), new("consulting", 30_000), new("training", 10_000)],
            Benefits = [new("energy", null, "空压机电耗 Compressor electricity", "electricity", 180_000)],
        },
        new()
        {
            Title = "Rooftop PV extension (500 kWp)", TitleZh = "屋顶光伏扩容（500 kWp）", Category = "renewable", Owner = "赵敏", Node = "packing",
            Description = "包装车间屋顶新增 500 kWp 光伏，自发自用。500 kWp more on the packing workshop roof, for own use.",
            LifeYears = 25, DiscountRate = 0.08, AnnualRunningCost = 20_000, Prices = _prices,
            Investment = [new("equipment", 1_900_000, "组件、逆变器、支架 Modules, inverters, racking"), new("consulting", 50_000), new("digital-system", 30_000)],
            Benefits = [new("energy", null, "自发自用电量 Own-use generation", "electricity", 520_000), new("subsidies", 25_000, "地方分布式光伏补贴（示意） Local PV subsidy (illustrative)")],
        },
    ];

    /// <summary>The air programme's baseline model: 60 days before commissioning, 30 days after, daily.</summary>
    public static ModelSpec AirModel(DateOnly anchor, long projectId) => new()
    {
        Name = "Compressed air: daily energy on tile output and Sundays", NameZh = "空压机日电耗—产量与周日回归",
        Subject = $"meter:{DemoMeterKeys.AirCompressors}", Grain = "day", Form = ModelForm.Linear,
        Drivers = [$"meter:{DemoMeterKeys.TileOutput}", "days:sun"],
        BaselineFrom = Iso(anchor.AddDays(-DemoPlant.AirSavingDaysBefore - 60)), BaselineTo = Iso(anchor.AddDays(-DemoPlant.AirSavingDaysBefore - 1)),
        ReportingFrom = Iso(anchor.AddDays(-DemoPlant.AirSavingDaysBefore)), ReportingTo = Iso(anchor.AddDays(-1)),
        ProjectId = projectId,
        Adjustments =
        [
            new(Iso(anchor.AddDays(-DemoPlant.SpikeDaysBefore)), Iso(anchor.AddDays(-DemoPlant.SpikeDaysBefore)),
                Math.Round(DemoPlant.OverLimitKw - (312 * (1 - DemoPlant.AirSavingFraction)), 0),
                "压缩空气主管爆裂 1 小时，备用空压机全开（与措施无关的非常规事件）。A burst compressed-air main for one hour ran every standby compressor: a non-routine event unrelated to the measure."),
        ],
    };
}
