using System.Globalization;

namespace GreenLoop.Accounting;

/// <summary>
/// Where unit-product energy stands against a limit standard's levels (level 1 is the most efficient).
/// <see cref="Provisional"/>: the data behind it is less than <see cref="EnergyCalculator.VerdictCompleteness"/>
/// complete (<see cref="Completeness"/>, the least complete carrier or output counted), so the level is only what the
/// data so far says; <see cref="Verdict"/> and <see cref="VerdictZh"/> say so, and a provisional verdict is never a pass.
/// </summary>
public sealed record LimitVerdict(string Standard, string ProductClass, double Value, string Unit, double Level1, double Level2, double Level3, int? Level, string Verdict, string VerdictZh, bool Unverified)
{
    public bool Provisional { get; init; }
    public double Completeness { get; init; } = 1;
    /// <summary>The product class in Chinese, as the standard names it.</summary>
    public string? ProductClassZh { get; init; }
}

/// <summary>A carrier that was metered but not counted, and why (in English and Chinese).</summary>
public sealed record NotCounted(string Carrier, double Quantity, string Unit, string Reason, string? ReasonZh = null);

/// <summary>
/// How one carrier converts to standard coal: <see cref="Coefficient"/> (kgce per reference unit, with its lineage) times
/// <see cref="UnitScale"/> (meter unit to the coefficient's unit), or, when it cannot be counted, null with the reason.
/// </summary>
public sealed record CoalConversion(string Carrier, string Unit, FactorUse? Coefficient, double UnitScale, string? Reason, string? ReasonZh)
{
    /// <summary>kgce of <paramref name="quantity"/> in <see cref="Unit"/>; only for a conversion with a coefficient.</summary>
    public double Kgce(double quantity) =>
        quantity * UnitScale * (Coefficient ?? throw new InvalidOperationException($"{Carrier} has no standard-coal coefficient: {Reason}")).Value;
}

/// <summary>Comprehensive energy consumption of a site and period per GB/T 2589-2020.</summary>
public sealed record EnergyAccount(
    string Site, string Period, IReadOnlyList<Figure> Lines, Figure Total, Figure? Output, Figure? UnitEnergy, LimitVerdict? Verdict,
    IReadOnlyList<NotCounted> NotCounted);

/// <summary>
/// GB/T 2589-2020: E = Σ eᵢ × pᵢ over every energy carrier and purchased working medium consumed inside the boundary,
/// energy supplied outside deducted; unit-product energy = E / qualified output.
/// </summary>
public static class EnergyCalculator
{
    /// <summary>
    /// The data completeness a limit verdict needs (0.95 = 95 % of the period's time metered for every counted carrier
    /// and output); below it the verdict is provisional. GreenLoop's own rule (the limit standards assume a complete
    /// statistical period and set no threshold of their own).
    /// </summary>
    public const double VerdictCompleteness = 0.95;

    public static EnergyAccount Compute(AccountingInput input, ReferenceLibrary library)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(library);
        var factors = new FactorResolver(library, input.Overrides, input.Year);
        var lines = new List<Figure>();
        var notCounted = new List<NotCounted>();
        var outputs = new List<ActivityData>();
        double outputQuantity = 0;
        string? outputUnit = null;

        foreach (var a in input.Activity)
        {
            var acc = input.Profile.For(a.Carrier);
            var activity = new ActivityData(a.Carrier, a.Quantity, a.Unit, a.Meters, input.Period, a.Completeness);
            if (acc.Role == CarrierRole.ProductOutput)
            {
                outputs.Add(activity);
                outputQuantity += a.Quantity;
                outputUnit = a.Unit;
                continue;
            }
            if (Conversion(input, factors, a.Carrier, a.Unit) is not { } conversion) continue;
            if (conversion.Coefficient is not { } coefficient)
            {
                notCounted.Add(new NotCounted(a.Carrier, a.Quantity, a.Unit, conversion.Reason!, conversion.ReasonZh));
                continue;
            }
            var sign = a.Export ? -1 : 1;
            var kgce = sign * conversion.Kgce(a.Quantity);
            var scale = acc.UnitScale == 1 ? "" : $" × {acc.UnitScale.ToString(CultureInfo.InvariantCulture)}";
            lines.Add(new Figure(
                $"energy.{a.Carrier}{(a.Export ? ".export" : "")}",
                a.Export ? $"{CarrierNames.En(a.Carrier)} supplied outside the boundary (deducted)" : CarrierNames.En(a.Carrier),
                a.Export ? $"{CarrierNames.Zh(a.Carrier)} 外供（扣除）" : CarrierNames.Zh(a.Carrier),
                kgce, "kgce",
                $"{(a.Export ? "−" : "")}{Num(a.Quantity)} {a.Unit}{scale} × {Num(coefficient.Value)} {coefficient.Unit}",
                [activity], [coefficient], []));
        }

        var totalKgce = lines.Sum(l => l.Value);
        var total = new Figure("energy.total", "Comprehensive energy consumption", "综合能耗", totalKgce, "kgce",
            "E = Σ eᵢ × pᵢ − energy supplied outside (GB/T 2589-2020)", [], [], lines);

        Figure? output = outputs.Count == 0 ? null
            : new Figure("output", "Qualified output", "合格产品产量", outputQuantity, outputUnit ?? "", "Σ output meters", outputs, [], []);
        Figure? unit = null;
        LimitVerdict? verdict = null;
        if (output is not null && outputQuantity > 0)
        {
            var perUnit = totalKgce / outputQuantity;
            unit = new Figure("energy.unit", "Unit-product energy consumption", "单位产品综合能耗", perUnit, $"kgce/{outputUnit}",
                $"e = E / P = {Num(totalKgce)} kgce / {Num(outputQuantity)} {outputUnit}", [], [], [total, output]);
            verdict = Verdict(input.Profile, library, perUnit, $"kgce/{outputUnit}");
            // The least complete figure behind the ratio: a counted carrier or an output meter.
            var completeness = lines.SelectMany(l => l.Activity).Concat(outputs).Select(x => x.Completeness).DefaultIfEmpty(1).Min();
            if (verdict is not null && completeness < VerdictCompleteness)
            {
                var pct = (completeness * 100).ToString("0.0", CultureInfo.InvariantCulture);
                var min = (VerdictCompleteness * 100).ToString("0", CultureInfo.InvariantCulture);
                verdict = verdict with
                {
                    Provisional = true,
                    Completeness = completeness,
                    Verdict = $"provisional: the data is only {pct} % complete (a verdict needs {min} %); on the data so far: {verdict.Verdict}",
                    VerdictZh = $"暂定：数据完整率仅 {pct}%（判定需要 {min}%）；按现有数据：{verdict.VerdictZh}",
                };
            }
            else if (verdict is not null) verdict = verdict with { Completeness = completeness };
        }
        return new EnergyAccount(input.Site, input.Period, lines, total, output, unit, verdict, notCounted);
    }

    /// <summary>
    /// How a carrier metered in <paramref name="unit"/> converts to standard coal in the energy account of
    /// <paramref name="input"/> (its profile, overrides and year): the coefficient with its lineage, or the reason it is
    /// not counted. Null for a carrier that is no energy input (product output, a process variable, a carbonate). The
    /// energy account and the energy-flow diagram both convert through here, so the two cannot disagree.
    /// </summary>
    public static CoalConversion? Conversion(AccountingInput input, FactorResolver factors, string carrier, string unit)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(factors);
        var acc = input.Profile.For(carrier);
        if (acc.Role is CarrierRole.None or CarrierRole.CarbonateMaterial or CarrierRole.ProductOutput) return null;
        FactorUse? coefficient = acc.Role == CarrierRole.Electricity ? ElectricityCoefficient(input, factors)
            : acc.CoalCoefficient is null ? null : factors.Find("coal_coef", acc.CoalCoefficient);
        if (coefficient is null)
        {
            return acc.CoalCoefficient is null
                ? new CoalConversion(carrier, unit, null, acc.UnitScale, "no standard-coal coefficient is configured for this carrier", "未为该能源品种配置折标准煤系数")
                : new CoalConversion(carrier, unit, null, acc.UnitScale,
                    $"coefficient coal_coef/{acc.CoalCoefficient} has no verified number in data set {ReferenceLibrary.Version}; add a site override with its source to count it",
                    $"折标准煤系数 coal_coef/{acc.CoalCoefficient} 在数据版本 {ReferenceLibrary.Version} 中没有经核实的数值；请为站点添加注明出处的覆盖值后计入");
        }
        var per = coefficient.Unit.Split('/') is [_, var u] ? u : null;
        if (acc.UnitScale == 1 && per is not null && !SameUnit(unit, per))
        {
            return new CoalConversion(carrier, unit, null, acc.UnitScale,
                $"metered in {unit} but {coefficient.Id} is per {per}; set unitScale in the site's accounting profile to convert",
                $"计量单位为 {unit}，而 {coefficient.Id} 按 {per} 计；请在站点核算配置中设置 unitScale 进行换算");
        }
        return new CoalConversion(carrier, unit, coefficient, acc.UnitScale, null, null);
    }

    private static FactorUse ElectricityCoefficient(AccountingInput input, FactorResolver factors)
    {
        var year = input.Year.ToString(CultureInfo.InvariantCulture);
        if (input.Profile.ElectricityEqualValue.TryGetValue(year, out var equal))
        {
            return new FactorUse("coal_coef/electricity_equal_value", "Electricity, equal value (site-declared)", "电力（等价值，企业申报）", equal,
                "kgce/kWh", $"site accounting profile: equal value for {year} (GB/T 2589-2020 leaves it to the year's thermal-power coal rate)", year, false, ReferenceLibrary.Version,
                SourceZh: $"企业核算配置：{year}年电力等价值（GB/T 2589-2020 规定按当年火电发电标准煤耗计算）");
        }
        return factors.Require("coal_coef", "electricity_equivalent");
    }

    private static LimitVerdict? Verdict(AccountingProfile profile, ReferenceLibrary library, double value, string unit)
    {
        if (profile.LimitClass is null) return null;
        var rows = new[] { ".L1", ".L2", ".L3" }.Select(l => library.Find("energy_limit", profile.LimitClass + l)).ToArray();
        if (rows.Any(r => r?.Value is null))
            throw new AccountingException($"limit class '{profile.LimitClass}' has no levels L1-L3 in data set {ReferenceLibrary.Version}");
        var limits = rows.Select(r => r!.Value!.Value * profile.LimitFactor).ToArray();
        int? level = value <= limits[0] ? 1 : value <= limits[1] ? 2 : value <= limits[2] ? 3 : null;
        var standard = profile.LimitClass.Split('.')[0];
        var (en, zh) = level switch
        {
            1 => ("level 1 (most efficient)", "1级（先进）"),
            2 => ("level 2", "2级"),
            3 => ("level 3 (meets the mandatory limit)", "3级（达到限定值）"),
            _ => ("above level 3: exceeds the mandatory limit", "超过3级限定值：不达标"),
        };
        return new LimitVerdict(standard, rows[0]!.NameEn, value, unit, limits[0], limits[1], limits[2], level, en, zh, rows.Any(r => r!.Unverified))
        {
            ProductClassZh = rows[0]!.NameZh,
        };
    }

    /// <summary>Units that name the same thing in meter definitions and in the reference rows.</summary>
    private static bool SameUnit(string meter, string reference) =>
        string.Equals(meter, reference, StringComparison.OrdinalIgnoreCase)
        || (meter is "m3" or "Nm3" && reference is "m3" or "Nm3");

    internal static string Num(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
}
