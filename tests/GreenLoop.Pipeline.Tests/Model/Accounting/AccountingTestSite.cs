using GreenLoop.Accounting;
using GreenLoop.Domain.Model;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Testing;

namespace GreenLoop.Pipeline.Tests.Model.Accounting;

/// <summary>
/// A small tile plant in Foshan (grid region CN-Guangdong) metered hourly with interval meters, so every monthly
/// quantity is a whole number of hours times a constant rate: electricity 100 kWh/h, natural gas 10 m³/h, tile
/// output 50 m²/h and body raw material 2 t/h with 5 % calcite.
/// </summary>
internal static class AccountingTestSite
{
    public const string Key = "tiles";
    public const string Zone = "Asia/Shanghai";
    public const string Electricity = "tiles.main.elec";
    public const string Gas = "tiles.kiln.gas";
    public const string Output = "tiles.output";
    public const string Body = "tiles.body";

    public const double ElectricityPerHour = 100;
    public const double GasPerHour = 10;
    public const double OutputPerHour = 50;
    public const double BodyPerHour = 2;

    public static SiteDefinition Definition() => new()
    {
        Key = Key,
        Name = "Accounting test tile plant",
        NameZh = "核算测试瓷砖厂",
        TimeZone = Zone,
        GridRegion = "CN-Guangdong",
        Industry = "ceramics",
        Accounting = new AccountingProfile
        {
            LimitClass = "GB 21252-2023.tile_dry_pressed_abs_0.2_0.5",
            Carriers = new Dictionary<string, CarrierAccounting>
            {
                ["body_raw_material"] = new() { Role = CarrierRole.CarbonateMaterial, Carbonate = "CaCO3", CarbonateFraction = 0.05 },
            },
        },
        Meters =
        [
            Hourly(Electricity, "Main incomer", "electricity", "kWh", MeterQuantity.EnergyCarrier),
            Hourly(Gas, "Kiln gas", "natural_gas", "m3", MeterQuantity.EnergyCarrier),
            Hourly(Output, "Tile output", "tile_output", "m2", MeterQuantity.ProductOutput),
            Hourly(Body, "Body raw material", "body_raw_material", "t", MeterQuantity.Material),
        ],
    };

    /// <summary>
    /// A fresh pipeline with the plant applied, its clock in mid-July 2025: June has fully happened, so its completeness
    /// is measured against the whole month.
    /// </summary>
    public static async Task<PipelineHarness> StartAsync()
    {
        var h = await PipelineHarness.SqliteAsync(new DateTimeOffset(2025, 7, 15, 12, 0, 0, TimeSpan.FromHours(8)));
        await h.ApplyAsync(Definition());
        return h;
    }

    private static MeterDefinition Hourly(string key, string name, string carrier, string unit, MeterQuantity quantity) => new()
    {
        Key = key,
        Name = name,
        Quantity = quantity,
        Carrier = carrier,
        Unit = unit,
        Kind = MeterKind.Interval,
        IntervalMinutes = 60,
        Stamp = IntervalStamp.PeriodEnding,
    };

    /// <summary>Hour-ending readings of one meter for local days [first, last] inclusive (24 per day).</summary>
    public static IEnumerable<ReadingInput> Hours(string meter, double perHour, DateOnly first, DateOnly last)
    {
        var start = PipelineHarness.Local(Zone, first.Year, first.Month, first.Day);
        var end = PipelineHarness.Local(Zone, last.Year, last.Month, last.Day).AddDays(1);
        for (var t = start.AddHours(1); t <= end; t = t.AddHours(1)) yield return new ReadingInput(meter, t, perHour);
    }

    /// <summary>All four meters for local days [first, last].</summary>
    public static List<ReadingInput> AllMeters(DateOnly first, DateOnly last) =>
    [
        .. Hours(Electricity, ElectricityPerHour, first, last),
        .. Hours(Gas, GasPerHour, first, last),
        .. Hours(Output, OutputPerHour, first, last),
        .. Hours(Body, BodyPerHour, first, last),
    ];
}
