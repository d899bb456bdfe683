namespace GreenLoop.Accounting.Tests;

// Unit-product energy against GB 21252-2023 Table 1 (standards.md §4.1), dry-pressed tile 0.2 % < E ≤ 0.5 %:
// energy_limit/GB 21252-2023.tile_dry_pressed_abs_0.2_0.5.L1/.L2/.L3 = 4.0 / 4.9 / 6.5 kgce/m2 × thickness factor.
// Coefficients: coal_coef/electricity_equivalent 0.1229 kgce/kWh, coal_coef/natural_gas_gasfield 1.2143 kgce/m3 (GB/T 2589).
public sealed class EnergyLimitTests
{
    private const string TileClass = "GB 21252-2023.tile_dry_pressed_abs_0.2_0.5";
    private static readonly ReferenceLibrary _library = ReferenceLibrary.Shipped;

    private static AccountingProfile Tile(double equalValue = 0, double thickness = 1) => new()
    {
        LimitClass = TileClass,
        LimitFactor = thickness,
        ElectricityEqualValue = equalValue == 0 ? new Dictionary<string, double>() : new Dictionary<string, double> { ["2026"] = equalValue },
    };

    [Fact]
    public void Compute_DemoPlantDay_Level1()
    {
        // One day of the demo plant: 90,000 kWh, 86,000 m3 gas, 30,000 m2 tile.
        // E = 90,000 × 0.1229 + 86,000 × 1.2143 = 11,061 + 104,429.8 = 115,490.8 kgce
        // e = 115,490.8 / 30,000 = 3.849693... kgce/m2 ≤ 4.0 → level 1
        var input = Given.Year(2026, Tile(),
            Given.Metered("electricity", 90_000, "kWh", "E-main"),
            Given.Metered("natural_gas", 86_000, "m3", "G-main"),
            Given.Metered("tile_output", 30_000, "m2", "packing-count"));

        var account = EnergyCalculator.Compute(input, _library);

        Assert.Equal(115_490.8, account.Total.Value, 1e-9);
        Assert.Equal(((90_000 * 0.1229) + (86_000 * 1.2143)) / 30_000, account.UnitEnergy!.Value, 1e-12);
        Assert.Equal(3.84969333, account.UnitEnergy.Value, 1e-8);
        Assert.Equal("kgce/m2", account.UnitEnergy.Unit);
        Assert.Equal(30_000, account.Output!.Value);
        var verdict = account.Verdict!;
        Assert.Equal(1, verdict.Level);
        Assert.Equal("GB 21252-2023", verdict.Standard);
        // The product class as the standard names it, in Chinese too (the reference row's Chinese name).
        Assert.Equal(_library.Find("energy_limit", TileClass + ".L1")!.NameZh, verdict.ProductClassZh);
        Assert.StartsWith("陶瓷砖(干压)", verdict.ProductClassZh, StringComparison.Ordinal);
        Assert.Equal((4.0, 4.9, 6.5), (verdict.Level1, verdict.Level2, verdict.Level3));
        Assert.Equal("kgce/m2", verdict.Unit);
        Assert.True(account.UnitEnergy.UsesUnverified);
    }

    [Theory]
    [InlineData(480_000, 1)]
    [InlineData(540_000, 2)]
    [InlineData(600_000, 3)]
    [InlineData(780_000, 3)]
    public void Compute_UnitEnergyAtLevelBoundaries_Level(double kwh, int level)
    {
        // Site equal value 0.25 kgce/kWh so the figures come out exact, over 30,000 m2:
        // 480,000 × 0.25 / 30,000 = 4.0 (= L1, limits are "≤": level 1)
        // 540,000 × 0.25 / 30,000 = 4.5 (4.0 < 4.5 ≤ 4.9: level 2)
        // 600,000 × 0.25 / 30,000 = 5.0 (4.9 < 5.0 ≤ 6.5: level 3)
        // 780,000 × 0.25 / 30,000 = 6.5 (= L3: level 3, meets the mandatory limit)
        var input = Given.Year(2026, Tile(0.25),
            Given.Metered("electricity", kwh, "kWh", "E-main"),
            Given.Metered("tile_output", 30_000, "m2", "packing-count"));

        var account = EnergyCalculator.Compute(input, _library);

        Assert.Equal(kwh * 0.25 / 30_000, account.UnitEnergy!.Value);
        Assert.Equal(level, account.Verdict!.Level);
    }

    [Theory]
    [InlineData(0.264, 1.0, 0.264, true)]
    [InlineData(1.0, 0.5, 0.5, true)]
    [InlineData(0.949, 1.0, 0.949, true)]
    [InlineData(0.95, 0.98, 0.95, false)]
    public void Compute_IncompleteData_VerdictProvisionalWithTheCompleteness(double electricityComplete, double outputComplete, double least, bool provisional)
    {
        // 480,000 kWh × 0.25 / 30,000 m2 = 4.0 kgce/m2: level 1 on the data, but only final at 95 % completeness or more
        // of every counted carrier and the output (the least complete decides).
        var input = Given.Year(2026, Tile(0.25),
            Given.Metered("electricity", 480_000, "kWh", "E-main", electricityComplete),
            Given.Metered("tile_output", 30_000, "m2", "packing-count", outputComplete));

        var verdict = EnergyCalculator.Compute(input, _library).Verdict!;

        Assert.Equal(1, verdict.Level);
        Assert.Equal((provisional, least), (verdict.Provisional, verdict.Completeness));
        if (provisional)
        {
            var pct = (least * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal($"provisional: the data is only {pct} % complete (a verdict needs 95 %); on the data so far: level 1 (most efficient)", verdict.Verdict);
            Assert.Equal($"暂定：数据完整率仅 {pct}%（判定需要 95%）；按现有数据：1级（先进）", verdict.VerdictZh);
        }
        else
        {
            Assert.Equal("level 1 (most efficient)", verdict.Verdict);
        }
    }

    [Fact]
    public void Compute_UnitEnergy7_AboveLevel3()
    {
        // 840,000 kWh × 0.25 / 30,000 m2 = 7.0 kgce/m2 > 6.5: exceeds the mandatory limit, no level.
        var input = Given.Year(2026, Tile(0.25),
            Given.Metered("electricity", 840_000, "kWh", "E-main"),
            Given.Metered("tile_output", 30_000, "m2", "packing-count"));

        var verdict = EnergyCalculator.Compute(input, _library).Verdict!;

        Assert.Equal(7.0, verdict.Value);
        Assert.Null(verdict.Level);
        Assert.Contains("exceeds", verdict.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_ThicknessFactor_ScalesLimits()
    {
        // Thickness factor 1.1 (GB 21252-2023 Table 2): limits 4.4 / 5.39 / 7.15; 7.0 kgce/m2 is now level 3.
        var input = Given.Year(2026, Tile(0.25, 1.1),
            Given.Metered("electricity", 840_000, "kWh", "E-main"),
            Given.Metered("tile_output", 30_000, "m2", "packing-count"));

        var verdict = EnergyCalculator.Compute(input, _library).Verdict!;

        Assert.Equal(4.0 * 1.1, verdict.Level1, 1e-12);
        Assert.Equal(6.5 * 1.1, verdict.Level3, 1e-12);
        Assert.Equal(3, verdict.Level);
    }

    [Fact]
    public void Compute_NoOutput_NoUnitEnergyNorVerdict()
    {
        var input = Given.Year(2026, Tile(), Given.Metered("electricity", 90_000, "kWh", "E-main"));

        var account = EnergyCalculator.Compute(input, _library);

        Assert.Null(account.Output);
        Assert.Null(account.UnitEnergy);
        Assert.Null(account.Verdict);
    }

    [Fact]
    public void Compute_UnknownLimitClass_ThrowsAccountingException()
    {
        var input = Given.Year(2026, new AccountingProfile { LimitClass = "GB 21252-2023.no_such_class" },
            Given.Metered("electricity", 1, "kWh", "E-main"),
            Given.Metered("tile_output", 1, "m2", "packing-count"));

        Assert.Throws<AccountingException>(() => EnergyCalculator.Compute(input, _library));
    }
}
