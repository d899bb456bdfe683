namespace GreenLoop.Accounting.Tests;

// Carbonate decomposition (standards.md §2.3): E = M × w × EF × F,
// EF CaCO3 0.43971 tCO2/t (process_ef_carbonate/CaCO3, IPCC 2006 Vol.3 Ch.2 Table 2.1).
public sealed class ProcessEmissionTests
{
    private static readonly ReferenceLibrary _library = ReferenceLibrary.Shipped;

    private static AccountingProfile Body(double calcined = 1) => new()
    {
        Carriers = new Dictionary<string, CarrierAccounting>
        {
            ["body_raw_material"] = new() { Role = CarrierRole.CarbonateMaterial, Carbonate = "CaCO3", CarbonateFraction = 0.05, CalcinedFraction = calcined },
        },
    };

    [Fact]
    public void Compute_1000tBodyWith5PercentCaCO3FullyCalcined_Is21Point9855()
    {
        // 1000 t × 0.05 × 0.43971 tCO2/t × 1 = 21.9855 tCO2
        var inventory = GhgCalculator.Compute(Given.Year(2023, Body(), Given.Metered("body_raw_material", 1000, "t", "scale-1")), _library);

        var line = Given.Line(inventory, "process", "body_raw_material");
        Assert.Equal(21.9855, line.Co2, 1e-9);
        Assert.Equal(21.9855, inventory.Scope1.Value, 1e-9);
        Assert.Equal("process_ef_carbonate/CaCO3", Assert.Single(line.Figure.Factors).Id);
        Assert.Contains("Table 2.1", Assert.Single(line.Figure.Factors).Source, StringComparison.Ordinal);
        Assert.Equal((1, 1), (line.Scope, line.IsoCategory));
    }

    [Fact]
    public void Compute_MeteredInKgHalfCalcined_ScalesBoth()
    {
        // 1,000,000 kg = 1000 t × 0.05 × 0.43971 × 0.5 calcined = 10.99275 tCO2
        var inventory = GhgCalculator.Compute(Given.Year(2023, Body(0.5), Given.Metered("body_raw_material", 1_000_000, "kg", "scale-1")), _library);

        Assert.Equal(10.99275, inventory.Scope1.Value, 1e-9);
    }

    [Fact]
    public void Compute_CarbonateMaterial_NotAnEnergyInput()
    {
        var energy = EnergyCalculator.Compute(Given.Year(2023, Body(), Given.Metered("body_raw_material", 1000, "t", "scale-1")), _library);

        Assert.Empty(energy.Lines);
        Assert.Empty(energy.NotCounted);
        Assert.Equal(0, energy.Total.Value);
    }
}
