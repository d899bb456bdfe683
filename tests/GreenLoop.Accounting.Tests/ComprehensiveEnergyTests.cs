namespace GreenLoop.Accounting.Tests;

// Comprehensive energy consumption, GB/T 2589-2020 (standards.md §1.2-1.3): E = Σ eᵢ × pᵢ, energy supplied outside
// the boundary deducted. Coefficients:
//   coal_coef/electricity_equivalent 0.1229 kgce/kWh (equivalent value, 860 kcal; Energy Statistical Yearbook appendix)
//   coal_coef/natural_gas_gasfield   1.2143 kgce/m3  (8500/7000; row flagged UNVERIFIED against the 2020 text)
//   coal_coef/fresh_water            no number (UNVERIFIED: 0.2571 in the 2008 edition vs 0.0857 quoted as 2020)
public sealed class ComprehensiveEnergyTests
{
    private static readonly ReferenceLibrary _library = ReferenceLibrary.Shipped;
    private static readonly DateTimeOffset _overrideAt = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private static AccountingInput Plant(AccountingProfile? profile = null, params FactorOverride[] overrides) =>
        Given.Year(2025, profile ?? new AccountingProfile(),
            Given.Metered("electricity", 100_000, "kWh", "E-main"),
            Given.Metered("natural_gas", 50_000, "m3", "G-main"),
            Given.Exported("electricity", 10_000, "kWh", "E-export"),
            Given.Metered("fresh_water", 2_000, "t", "W-main")) with { Overrides = overrides };

    [Fact]
    public void Compute_GridGasAndExport_SumsWithExportDeducted()
    {
        //   100,000 kWh × 0.1229 = 12,290 kgce
        // + 50,000 m3 × 1.2143   = 60,715 kgce
        // − 10,000 kWh × 0.1229  =  1,229 kgce (supplied outside the boundary)
        // = 71,776 kgce = 71.776 tce
        var account = EnergyCalculator.Compute(Plant(), _library);

        Assert.Equal((100_000 * 0.1229) + (50_000 * 1.2143) - (10_000 * 0.1229), account.Total.Value, 1e-9);
        Assert.Equal(71_776, account.Total.Value, 1e-9);
        Assert.Equal(71.776, account.Total.Value / 1000, 1e-12);
        Assert.Equal("kgce", account.Total.Unit);
        var export = Assert.Single(account.Lines, l => l.Key == "energy.electricity.export");
        Assert.Equal(-1229, export.Value, 1e-9);
        Assert.Equal(account.Lines, account.Total.Parts);
    }

    [Fact]
    public void Compute_GasCoefficientUnverified_TotalUsesUnverified()
    {
        var account = EnergyCalculator.Compute(Plant(), _library);

        var gas = Assert.Single(account.Lines, l => l.Key == "energy.natural_gas");
        var coefficient = Assert.Single(gas.Factors);
        Assert.Equal("coal_coef/natural_gas_gasfield", coefficient.Id);
        Assert.True(coefficient.Unverified);
        Assert.True(gas.UsesUnverified);
        Assert.True(account.Total.UsesUnverified);
        Assert.False(Assert.Single(account.Lines, l => l.Key == "energy.electricity").UsesUnverified);
    }

    [Fact]
    public void Compute_FreshWaterWithoutNumber_NotCountedWithHowToCount()
    {
        var account = EnergyCalculator.Compute(Plant(), _library);

        var water = Assert.Single(account.NotCounted);
        Assert.Equal("fresh_water", water.Carrier);
        Assert.Equal(2_000, water.Quantity);
        Assert.Equal("t", water.Unit);
        Assert.Contains("coal_coef/fresh_water", water.Reason, StringComparison.Ordinal);
        Assert.Contains("override", water.Reason, StringComparison.Ordinal);
        // The same reason in Chinese, for the pages and workbooks in zh-CN.
        Assert.Contains("coal_coef/fresh_water", water.ReasonZh, StringComparison.Ordinal);
        Assert.Contains("覆盖值", water.ReasonZh, StringComparison.Ordinal);
        Assert.DoesNotContain(account.Lines, l => l.Key == "energy.fresh_water");
    }

    [Fact]
    public void Compute_FreshWaterOverride_CountedWithOverrideInLineage()
    {
        // Site override: 0.2571 kgce/t (GB/T 2589-2008 Annex B value, 7.54 MJ/t), adopted by the plant.
        // 71,776 + 2,000 t × 0.2571 = 71,776 + 514.2 = 72,290.2 kgce
        var o = new FactorOverride("coal_coef/fresh_water", null, 0.2571, "kgce/t", "2008 Annex B value adopted by the plant", "tester", _overrideAt);

        var account = EnergyCalculator.Compute(Plant(null, o), _library);

        Assert.Empty(account.NotCounted);
        Assert.Equal(72_290.2, account.Total.Value, 1e-9);
        var water = Assert.Single(account.Lines, l => l.Key == "energy.fresh_water");
        Assert.Equal(514.2, water.Value, 1e-9);
        var use = Assert.Single(water.Factors);
        Assert.Equal("coal_coef/fresh_water", use.Id);
        Assert.Equal(0.2571, use.Value);
        Assert.Same(o, use.Override);
        Assert.False(use.Unverified);
        Assert.Contains("override", use.Source, StringComparison.Ordinal);
        Assert.Contains("2008 Annex B value adopted by the plant", use.Source, StringComparison.Ordinal);
        Assert.Contains("tester", use.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_OverrideForAnotherYear_NotApplied()
    {
        var o = new FactorOverride("coal_coef/fresh_water", "2024", 0.2571, "kgce/t", "2008 Annex B value adopted by the plant", "tester", _overrideAt);

        var account = EnergyCalculator.Compute(Plant(null, o), _library);

        Assert.Equal("fresh_water", Assert.Single(account.NotCounted).Carrier);
        Assert.Equal(71_776, account.Total.Value, 1e-9);
    }

    [Fact]
    public void Compute_EqualValueForTheYear_ReplacesEquivalentValue()
    {
        // Site-declared equal value (等价值) for 2025: 0.3 kgce/kWh (GB/T 2589: that year's thermal-power coal rate)
        //   100,000 kWh × 0.3 = 30,000
        // + 50,000 m3 × 1.2143 = 60,715
        // − 10,000 kWh × 0.3  =  3,000
        // = 87,715 kgce
        var profile = new AccountingProfile { ElectricityEqualValue = new Dictionary<string, double> { ["2025"] = 0.3 } };

        var account = EnergyCalculator.Compute(Plant(profile), _library);

        Assert.Equal((100_000 * 0.3) + (50_000 * 1.2143) - (10_000 * 0.3), account.Total.Value, 1e-9);
        Assert.Equal(87_715, account.Total.Value, 1e-9);
        var use = Assert.Single(Assert.Single(account.Lines, l => l.Key == "energy.electricity").Factors);
        Assert.Equal("coal_coef/electricity_equal_value", use.Id);
        Assert.Equal(0.3, use.Value);
        Assert.Equal("2025", use.Year);
    }

    [Fact]
    public void Compute_EqualValueForAnotherYear_KeepsEquivalentValue()
    {
        var profile = new AccountingProfile { ElectricityEqualValue = new Dictionary<string, double> { ["2024"] = 0.3 } };

        var account = EnergyCalculator.Compute(Plant(profile), _library);

        Assert.Equal(71_776, account.Total.Value, 1e-9);
        Assert.Equal("coal_coef/electricity_equivalent", Assert.Single(Assert.Single(account.Lines, l => l.Key == "energy.electricity").Factors).Id);
    }

    [Fact]
    public void Compute_OnSitePv_CountedAtEquivalentValue()
    {
        // Rooftop PV consumed on site: 20,000 kWh × 0.1229 = 2,458 kgce; no Scope 2.
        var input = Given.Year(2025, new AccountingProfile(), Given.Metered("pv_electricity", 20_000, "kWh", "PV-1"));

        var account = EnergyCalculator.Compute(input, _library);
        var inventory = GhgCalculator.Compute(input, _library);

        Assert.Equal(2_458, account.Total.Value, 1e-9);
        Assert.Empty(inventory.Lines);
    }
}
