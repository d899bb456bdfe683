namespace GreenLoop.Accounting.Tests;

// Scope 1 stationary combustion of natural gas.
// Guideline method (standards.md §2.2): E = FC × NCV × CC × OF × 44/12, NDRC guideline defaults
//   cn_fuel_ncv/natural_gas 389.31 GJ/10^4Nm3, cn_fuel_cc/natural_gas 15.30 tC/TJ, cn_fuel_of/natural_gas 0.99.
// IPCC method (standards.md §5): IPCC 2006 Vol.2 Table 1.4 CO2 56 100 kg/TJ (ipcc_ef_co2/natural_gas), Table 2.3 CH4 1
//   (ipcc_ef_ch4/natural_gas) and N2O 0.1 kg/TJ (ipcc_ef_n2o/natural_gas); the activity in TJ from the same guideline NCV.
//   GWP-100: AR5 CH4 fossil 30 (gwp/AR5.CH4_fossil), N2O 265 (gwp/AR5.N2O); AR6 CH4 fossil 29.8, N2O 273.
public sealed class CombustionTests
{
    private static readonly ReferenceLibrary _library = ReferenceLibrary.Shipped;

    private static AccountingInput Gas(AccountingProfile profile) => Given.Year(2023, profile, Given.Metered("natural_gas", 100_000, "m3", "G-main"));

    [Fact]
    public void Compute_GuidelineMethod100000m3_IsNcvTimesCarbonContentTimesOxidation()
    {
        // 100,000 m3 / 10^4 × 389.31 GJ/10^4Nm3 = 3893.1 GJ = 3.8931 TJ
        // 3.8931 TJ × 15.3 tC/TJ = 59.56443 tC; × 0.99 = 58.9687857 tC; × 44/12 = 216.2188809 tCO2
        var inventory = GhgCalculator.Compute(Gas(new AccountingProfile()), _library);

        var line = Given.Line(inventory, "combustion", "natural_gas");
        Assert.Equal(100_000.0 / 10_000 * 389.31 / 1000 * 15.3 * 0.99 * 44 / 12, line.Co2, 1e-9);
        Assert.Equal(216.2188809, line.Co2, 1e-6);
        Assert.Equal(line.Co2, line.Figure.Value);
        Assert.Equal(0, line.Ch4);
        Assert.Equal(0, line.N2o);
        Assert.Equal((1, 1), (line.Scope, line.IsoCategory));
        Assert.Equal(["cn_fuel_ncv/natural_gas", "cn_fuel_cc/natural_gas", "cn_fuel_of/natural_gas"], line.Figure.Factors.Select(f => f.Id));
        Assert.Equal(line.Co2, inventory.Scope1.Value);
        Assert.Contains("3893.1 GJ", line.Figure.Formula, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_GuidelineMethod_MatchesDerivedFactorRow()
    {
        // cn_fuel_ef_derived/natural_gas 21.6219 tCO2/10^4Nm3 (computed in the data set, 4 decimals):
        // 10 × 10^4 Nm3 × 21.6219 = 216.219 tCO2, within rounding of the 4-decimal derived factor.
        var inventory = GhgCalculator.Compute(Gas(new AccountingProfile()), _library);

        Assert.Equal(10 * 21.6219, inventory.Scope1.Value, 0.001);
    }

    [Fact]
    public void Compute_IpccMethodAr5_SumsGasesWithAr5Gwp()
    {
        // 3.8931 TJ (as above)
        // CO2 3.8931 × 56100 kg/TJ = 218 402.91 kg = 218.40291 t
        // CH4 3.8931 × 1 kg/TJ     = 3.8931 kg   = 0.0038931 t × 30 (AR5 fossil)   = 0.116793 tCO2e
        // N2O 3.8931 × 0.1 kg/TJ   = 0.38931 kg  = 0.00038931 t × 265 (AR5)      = 0.10316715 tCO2e
        // total 218.62287015 tCO2e
        var inventory = GhgCalculator.Compute(Gas(new AccountingProfile { CombustionMethod = "ipcc", GwpSet = "AR5" }), _library);

        var line = Given.Line(inventory, "combustion", "natural_gas");
        Assert.Equal(218.40291, line.Co2, 1e-9);
        Assert.Equal(0.0038931, line.Ch4, 1e-12);
        Assert.Equal(0.00038931, line.N2o, 1e-12);
        Assert.Equal(218.40291 + (0.0038931 * 30) + (0.00038931 * 265), line.Figure.Value, 1e-9);
        Assert.Equal(218.62287015, line.Figure.Value, 1e-8);
        Assert.Contains(line.Figure.Factors, f => f.Id == "gwp/AR5.CH4_fossil" && f.Value == 30);
        Assert.Contains(line.Figure.Factors, f => f.Id == "gwp/AR5.N2O" && f.Value == 265);
        Assert.Equal("IPCC 2006 per-gas", inventory.Method);
    }

    [Fact]
    public void Compute_IpccMethodAr6_SumsGasesWithAr6Gwp()
    {
        // CO2 218.40291 t; CH4 0.0038931 t × 29.8 (AR6 fossil) = 0.11601438; N2O 0.00038931 t × 273 (AR6) = 0.10628163
        // total 218.62520601 tCO2e
        var inventory = GhgCalculator.Compute(Gas(new AccountingProfile { CombustionMethod = "ipcc", GwpSet = "AR6" }), _library);

        var line = Given.Line(inventory, "combustion", "natural_gas");
        Assert.Equal(218.40291 + (0.0038931 * 29.8) + (0.00038931 * 273), line.Figure.Value, 1e-9);
        Assert.Equal(218.62520601, line.Figure.Value, 1e-8);
        Assert.Contains(line.Figure.Factors, f => f.Id == "gwp/AR6.CH4_fossil" && f.Value == 29.8);
        Assert.Contains(line.Figure.Factors, f => f.Id == "gwp/AR6.N2O" && f.Value == 273);
        Assert.Equal("AR6", inventory.GwpSet);
    }

    [Fact]
    public void Compute_DieselInKg_ConvertsToTonnesForNcv()
    {
        // cn_fuel_ncv/diesel 42.652 GJ/t, cn_fuel_cc/diesel 20.20 tC/TJ, cn_fuel_of/diesel 0.98 (NDRC guideline defaults)
        // 2000 kg = 2 t × 42.652 = 85.304 GJ = 0.085304 TJ × 20.2 × 0.98 × 44/12 = 6.1917... tCO2
        var input = Given.Year(2023, new AccountingProfile(), Given.Metered("diesel", 2000, "kg", "D-tank"));

        var inventory = GhgCalculator.Compute(input, _library);

        Assert.Equal(2 * 42.652 / 1000 * 20.2 * 0.98 * 44 / 12, inventory.Scope1.Value, 1e-9);
    }

    [Fact]
    public void Compute_DieselInTonnesWithUnitScaleToKg_EnergyAndGhgAgree()
    {
        // UnitScale 1000 turns the t meter into the kg of coal_coef/diesel (1.4571 kgce/kg):
        // energy 2 t × 1000 × 1.4571 = 2914.2 kgce; GHG still 2 t × 42.652 GJ/t (not 2000 t).
        var profile = new AccountingProfile
        {
            Carriers = new Dictionary<string, CarrierAccounting>
            {
                ["diesel"] = new() { Role = CarrierRole.Fuel, CoalCoefficient = "diesel", Fuel = "diesel", UnitScale = 1000 },
            },
        };
        var input = Given.Year(2023, profile, Given.Metered("diesel", 2, "t", "D-tank"));

        var energy = EnergyCalculator.Compute(input, _library);
        var inventory = GhgCalculator.Compute(input, _library);

        Assert.Equal(2914.2, energy.Total.Value, 1e-9);
        Assert.Equal(2 * 42.652 / 1000 * 20.2 * 0.98 * 44 / 12, inventory.Scope1.Value, 1e-9);
    }

    [Fact]
    public void Compute_GasMeteredInUnitWithoutConversion_ThrowsAccountingException()
    {
        var input = Given.Year(2023, new AccountingProfile(), Given.Metered("natural_gas", 100, "kWh", "G-main"));

        Assert.Throws<AccountingException>(() => GhgCalculator.Compute(input, _library));
    }
}
