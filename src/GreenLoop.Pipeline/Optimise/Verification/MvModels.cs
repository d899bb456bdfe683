using System.Text.Json.Serialization;
using GreenLoop.Domain.Optimise.Verification;

namespace GreenLoop.Pipeline.Optimise.Verification;

/// <summary>A non-routine adjustment (IPMVP): a change outside the measure's effect (a new line, a shut-down), added to the adjusted baseline of the periods it covers.</summary>
/// <param name="From">First local day it applies to, yyyy-MM-dd.</param>
/// <param name="To">Last local day (included).</param>
/// <param name="Amount">Energy added to the adjusted baseline per period in the range, in the subject's unit (negative to remove).</param>
/// <param name="Reason">Why, in words a verifier can check.</param>
/// <param name="By">Who added it (set by the server).</param>
/// <param name="At">When (set by the server).</param>
public sealed record NonRoutineAdjustment(string From, string To, double Amount, string Reason, string? By = null, string? At = null);

/// <summary>
/// What a baseline model is: the subject (<c>meter:KEY</c> for IPMVP Option B, <c>node:NODE:CARRIER</c> for Option C,
/// <c>_site</c> as the node for the whole site), the grain (hour, day, week, month), the baseline period, the form and
/// its drivers, the reporting period, and the non-routine adjustments.
/// </summary>
public sealed record ModelSpec
{
    public string Name { get; init; } = "";
    public string? NameZh { get; init; }
    public string Subject { get; init; } = "";
    public string Grain { get; init; } = "day";
    public string BaselineFrom { get; init; } = "";
    public string BaselineTo { get; init; } = "";
    public ModelForm Form { get; init; } = ModelForm.Linear;

    /// <summary>
    /// Drivers: <c>meter:KEY</c> (a meter's period total, or its mean for a gauge), <c>node:NODE:CARRIER</c>,
    /// <c>hdd:METER:BASE</c> / <c>cdd:METER:BASE</c> (degree-days from a temperature meter's daily means, base in its
    /// unit), <c>days</c> (days in the period), <c>days:mon,tue,…</c> (days of those weekdays in the period).
    /// For a change-point form the first driver is the one with the change point.
    /// </summary>
    public IReadOnlyList<string> Drivers { get; init; } = [];

    public string? ReportingFrom { get; init; }
    public string? ReportingTo { get; init; }

    /// <summary>The project whose savings this model verifies, if any.</summary>
    public long? ProjectId { get; init; }

    /// <summary>Periods whose data cover less than this share are left out (listed with the reason), never filled.</summary>
    public double MinCompleteness { get; init; } = 0.9;

    public IReadOnlyList<NonRoutineAdjustment> Adjustments { get; init; } = [];

    /// <summary>IPMVP option: B when the subject is a meter (the measure's own sub-meter), C for a node or the site.</summary>
    [JsonIgnore]
    public string Option => Subject.StartsWith("meter:", StringComparison.Ordinal) ? "B" : "C";
}

/// <summary>One period of data: the subject's value and the drivers', how complete, and why it was left out if it was.</summary>
public sealed record DataPoint(string Period, double? Y, IReadOnlyList<double?> Drivers, double Completeness, string? Excluded = null, string? ExcludedZh = null);

/// <summary>
/// A fitted model as stored: the fit (null when the data could not carry it), its checks, whether it may be used and
/// why not, the baseline data it was fitted on, the subject's unit, who fitted it and when, and the method text.
/// </summary>
public sealed record ModelResult(
    BaselineFit? Fit, IReadOnlyList<ModelCheck> Checks, bool Usable, string? Refusal, string? RefusalZh, IReadOnlyList<DataPoint> Baseline,
    string Unit, string Carrier, string FittedAt, string FittedBy, string Method);

/// <summary>A model as shown: id, spec, option and the stored fit.</summary>
public sealed record ModelView(long Id, string Site, ModelSpec Spec, string Option, ModelResult? Result, string CreatedBy, string CreatedAt, string UpdatedAt);

/// <summary>One reporting period: actual use, the model's prediction, adjustments, the adjusted baseline, the savings and their running total with its uncertainty band.</summary>
public sealed record SavingsPeriod(
    string Period, double Actual, double Predicted, double Adjustment, double AdjustedBaseline, double Savings, double Cumulative,
    double? Band68, double? Band90, IReadOnlyList<double> Drivers);

/// <summary>Normalised savings: the baseline and reporting-period models both evaluated on the baseline period's conditions.</summary>
public sealed record NormalisedSavings(double? Value, double? Fraction, string Conditions, string? Reason, string? ReasonZh);

/// <summary>
/// Avoided energy over the reporting period (adjusted baseline - reporting use, IPMVP), per period and in total, with
/// the Guideline 14 fractional savings uncertainty at 68 % and 90 % confidence and whether the savings exceed it;
/// normalised savings; the checks (the model's and the reporting drivers' range); the method recorded with the result.
/// Totals are null when the model may not be used (<see cref="Refusal"/> says why). <see cref="Days"/> are the calendar
/// days asked for; <see cref="CoveredDays"/> those of the periods the savings add up (partial weeks or months at the
/// ends and periods left out for missing data are not), the base of any yearly figure.
/// </summary>
public sealed record SavingsResult(
    long ModelId, string Subject, string Option, string Unit, string Carrier, string From, string To, int Days, double CoveredDays,
    IReadOnlyList<SavingsPeriod> Periods, IReadOnlyList<DataPoint> Excluded,
    double? AdjustedBaseline, double? Actual, double? Savings, double? SavingsFraction,
    double? Uncertainty68, double? Uncertainty90, bool? Exceeds68, bool? Exceeds90, double? Band68, double? Band90,
    NormalisedSavings? Normalised, IReadOnlyList<ModelCheck> Checks, bool Usable, string? Refusal, string? RefusalZh,
    string Method, string ComputedAt);
