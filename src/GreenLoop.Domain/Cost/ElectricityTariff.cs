using System.Globalization;
using System.Text.Json.Serialization;

namespace GreenLoop.Domain.Cost;

/// <summary>A time-of-use band of China's electricity tariffs (峰谷分时电价).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TouBand>))]
public enum TouBand
{
    /// <summary>尖峰 critical peak.</summary>
    CriticalPeak,
    /// <summary>高峰 peak.</summary>
    Peak,
    /// <summary>平段 flat.</summary>
    Flat,
    /// <summary>低谷 valley.</summary>
    Valley,
    /// <summary>深谷 deep valley (only where a province has it).</summary>
    DeepValley,
}

/// <summary>How the basic charge (基本电费) of a two-part tariff is billed, at the plant's choice.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BasicChargeBasis>))]
public enum BasicChargeBasis
{
    /// <summary>No basic charge (a single-part tariff).</summary>
    None,
    /// <summary>By capacity: kVA of the installed transformers × the capacity price, per month.</summary>
    Capacity,
    /// <summary>By maximum demand: the month's highest 15-minute average kW × the demand price.</summary>
    Demand,
}

/// <summary>One stretch of local time in a band: <c>from</c> inclusive, <c>to</c> exclusive, <c>HH:mm</c>; <c>24:00</c> ends the day.</summary>
public sealed record TouPeriod(string From, string To, TouBand Band);

/// <summary>
/// The bands of some months and days: <see cref="Months"/> (1-12; empty: every month), <see cref="Days"/>
/// (<c>all</c>, <c>weekdays</c> Monday-Friday, <c>weekends</c>), and periods covering the whole day.
/// </summary>
public sealed record TouSeason
{
    public IReadOnlyList<int> Months { get; init; } = [];
    public string Days { get; init; } = "all";
    public IReadOnlyList<TouPeriod> Periods { get; init; } = [];
}

/// <summary>A charge per kWh on top of the energy price, neither time-of-use nor adjusted by the power factor (政府性基金及附加).</summary>
public sealed record PerKwhCharge(string Name, string? NameZh, double Price, string? Source = null);

/// <summary>
/// One version of a tariff, in force from <see cref="ValidFrom"/> (a local date) until the next version: energy prices
/// per band (¥/kWh), the seasons that say which band applies when, the basic-charge prices (¥/kVA per month by capacity,
/// ¥/kW per month by demand), per-kWh funds and surcharges, the source (the price bureau's notice), and the fields
/// whose values were not checked against it (<see cref="Unverified"/>).
/// </summary>
public sealed record TariffVersion
{
    public string ValidFrom { get; init; } = "";
    public IReadOnlyList<BandPrice> Prices { get; init; } = [];
    public IReadOnlyList<TouSeason> Seasons { get; init; } = [];
    public double? CapacityPrice { get; init; }
    public double? DemandPrice { get; init; }
    public IReadOnlyList<PerKwhCharge> Surcharges { get; init; } = [];
    public string Source { get; init; } = "";
    public IReadOnlyList<string> Unverified { get; init; } = [];

    public DateOnly From => DateOnly.ParseExact(ValidFrom, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The energy price of a band (¥/kWh); a band without its own price is billed at the flat price.</summary>
    public double PriceOf(TouBand band) =>
        Prices.FirstOrDefault(p => p.Band == band)?.Price ?? Prices.FirstOrDefault(p => p.Band == TouBand.Flat)?.Price ?? 0;

    /// <summary>The band of a local time (the first season whose months and days match; none: flat).</summary>
    public TouBand BandAt(DateTime local)
    {
        var minute = local.Hour * 60 + local.Minute;
        foreach (var season in Seasons)
        {
            if (season.Months.Count > 0 && !season.Months.Contains(local.Month)) continue;
            var weekend = local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            if (season.Days == "weekdays" && weekend || season.Days == "weekends" && !weekend) continue;
            foreach (var p in season.Periods)
                if (minute >= ElectricityTariff.Minutes(p.From) && minute < ElectricityTariff.Minutes(p.To)) return p.Band;
            return TouBand.Flat;
        }
        return TouBand.Flat;
    }
}

/// <summary>The energy price of one band, ¥/kWh.</summary>
public sealed record BandPrice(TouBand Band, double Price);

/// <summary>
/// An electricity tariff as data: key, names, region and voltage level, its versions in time. A site chooses a tariff
/// and how its basic charge is billed (<see cref="ElectricityAccount"/>).
/// </summary>
public sealed record ElectricityTariff
{
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    public string? NameZh { get; init; }
    public string? Region { get; init; }
    public string? VoltageLevel { get; init; }
    public IReadOnlyList<TariffVersion> Versions { get; init; } = [];

    internal static int Minutes(string hhmm) =>
        hhmm == "24:00" ? 1440 : TimeOnly.ParseExact(hhmm, "HH:mm", CultureInfo.InvariantCulture) is var t ? t.Hour * 60 + t.Minute : 0;

    /// <summary>The version in force on a local date (the latest that started on or before it), or null before the first.</summary>
    public TariffVersion? VersionOn(DateOnly date) => Versions.Where(v => v.From <= date).MaxBy(v => v.From);

    /// <summary>Every problem with the tariff, by field; empty when it can be used.</summary>
    public static Dictionary<string, string[]> Validate(ElectricityTariff tariff)
    {
        ArgumentNullException.ThrowIfNull(tariff);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(tariff.Key) || tariff.Key.Length > 64 || !tariff.Key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            errors["key"] = ["1-64 letters, digits, '-', '_' or '.'"];
        if (string.IsNullOrWhiteSpace(tariff.Name) || tariff.Name.Length > 200) errors["name"] = ["1-200 characters"];
        if (tariff.Versions.Count is 0 or > 100) errors["versions"] = ["1 to 100 versions"];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tariff.Versions.Count; i++)
        {
            var v = tariff.Versions[i];
            var at = $"versions[{i}]";
            var problems = new List<string>();
            if (!DateOnly.TryParseExact(v.ValidFrom, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) problems.Add("validFrom: a local date yyyy-MM-dd");
            else if (!seen.Add(v.ValidFrom)) problems.Add($"validFrom: {v.ValidFrom} is used by another version");
            if (!v.Prices.Any(p => p.Band == TouBand.Flat)) problems.Add("prices: the flat band needs a price (bands without one are billed at it)");
            if (v.Prices.GroupBy(p => p.Band).Any(g => g.Count() > 1)) problems.Add("prices: one price per band");
            if (v.Prices.Any(p => !double.IsFinite(p.Price) || p.Price is < 0 or > 100)) problems.Add("prices: 0 to 100 ¥/kWh");
            if (v.CapacityPrice is { } cp && (!double.IsFinite(cp) || cp is < 0 or > 1000)) problems.Add("capacityPrice: 0 to 1000 ¥/kVA per month");
            if (v.DemandPrice is { } dp && (!double.IsFinite(dp) || dp is < 0 or > 1000)) problems.Add("demandPrice: 0 to 1000 ¥/kW per month");
            if (v.Surcharges.Any(s => string.IsNullOrWhiteSpace(s.Name) || !double.IsFinite(s.Price) || s.Price is < 0 or > 10)) problems.Add("surcharges: a name and 0 to 10 ¥/kWh each");
            if (string.IsNullOrWhiteSpace(v.Source) || v.Source.Length > 1000) problems.Add("source: the notice the prices come from (1-1000 characters)");
            for (var s = 0; s < v.Seasons.Count; s++)
                if (SeasonProblem(v.Seasons[s]) is { } problem) problems.Add($"seasons[{s}]: {problem}");
            if (problems.Count > 0) errors[at] = [.. problems];
        }
        return errors;
    }

    private static string? SeasonProblem(TouSeason season)
    {
        if (season.Months.Any(m => m is < 1 or > 12)) return "months are 1 to 12";
        if (season.Days is not ("all" or "weekdays" or "weekends")) return "days: all, weekdays or weekends";
        var minutes = new TouBand?[1440];
        foreach (var p in season.Periods)
        {
            if (!IsTime(p.From) || !IsTime(p.To) || Minutes(p.To) <= Minutes(p.From)) return $"period {p.From}-{p.To}: HH:mm to a later HH:mm (24:00 ends the day)";
            for (var m = Minutes(p.From); m < Minutes(p.To); m++)
            {
                if (minutes[m] is not null) return $"period {p.From}-{p.To} overlaps another";
                minutes[m] = p.Band;
            }
        }
        var hole = Array.FindIndex(minutes, b => b is null);
        return hole < 0 ? null : $"the periods leave {hole / 60:00}:{hole % 60:00} without a band; cover the whole day";
    }

    private static bool IsTime(string text) =>
        text == "24:00" || TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}

/// <summary>
/// A site's electricity account: the tariff, how its basic charge is billed (capacity in kVA, or maximum demand with
/// the contracted demand), the standard power factor of its power-factor adjustment (0.90, 0.85, 0.80; null: none),
/// the meters that measure what the utility bills (active kWh; reactive kvarh for the power factor).
/// </summary>
public sealed record ElectricityAccount
{
    public string Tariff { get; init; } = "";
    public BasicChargeBasis Basis { get; init; } = BasicChargeBasis.Demand;
    public double? CapacityKva { get; init; }
    public double? ContractDemandKw { get; init; }
    public double? PowerFactorStandard { get; init; } = 0.90;
    public IReadOnlyList<string> ActiveMeters { get; init; } = [];
    public IReadOnlyList<string> ReactiveMeters { get; init; } = [];
}
