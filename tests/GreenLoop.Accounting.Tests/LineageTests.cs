namespace GreenLoop.Accounting.Tests;

// A figure carries what it is made of: parts, activity data (meters, completeness) and factors (ids, sources).
public sealed class LineageTests
{
    private static readonly ReferenceLibrary _library = ReferenceLibrary.Shipped;

    private static AccountingInput Month(double gasCompleteness) => new()
    {
        Site = "demo",
        Period = "2026-10",
        Year = 2026,
        Months = ["2026-10"],
        GridRegion = "CN-Guangdong",
        Profile = new AccountingProfile { LimitClass = "GB 21252-2023.tile_dry_pressed_abs_0.2_0.5" },
        Activity =
        [
            new CarrierActivity("electricity", "kWh", false, 2_700_000, ["E-main"], 1),
            new CarrierActivity("natural_gas", "m3", false, 2_580_000, ["G-main", "G-dryer"], gasCompleteness),
            new CarrierActivity("tile_output", "m2", false, 900_000, ["packing-count"], 0.98),
        ],
    };

    private static IEnumerable<Figure> Tree(Figure f) => f.Parts.SelectMany(Tree).Prepend(f);

    [Fact]
    public void UnitEnergy_Lineage_ReachesMetersAndFactorIds()
    {
        var unit = EnergyCalculator.Compute(Month(1), _library).UnitEnergy!;

        var tree = Tree(unit).ToList();
        Assert.Equal(
            ["E-main", "G-dryer", "G-main", "packing-count"],
            tree.SelectMany(f => f.Activity).SelectMany(a => a.Meters).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(
            ["coal_coef/electricity_equivalent", "coal_coef/natural_gas_gasfield"],
            tree.SelectMany(f => f.Factors).Select(f => f.Id).Distinct().Order(StringComparer.Ordinal));
        Assert.All(tree.SelectMany(f => f.Activity), a => Assert.Equal("2026-10", a.Period));
        Assert.All(tree.SelectMany(f => f.Factors), f => Assert.Equal(ReferenceLibrary.Version, f.LibraryVersion));
        Assert.Equal(["energy.total", "output"], unit.Parts.Select(p => p.Key));
    }

    [Fact]
    public void GhgTotal_Lineage_ReachesGridFactorAndFuelDefaults()
    {
        var total = GhgCalculator.Compute(Month(1), _library).TotalLocation;

        var ids = Tree(total).SelectMany(f => f.Factors).Select(f => f.Id).ToHashSet();
        Assert.Contains("grid_ef/CN.province.guangdong.2023", ids);
        Assert.Contains("cn_fuel_ncv/natural_gas", ids);
        Assert.DoesNotContain("grid_ef/CN.national_excl_market_nonfossil.2023", ids);
        Assert.Contains("G-dryer", Tree(total).SelectMany(f => f.Activity).SelectMany(a => a.Meters));
    }

    [Fact]
    public void Completeness_IsMinimumOverTheTree()
    {
        // electricity 1, gas 0.95, output 0.98: the total's minimum is the gas; the unit figure's includes the output.
        var account = EnergyCalculator.Compute(Month(0.95), _library);

        Assert.Equal(0.95, account.Total.Completeness);
        Assert.Equal(0.95, account.UnitEnergy!.Completeness);
        Assert.Equal(1, Assert.Single(account.Lines, l => l.Key == "energy.electricity").Completeness);
        Assert.True(account.Total.Estimated);
        Assert.False(Assert.Single(account.Lines, l => l.Key == "energy.electricity").Estimated);
    }

    [Fact]
    public void Completeness_OutputLowest_UnitFigureEstimatedButTotalNot()
    {
        var account = EnergyCalculator.Compute(Month(1), _library);

        Assert.Equal(1, account.Total.Completeness);
        Assert.False(account.Total.Estimated);
        Assert.Equal(0.98, account.UnitEnergy!.Completeness);
        Assert.True(account.UnitEnergy.Estimated);
    }

    [Fact]
    public void Estimated_OneMissingMinuteInAMonth_IsEstimated()
    {
        // 31 days × 1440 = 44,640 minutes; one missing: 44,639 / 44,640 = 0.99998 < 1.
        var account = EnergyCalculator.Compute(Month(44_639.0 / 44_640), _library);

        Assert.True(account.Total.Estimated);
    }

    [Fact]
    public void Figure_WithoutActivity_CompletenessOne()
    {
        var f = new Figure("x", "x", "x", 0, "kgce", "", [], [], []);

        Assert.Equal(1, f.Completeness);
        Assert.False(f.Estimated);
        Assert.False(f.UsesUnverified);
    }

    [Fact]
    public void UsesUnverified_FromADeepPart_PropagatesUp()
    {
        var unverified = new FactorUse("coal_coef/x", "X", "X", 1, "kgce/t", "src", "2020", true, ReferenceLibrary.Version);
        var leaf = new Figure("leaf", "l", "l", 1, "kgce", "", [], [unverified], []);
        var root = new Figure("root", "r", "r", 1, "kgce", "", [], [], [new Figure("mid", "m", "m", 1, "kgce", "", [], [], [leaf])]);

        Assert.True(root.UsesUnverified);
    }
}
