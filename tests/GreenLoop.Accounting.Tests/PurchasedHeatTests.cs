namespace GreenLoop.Accounting.Tests;

// Purchased heat: energy at coal_coef/heat_equivalent 0.03412 kgce/MJ (GB/T 2589; = 1/29.3076), Scope 2 at
// heat_ef/CN.purchased_heat 0.11 tCO2/GJ (NDRC guideline default, standards.md §2.2).
public sealed class PurchasedHeatTests
{
    private static readonly ReferenceLibrary _library = ReferenceLibrary.Shipped;

    [Fact]
    public void Compute_HeatInGj_EnergyAndScope2()
    {
        // GHG: 10 GJ × 0.11 = 1.1 tCO2. Energy with UnitScale 1000 (GJ -> MJ of the coefficient): 10,000 MJ × 0.03412 = 341.2 kgce.
        var profile = new AccountingProfile
        {
            Carriers = new Dictionary<string, CarrierAccounting>
            {
                ["heat"] = new() { Role = CarrierRole.Heat, CoalCoefficient = "heat_equivalent", UnitScale = 1000 },
            },
        };
        var input = Given.Year(2025, profile, Given.Metered("heat", 10, "GJ", "H-main"));

        var energy = EnergyCalculator.Compute(input, _library);
        var inventory = GhgCalculator.Compute(input, _library);

        Assert.Equal(341.2, energy.Total.Value, 1e-9);
        Assert.Equal(1.1, Given.Line(inventory, "heat", "heat").Co2, 1e-12);
        Assert.Equal(1.1, inventory.Scope2Location.Value, 1e-12);
        Assert.Equal(1.1, inventory.Scope2Market.Value, 1e-12);
    }

    [Fact]
    public void Compute_HeatInMj_ConvertsToGj()
    {
        // 10,000 MJ = 10 GJ × 0.11 = 1.1 tCO2; energy 10,000 MJ × 0.03412 = 341.2 kgce.
        var input = Given.Year(2025, new AccountingProfile(), Given.Metered("heat", 10_000, "MJ", "H-main"));

        Assert.Equal(341.2, EnergyCalculator.Compute(input, _library).Total.Value, 1e-9);
        Assert.Equal(1.1, GhgCalculator.Compute(input, _library).Scope2Location.Value, 1e-12);
    }

    [Fact]
    public void Compute_SteamInTonnes_NotCountedInGhgWithReason()
    {
        // Steam metered by mass has no heat content to apply tCO2/GJ to; it is listed, not silently dropped.
        var input = Given.Year(2025, new AccountingProfile(), Given.Metered("steam", 50, "t", "S-main"));

        var missing = Assert.Single(GhgCalculator.Compute(input, _library).NotCounted);

        Assert.Equal("steam", missing.Carrier);
        Assert.Contains("GJ", missing.Reason, StringComparison.Ordinal);
    }
}
