using System.Globalization;
using static GreenLoop.Accounting.EnergyCalculator;

namespace GreenLoop.Accounting;

/// <summary>One source line of an inventory, in tCO2e, with its scope and ISO 14064-1 category.</summary>
/// <param name="Scope">1 or 2 (GHG Protocol).</param>
/// <param name="IsoCategory">ISO 14064-1:2018 category: 1 direct, 2 indirect from imported energy.</param>
/// <param name="Source">combustion, process, electricity, heat.</param>
/// <param name="Carrier">Carrier or material key.</param>
/// <param name="Basis">Scope 2 only: location or market; null for Scope 1.</param>
/// <param name="Co2">tCO2.</param>
/// <param name="Ch4">tCH4 (IPCC method only).</param>
/// <param name="N2o">tN2O (IPCC method only).</param>
/// <param name="Figure">tCO2e with its lineage.</param>
public sealed record GhgLine(int Scope, int IsoCategory, string Source, string Carrier, string? Basis, double Co2, double Ch4, double N2o, Figure Figure);

/// <summary>A GHG inventory of a site and period.</summary>
public sealed record GhgInventory(
    string Site, string Period, string Method, string GwpSet, IReadOnlyList<GhgLine> Lines,
    Figure Scope1, Figure Scope2Location, Figure Scope2Market, Figure TotalLocation, Figure TotalMarket,
    Figure? IntensityLocation, IReadOnlyList<NotCounted> NotCounted, Figure? IntensityMarket = null)
{
    /// <summary>The method's name in Chinese.</summary>
    public string MethodZh => FormulaText.Zh(Method);
}

/// <summary>
/// Scope 1 stationary combustion (Chinese guideline method: FC × NCV × CC × OF × 44/12, or IPCC 2006 per-gas factors
/// with a GWP set), Scope 1 carbonate process emissions (M × w × EF × F), Scope 2 purchased electricity (location- and
/// market-based) and heat.
/// </summary>
public static class GhgCalculator
{
    private const double CarbonToCo2 = 44.0 / 12.0;

    public static GhgInventory Compute(AccountingInput input, ReferenceLibrary library)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(library);
        var factors = new FactorResolver(library, input.Overrides, input.Year);
        var profile = input.Profile;
        var ipcc = string.Equals(profile.CombustionMethod, "ipcc", StringComparison.OrdinalIgnoreCase);
        var lines = new List<GhgLine>();
        var notCounted = new List<NotCounted>();
        double output = 0;
        string? outputUnit = null;
        var outputActivity = new List<ActivityData>();

        foreach (var a in input.Activity.Where(x => !x.Export))
        {
            var acc = profile.For(a.Carrier);
            var activity = new ActivityData(a.Carrier, a.Quantity, a.Unit, a.Meters, input.Period, a.Completeness);
            switch (acc.Role)
            {
                case CarrierRole.Fuel when acc.Fuel is not null:
                    lines.Add(ipcc ? CombustionIpcc(a, acc, activity, factors, profile.GwpSet) : CombustionGuideline(a, acc, activity, factors));
                    break;
                case CarrierRole.Fuel:
                    notCounted.Add(new NotCounted(a.Carrier, a.Quantity, a.Unit, "no fuel defaults are configured for this fuel", "未为该燃料配置缺省排放参数"));
                    break;
                case CarrierRole.CarbonateMaterial:
                    lines.Add(Process(a, acc, activity, factors));
                    break;
                case CarrierRole.Electricity:
                    lines.AddRange(Electricity(input, a, acc, activity, factors));
                    break;
                case CarrierRole.Heat:
                    if (HeatGj(Scaled(a, acc, factors.Library)) is { } gj) lines.Add(Heat(a, gj, activity, factors));
                    else notCounted.Add(new NotCounted(a.Carrier, a.Quantity, a.Unit, $"heat must be metered in GJ or MJ to apply tCO2/GJ; '{a.Unit}' needs a conversion",
                        $"热力须以 GJ 或 MJ 计量才能套用 tCO2/GJ；'{a.Unit}' 需要换算"));
                    break;
                case CarrierRole.ProductOutput:
                    output += a.Quantity;
                    outputUnit = a.Unit;
                    outputActivity.Add(activity);
                    break;
            }
        }

        Figure Sum(string key, string label, string zh, IEnumerable<GhgLine> parts, string formula)
        {
            var list = parts.Select(p => p.Figure).ToList();
            return new Figure(key, label, zh, list.Sum(p => p.Value), "tCO2e", formula, [], [], list);
        }

        var scope1 = Sum("ghg.scope1", "Scope 1 (direct)", "范围一（直接排放）", lines.Where(l => l.Scope == 1), "Σ combustion + Σ process");
        var s2l = Sum("ghg.scope2.location", "Scope 2, location-based", "范围二（基于位置）", lines.Where(l => l.Scope == 2 && l.Basis != "market"), "Σ purchased electricity × grid factor + Σ heat × factor");
        var s2m = Sum("ghg.scope2.market", "Scope 2, market-based", "范围二（基于市场）", lines.Where(l => l.Scope == 2 && l.Basis != "location"), "Σ (electricity − green certificates and contracts) × residual factor + Σ heat × factor");
        var totalL = new Figure("ghg.total.location", "Total (Scope 1 + Scope 2 location-based)", "合计（范围一+范围二基于位置）", scope1.Value + s2l.Value, "tCO2e", "Scope 1 + Scope 2 (location)", [], [], [scope1, s2l]);
        var totalM = new Figure("ghg.total.market", "Total (Scope 1 + Scope 2 market-based)", "合计（范围一+范围二基于市场）", scope1.Value + s2m.Value, "tCO2e", "Scope 1 + Scope 2 (market)", [], [], [scope1, s2m]);
        Figure? intensity = null, intensityMarket = null;
        if (output > 0)
        {
            var outFigure = new Figure("output", "Qualified output", "合格产品产量", output, outputUnit ?? "", "Σ output meters", outputActivity, [], []);
            intensity = new Figure("ghg.intensity", "Carbon intensity (location-based)", "碳排放强度（基于位置）", totalL.Value * 1000 / output, $"kgCO2e/{outputUnit}",
                $"{Num(totalL.Value)} tCO2e × 1000 / {Num(output)} {outputUnit}", [], [], [totalL, outFigure]);
            intensityMarket = new Figure("ghg.intensity.market", "Carbon intensity (market-based)", "碳排放强度（基于市场）", totalM.Value * 1000 / output, $"kgCO2e/{outputUnit}",
                $"{Num(totalM.Value)} tCO2e × 1000 / {Num(output)} {outputUnit}", [], [], [totalM, outFigure]);
        }
        return new GhgInventory(input.Site, input.Period, ipcc ? "IPCC 2006 per-gas" : "Chinese guideline (NCV × CC × OF × 44/12)", profile.GwpSet,
            lines, scope1, s2l, s2m, totalL, totalM, intensity, notCounted, intensityMarket);
    }

    /// <summary>
    /// The activity in the unit the conversions below work from. <see cref="CarrierAccounting.UnitScale"/> turns the meter's
    /// unit into the unit of the carrier's reference rows (the "per" unit of its coal coefficient, e.g. kgce/kg -> kg; kWh for
    /// electricity; t for carbonates), so a scaled quantity is in that unit, no longer in the meter's: converting it again
    /// by the meter's unit would apply the scale twice.
    /// </summary>
    private static (double Quantity, string Unit) Scaled(CarrierActivity a, CarrierAccounting acc, ReferenceLibrary library, string? referenceUnit = null)
    {
        if (acc.UnitScale == 1) return (a.Quantity, a.Unit);
        var coefficientUnit = acc.CoalCoefficient is { } key ? library.Find("coal_coef", key)?.Unit : null;
        var unit = referenceUnit
            ?? (coefficientUnit?.IndexOf('/', StringComparison.Ordinal) is { } slash and >= 0 ? coefficientUnit[(slash + 1)..] : null)
            ?? throw new AccountingException($"carrier '{a.Carrier}' sets unitScale but names no coal coefficient whose unit says what the scaled quantity is in");
        return (a.Quantity * acc.UnitScale, unit);
    }

    /// <summary>Activity in GJ from the guideline NCV, converting the (scaled) activity unit to the NCV's denominator.</summary>
    private static (double Gj, string Formula) Heat(CarrierActivity a, (double Quantity, string Unit) scaled, FactorUse ncv)
    {
        var (q, unit) = scaled;
        var (perUnit, how) = ncv.Unit switch
        {
            "GJ/10^4Nm3" when unit is "m3" or "Nm3" => (ncv.Value / 10_000, $"{Num(q)} {unit} / 10⁴ × {Num(ncv.Value)} GJ/10⁴Nm³"),
            "GJ/t" when unit == "t" => (ncv.Value, $"{Num(q)} t × {Num(ncv.Value)} GJ/t"),
            "GJ/t" when unit == "kg" => (ncv.Value / 1000, $"{Num(q)} kg / 1000 × {Num(ncv.Value)} GJ/t"),
            _ => throw new AccountingException($"carrier '{a.Carrier}' is metered in '{a.Unit}' but its calorific value {ncv.Id} is per '{ncv.Unit}'; set unitScale or meter in a matching unit"),
        };
        return (q * perUnit, how);
    }

    private static GhgLine CombustionGuideline(CarrierActivity a, CarrierAccounting acc, ActivityData activity, FactorResolver f)
    {
        var ncv = f.Require("cn_fuel_ncv", acc.Fuel!);
        var cc = f.Require("cn_fuel_cc", acc.Fuel!);
        var of = f.Require("cn_fuel_of", acc.Fuel!);
        var (gj, how) = Heat(a, Scaled(a, acc, f.Library), ncv);
        var co2 = gj / 1000 * cc.Value * of.Value * CarbonToCo2;
        var figure = new Figure($"ghg.scope1.combustion.{a.Carrier}", $"Combustion: {CarrierNames.En(a.Carrier)}", $"化石燃料燃烧：{CarrierNames.Zh(a.Carrier)}", co2, "tCO2e",
            $"{how} = {Num(gj)} GJ; × {Num(cc.Value)} tC/TJ / 1000 × {Num(of.Value)} × 44/12", [activity], [ncv, cc, of], []);
        return new GhgLine(1, 1, "combustion", a.Carrier, null, co2, 0, 0, figure);
    }

    private static GhgLine CombustionIpcc(CarrierActivity a, CarrierAccounting acc, ActivityData activity, FactorResolver f, string gwpSet)
    {
        var ncv = f.Require("cn_fuel_ncv", acc.Fuel!);
        var (gj, how) = Heat(a, Scaled(a, acc, f.Library), ncv);
        var tj = gj / 1000;
        var efCo2 = f.Require("ipcc_ef_co2", acc.Fuel!);
        var efCh4 = f.Require("ipcc_ef_ch4", acc.Fuel!);
        var efN2o = f.Require("ipcc_ef_n2o", acc.Fuel!);
        var gwpCh4 = f.Find("gwp", $"{gwpSet}.CH4_fossil") ?? f.Require("gwp", $"{gwpSet}.CH4");
        var gwpN2o = f.Require("gwp", $"{gwpSet}.N2O");
        double co2 = tj * efCo2.Value / 1000, ch4 = tj * efCh4.Value / 1000, n2o = tj * efN2o.Value / 1000;
        var co2e = co2 + ch4 * gwpCh4.Value + n2o * gwpN2o.Value;
        var figure = new Figure($"ghg.scope1.combustion.{a.Carrier}", $"Combustion: {CarrierNames.En(a.Carrier)}", $"化石燃料燃烧：{CarrierNames.Zh(a.Carrier)}", co2e, "tCO2e",
            $"{how} = {Num(tj)} TJ; CO2 {Num(efCo2.Value)} + CH4 {Num(efCh4.Value)} × {Num(gwpCh4.Value)} + N2O {Num(efN2o.Value)} × {Num(gwpN2o.Value)} (kg/TJ) / 1000",
            [activity], [ncv, efCo2, efCh4, efN2o, gwpCh4, gwpN2o], []);
        return new GhgLine(1, 1, "combustion", a.Carrier, null, co2, ch4, n2o, figure);
    }

    private static GhgLine Process(CarrierActivity a, CarrierAccounting acc, ActivityData activity, FactorResolver f)
    {
        var ef = f.Require("process_ef_carbonate", acc.Carbonate ?? throw new AccountingException($"carbonate material '{a.Carrier}' names no carbonate"));
        var (q, unit) = Scaled(a, acc, f.Library, "t");
        var tonnes = unit switch
        {
            "t" => q,
            "kg" => q / 1000,
            _ => throw new AccountingException($"carbonate material '{a.Carrier}' must be metered in t or kg, not '{a.Unit}'"),
        };
        var co2 = tonnes * acc.CarbonateFraction * ef.Value * acc.CalcinedFraction;
        var figure = new Figure($"ghg.scope1.process.{a.Carrier}", $"Process: {acc.Carbonate} in {CarrierNames.En(a.Carrier)}", $"过程排放：{CarrierNames.Zh(a.Carrier)}中的 {acc.Carbonate}", co2, "tCO2e",
            $"{Num(tonnes)} t × {Num(acc.CarbonateFraction)} carbonate fraction × {Num(ef.Value)} tCO2/t × {Num(acc.CalcinedFraction)} calcined",
            [activity], [ef], []);
        return new GhgLine(1, 1, "process", a.Carrier, null, co2, 0, 0, figure);
    }

    private static IEnumerable<GhgLine> Electricity(AccountingInput input, CarrierActivity a, CarrierAccounting acc, ActivityData activity, FactorResolver f)
    {
        var (q, unit) = Scaled(a, acc, f.Library, "kWh");
        var mwh = unit switch
        {
            "kWh" => q / 1000,
            "MWh" => q,
            _ => throw new AccountingException($"electricity must be metered in kWh or MWh, not '{a.Unit}'"),
        };
        var grid = GridFactor(input, f);
        var location = mwh * grid.Value;
        yield return new GhgLine(2, 2, "electricity", a.Carrier, "location", location, 0, 0,
            new Figure($"ghg.scope2.location.{a.Carrier}", "Purchased electricity (location-based)", "外购电力（基于位置）", location, "tCO2e",
                $"{Num(mwh)} MWh × {Num(grid.Value)} tCO2/MWh", [activity], [grid], []));

        var green = input.Profile.GreenPower.Where(g => input.Months.Contains(g.Period) || g.Period == input.Period).ToList();
        var greenMwh = Math.Min(mwh, green.Sum(g => g.Mwh));
        var residualYear = FactorYear(f.Library, "grid_ef", input.Profile.MarketResidualFactor, input.Profile.GridFactorYear ?? input.Year);
        var residual = f.Require("grid_ef", $"{input.Profile.MarketResidualFactor}.{residualYear}");
        var market = (mwh - greenMwh) * residual.Value;
        var greenText = green.Count == 0 ? "no green certificates or contracts" : string.Join(", ", green.Select(g => $"{Num(g.Mwh)} MWh {g.Instrument} ({g.Period})"));
        yield return new GhgLine(2, 2, "electricity", a.Carrier, "market", market, 0, 0,
            new Figure($"ghg.scope2.market.{a.Carrier}", "Purchased electricity (market-based)", "外购电力（基于市场）", market, "tCO2e",
                $"({Num(mwh)} MWh − {Num(greenMwh)} MWh green: {greenText}) × {Num(residual.Value)} tCO2/MWh residual", [activity], [residual], []));
    }

    private static GhgLine Heat(CarrierActivity a, double gj, ActivityData activity, FactorResolver f)
    {
        var ef = f.Require("heat_ef", "CN.purchased_heat");
        var co2 = gj * ef.Value;
        return new GhgLine(2, 2, "heat", a.Carrier, null, co2, 0, 0,
            new Figure($"ghg.scope2.heat.{a.Carrier}", "Purchased heat", "外购热力", co2, "tCO2e", $"{Num(gj)} GJ × {Num(ef.Value)} tCO2/GJ", [activity], [ef], []));
    }

    private static double? HeatGj((double Quantity, string Unit) scaled) => scaled.Unit switch
    {
        "GJ" => scaled.Quantity,
        "MJ" => scaled.Quantity / 1000,
        _ => null,
    };

    /// <summary>The grid factor for the site and year: the profile's key, else the province, region or nation of the grid region.</summary>
    public static FactorUse GridFactor(AccountingInput input, FactorResolver f)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(f);
        var candidates = new List<string>();
        if (input.Profile.GridFactor is { } key) candidates.Add(key);
        else
        {
            var region = input.GridRegion?.Replace("CN-", "", StringComparison.OrdinalIgnoreCase).ToLowerInvariant();
            if (!string.IsNullOrEmpty(region))
            {
                candidates.Add($"CN.province.{region}");
                if (_gridRegions.TryGetValue(region, out var grid)) candidates.Add($"CN.region.{grid}");
                candidates.Add($"CN.region.{region}");
            }
            candidates.Add("CN.national");
        }
        foreach (var c in candidates)
        {
            var year = FactorYear(f.Library, "grid_ef", c, input.Profile.GridFactorYear ?? input.Year);
            if (year is not null && f.Find("grid_ef", $"{c}.{year}") is { } use) return use;
        }
        throw new AccountingException($"no grid emission factor for '{string.Join("' or '", candidates)}' published in or before {input.Year}");
    }

    /// <summary>Province -> regional grid, per the 2021 grid-factor calculation note, table 1 (see reference/standards.md §3).</summary>
    private static readonly Dictionary<string, string> _gridRegions = new(StringComparer.Ordinal)
    {
        ["beijing"] = "north", ["tianjin"] = "north", ["hebei"] = "north", ["shanxi"] = "north", ["shandong"] = "north",
        ["liaoning"] = "northeast", ["jilin"] = "northeast", ["heilongjiang"] = "northeast",
        ["shanghai"] = "east", ["jiangsu"] = "east", ["zhejiang"] = "east", ["anhui"] = "east", ["fujian"] = "east",
        ["jiangxi"] = "central", ["henan"] = "central", ["hubei"] = "central", ["hunan"] = "central",
        ["guangdong"] = "south", ["guangxi"] = "south", ["hainan"] = "south", ["guizhou"] = "south", ["yunnan"] = "south",
        ["chongqing"] = "southwest", ["sichuan"] = "southwest",
        ["shaanxi"] = "northwest", ["gansu"] = "northwest", ["qinghai"] = "northwest", ["ningxia"] = "northwest", ["xinjiang"] = "northwest",
    };

    /// <summary>The latest factor year at or before the wanted year (factors are published with a lag of about two years).</summary>
    private static int? FactorYear(ReferenceLibrary library, string kind, string prefix, int wanted) =>
        library.OfKind(kind)
            .Where(r => r.Key.StartsWith(prefix + ".", StringComparison.Ordinal) && r.Value is not null)
            .Select(r => int.TryParse(r.Key[(prefix.Length + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : (int?)null)
            .Where(y => y is not null && y <= wanted)
            .Max();
}
