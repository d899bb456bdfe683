using System.Text.Json.Serialization;

// The accounting choices are part of the site document, so they live with the site model; the calculators that use
// them are in GreenLoop.Accounting, under the same namespace.
namespace GreenLoop.Accounting;

/// <summary>How a carrier enters the accounts.</summary>
public enum CarrierRole
{
    /// <summary>Not an energy input (e.g. a process variable).</summary>
    None,
    /// <summary>A fossil fuel burnt on site: energy (standard coal) and Scope 1 combustion.</summary>
    Fuel,
    /// <summary>Purchased grid electricity: energy at the equivalent (or equal) value and Scope 2.</summary>
    Electricity,
    /// <summary>Renewable electricity generated and used on site: energy at the equivalent value, no emissions.</summary>
    OnSiteRenewable,
    /// <summary>Purchased heat or steam: energy and Scope 2 (heat).</summary>
    Heat,
    /// <summary>A purchased working medium (fresh water, compressed air): energy at its equal value when configured.</summary>
    WorkingMedium,
    /// <summary>Qualified product output: the denominator of unit-product energy and carbon intensity.</summary>
    ProductOutput,
    /// <summary>A carbonate-bearing raw material: Scope 1 process emissions.</summary>
    CarbonateMaterial,
}

/// <summary>How one carrier is accounted: its role and the reference rows that convert it.</summary>
public sealed record CarrierAccounting
{
    [JsonConverter(typeof(JsonStringEnumConverter<CarrierRole>))]
    public CarrierRole Role { get; init; }
    /// <summary>Key of the standard-coal coefficient (kind <c>coal_coef</c>), e.g. <c>natural_gas_gasfield</c>.</summary>
    public string? CoalCoefficient { get; init; }
    /// <summary>Key of the guideline fuel defaults (kinds <c>cn_fuel_ncv</c>, <c>cn_fuel_cc</c>, <c>cn_fuel_of</c>, <c>ipcc_ef_*</c>).</summary>
    public string? Fuel { get; init; }
    /// <summary>Multiply the carrier's unit by this to get the unit of the reference rows (e.g. MWh -> kWh: 1000).</summary>
    public double UnitScale { get; init; } = 1;
    /// <summary>Carbonate material: which carbonate (kind <c>process_ef_carbonate</c>, e.g. <c>CaCO3</c>).</summary>
    public string? Carbonate { get; init; }
    /// <summary>Carbonate material: mass fraction of the carbonate in the material (lab analysis), 0..1.</summary>
    public double CarbonateFraction { get; init; }
    /// <summary>Carbonate material: calcined fraction, 1 when unknown.</summary>
    public double CalcinedFraction { get; init; } = 1;
}

/// <summary>Green electricity instruments of a period, deducted in market-based Scope 2.</summary>
public sealed record GreenPowerPurchase
{
    /// <summary>Local month <c>yyyy-MM</c> the instruments cover.</summary>
    public required string Period { get; init; }
    public required double Mwh { get; init; }
    /// <summary>GEC (绿证) or contract (绿电交易).</summary>
    public string Instrument { get; init; } = "GEC";
}

/// <summary>
/// A site's accounting choices: factor sets, grid region, GWP set, the product class for the limit standard, how each
/// carrier is accounted, green power. Part of the site document (<c>accounting</c>); defaults follow the Chinese
/// guideline method and GB/T 2589-2020.
/// </summary>
public sealed record AccountingProfile
{
    /// <summary><c>cn-guideline</c> (NCV x carbon content x oxidation x 44/12) or <c>ipcc</c> (per-gas IPCC 2006 factors).</summary>
    public string CombustionMethod { get; init; } = "cn-guideline";
    /// <summary><c>AR5</c> or <c>AR6</c>.</summary>
    public string GwpSet { get; init; } = "AR5";
    /// <summary>Grid factor key without the year, e.g. <c>CN.province.guangdong</c>; null: derived from the site's grid region.</summary>
    public string? GridFactor { get; init; }
    /// <summary>Factor year to use; null: the latest year published at or before the reporting year.</summary>
    public int? GridFactorYear { get; init; }
    /// <summary>Residual-mix proxy for market-based Scope 2, without the year.</summary>
    public string MarketResidualFactor { get; init; } = "CN.national_excl_market_nonfossil";
    /// <summary>Electricity equal value (等价值) in kgce/kWh per year, when the site reports it; the equivalent value 0.1229 otherwise.</summary>
    public IReadOnlyDictionary<string, double> ElectricityEqualValue { get; init; } = new Dictionary<string, double>();
    /// <summary>Limit standard row prefix for the product class, e.g. <c>GB 21252-2023.tile_dry_pressed_abs_0.2_0.5</c> (levels .L1/.L2/.L3 appended).</summary>
    public string? LimitClass { get; init; }
    /// <summary>Thickness correction factor of GB 21252-2023 (1.00 when no product is 15 mm or thicker).</summary>
    public double LimitFactor { get; init; } = 1;
    /// <summary>Carrier accounting by carrier key; carriers not listed use <see cref="Defaults"/>.</summary>
    public IReadOnlyDictionary<string, CarrierAccounting> Carriers { get; init; } = new Dictionary<string, CarrierAccounting>();
    public IReadOnlyList<GreenPowerPurchase> GreenPower { get; init; } = [];

    /// <summary>The accounting of a carrier: the site's own entry, else the built-in default for well-known carrier keys.</summary>
    public CarrierAccounting For(string carrier) =>
        Carriers.TryGetValue(carrier, out var c) ? c : Defaults.GetValueOrDefault(carrier) ?? new CarrierAccounting { Role = CarrierRole.None };

    /// <summary>Built-in mappings for the carrier keys GreenLoop documents.</summary>
    public static readonly IReadOnlyDictionary<string, CarrierAccounting> Defaults = new Dictionary<string, CarrierAccounting>(StringComparer.Ordinal)
    {
        ["electricity"] = new() { Role = CarrierRole.Electricity, CoalCoefficient = "electricity_equivalent" },
        ["pv_electricity"] = new() { Role = CarrierRole.OnSiteRenewable, CoalCoefficient = "electricity_equivalent" },
        ["natural_gas"] = new() { Role = CarrierRole.Fuel, CoalCoefficient = "natural_gas_gasfield", Fuel = "natural_gas" },
        ["diesel"] = new() { Role = CarrierRole.Fuel, CoalCoefficient = "diesel", Fuel = "diesel" },
        ["raw_coal"] = new() { Role = CarrierRole.Fuel, CoalCoefficient = "raw_coal", Fuel = "bituminous" },
        ["lpg"] = new() { Role = CarrierRole.Fuel, CoalCoefficient = "lpg", Fuel = "lpg" },
        ["steam"] = new() { Role = CarrierRole.Heat, CoalCoefficient = "steam_low_pressure" },
        ["heat"] = new() { Role = CarrierRole.Heat, CoalCoefficient = "heat_equivalent" },
        ["fresh_water"] = new() { Role = CarrierRole.WorkingMedium, CoalCoefficient = "fresh_water" },
        ["compressed_air"] = new() { Role = CarrierRole.WorkingMedium, CoalCoefficient = "compressed_air" },
        ["tile_output"] = new() { Role = CarrierRole.ProductOutput },
    };
}
