using GreenLoop.Domain.Model;

namespace GreenLoop.Domain.Alarms;

/// <summary>Checks an <see cref="AlarmRule"/> against its site before it is stored; errors carry JSON paths.</summary>
public static class AlarmRuleValidator
{
    public static IReadOnlyList<DefinitionError> Validate(AlarmRule rule, SiteDefinition site)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(site);
        var errors = new List<DefinitionError>();
        void Error(string path, string reason) => errors.Add(new DefinitionError(path, reason));

        if (!IsKey(rule.Key)) Error("key", "a key is 1-64 characters of letters, digits, '-', '_' or '.'");
        if (string.IsNullOrWhiteSpace(rule.Name)) Error("name", "required");
        if (!(rule.ClearRatio is > 0 and <= 1)) Error("clearRatio", "must be above 0 and at most 1 (e.g. 0.9 clears below 90 % of the limit)");
        if (rule.ForMinutes is < 0 or > 60 * 24 * 31) Error("forMinutes", "must be 0 to 44640 minutes");
        for (var i = 0; i < rule.Recipients.Count; i++)
            if (string.IsNullOrWhiteSpace(rule.Recipients[i])) Error($"recipients[{i}]", "a channel key is required");
        if (rule.Escalation is { } esc)
        {
            if (esc.AfterMinutes <= 0) Error("escalation.afterMinutes", "must be at least 1");
            if (esc.Recipients.Count == 0) Error("escalation.recipients", "at least one channel key");
            for (var i = 0; i < esc.Recipients.Count; i++)
                if (string.IsNullOrWhiteSpace(esc.Recipients[i])) Error($"escalation.recipients[{i}]", "a channel key is required");
        }

        var s = rule.Subject;
        MeterDefinition? meter = null;
        if (s is null) Error("subject", "required");
        else
        {
            switch (s.Kind)
            {
                case AlarmSubjectKind.Meter:
                    meter = site.Meters.FirstOrDefault(m => m.Key == s.Key);
                    if (meter is null) Error("subject.key", $"no meter '{s.Key}' in site '{site.Key}'");
                    break;
                case AlarmSubjectKind.Node:
                    if (!site.Nodes.Any(n => n.Key == s.Key)) Error("subject.key", $"no node '{s.Key}' in site '{site.Key}'");
                    if (string.IsNullOrWhiteSpace(s.Carrier) && !UnitEnergyOnly()) Error("subject.carrier", "a node total is of one carrier");
                    break;
                case AlarmSubjectKind.Site:
                    if (string.IsNullOrWhiteSpace(s.Carrier) && !UnitEnergyOnly()) Error("subject.carrier", "a site total is of one carrier");
                    break;
            }
            if (s.Carrier is { } c && s.Kind != AlarmSubjectKind.Meter && !site.Meters.Any(m => m.Carrier == c))
                Error("subject.carrier", $"no meter of carrier '{c}' in site '{site.Key}'");
        }

        if (rule.Condition is null) { Error("condition", "required"); return errors; }
        var grain = rule.Condition.Leaves().FirstOrDefault()?.Grain;
        if (rule.Condition is not NoData && rule.Condition.Leaves().Any(l => l is NoData))
            Error("condition", "a noData condition must be the rule's only condition");
        Check(rule.Condition, "condition");
        return errors;

        bool UnitEnergyOnly() => rule.Condition is not null && rule.Condition.Leaves().All(l => l is UnitEnergyAbove);

        void Check(AlarmCondition c, string path)
        {
            if (c is AllOf or AnyOf)
            {
                var of = c is AllOf a ? a.Of : ((AnyOf)c).Of;
                if (of is null || of.Count == 0) { Error($"{path}.of", "at least one condition"); return; }
                for (var i = 0; i < of.Count; i++)
                {
                    if (of[i] is null) { Error($"{path}.of[{i}]", "required"); continue; }
                    Check(of[i], $"{path}.of[{i}]");
                }
                return;
            }
            if (c.Grain != grain) Error(path, "conditions combined with AND/OR must judge the same period (15m, hour or day)");
            switch (c)
            {
                case ConsumptionAbove x:
                    if (x.Limit is null && x.Schedule.Count == 0) Error(path, "a limit or a schedule is required");
                    if (x.Limit is { } l && !(double.IsFinite(l) && l >= 0)) Error($"{path}.limit", "must be a number ≥ 0");
                    for (var i = 0; i < x.Schedule.Count; i++)
                    {
                        var b = x.Schedule[i];
                        if (!(double.IsFinite(b.Limit) && b.Limit >= 0)) Error($"{path}.schedule[{i}].limit", "must be a number ≥ 0");
                        if (b.To != TimeOnly.MinValue && b.To <= b.From) Error($"{path}.schedule[{i}].to", "must be after 'from' (00:00 means the end of the day)");
                    }
                    if (x.Schedule.Count > 0 && x.Per == AlarmGrain.Day) Error($"{path}.schedule", "time-of-day bands need a 15m or hour period");
                    break;
                case ChangeRateAbove x:
                    if (!(double.IsFinite(x.ThresholdPercent) && x.ThresholdPercent > 0)) Error($"{path}.thresholdPercent", "must be above 0");
                    break;
                case ValueOutOfRange x:
                    if (x.Min is null && x.Max is null) Error(path, "a min, a max or both");
                    if (x.Min is { } mn && x.Max is { } mx && mn >= mx) Error($"{path}.min", "must be below max");
                    if (meter is not null && meter.Kind != MeterKind.Instantaneous) Error(path, $"meter '{meter.Key}' is not instantaneous; use a consumption condition");
                    break;
                case NoData x:
                    if (x.Minutes <= 0) Error($"{path}.minutes", "must be at least 1");
                    break;
                case CounterAnomaly x:
                    if (x.Kinds.Count == 0) Error($"{path}.kinds", "at least one finding kind");
                    break;
                case UnitEnergyAbove x:
                    if (s is not null && s.Kind is not (AlarmSubjectKind.Node or AlarmSubjectKind.Site)) Error(path, "unit-product energy is judged on a node or the site");
                    if (!(double.IsFinite(x.Limit) && x.Limit > 0)) Error($"{path}.limit", "must be above 0");
                    if (x.Coefficients.Count == 0) Error($"{path}.coefficients", "at least one carrier with its kgce coefficient");
                    if (!site.Meters.Any(m => m.Carrier == x.Output)) Error($"{path}.output", $"no meter of carrier '{x.Output}' in site '{site.Key}'");
                    break;
                case CompletenessBelow x:
                    if (x.BelowPercent is <= 0 or > 100) Error($"{path}.belowPercent", "must be above 0 and at most 100");
                    break;
            }
        }
    }

    private static bool IsKey(string? key) =>
        !string.IsNullOrEmpty(key) && key.Length <= 64 && key.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.');
}
