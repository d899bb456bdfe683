using static GreenLoop.Demo.DemoMeterKeys;

namespace GreenLoop.Demo;

/// <summary>Where a cumulative meter's consumption comes from in the simulation.</summary>
internal enum CounterSource
{
    /// <summary>A load of its own: mean rate x daily shape x production x noise.</summary>
    Load,
    /// <summary>Rooftop PV: clear-sky geometry x daily weather x passing clouds.</summary>
    Pv,
    /// <summary>The main incomer: every electricity feeder plus transformer and cable losses.</summary>
    ElectricityMain,
    /// <summary>The gas main: every gas sub-meter plus unmetered small users and meter tolerance.</summary>
    GasMain,
}

/// <summary>Intraday and weekly pattern of a load (normalised in <see cref="DemoProfiles"/> to a weekly mean of 1).</summary>
internal enum LoadShape
{
    /// <summary>Continuous process (kilns, dryers, spray tower): 24/7.</summary>
    Flat,
    /// <summary>Ball mills are run hardest in the valley tariff hours (Guangdong TOU: valley 00-08, peak 10-12 and 14-19).</summary>
    BallMill,
    /// <summary>Three shifts with a lower night shift, dips at shift changes, a lighter Sunday.</summary>
    Press,
    /// <summary>Heavy day shift, light night shift, reduced Sunday.</summary>
    Polish,
    /// <summary>Day-heavy packing and palletising.</summary>
    Packing,
    /// <summary>Compressed air: a base load plus a share following the presses; its day follows production more closely than other loads (0.2 + 0.8 x the production factor).</summary>
    Air,
}

/// <summary>A cumulative meter of the simulation.</summary>
/// <param name="Key">Meter key.</param>
/// <param name="Carrier">Carrier, as in the site definition.</param>
/// <param name="Source">How its consumption is produced.</param>
/// <param name="MeanPerHour">Weekly mean rate in the meter's engineering unit per hour (kW for electricity, m3/h for gas and water).</param>
/// <param name="Shape">Daily and weekly pattern of a load.</param>
/// <param name="SlotNoise">Relative amplitude of the per-15-minute noise.</param>
/// <param name="Multiplier">Raw register x multiplier = engineering units.</param>
/// <param name="StartRegister">Raw register at the plant's history origin (730 days before the anchor).</param>
internal sealed record CounterModel(
    string Key, string Carrier, CounterSource Source, double MeanPerHour, LoadShape Shape, double SlotNoise,
    double Multiplier, double StartRegister)
{
    public ulong SlotSeed { get; } = DemoRandom.Seed(Key + "#slot");
    public ulong DaySeed { get; } = DemoRandom.Seed(Key + "#day");

    /// <summary>An electricity feeder behind the main incomer.</summary>
    public bool FeedsElectricityMain { get; } = Source == CounterSource.Load && Carrier == "electricity";

    /// <summary>A gas sub-meter behind the gas main.</summary>
    public bool FeedsGasMain { get; } = Source == CounterSource.Load && Carrier == "natural_gas";
}

/// <summary>An instantaneous meter: mean + daily wave + slow drift (per 15 minutes, interpolated) + fast noise (per second).</summary>
internal sealed record GaugeModel(string Key, double Mean, double DailyAmplitude, double PeakHour, double SlowAmplitude, double FastAmplitude)
{
    public ulong SlowSeed { get; } = DemoRandom.Seed(Key + "#slow");
    public ulong FastSeed { get; } = DemoRandom.Seed(Key + "#fast");
}

/// <summary>
/// The numbers behind the demo plant. Sizing (per m² of tile, about 30,000 m² a day):
/// electricity about 3.0 kWh/m² at the feeders, 3.1 at the incomer (ball mills, presses and polishing are the big users);
/// natural gas 2.9 m³/m² at the sub-meters (spray dryer 35 %, kilns 55 %, dryer 10 %); fresh water 0.1 m³/m².
/// Unit energy: 2.92 x 1.2143 + 3.07 x 0.1229 = 3.9 kgce/m², inside the 3-5 kgce/m² of real Foshan plants.
/// </summary>
internal static class DemoModel
{
    /// <summary>Tile output per hour at a production factor of 1 (30,000 m² a day).</summary>
    public const double OutputPerHour = 1250;

    /// <summary>Dry body raw material fed to the ball mills per m² of tile (t/m²; a 10 mm porcelain tile weighs about 22 kg/m²).</summary>
    public const double BodyPerSquareMetre = 0.0225;

    /// <summary>Calcite (CaCO3) mass fraction of the body mix, as a lab analysis would give it (illustrative).</summary>
    public const double BodyCalciteFraction = 0.03;

    /// <summary>Transformer and cable losses between the main incomer and the feeders: proportional part and no-load part.</summary>
    public const double ElectricityLoadLoss = 0.02;
    public const double ElectricityNoLoadLossKw = 40;

    /// <summary>Gas main over its sub-meters: canteen and boiler-house users without a meter, and meter tolerance.</summary>
    public const double GasMainFactor = 1.008;

    /// <summary>Rooftop PV on the polishing workshop (peak DC power) and the DC-to-AC performance ratio.</summary>
    public const double PvPeakKw = 500;
    public const double PvPerformanceRatio = 0.82;

    /// <summary>Fresh-water register wraps at one million m³ (a six-digit register).</summary>
    public const double FreshWaterRollover = 1_000_000;

    /// <summary>Every cumulative meter, in the order of the site definition.</summary>
    public static readonly CounterModel[] Counters =
    [
        new(MainElectricity, "electricity", CounterSource.ElectricityMain, 0, LoadShape.Flat, 0, 40, 1_204_331.52),
        new(BallMills, "electricity", CounterSource.Load, 940, LoadShape.BallMill, 0.06, 20, 2_113_907.40),
        new(SprayElectricity, "electricity", CounterSource.Load, 312, LoadShape.Flat, 0.03, 10, 1_688_210.06),
        new(Presses, "electricity", CounterSource.Load, 560, LoadShape.Press, 0.08, 20, 1_350_778.90),
        new(DryerElectricity, "electricity", CounterSource.Load, 100, LoadShape.Flat, 0.03, 5, 902_455.31),
        new(Glazing, "electricity", CounterSource.Load, 150, LoadShape.Press, 0.08, 5, 1_020_310.77),
        new(Kiln1Electricity, "electricity", CounterSource.Load, 250, LoadShape.Flat, 0.03, 10, 1_507_220.48),
        new(Kiln2Electricity, "electricity", CounterSource.Load, 250, LoadShape.Flat, 0.03, 10, 1_311_876.15),
        new(PolishingFeeder, "electricity", CounterSource.Load, 690, LoadShape.Polish, 0.08, 20, 1_498_002.60),
        new(Packing, "electricity", CounterSource.Load, 75, LoadShape.Packing, 0.08, 5, 734_118.92),
        new(AirCompressors, "electricity", CounterSource.Load, 312, LoadShape.Air, 0.05, 10, 1_622_540.33),
        new(Pumps, "electricity", CounterSource.Load, 100, LoadShape.Flat, 0.04, 5, 966_408.14),
        new(Wastewater, "electricity", CounterSource.Load, 50, LoadShape.Flat, 0.05, 1, 2_210_354.70),
        new(PvGeneration, "pv_electricity", CounterSource.Pv, 0, LoadShape.Flat, 0, 1, 1_845_270.50),
        new(MainGas, "natural_gas", CounterSource.GasMain, 0, LoadShape.Flat, 0, 1, 41_233_870.20),
        new(SprayGas, "natural_gas", CounterSource.Load, 1268.75, LoadShape.Flat, 0.03, 1, 14_509_662.35),
        new(Kiln1Gas, "natural_gas", CounterSource.Load, 996.9, LoadShape.Flat, 0.02, 1, 11_390_224.80),
        new(Kiln2Gas, "natural_gas", CounterSource.Load, 996.9, LoadShape.Flat, 0.02, 1, 12_004_517.66),
        new(DryerGas, "natural_gas", CounterSource.Load, 362.5, LoadShape.Flat, 0.03, 1, 3_456_789.12),
        new(FreshWater, "fresh_water", CounterSource.Load, 125, LoadShape.Press, 0.10, 1, 0),
        new(RecycledWater, "recycled_water", CounterSource.Load, 312.5, LoadShape.Polish, 0.10, 1, 5_880_412.30),
    ];

    /// <summary>Every instantaneous meter, in the order of the site definition.</summary>
    public static readonly GaugeModel[] Gauges =
    [
        // Firing zone of a porcelain-tile roller kiln: 1150-1200 degC.
        new(Kiln1Temperature, 1185, 2, 15, 4, 1.5),
        new(Kiln2Temperature, 1172, 2, 15, 4, 1.5),
        // CEMS at the kiln stack, mg/m3 (permit limit for NOx: 180).
        new(StackSo2, 20, 3, 14, 5, 1.5),
        new(StackNox, 112, 10, 14, 15, 4),
        new(StackParticulates, 10, 1.5, 11, 2.5, 0.8),
    ];

    public static readonly int MainElectricityIndex = IndexOf(MainElectricity);
    public static readonly int PolishingIndex = IndexOf(PolishingFeeder);
    public static readonly int AirIndex = IndexOf(AirCompressors);
    public static readonly int PvIndex = IndexOf(PvGeneration);
    public static readonly int MainGasIndex = IndexOf(MainGas);
    public static readonly int DryerGasIndex = IndexOf(DryerGas);
    public static readonly int FreshWaterIndex = IndexOf(FreshWater);
    public static readonly int PackingIndex = IndexOf(Packing);
    public static readonly int GlazingIndex = IndexOf(Glazing);
    public static readonly int NoxIndex = Array.FindIndex(Gauges, g => g.Key == StackNox);

    public static readonly ulong ProductionSeed = DemoRandom.Seed("demo#production");
    public static readonly ulong OutputSeed = DemoRandom.Seed(TileOutput + "#hour");
    public static readonly ulong PvDaySeed = DemoRandom.Seed(PvGeneration + "#weather");
    public static readonly ulong PvCloudSeed = DemoRandom.Seed(PvGeneration + "#cloud");

    private static int IndexOf(string key) => Array.FindIndex(Counters, c => c.Key == key);
}
