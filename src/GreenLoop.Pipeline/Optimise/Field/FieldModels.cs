using System.Text.Json.Serialization;
using GreenLoop.Domain.Optimise.Field;

namespace GreenLoop.Pipeline.Optimise.Field;

/// <summary>A template version as shown.</summary>
public sealed record TemplateView(long Id, string Site, string Key, int Version, ChecklistTemplate Template, bool Retired, string CreatedBy, string CreatedAt);

/// <summary>Who does a round: a role (every user with it) or a person (a user name), or both.</summary>
public sealed record Assignee(string? Role = null, string? Person = null);

/// <summary>A round: a template (its latest version is used) at a node or piece of equipment, on a schedule, for someone; channels told of a missed round.</summary>
public sealed record RoundBody
{
    public string Name { get; init; } = "";
    public string? NameZh { get; init; }
    public string Template { get; init; } = "";
    public string? Node { get; init; }
    public RoundSchedule Schedule { get; init; } = new();
    public Assignee Assignee { get; init; } = new();
    public IReadOnlyList<string> Recipients { get; init; } = [];
}

/// <summary>A round as shown.</summary>
public sealed record RoundView(long Id, string Site, RoundBody Round, bool Active, string CreatedBy, string CreatedAt);

/// <summary>One occurrence of a round: when it is due (local), its state, and the inspection that fulfils it.</summary>
public sealed record OccurrenceView(long Round, string RoundName, string? RoundNameZh, string Template, string? Node, string Due, string WindowEnd, OccurrenceState State, long? Inspection, Assignee Assignee);

/// <summary>
/// An inspection as submitted by a phone: its submission id (made on the phone, so a retry is recognised), the round and
/// occurrence it fulfils (or a template for an unscheduled one), when it was started, the answers, and where (only
/// kept when the plant keeps locations).
/// </summary>
public sealed record InspectionSubmission
{
    public string SubmissionId { get; init; } = "";
    public long? RoundId { get; init; }
    public string? Due { get; init; }
    public string? Template { get; init; }
    public string? StartedAt { get; init; }
    public IReadOnlyList<ItemAnswer> Answers { get; init; } = [];
    public string? Location { get; init; }
}

/// <summary>A photo as listed.</summary>
public sealed record PhotoView(long Id, string Item, string Name, string ContentType, long Bytes, string TakenBy, string TakenAt, bool Thumbnail = false);

/// <summary>An inspection as stored: the template version, answers, outcomes, photos, work orders it opened, who and when.</summary>
public sealed record InspectionView(
    long Id, string Site, long TemplateId, string Template, int Version, long? Round, string? Due, string SubmissionId, IReadOnlyList<ItemAnswer> Answers,
    IReadOnlyList<ItemOutcome> Outcomes, int Failed, IReadOnlyList<PhotoView> Photos, IReadOnlyList<long> WorkOrders, string? Location, string DoneBy,
    string StartedAt, string SubmittedAt);

/// <summary>The answer to a submission: the inspection and whether this request stored it (false: an earlier try already had).</summary>
public sealed record SubmissionResult(InspectionView Inspection, bool Created);

/// <summary>The state of a work order.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkOrderState>))]
public enum WorkOrderState { Open, Assigned, InProgress, OnHold, Done, Verified, Cancelled }

/// <summary>How urgent a work order is; each priority has a service time that sets the due date.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkOrderPriority>))]
public enum WorkOrderPriority { Low, Medium, High, Urgent }

/// <summary>A part used on a work order.</summary>
public sealed record PartUsed(string Part, double Quantity, string Unit, double? Cost = null);

/// <summary>What a work order records: what, where, priority, assignee, due date, parts, hours, cost, and channels told when it is overdue.</summary>
public sealed record WorkOrderBody
{
    public string Title { get; init; } = "";
    public string? Description { get; init; }
    public string? Node { get; init; }
    public WorkOrderPriority Priority { get; init; } = WorkOrderPriority.Medium;
    public string? Assignee { get; init; }
    public string? DueDate { get; init; }
    public IReadOnlyList<PartUsed> Parts { get; init; } = [];
    public double? Hours { get; init; }
    public double? Cost { get; init; }
    public IReadOnlyList<string> Recipients { get; init; } = [];
}

/// <summary>One event in a work order's history (state changes, assignment, comments), with who and when.</summary>
public sealed record WorkOrderEvent(string At, string By, string What, string? Note);

/// <summary>A work order as shown: where it came from, its state, overdue flag, history, photos.</summary>
public sealed record WorkOrderView(
    long Id, string Site, WorkOrderBody Order, WorkOrderState State, bool Overdue, string Source, long? Inspection, string? Item, long? Alarm,
    IReadOnlyList<WorkOrderEvent> History, IReadOnlyList<PhotoView> Photos, string CreatedBy, string CreatedAt, string UpdatedAt,
    long? Action = null, long? Project = null);

/// <summary>
/// Making a work order a corrective action of a PDCA review: the review (optional), and what differs from the work
/// order — title (default the work order's), owner (default its assignee, else the caller), due date (default 30 days
/// from today), the KPI that will show whether it worked, the channels reminded when it is overdue.
/// </summary>
public sealed record WorkOrderToAction(long? ReviewId = null, string? Title = null, string? Owner = null, string? DueDate = null, string? Kpi = null,
    IReadOnlyList<string>? Recipients = null);

/// <summary>
/// Making a work order a project (state Idea): title (default the work order's), its Chinese title, category (default
/// energy-saving), owner (default the caller); the node and description come from the work order.
/// </summary>
public sealed record WorkOrderToProject(string? Title = null, string? TitleZh = null, string? Category = null, string? Owner = null);

/// <summary>A change to a work order: state, assignee, due date, parts, hours, cost, and a comment.</summary>
public sealed record WorkOrderChange(WorkOrderState? State = null, string? Assignee = null, string? DueDate = null, IReadOnlyList<PartUsed>? Parts = null,
    double? Hours = null, double? Cost = null, string? Comment = null);
