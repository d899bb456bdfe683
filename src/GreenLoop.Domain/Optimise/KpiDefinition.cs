using System.Text.Json.Serialization;
using GreenLoop.Domain.Model;

namespace GreenLoop.Domain.Optimise;

/// <summary>What a KPI is about (the areas of a cleaner-production audit's targets).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<KpiArea>))]
public enum KpiArea { Energy, Water, Waste, Materials, Emissions, SupplyChain, Other }

/// <summary>Which way is better.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<KpiDirection>))]
public enum KpiDirection { Lower, Higher }

/// <summary>
/// How a KPI's value so far projects to the end of its target period: a <c>Ratio</c> (unit energy, a rate) is its value
/// so far; a <c>Sum</c> (tonnes of waste in the year) grows with the days, so it is scaled to the whole period.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<KpiAggregation>))]
public enum KpiAggregation { Ratio, Sum }

/// <summary>The baseline: a period (computed from the data of that period) or an entered value with its evidence.</summary>
public sealed record KpiBaseline
{
    /// <summary>A year <c>yyyy</c> or a month <c>yyyy-MM</c>.</summary>
    public string Period { get; init; } = "";

    /// <summary>Entered instead of computed (e.g. from an audit report before GreenLoop ran); needs <see cref="Evidence"/>.</summary>
    public double? Value { get; init; }

    /// <summary>Where an entered value comes from (report, page, document number).</summary>
    public string? Evidence { get; init; }
}

/// <summary>The target for a period: an absolute value, or a change in per cent of the baseline (e.g. -5).</summary>
public sealed record KpiTarget
{
    public string Period { get; init; } = "";
    public double? Value { get; init; }
    public double? ChangePercent { get; init; }
}

/// <summary>Who answers for the KPI: departments and a person.</summary>
public sealed record KpiOwner
{
    public string Department { get; init; } = "";
    public string? Person { get; init; }
}

/// <summary>
/// A cleaner-production KPI of a site: a formula over what GreenLoop knows (see <see cref="KpiFormula"/>), its unit and
/// direction, a baseline, a target and an owner. Its status is computed every period (see the KPI service).
/// </summary>
public sealed record KpiDefinition
{
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    public string? NameZh { get; init; }
    public KpiArea Area { get; init; }
    public string Unit { get; init; } = "";
    public KpiDirection Direction { get; init; }
    public string Formula { get; init; } = "";
    public KpiAggregation Aggregation { get; init; }
    public KpiBaseline? Baseline { get; init; }
    public KpiTarget? Target { get; init; }
    public KpiOwner? Owner { get; init; }

    /// <summary>How far (per cent of the target) the projection may miss before the KPI is off track rather than at risk. Default 5.</summary>
    public double TolerancePercent { get; init; } = 5;

    /// <summary>Notification channels told when the KPI goes off track.</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>Why the target changes (required when a saved KPI's target is changed, e.g. a review's decision).</summary>
    public string? TargetReason { get; init; }

    /// <summary>Every earlier target with when, by whom and why it was revised; kept by the server (what a client sends is ignored).</summary>
    public IReadOnlyList<TargetRevision> TargetHistory { get; init; } = [];
}

/// <summary>A revision of a KPI's target: the target before, when, by whom and why.</summary>
public sealed record TargetRevision(KpiTarget? Previous, KpiTarget? Current, string At, string By, string Reason);

/// <summary>Checks a KPI against its site before it is stored; errors carry JSON paths (the formula's with its position).</summary>
public static class KpiValidator
{
    public static IReadOnlyList<DefinitionError> Validate(KpiDefinition kpi, SiteDefinition site)
    {
        ArgumentNullException.ThrowIfNull(kpi);
        ArgumentNullException.ThrowIfNull(site);
        var errors = new List<DefinitionError>();
        void Error(string path, string reason) => errors.Add(new DefinitionError(path, reason));

        if (!SiteDefinitionValidator.IsKey(kpi.Key)) Error("key", "a key is 1-64 characters of letters, digits, '-', '_' or '.'");
        if (string.IsNullOrWhiteSpace(kpi.Name) || kpi.Name.Length > 200) Error("name", "1-200 characters");
        if (kpi.NameZh is { Length: > 200 }) Error("nameZh", "at most 200 characters");
        if (string.IsNullOrWhiteSpace(kpi.Unit) || kpi.Unit.Length > 32) Error("unit", "1-32 characters, e.g. kgce/t or %");
        if (!Enum.IsDefined(kpi.Area)) Error("area", $"one of {string.Join(", ", Enum.GetNames<KpiArea>().Select(Camel))}");
        if (!Enum.IsDefined(kpi.Direction)) Error("direction", "lower or higher");
        if (!Enum.IsDefined(kpi.Aggregation)) Error("aggregation", "ratio or sum");
        if (!(kpi.TolerancePercent is >= 0 and <= 100)) Error("tolerancePercent", "0 to 100");
        for (var i = 0; i < kpi.Recipients.Count; i++)
            if (string.IsNullOrWhiteSpace(kpi.Recipients[i])) Error($"recipients[{i}]", "a channel key is required");

        if (!KpiFormula.TryParse(kpi.Formula, out var formula, out var problem)) Error("formula", problem!.ToString());
        else
        {
            var carriers = site.Meters.Select(m => m.Carrier).ToHashSet(StringComparer.Ordinal);
            var meters = site.Meters.Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
            var nodes = site.Nodes.Select(n => n.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var call in formula!.Calls)
            {
                var at = $"position {call.Position}: ";
                switch (call.Name)
                {
                    case "consumption":
                        if (!carriers.Contains(call.Arguments[0])) Error("formula", $"{at}no meter of site '{site.Key}' measures the carrier '{call.Arguments[0]}'");
                        // "_site" is the site itself (its root node).
                        if (call.Arguments.Count > 1 && call.Arguments[1] != "_site" && !nodes.Contains(call.Arguments[1])) Error("formula", $"{at}no node '{call.Arguments[1]}' in site '{site.Key}'");
                        break;
                    case "meter":
                        if (!meters.Contains(call.Arguments[0])) Error("formula", $"{at}no meter '{call.Arguments[0]}' in site '{site.Key}'");
                        break;
                    case "emissions":
                        if (call.Arguments.Count == 1 && call.Arguments[0] is not ("location" or "market")) Error("formula", $"{at}emissions() takes 'location' or 'market'");
                        break;
                    case "recorded" or "recorded_mean":
                        if (!SiteDefinitionValidator.IsKey(call.Arguments[0])) Error("formula", $"{at}'{call.Arguments[0]}' is not a quantity key (letters, digits, '-', '_' or '.')");
                        break;
                    case "baseline_expected" or "savings" or "enpi_improvement":
                        if (!long.TryParse(call.Arguments[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id <= 0)
                            Error("formula", $"{at}'{call.Arguments[0]}' is not a baseline model id (a number, see GET /api/v1/sites/{site.Key}/mv-models)");
                        break;
                }
            }
        }

        if (kpi.Baseline is { } b)
        {
            if (!KpiPeriod.TryParse(b.Period, out _)) Error("baseline.period", "a year yyyy or a month yyyy-MM");
            if (b.Value is { } v && !double.IsFinite(v)) Error("baseline.value", "a finite number");
            if (b.Value is not null && string.IsNullOrWhiteSpace(b.Evidence)) Error("baseline.evidence", "an entered baseline needs its evidence (report, page, document)");
        }
        if (kpi.Target is { } t)
        {
            if (!KpiPeriod.TryParse(t.Period, out _)) Error("target.period", "a year yyyy or a month yyyy-MM");
            if ((t.Value is null) == (t.ChangePercent is null)) Error("target", "give either value or changePercent");
            if (t.Value is { } tv && !double.IsFinite(tv)) Error("target.value", "a finite number");
            if (t.ChangePercent is { } pct && !(pct is >= -100 and <= 1000)) Error("target.changePercent", "-100 to 1000 (per cent of the baseline)");
            if (t.ChangePercent is not null && kpi.Baseline is null) Error("target.changePercent", "a target relative to the baseline needs a baseline");
        }
        if (kpi.TargetReason is { Length: > 2000 }) Error("targetReason", "at most 2000 characters");
        if (kpi.Owner is { } o)
        {
            if (string.IsNullOrWhiteSpace(o.Department) || o.Department.Length > 200) Error("owner.department", "1-200 characters");
            if (o.Person is { Length: > 100 }) Error("owner.person", "at most 100 characters");
        }
        return errors;
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}

/// <summary>A KPI period: a calendar year or month, local to the site.</summary>
public readonly record struct KpiPeriod(int Year, int? Month)
{
    public static bool TryParse(string? text, out KpiPeriod period)
    {
        period = default;
        if (text is { Length: 4 } && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var y) && y is >= 2000 and <= 2199)
        {
            period = new KpiPeriod(y, null);
            return true;
        }
        if (text is { Length: 7 } && text[4] == '-' && int.TryParse(text[..4], System.Globalization.CultureInfo.InvariantCulture, out y) && y is >= 2000 and <= 2199
            && int.TryParse(text[5..], System.Globalization.CultureInfo.InvariantCulture, out var m) && m is >= 1 and <= 12)
        {
            period = new KpiPeriod(y, m);
            return true;
        }
        return false;
    }

    public DateOnly First => new(Year, Month ?? 1, 1);

    /// <summary>The day after the period's last.</summary>
    public DateOnly End => Month is null ? First.AddYears(1) : First.AddMonths(1);

    public int Days => End.DayNumber - First.DayNumber;

    public override string ToString() => Month is { } m ? $"{Year:D4}-{m:D2}" : $"{Year:D4}";
}
