namespace GreenLoop.Domain.Cost;

/// <summary>One 15-minute interval of billed active energy: its start in the site's local time and its kWh.</summary>
public readonly record struct BilledInterval(DateTime LocalStart, double Kwh);

/// <summary>Energy and charge of one band under one tariff version.</summary>
public sealed record BandLine(string ValidFrom, TouBand Band, double Kwh, double Price, double Amount);

/// <summary>A per-kWh fund or surcharge on the month's energy.</summary>
public sealed record SurchargeLine(string Name, string? NameZh, double Kwh, double Price, double Amount);

/// <summary>
/// The basic charge: basis, the quantity billed (kVA, or kW of demand: the actual maximum or the contracted demand),
/// the demand above 105 % of the contract billed at twice the price, the month's maximum 15-minute demand and the
/// interval that set it, the share of each version (days in force / days in the month) and the amount.
/// </summary>
public sealed record BasicChargeLine(BasicChargeBasis Basis, double? MaxDemandKw, DateTime? MaxDemandAt, double Quantity, double ExcessKw, string QuantityRule,
    IReadOnlyList<BasicChargePart> Parts, double Amount);

/// <summary>The basic charge under one tariff version: its price (¥/kVA or ¥/kW per month), the days it is in force, the amount.</summary>
public sealed record BasicChargePart(string ValidFrom, double Price, int Days, double Amount);

/// <summary>
/// The power-factor adjustment: active and reactive energy, cos φ = P / √(P² + Q²) and as billed (two decimals), the
/// standard, the percentage from its table, the charges it applies to (basic + energy, not the funds) and the amount
/// (positive: a surcharge, negative: a reduction).
/// </summary>
public sealed record PowerFactorLine(double ActiveKwh, double ReactiveKvarh, double PowerFactor, double Billed, double Standard, double Percent,
    double Base, double Amount);

/// <summary>A month's electricity bill as GreenLoop reckons it, every line written out.</summary>
public sealed record ElectricityBill(IReadOnlyList<BandLine> Energy, double EnergyCharge, BasicChargeLine? Basic, PowerFactorLine? PowerFactor,
    IReadOnlyList<SurchargeLine> Surcharges, double Total, double Kwh, double PeakShare);

/// <summary>
/// Reckons a month's electricity bill from 15-minute active energy under a versioned time-of-use tariff: each interval
/// is priced by the version in force on its local date and the band of its local start (a tariff change mid-month
/// splits the energy); the basic charge by capacity or by the month's highest 15-minute average demand (kWh × 4),
/// each version's price weighted by the days it is in force; the power-factor adjustment on basic + energy charges by
/// the standard's table; the per-kWh funds and surcharges last, unadjusted.
/// </summary>
public static class ElectricityBilling
{
    /// <summary>
    /// The bill of one calendar month. <paramref name="intervals"/> are the month's 15-minute intervals (local starts
    /// inside it); <paramref name="reactiveKvarh"/> the month's reactive energy (null: no power-factor adjustment).
    /// </summary>
    public static ElectricityBill Month(int year, int month, ElectricityTariff tariff, ElectricityAccount account, IReadOnlyList<BilledInterval> intervals,
        double? reactiveKvarh)
    {
        ArgumentNullException.ThrowIfNull(tariff);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(intervals);
        var first = new DateOnly(year, month, 1);
        var days = DateTime.DaysInMonth(year, month);

        var energy = new Dictionary<(string, TouBand), (double Kwh, double Price)>();
        double kwh = 0, peak = 0;
        foreach (var i in intervals)
        {
            var version = tariff.VersionOn(DateOnly.FromDateTime(i.LocalStart))
                ?? throw new InvalidOperationException($"tariff '{tariff.Key}' has no version in force on {i.LocalStart:yyyy-MM-dd}");
            var band = version.BandAt(i.LocalStart);
            var key = (version.ValidFrom, band);
            var price = version.PriceOf(band);
            energy[key] = (energy.GetValueOrDefault(key).Kwh + i.Kwh, price);
            kwh += i.Kwh;
            if (band is TouBand.Peak or TouBand.CriticalPeak) peak += i.Kwh;
        }
        var lines = energy.OrderBy(e => e.Key.Item1, StringComparer.Ordinal).ThenBy(e => e.Key.Item2)
            .Select(e => new BandLine(e.Key.Item1, e.Key.Item2, e.Value.Kwh, e.Value.Price, e.Value.Kwh * e.Value.Price)).ToList();
        var energyCharge = lines.Sum(l => l.Amount);

        // The days each version is in force within the month.
        var shares = Enumerable.Range(0, days).Select(d => tariff.VersionOn(first.AddDays(d)))
            .Where(v => v is not null).GroupBy(v => v!.ValidFrom).Select(g => (Version: g.First()!, Days: g.Count())).ToList();

        var basic = Basic(account, intervals, shares, days);
        var pf = account.PowerFactorStandard is { } standard && reactiveKvarh is { } q && kwh > 0
            ? PowerFactor(kwh, q, standard, energyCharge + (basic?.Amount ?? 0))
            : null;

        var surcharges = shares.SelectMany(s => s.Version.Surcharges.Select(c => (c, Kwh: KwhIn(intervals, tariff, s.Version.ValidFrom))))
            .GroupBy(x => (x.c.Name, x.c.Price)).Select(g => new SurchargeLine(g.Key.Name, g.First().c.NameZh, g.Sum(x => x.Kwh), g.Key.Price, g.Sum(x => x.Kwh) * g.Key.Price))
            .Where(l => l.Kwh > 0).ToList();
        var total = energyCharge + (basic?.Amount ?? 0) + (pf?.Amount ?? 0) + surcharges.Sum(s => s.Amount);
        return new ElectricityBill(lines, energyCharge, basic, pf, surcharges, total, kwh, kwh > 0 ? peak / kwh : 0);
    }

    private static double KwhIn(IReadOnlyList<BilledInterval> intervals, ElectricityTariff tariff, string validFrom) =>
        intervals.Where(i => tariff.VersionOn(DateOnly.FromDateTime(i.LocalStart))?.ValidFrom == validFrom).Sum(i => i.Kwh);

    private static BasicChargeLine? Basic(ElectricityAccount account, IReadOnlyList<BilledInterval> intervals, List<(TariffVersion Version, int Days)> shares, int days)
    {
        if (account.Basis == BasicChargeBasis.None) return null;
        var max = intervals.Count == 0 ? (BilledInterval?)null : intervals.MaxBy(i => i.Kwh);
        double? maxKw = max is { } m ? m.Kwh * 4 : null;
        double quantity, excess = 0;
        string rule;
        if (account.Basis == BasicChargeBasis.Capacity)
        {
            quantity = account.CapacityKva ?? throw new InvalidOperationException("a basic charge by capacity needs the capacity (kVA)");
            rule = "capacity (kVA)";
        }
        else if (account.ContractDemandKw is { } contract)
        {
            // Billed on the contracted demand; the part of the actual maximum above 105 % of it at twice the price
            // (发改办价格〔2016〕1583号 as paraphrased in secondary sources: UNVERIFIED).
            quantity = contract;
            excess = Math.Max(0, (maxKw ?? 0) - 1.05 * contract);
            rule = excess > 0 ? "contracted demand (kW), and twice the price on the maximum above 105 % of it" : "contracted demand (kW)";
        }
        else
        {
            quantity = maxKw ?? 0;
            rule = "maximum 15-minute demand (kW)";
        }
        var parts = shares.Select(s =>
        {
            var price = (account.Basis == BasicChargeBasis.Capacity ? s.Version.CapacityPrice : s.Version.DemandPrice) ?? 0;
            return new BasicChargePart(s.Version.ValidFrom, price, s.Days, (quantity + 2 * excess) * price * s.Days / days);
        }).ToList();
        return new BasicChargeLine(account.Basis, maxKw, max?.LocalStart, quantity, excess, rule, parts, parts.Sum(p => p.Amount));
    }

    /// <summary>The power-factor adjustment of a month (the factor rounded half up to two decimals, as bills show it).</summary>
    public static PowerFactorLine PowerFactor(double activeKwh, double reactiveKvarh, double standard, double adjustedCharges)
    {
        var pf = activeKwh / Math.Sqrt(activeKwh * activeKwh + reactiveKvarh * reactiveKvarh);
        var billed = Math.Round(pf, 2, MidpointRounding.AwayFromZero);
        var percent = PowerFactorAdjustment.Percent(standard, billed);
        return new PowerFactorLine(activeKwh, reactiveKvarh, pf, billed, standard, percent, adjustedCharges, adjustedCharges * percent / 100);
    }
}
