namespace GreenLoop.Demo;

/// <summary>Keys of the demo plant's meters (the <c>meter</c> field of every reading).</summary>
public static class DemoMeterKeys
{
    /// <summary>10 kV main incomer: grid import, cumulative kWh, raw register x 40.</summary>
    public const string MainElectricity = "demo.main.elec";
    public const string BallMills = "demo.prep.elec";
    public const string SprayElectricity = "demo.spray.elec";
    public const string Presses = "demo.press.elec";
    public const string DryerElectricity = "demo.dryer.elec";
    public const string Glazing = "demo.glaze.elec";
    public const string Kiln1Electricity = "demo.kiln1.elec";
    public const string Kiln2Electricity = "demo.kiln2.elec";
    /// <summary>The polishing workshop's feeder: its load minus what the rooftop PV on its roof supplies.</summary>
    public const string PolishingFeeder = "demo.polish.elec";
    public const string Packing = "demo.packing.elec";
    public const string AirCompressors = "demo.air.elec";
    public const string Pumps = "demo.pumps.elec";
    public const string Wastewater = "demo.wwtp.elec";
    /// <summary>Rooftop PV generation, carrier <c>pv_electricity</c>.</summary>
    public const string PvGeneration = "demo.pv.gen";
    public const string MainGas = "demo.main.gas";
    public const string SprayGas = "demo.spray.gas";
    public const string Kiln1Gas = "demo.kiln1.gas";
    public const string Kiln2Gas = "demo.kiln2.gas";
    public const string DryerGas = "demo.dryer.gas";
    public const string FreshWater = "demo.water.fresh";
    public const string RecycledWater = "demo.water.recycled";
    /// <summary>Tile output, m² per hour, interval meter stamped at the end of the hour.</summary>
    public const string TileOutput = "demo.packing.output";
    public const string BodyRawMaterial = "demo.prep.body";
    public const string Kiln1Temperature = "demo.kiln1.temp";
    public const string Kiln2Temperature = "demo.kiln2.temp";
    public const string StackSo2 = "demo.stack.so2";
    public const string StackNox = "demo.stack.nox";
    public const string StackParticulates = "demo.stack.pm";
}
