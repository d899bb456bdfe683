using System.Globalization;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Time;

namespace GreenLoop.Domain.Alarms;

/// <summary>What a condition says about one period.</summary>
public enum VerdictKind
{
    /// <summary>Nothing to judge (no data, no reference): state stays as it is.</summary>
    Unknown,
    /// <summary>Between the clear and the raise threshold: an open alarm stays open, nothing new is raised.</summary>
    Hold,
    /// <summary>The raise condition holds.</summary>
    Breach,
    /// <summary>The clear condition holds.</summary>
    Clear,
}

/// <summary>A condition's verdict on one period, with what was measured against what, in English and Chinese.</summary>
public sealed record Verdict(VerdictKind Kind, string En, string Zh, double? Value = null, double? Limit = null, string Unit = "")
{
    public static Verdict Unknown(string en, string zh) => new(VerdictKind.Unknown, en, zh);
}

/// <summary>Judges conditions on one period of pre-read data. Pure: no clock, no I/O.</summary>
public static class AlarmEvaluator
{
    /// <summary>The verdict of <paramref name="condition"/> on the period [<paramref name="start"/>, next period).</summary>
    public static Verdict Evaluate(AlarmCondition condition, long start, AlarmInput input, double clearRatio)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(input);
        var end = AlarmPeriods.Next(condition.Grain, input.Calendar, start);
        var label = Label(condition.Grain, input, start, end);
        return condition switch
        {
            AllOf a => Combine(a.Of.Select(c => Evaluate(c, start, input, clearRatio)).ToList(), all: true),
            AnyOf o => Combine(o.Of.Select(c => Evaluate(c, start, input, clearRatio)).ToList(), all: false),
            ConsumptionAbove c => Consumption(c, start, input, clearRatio, label),
            ChangeRateAbove c => ChangeRate(c, start, input, clearRatio, label),
            ValueOutOfRange c => Range(c, start, input, clearRatio, label),
            CounterAnomaly c => Anomaly(c, start, end, input, label),
            UnitEnergyAbove c => UnitEnergy(c, start, input, clearRatio, label),
            CompletenessBelow c => Completeness(c, start, end, input, label),
            NoData => Verdict.Unknown("no-data conditions are judged on the clock", "无数据条件按时钟判断"),
            _ => throw new ArgumentOutOfRangeException(nameof(condition), condition.GetType().Name, "unknown condition"),
        };
    }

    /// <summary>
    /// AND raises when every part breaches and clears when any part clears; OR raises when any part breaches and clears
    /// when every part clears. Both keep each part's hysteresis.
    /// </summary>
    public static Verdict Combine(IReadOnlyList<Verdict> parts, bool all)
    {
        ArgumentNullException.ThrowIfNull(parts);
        bool Any(VerdictKind k) => parts.Any(p => p.Kind == k);
        bool Every(VerdictKind k) => parts.Count > 0 && parts.All(p => p.Kind == k);
        VerdictKind kind;
        if (all) kind = Every(VerdictKind.Breach) ? VerdictKind.Breach : Any(VerdictKind.Clear) ? VerdictKind.Clear : Any(VerdictKind.Unknown) ? VerdictKind.Unknown : VerdictKind.Hold;
        else kind = Any(VerdictKind.Breach) ? VerdictKind.Breach : Every(VerdictKind.Clear) ? VerdictKind.Clear : Any(VerdictKind.Unknown) ? VerdictKind.Unknown : VerdictKind.Hold;
        var shown = parts.Where(p => p.Kind == kind).ToList();
        if (shown.Count == 0) shown = [.. parts];
        var first = shown.Count > 0 ? shown[0] : null;
        return new Verdict(kind,
            string.Join(all ? " AND " : " OR ", shown.Select(p => p.En)),
            string.Join(all ? "，且" : "，或", shown.Select(p => p.Zh)),
            first?.Value, first?.Limit, first?.Unit ?? "");
    }

    private static Verdict Consumption(ConsumptionAbove c, long start, AlarmInput input, double clearRatio, string label)
    {
        var limit = c.Schedule.FirstOrDefault(b => b.Covers(input.Calendar.ToLocal(start)))?.Limit ?? c.Limit;
        if (input.At(start)?.Value is not { } value) return Verdict.Unknown($"{label}: no data", $"{label}：无数据");
        var text = $"{label}: {Num(value)} {input.Unit}";
        if (limit is not { } l) return new Verdict(VerdictKind.Clear, $"{text}, no limit in force", $"{text}，该时段无限值", value, null, input.Unit);
        return Upper(value, l, clearRatio, input.Unit,
            $"{text}, limit {Num(l)} {input.Unit}", $"{label}：{Num(value)} {input.Unit}，限值 {Num(l)} {input.Unit}");
    }

    private static Verdict ChangeRate(ChangeRateAbove c, long start, AlarmInput input, double clearRatio, string label)
    {
        var refStart = AlarmPeriods.Reference(c.Compare, input.Calendar, start);
        var (en, zh) = c.Compare switch
        {
            ChangeCompare.DayOnDay => ("day on day", "日环比"),
            ChangeCompare.WeekOnWeek => ("week on week", "周同比"),
            _ => ("against the same hour yesterday", "较昨日同时段"),
        };
        if (input.At(start)?.Value is not { } current || input.At(refStart)?.Value is not { } earlier)
            return Verdict.Unknown($"{label}: no data to compare", $"{label}：无对比数据");
        if (earlier <= 0 || earlier < c.MinReference)
            return Verdict.Unknown($"{label}: reference {Num(earlier)} {input.Unit} too small to compare", $"{label}：对比基数 {Num(earlier)} {input.Unit} 过小");
        var rate = (current - earlier) / earlier * 100;
        return Upper(rate, c.ThresholdPercent, clearRatio, "%",
            $"{label}: {Num(current)} {input.Unit} vs {Num(earlier)} {input.Unit}, {Signed(rate)} % {en}, threshold {Num(c.ThresholdPercent)} %",
            $"{label}：{Num(current)} {input.Unit}，对比 {Num(earlier)} {input.Unit}，{zh} {Signed(rate)}%，阈值 {Num(c.ThresholdPercent)}%");
    }

    private static Verdict Range(ValueOutOfRange c, long start, AlarmInput input, double clearRatio, string label)
    {
        if (input.At(start)?.Value is not { } mean) return Verdict.Unknown($"{label}: no data", $"{label}：无数据");
        var u = input.Unit;
        if (c.Max is { } max && mean > max)
            return new Verdict(VerdictKind.Breach, $"{label}: mean {Num(mean)} {u} above the maximum {Num(max)} {u}", $"{label}：均值 {Num(mean)} {u}，高于上限 {Num(max)} {u}", mean, max, u);
        if (c.Min is { } min && mean < min)
            return new Verdict(VerdictKind.Breach, $"{label}: mean {Num(mean)} {u} below the minimum {Num(min)} {u}", $"{label}：均值 {Num(mean)} {u}，低于下限 {Num(min)} {u}", mean, min, u);
        var clearHigh = c.Max is { } mx ? mx * clearRatio : double.PositiveInfinity;
        var clearLow = c.Min is { } mn ? mn + ((1 - clearRatio) * Math.Abs(mn)) : double.NegativeInfinity;
        var kind = mean <= clearHigh && mean >= clearLow ? VerdictKind.Clear : VerdictKind.Hold;
        var range = $"{(c.Min is { } a ? Num(a) : "−∞")}..{(c.Max is { } b ? Num(b) : "∞")} {u}";
        return new Verdict(kind, $"{label}: mean {Num(mean)} {u}, range {range}", $"{label}：均值 {Num(mean)} {u}，范围 {range}", mean, c.Max ?? c.Min, u);
    }

    private static Verdict Anomaly(CounterAnomaly c, long start, long end, AlarmInput input, string label)
    {
        var found = input.Findings.Where(f => f.Ts >= start && f.Ts < end && c.Kinds.Contains(f.Kind)).OrderBy(f => f.Ts).ToList();
        if (found.Count == 0) return new Verdict(VerdictKind.Clear, $"{label}: no {Kinds(c.Kinds)}", $"{label}：无{KindsZh(c.Kinds)}");
        var f = found[0];
        var more = found.Count > 1 ? $" (+{found.Count - 1} more)" : "";
        var moreZh = found.Count > 1 ? $"（另有 {found.Count - 1} 条）" : "";
        var at = input.Calendar.ToLocal(f.Ts).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return new Verdict(VerdictKind.Breach, $"{label}: {KindName(f.Kind)} at {at}: {f.Detail}{more}", $"{label}：{at} {KindNameZh(f.Kind)}：{f.Detail}{moreZh}", found.Count, null, "");
    }

    private static Verdict UnitEnergy(UnitEnergyAbove c, long start, AlarmInput input, double clearRatio, string label)
    {
        if (!input.DayTotals.TryGetValue(start, out var totals) || !totals.TryGetValue(c.Output, out var output) || output <= 0)
            return Verdict.Unknown($"{label}: no output", $"{label}：无产量数据");
        var kgce = c.Coefficients.Sum(kv => totals.GetValueOrDefault(kv.Key) * kv.Value);
        var unit = $"kgce/{input.CarrierUnits.GetValueOrDefault(c.Output, "unit")}";
        var value = kgce / output;
        return Upper(value, c.Limit, clearRatio, unit,
            $"{label}: {Num(kgce)} kgce for {Num(output)} {input.CarrierUnits.GetValueOrDefault(c.Output, "")} = {Num(value)} {unit}, limit {Num(c.Limit)} {unit}",
            $"{label}：{Num(kgce)} kgce / {Num(output)} {input.CarrierUnits.GetValueOrDefault(c.Output, "")} = {Num(value)} {unit}，限值 {Num(c.Limit)} {unit}");
    }

    private static Verdict Completeness(CompletenessBelow c, long start, long end, AlarmInput input, string label)
    {
        // A subject with no row at all in the period before has only begun reporting (a new meter, the first day of a
        // back-fill): its first period is not judged, or every new meter would raise on its first day.
        var previous = c.Per switch
        {
            AlarmGrain.Minutes15 => start - SiteCalendar.BucketMs,
            AlarmGrain.Hour => start - 3_600_000,
            _ => input.Calendar.DayStart(input.Calendar.LocalDate(start).AddDays(-1)),
        };
        if (input.At(previous) is null) return Verdict.Unknown($"{label}: no data before this period", $"{label}：此前无数据");
        var covered = input.At(start)?.CoveredMs ?? 0;
        var percent = covered * 100.0 / ((end - start) * (double)input.ExpectedMeters);
        var kind = percent < c.BelowPercent ? VerdictKind.Breach : VerdictKind.Clear;
        return new Verdict(kind, $"{label}: data completeness {Num(percent)} %, threshold {Num(c.BelowPercent)} %",
            $"{label}：数据完整率 {Num(percent)}%，阈值 {Num(c.BelowPercent)}%", percent, c.BelowPercent, "%");
    }

    private static Verdict Upper(double value, double limit, double clearRatio, string unit, string en, string zh)
    {
        var kind = value > limit ? VerdictKind.Breach : value <= limit * clearRatio ? VerdictKind.Clear : VerdictKind.Hold;
        return new Verdict(kind, en, zh, value, limit, unit);
    }

    /// <summary>The period as people read it, in the site's local time: "2025-03-10 21:00–22:00" or "2025-03-10".</summary>
    public static string Label(AlarmGrain grain, AlarmInput input, long start, long end)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.Calendar.ToLocal(start);
        if (grain == AlarmGrain.Day) return s.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var e = input.Calendar.ToLocal(end);
        return string.Create(CultureInfo.InvariantCulture, $"{s:yyyy-MM-dd HH:mm}–{e:HH:mm}");
    }

    internal static string Num(double v) => v.ToString(Math.Abs(v) >= 100 ? "0.#" : "0.###", CultureInfo.InvariantCulture);

    private static string Signed(double v) => (v >= 0 ? "+" : "") + v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Kinds(IReadOnlyList<FindingKind> kinds) => string.Join("/", kinds.Select(KindName));

    private static string KindsZh(IReadOnlyList<FindingKind> kinds) => string.Join("/", kinds.Select(KindNameZh));

    private static string KindName(FindingKind k) => k switch
    {
        FindingKind.Drop => "counter drop",
        FindingKind.Reset => "counter reset",
        FindingKind.Spike => "spike",
        FindingKind.Gap => "data gap",
        FindingKind.Rollover => "rollover",
        _ => "meter replacement",
    };

    private static string KindNameZh(FindingKind k) => k switch
    {
        FindingKind.Drop => "表码回退",
        FindingKind.Reset => "表码清零",
        FindingKind.Spike => "突增",
        FindingKind.Gap => "数据中断",
        FindingKind.Rollover => "表码翻转",
        _ => "换表",
    };
}
