namespace GreenLoop.Accounting.Tests;

// Scope 2 purchased electricity. Grid factors: MEE/NBS, standards.md §3; the market-based rule: GHG Protocol Scope 2
// Guidance and the platform treatment of China GECs, standards.md §6.1-6.2.
public sealed class GridElectricityTests
{
    private static readonly ReferenceLibrary _library = ReferenceLibrary.Shipped;

    [Fact]
    public void Compute_NationalFactor2023_IsMwhTimesNationalAverage()
    {
        // 1,000,000 kWh = 1000 MWh
        // × 0.5306 tCO2/MWh (grid_ef/CN.national.2023, MEE/NBS announcement 2025 No.47, national average)
        // = 530.6 tCO2
        var input = Given.Year(2023, new AccountingProfile { GridFactor = "CN.national" },
            Given.Metered("electricity", 1_000_000, "kWh", "E-main"));

        var inventory = GhgCalculator.Compute(input, _library);

        var line = Given.Line(inventory, "electricity", "electricity", "location");
        Assert.Equal(1000 * 0.5306, line.Co2, 1e-9);
        Assert.Equal(530.6, inventory.Scope2Location.Value, 1e-9);
        var factor = Assert.Single(line.Figure.Factors);
        Assert.Equal("grid_ef/CN.national.2023", factor.Id);
        Assert.Equal("2023", factor.Year);
        Assert.Contains("2025年第47号", factor.Source, StringComparison.Ordinal);
        Assert.Equal(2, line.Scope);
        Assert.Equal(2, line.IsoCategory);
    }

    [Fact]
    public void GridFactor_GuangdongSiteWithoutProfileFactor_PicksProvince2023()
    {
        // Site grid region CN-Guangdong, no GridFactor in the profile: the provincial factor comes first.
        // 广东 2023 = 0.4419 tCO2/MWh (grid_ef/CN.province.guangdong.2023, MEE/NBS announcement 2025 No.47)
        // 1000 MWh × 0.4419 = 441.9 tCO2
        var input = Given.Year(2023, new AccountingProfile(), Given.Metered("electricity", 1_000_000, "kWh", "E-main")) with { GridRegion = "CN-Guangdong" };

        var factor = GhgCalculator.GridFactor(input, new FactorResolver(_library, [], 2023));
        var inventory = GhgCalculator.Compute(input, _library);

        Assert.Equal("grid_ef/CN.province.guangdong.2023", factor.Id);
        Assert.Equal(0.4419, factor.Value);
        Assert.Equal(441.9, inventory.Scope2Location.Value, 1e-9);
    }

    [Fact]
    public void GridFactor_Guangdong2022_PicksProvince2022()
    {
        // 广东 2022 = 0.4403 (grid_ef/CN.province.guangdong.2022, MEE/NBS announcement 2024 No.33)
        var input = Given.Year(2022, new AccountingProfile(), Given.Metered("electricity", 1, "kWh", "E-main")) with { GridRegion = "CN-Guangdong" };

        var factor = GhgCalculator.GridFactor(input, new FactorResolver(_library, [], 2022));

        Assert.Equal("grid_ef/CN.province.guangdong.2022", factor.Id);
        Assert.Equal(0.4403, factor.Value);
    }

    [Fact]
    public void Compute_ReportingYear2026_UsesLatestPublished2023Factors()
    {
        // Factors lag about two years (standards.md §3): for 2026 the latest published at or before is 2023.
        // Location: 1000 MWh × 0.5306 (CN.national.2023) = 530.6 tCO2
        // Market:   1000 MWh × 0.6096 (CN.national_excl_market_nonfossil.2023) = 609.6 tCO2
        var input = Given.Year(2026, new AccountingProfile { GridFactor = "CN.national" },
            Given.Metered("electricity", 1_000_000, "kWh", "E-main"));

        var inventory = GhgCalculator.Compute(input, _library);

        Assert.Equal("grid_ef/CN.national.2023", Assert.Single(Given.Line(inventory, "electricity", "electricity", "location").Figure.Factors).Id);
        Assert.Equal("grid_ef/CN.national_excl_market_nonfossil.2023", Assert.Single(Given.Line(inventory, "electricity", "electricity", "market").Figure.Factors).Id);
        Assert.Equal(530.6, inventory.Scope2Location.Value, 1e-9);
        Assert.Equal(609.6, inventory.Scope2Market.Value, 1e-9);
    }

    [Fact]
    public void Compute_ProfileFactorYear2021_UsesThatYear()
    {
        // GridFactorYear pins the year: 1000 MWh × 0.5568 (CN.national.2021, MEE/NBS announcement 2024 No.12) = 556.8 tCO2
        var input = Given.Year(2026, new AccountingProfile { GridFactor = "CN.national", GridFactorYear = 2021 },
            Given.Metered("electricity", 1_000_000, "kWh", "E-main"));

        var inventory = GhgCalculator.Compute(input, _library);

        Assert.Equal(556.8, inventory.Scope2Location.Value, 1e-9);
    }

    [Fact]
    public void Compute_MarketBasedWith200MwhGec_DeductsCertificatesAndUsesResidualFactor()
    {
        // Market-based (GHG Protocol Scope 2 hierarchy; standards.md §6.2 platform treatment):
        // GEC-covered MWh count zero; the rest × 0.6096 tCO2/MWh
        // (grid_ef/CN.national_excl_market_nonfossil.2023, MEE/NBS announcement 2025 No.47, residual-mix proxy)
        // (1000 − 200) MWh × 0.6096 = 487.68 tCO2
        // A GEC for a month outside the period (2024-01) is not deducted.
        var profile = new AccountingProfile
        {
            GridFactor = "CN.national",
            GreenPower =
            [
                new GreenPowerPurchase { Period = "2023-06", Mwh = 150 },
                new GreenPowerPurchase { Period = "2023-11", Mwh = 50, Instrument = "contract" },
                new GreenPowerPurchase { Period = "2024-01", Mwh = 300 },
            ],
        };
        var input = Given.Year(2023, profile, Given.Metered("electricity", 1_000_000, "kWh", "E-main"));

        var inventory = GhgCalculator.Compute(input, _library);

        Assert.Equal((1000 - 200) * 0.6096, Given.Line(inventory, "electricity", "electricity", "market").Co2, 1e-9);
        Assert.Equal(487.68, inventory.Scope2Market.Value, 1e-9);
        Assert.Equal(530.6, inventory.Scope2Location.Value, 1e-9);
        Assert.Equal(487.68, inventory.TotalMarket.Value, 1e-9);
    }

    [Fact]
    public void Compute_GecsExceedConsumption_MarketBasedIsZeroNotNegative()
    {
        // 100 MWh consumed, 300 MWh of GECs: covered MWh = min(100, 300) = 100; (100 − 100) × 0.6096 = 0
        var profile = new AccountingProfile { GridFactor = "CN.national", GreenPower = [new GreenPowerPurchase { Period = "2023-03", Mwh = 300 }] };
        var input = Given.Year(2023, profile, Given.Metered("electricity", 100_000, "kWh", "E-main"));

        var inventory = GhgCalculator.Compute(input, _library);

        Assert.Equal(0, inventory.Scope2Market.Value);
    }

    [Fact]
    public void Compute_MeteredInMwh_SameAsKwh()
    {
        // 1000 MWh metered as MWh: 1000 × 0.5306 = 530.6 tCO2, as for 1,000,000 kWh.
        var input = Given.Year(2023, new AccountingProfile { GridFactor = "CN.national" }, Given.Metered("electricity", 1000, "MWh", "E-main"));

        var inventory = GhgCalculator.Compute(input, _library);

        Assert.Equal(530.6, inventory.Scope2Location.Value, 1e-9);
    }

    [Fact]
    public void Compute_MwhMeterWithDocumentedUnitScale_EnergyAndGhgAgree()
    {
        // CarrierAccounting.UnitScale: "multiply the carrier's unit by this to get the unit of the reference rows
        // (e.g. MWh -> kWh: 1000)". With a MWh meter and UnitScale 1000:
        // energy: 1000 MWh × 1000 = 1,000,000 kWh × 0.1229 kgce/kWh (coal_coef/electricity_equivalent) = 122,900 kgce
        // GHG:    1,000,000 kWh = 1000 MWh × 0.5306 tCO2/MWh = 530.6 tCO2 (not 1000 times that)
        var profile = new AccountingProfile
        {
            GridFactor = "CN.national",
            Carriers = new Dictionary<string, CarrierAccounting>
            {
                ["electricity"] = new() { Role = CarrierRole.Electricity, CoalCoefficient = "electricity_equivalent", UnitScale = 1000 },
            },
        };
        var input = Given.Year(2023, profile, Given.Metered("electricity", 1000, "MWh", "E-main"));

        var energy = EnergyCalculator.Compute(input, _library);
        var inventory = GhgCalculator.Compute(input, _library);

        Assert.Equal(122_900, energy.Total.Value, 1e-6);
        Assert.Equal(530.6, inventory.Scope2Location.Value, 1e-9);
        Assert.Equal(609.6, inventory.Scope2Market.Value, 1e-9);
    }

    [Fact]
    public void Compute_ExportedElectricity_NotInScope2()
    {
        // Scope 2 counts purchased electricity only; exported kWh are deducted from energy, not added to Scope 2.
        var input = Given.Year(2023, new AccountingProfile { GridFactor = "CN.national" },
            Given.Metered("electricity", 1_000_000, "kWh", "E-main"),
            Given.Exported("electricity", 10_000, "kWh", "E-export"));

        var inventory = GhgCalculator.Compute(input, _library);

        Assert.Equal(530.6, inventory.Scope2Location.Value, 1e-9);
    }

    [Fact]
    public void Compute_NoFactorPublishedByYear_ThrowsAccountingException()
    {
        // The earliest national factor is 2021; a 2020 inventory has none at or before its year.
        var input = Given.Year(2020, new AccountingProfile { GridFactor = "CN.national" }, Given.Metered("electricity", 1, "kWh", "E-main"));

        Assert.Throws<AccountingException>(() => GhgCalculator.Compute(input, _library));
    }
}
