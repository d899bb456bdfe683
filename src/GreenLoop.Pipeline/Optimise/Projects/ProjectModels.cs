using System.Text.Json.Serialization;
using GreenLoop.Accounting;
using GreenLoop.Domain.Optimise;
using GreenLoop.Pipeline.Optimise.Verification;

namespace GreenLoop.Pipeline.Optimise.Projects;

/// <summary>The state of a project, idea to verified (or rejected).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProjectState>))]
public enum ProjectState { Idea, Proposed, Approved, InProgress, Commissioned, Verified, Rejected }

/// <summary>
/// One investment line (total investment, ¥): <c>equipment</c> (purchase and installation), <c>process-change</c>,
/// <c>consulting</c> (consulting and audit fees), <c>training</c>, <c>digital-system</c>, <c>other</c>.
/// </summary>
public sealed record CostLine(string Category, double Amount, string? Description = null);

/// <summary>
/// One yearly benefit line (¥ per year): cost saved — <c>energy</c>, <c>water</c>, <c>raw-materials</c>,
/// <c>pollutant-fees</c> (pollutant fees and environmental tax), <c>fines-avoided</c> — or new income —
/// <c>recovered-materials</c>, <c>waste-heat</c>, <c>subsidies</c> (subsidies and awards), <c>other</c>. An energy
/// line states the energy saved per year (<see cref="AnnualEnergy"/> in the carrier's unit); its money then follows from
/// the project's price of that carrier when <see cref="AnnualAmount"/> is not given.
/// </summary>
public sealed record BenefitLine(string Category, double? AnnualAmount = null, string? Description = null, string? Carrier = null, double? AnnualEnergy = null);

/// <summary>The price of a carrier the project's money figures use (¥ per unit), with where it comes from.</summary>
public sealed record PriceLine(string Carrier, double Price, string Unit, string Source);

/// <summary>
/// What a project records: title (both languages), category, description, owner, node, dates, the measure's life and
/// discount rate, investment lines, benefit lines, yearly running cost, prices, and the audit option it came from.
/// </summary>
public sealed record ProjectBody
{
    public string Title { get; init; } = "";
    public string? TitleZh { get; init; }

    /// <summary><c>energy-saving</c>, <c>cleaner-production</c>, <c>renewable</c>, <c>water</c>, <c>waste</c> or <c>other</c>.</summary>
    public string Category { get; init; } = "energy-saving";
    public string? Description { get; init; }
    public string Owner { get; init; } = "";
    public string? Node { get; init; }
    public string? StartDate { get; init; }
    public string? CommissionDate { get; init; }

    /// <summary>The measure's economic life, years.</summary>
    public int LifeYears { get; init; } = 10;

    /// <summary>Discount rate for NPV, discounted payback and the abatement cost (0.08 = 8 %).</summary>
    public double DiscountRate { get; init; } = 0.08;

    /// <summary>Yearly running cost of the measure (maintenance, its own consumption not metered), ¥ per year.</summary>
    public double AnnualRunningCost { get; init; }

    public IReadOnlyList<CostLine> Investment { get; init; } = [];
    public IReadOnlyList<BenefitLine> Benefits { get; init; } = [];
    public IReadOnlyList<PriceLine> Prices { get; init; } = [];

    /// <summary>The cleaner-production audit option this project carries out, if any.</summary>
    public long? AuditId { get; init; }
    public long? OptionId { get; init; }

    /// <summary>The work order this project grew from, if any (the site's).</summary>
    public long? WorkOrder { get; init; }
}

/// <summary>One change in a project's history.</summary>
public sealed record ProjectEvent(string At, string By, string What, string? Note);

/// <summary>The tonnes avoided per year by the energy one carrier saves, at the site's own emission intensity, with its lineage.</summary>
public sealed record CarbonTerm(string Carrier, double AnnualEnergy, string Unit, double? Intensity, double? Tonnes, string Source, string SourceZh,
    IReadOnlyList<FactorUse> Factors, string? Reason = null, string? ReasonZh = null);

/// <summary>
/// A project's economics on one basis (<c>planned</c>: the estimated lines; <c>verified</c>: the energy benefit replaced by
/// the verified savings): investment, yearly benefit and net benefit, ROI, simple and discounted payback, NPV, IRR,
/// tCO2e avoided per year and the abatement cost (¥/tCO2e), and the yearly flows behind them.
/// </summary>
public sealed record ProjectEconomics(
    string Basis, double Investment, double AnnualBenefit, double AnnualRunningCost, double AnnualNetBenefit, double? Roi, double? SimplePayback,
    double? DiscountedPayback, double Npv, IrrResult Irr, double? TonnesPerYear, double? AbatementCost, IReadOnlyList<CarbonTerm> Carbon,
    IReadOnlyList<double> Flows, IReadOnlyList<BenefitLine> Benefits);

/// <summary>The savings verified for a project, frozen when it was verified: the model, the result (method and version included) and the yearly figures.</summary>
public sealed record ProjectVerification(long ModelId, SavingsResult Result, double AnnualEnergy, string Unit, string Carrier, double? AnnualMoney, string VerifiedAt, string VerifiedBy);

/// <summary>A document attached to a project.</summary>
public sealed record ProjectDocument(long Id, string Name, string ContentType, long Bytes, string UploadedBy, string UploadedAt);

/// <summary>A project as shown: record, state, history, documents, economics planned and (once verified) verified.</summary>
public sealed record ProjectView(
    long Id, string Site, ProjectBody Project, ProjectState State, IReadOnlyList<ProjectEvent> History, IReadOnlyList<ProjectDocument> Documents,
    ProjectEconomics Planned, ProjectEconomics? Verified, ProjectVerification? Verification, long? ModelId, string CreatedBy, string CreatedAt, string UpdatedAt);

/// <summary>A change of state (with a note), or of the model that verifies the project.</summary>
public sealed record ProjectChange(ProjectState? State = null, long? ModelId = null, string? Note = null);

/// <summary>One bar of the marginal abatement cost curve: a project's tonnes per year (the width) and ¥/tCO2e (the height).</summary>
public sealed record MacBar(long Project, string Title, string? TitleZh, ProjectState State, double TonnesPerYear, double AbatementCost, double CumulativeTonnes, string Basis);

/// <summary>Counts and sums of the projects in one state.</summary>
public sealed record StateTotal(ProjectState State, int Projects, double Investment, double PlannedAnnualBenefit, double? VerifiedAnnualBenefit);

/// <summary>
/// The site's portfolio: the marginal abatement cost curve (cheapest tonne first; projects without tonnes or rejected
/// are left out and listed), totals by state, and planned against verified savings of the verified projects.
/// </summary>
public sealed record Portfolio(string Site, IReadOnlyList<MacBar> Curve, IReadOnlyList<long> NotOnCurve, IReadOnlyList<StateTotal> Totals,
    double PlannedAnnualBenefit, double VerifiedAnnualBenefit, double PlannedTonnes, double VerifiedTonnes);
