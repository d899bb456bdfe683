using GreenLoop.Domain.Model;
using System.Text.Json.Serialization;

namespace GreenLoop.Domain.Optimise;

/// <summary>Whether an indicator is measured (a KPI's value against benchmarks) or answered (the level a plant meets).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IndicatorKind>))]
public enum IndicatorKind { Quantitative, Qualitative }

/// <summary>
/// One indicator of a cleaner-production evaluation indicator system: its first-level group and the group's weight,
/// its weight within the group, the benchmark of each level (I international leading, II domestic advanced, III
/// domestic general), whether it is limiting (限定性指标: a grade needs it met at that grade's level), the KPI that
/// measures it, and its source. A value that could not be checked against the published system stays null or carries
/// <see cref="Unverified"/>.
/// </summary>
public sealed record CpIndicator
{
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    public string? NameZh { get; init; }
    public string Group { get; init; } = "";
    public double? GroupWeight { get; init; }
    public double? Weight { get; init; }
    public IndicatorKind Kind { get; init; }
    public string? Kpi { get; init; }
    public string? Unit { get; init; }
    public KpiDirection Direction { get; init; }
    public double? LevelI { get; init; }
    public double? LevelII { get; init; }
    public double? LevelIII { get; init; }
    public bool Limiting { get; init; }
    public string? Source { get; init; }
    public bool Unverified { get; init; }
}

/// <summary>
/// An indicator system (清洁生产评价指标体系) and its grading rule: Y_g = Σ_i w_i Σ_j ω_ij · Y_g(x_ij), with
/// Y_g(x) = 100 when the indicator meets level g, else 0; grade I when Y_I ≥ <see cref="ThresholdI"/> and every
/// limiting indicator meets level I, grade II likewise, grade III when Y_III ≥ <see cref="ThresholdIII"/>. The method
/// and the thresholds (85, 85, 100) follow the general rules for compiling the indicator systems (清洁生产评价指标体系
/// 编制通则, NDRC/MEP/MIIT 2013); the thresholds are UNVERIFIED against that text.
/// </summary>
public sealed record CpIndicatorSystem
{
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    public string? NameZh { get; init; }
    public string Version { get; init; } = "";
    public string Source { get; init; } = "";
    public double ThresholdI { get; init; } = 85;
    public double ThresholdII { get; init; } = 85;
    public double ThresholdIII { get; init; } = 100;
    public bool ThresholdsUnverified { get; init; } = true;
    public IReadOnlyList<CpIndicator> Indicators { get; init; } = [];
}

/// <summary>One indicator as scored: the value or answered level, the levels it meets, and its share of each score.</summary>
public sealed record IndicatorScore(string Key, string Name, string? NameZh, string Group, double? Value, string? Unit, int? Answer,
    bool MeetsI, bool MeetsII, bool MeetsIII, double EffectiveWeight, double ContributionI, double ContributionII, double ContributionIII,
    bool Limiting, bool Applies, string? Reason, string? Source, bool Unverified)
{
    /// <summary>Why the indicator does not apply, in Chinese.</summary>
    public string? ReasonZh => Reason switch
    {
        null => null,
        "not answered" => "未作答",
        "the KPI has no value in the period" => "该期间指标无数值",
        var r when r.StartsWith("its weight", StringComparison.Ordinal) => "权重未知（指标体系数据未核实）",
        var r when r.StartsWith("its benchmarks", StringComparison.Ordinal) => "基准值未知（指标体系数据未核实）",
        var r => r,
    };
}

/// <summary>
/// The result of an evaluation: the three scores, the grade (<c>I</c>, <c>II</c>, <c>III</c> or none), why, and every
/// indicator's contribution. Indicators without a value (no data, no answer) do not apply, and the weights of the rest
/// of their group are scaled back to 1; a group with none applies drops out the same way.
/// </summary>
public sealed record CpEvaluationResult(string System, string Version, double ScoreI, double ScoreII, double ScoreIII, string? Grade, string Reason, string ReasonZh,
    IReadOnlyList<IndicatorScore> Indicators, bool UsesUnverified);

/// <summary>The grading arithmetic of <see cref="CpIndicatorSystem"/>, on values and answers already gathered.</summary>
public static class CpEvaluator
{
    /// <summary>Every problem with a system definition, by path.</summary>
    public static IReadOnlyList<DefinitionError> Validate(CpIndicatorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var errors = new List<DefinitionError>();
        if (string.IsNullOrWhiteSpace(system.Name)) errors.Add(new("name", "required"));
        if (string.IsNullOrWhiteSpace(system.Source)) errors.Add(new("source", "the standard or publication the system comes from"));
        if (system.Indicators.Count is 0 or > 200) errors.Add(new("indicators", "1 to 200 indicators"));
        for (var i = 0; i < system.Indicators.Count; i++)
        {
            var x = system.Indicators[i];
            var at = $"indicators[{i}]";
            if (string.IsNullOrWhiteSpace(x.Key)) errors.Add(new($"{at}.key", "required"));
            if (string.IsNullOrWhiteSpace(x.Group)) errors.Add(new($"{at}.group", "the first-level group"));
            if (x.Weight is { } w && !(w is > 0 and <= 1)) errors.Add(new($"{at}.weight", "above 0, at most 1 (within the group)"));
            if (x.GroupWeight is { } g && !(g is > 0 and <= 1)) errors.Add(new($"{at}.groupWeight", "above 0, at most 1"));
            if (x.Kind == IndicatorKind.Quantitative && string.IsNullOrWhiteSpace(x.Kpi)) errors.Add(new($"{at}.kpi", "a quantitative indicator names the KPI that measures it"));
        }
        foreach (var group in system.Indicators.GroupBy(x => x.Group))
            if (group.Select(x => x.GroupWeight).Distinct().Count() > 1) errors.Add(new("indicators", $"group '{group.Key}' has more than one groupWeight"));
        return errors;
    }

    private static bool Meets(double value, double? benchmark, KpiDirection direction) =>
        benchmark is { } b && (direction == KpiDirection.Lower ? value <= b : value >= b);

    /// <summary>
    /// Scores the system: <paramref name="values"/> by indicator key for quantitative indicators, <paramref name="answers"/>
    /// (1, 2 or 3: the best level the plant meets; 0: none) for qualitative ones.
    /// </summary>
    public static CpEvaluationResult Evaluate(CpIndicatorSystem system, IReadOnlyDictionary<string, double?> values, IReadOnlyDictionary<string, int> answers)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(answers);
        var raw = new List<(CpIndicator X, bool Applies, double? Value, int? Answer, bool I, bool II, bool III, string? Reason)>();
        foreach (var x in system.Indicators)
        {
            if (x.Weight is null || x.GroupWeight is null)
            {
                raw.Add((x, false, null, null, false, false, false, "its weight is not known (UNVERIFIED in the system's data)"));
                continue;
            }
            if (x.Kind == IndicatorKind.Qualitative)
            {
                if (!answers.TryGetValue(x.Key, out var level) || level is < 0 or > 3)
                    raw.Add((x, false, null, null, false, false, false, "not answered"));
                else raw.Add((x, true, null, level, level is 1, level is 1 or 2, level is 1 or 2 or 3, null));
                continue;
            }
            if (!values.TryGetValue(x.Key, out var v) || v is not { } value)
            {
                raw.Add((x, false, null, null, false, false, false, "the KPI has no value in the period"));
                continue;
            }
            if (x.LevelI is null && x.LevelII is null && x.LevelIII is null)
            {
                raw.Add((x, false, value, null, false, false, false, "its benchmarks are not known (UNVERIFIED in the system's data)"));
                continue;
            }
            raw.Add((x, true, value, null, Meets(value, x.LevelI, x.Direction), Meets(value, x.LevelII, x.Direction) || Meets(value, x.LevelI, x.Direction),
                Meets(value, x.LevelIII, x.Direction) || Meets(value, x.LevelII, x.Direction) || Meets(value, x.LevelI, x.Direction), null));
        }
        // Weights of what applies, scaled back to 1 within each group, and across the groups that remain.
        var groupTotals = raw.Where(r => r.Applies).GroupBy(r => r.X.Group).ToDictionary(g => g.Key, g => g.Sum(r => r.X.Weight!.Value));
        var groupWeightTotal = raw.Where(r => r.Applies).GroupBy(r => r.X.Group).Sum(g => g.First().X.GroupWeight!.Value);
        var scores = raw.Select(r =>
        {
            var weight = r.Applies && groupWeightTotal > 0 ? r.X.GroupWeight!.Value / groupWeightTotal * (r.X.Weight!.Value / groupTotals[r.X.Group]) : 0;
            return new IndicatorScore(r.X.Key, r.X.Name, r.X.NameZh, r.X.Group, r.Value, r.X.Unit, r.Answer, r.I, r.II, r.III, weight,
                r.I ? 100 * weight : 0, r.II ? 100 * weight : 0, r.III ? 100 * weight : 0, r.X.Limiting, r.Applies, r.Reason, r.X.Source, r.X.Unverified);
        }).ToList();
        var (yI, yII, yIII) = (scores.Sum(s => s.ContributionI), scores.Sum(s => s.ContributionII), scores.Sum(s => s.ContributionIII));
        var limiting = scores.Where(s => s.Limiting).ToList();
        string? grade = null;
        string reason, reasonZh;
        if (!scores.Any(s => s.Applies))
            (reason, reasonZh) = ("no indicator applies: no values, answers or known weights", "没有可参评的指标：无数值、无答复或权重未知");
        else if (limiting.Any(s => !s.Applies))
            (reason, reasonZh) = ($"limiting indicator(s) without a value: {string.Join(", ", limiting.Where(s => !s.Applies).Select(s => s.Key))}",
                $"限定性指标无数值：{string.Join("、", limiting.Where(s => !s.Applies).Select(s => s.NameZh ?? s.Name))}");
        else if (yI >= system.ThresholdI - 1e-9 && limiting.All(s => s.MeetsI)) (grade, reason, reasonZh) = ("I", "Y_I meets its threshold and every limiting indicator meets level I", "Y_I 达到分值要求，且限定性指标全部达到 I 级");
        else if (yII >= system.ThresholdII - 1e-9 && limiting.All(s => s.MeetsII)) (grade, reason, reasonZh) = ("II", "Y_II meets its threshold and every limiting indicator meets level II", "Y_II 达到分值要求，且限定性指标全部达到 II 级");
        else if (yIII >= system.ThresholdIII - 1e-9) (grade, reason, reasonZh) = ("III", "Y_III meets its threshold", "Y_III 达到分值要求");
        else (reason, reasonZh) = ("below level III", "未达到 III 级");
        return new CpEvaluationResult(system.Key, system.Version, yI, yII, yIII, grade, reason, reasonZh, scores,
            system.ThresholdsUnverified || scores.Any(s => s.Applies && s.Unverified));
    }
}
