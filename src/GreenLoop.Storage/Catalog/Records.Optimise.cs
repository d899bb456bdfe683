namespace GreenLoop.Storage.Catalog;

/// <summary>A site's KPI (definition JSON: the domain's <c>KpiDefinition</c>).</summary>
public sealed class KpiRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public long SiteId { get; set; }
    public SiteRecord? Site { get; set; }
    public required string Key { get; set; }
    public required string Definition { get; set; }
    public required string UpdatedBy { get; set; }
    public long UpdatedAt { get; set; }

    /// <summary>The status its recipients were last told of (<c>offTrack</c>), so a KPI that stays off track is told once.</summary>
    public string? NotifiedStatus { get; set; }
}

/// <summary>
/// A recorded quantity no meter measures (waste shipped, a lab result, a purchase): its key, value and unit over a
/// local date range [<see cref="FromDate"/>, <see cref="ToDate"/>) at the site, with evidence and who recorded it.
/// </summary>
public sealed class QuantityRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public long SiteId { get; set; }
    public SiteRecord? Site { get; set; }
    public required string Key { get; set; }

    /// <summary>First local day, <c>yyyy-MM-dd</c>.</summary>
    public required string FromDate { get; set; }

    /// <summary>The day after the last, <c>yyyy-MM-dd</c>.</summary>
    public required string ToDate { get; set; }

    public double Value { get; set; }
    public required string Unit { get; set; }
    public string? Note { get; set; }
    public string? EvidenceName { get; set; }
    public string? EvidenceType { get; set; }
    public byte[]? Evidence { get; set; }
    public required string RecordedBy { get; set; }
    public long RecordedAt { get; set; }
}

/// <summary>
/// A PDCA review meeting of a site (body JSON: the pipeline's <c>ReviewBody</c> — title, date, attendees, findings,
/// decisions; snapshot JSON: the KPI values frozen when the review was held).
/// </summary>
public sealed class ReviewRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public long SiteId { get; set; }
    public SiteRecord? Site { get; set; }
    public required string Body { get; set; }
    public string? Snapshot { get; set; }
    public long? HeldAt { get; set; }
    public string? HeldBy { get; set; }
    public required string CreatedBy { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>
/// An improvement action (body JSON: the pipeline's <c>ActionBody</c>): from a review or an alarm, with owner, due
/// date, state, evidence and the KPI whose before/after checks its effectiveness; history JSON: every change.
/// </summary>
public sealed class ActionRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public long SiteId { get; set; }
    public SiteRecord? Site { get; set; }
    public long? ReviewId { get; set; }
    public long? AlarmId { get; set; }
    public required string State { get; set; }
    public required string DueDate { get; set; }
    public required string Body { get; set; }
    public required string History { get; set; }

    /// <summary>When its recipients were reminded that it is overdue (Unix ms), so the reminder is sent once per due date.</summary>
    public long? RemindedAt { get; set; }

    public required string CreatedBy { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>A cleaner-production audit of a site (body JSON: title, period, team, notes); its balances are computed.</summary>
public sealed class CpAuditRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public long SiteId { get; set; }
    public SiteRecord? Site { get; set; }
    public required string Body { get; set; }
    public required string CreatedBy { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>An option (方案) of a cleaner-production audit (body JSON), with its stage and history.</summary>
public sealed class CpOptionRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public long AuditId { get; set; }
    public CpAuditRecord? Audit { get; set; }
    public required string Stage { get; set; }
    public required string Body { get; set; }
    public required string History { get; set; }
    public required string CreatedBy { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>
/// An energy-saving or cleaner-production project of a site (body JSON: the pipeline's <c>ProjectBody</c> — category,
/// owner, node, life, discount rate, investment and benefit lines, prices; history JSON: every state change with who
/// and when; verification JSON: the savings result frozen when the project was verified, with method and version).
/// </summary>
public sealed class ProjectRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public long SiteId { get; set; }
    public SiteRecord? Site { get; set; }
    public required string State { get; set; }
    public required string Body { get; set; }
    public required string History { get; set; }
    public long? ModelId { get; set; }
    public string? Verification { get; set; }
    public required string CreatedBy { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>A document attached to a project (offer, drawing, commissioning record), with who uploaded it and when.</summary>
public sealed class ProjectDocumentRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public long ProjectId { get; set; }
    public ProjectRecord? Project { get; set; }
    public required string Name { get; set; }
    public required string ContentType { get; set; }
    public required byte[] Content { get; set; }
    public required string UploadedBy { get; set; }
    public long UploadedAt { get; set; }
}

/// <summary>
/// A baseline model for savings verification (spec JSON: the pipeline's <c>ModelSpec</c> — subject, grain, baseline
/// period, form, drivers, reporting period, non-routine adjustments; fit JSON: the fitted model with its statistics,
/// checks and the baseline data it was fitted on, so the figure reproduces later).
/// </summary>
public sealed class MvModelRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public long SiteId { get; set; }
    public SiteRecord? Site { get; set; }
    public required string Spec { get; set; }
    public string? Fit { get; set; }
    public required string CreatedBy { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>
/// One version of a checklist template of a site (body JSON: the domain's <c>ChecklistTemplate</c>). Editing a template
/// adds a version; an inspection keeps the version it was done with.
/// </summary>
public sealed class ChecklistTemplateRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public long SiteId { get; set; }
    public SiteRecord? Site { get; set; }
    public required string Key { get; set; }
    public int Version { get; set; }
    public required string Body { get; set; }
    public bool Retired { get; set; }
    public required string CreatedBy { get; set; }
    public long CreatedAt { get; set; }
}

/// <summary>An inspection round (body JSON: the pipeline's <c>RoundBody</c> — template, node, schedule, assignee).</summary>
public sealed class InspectionRoundRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public long SiteId { get; set; }
    public SiteRecord? Site { get; set; }
    public required string Body { get; set; }
    public bool Active { get; set; } = true;
    public required string CreatedBy { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }

    /// <summary>The due time (UTC ms) of the last missed occurrence its recipients were told of.</summary>
    public long? NotifiedMissedAt { get; set; }
}

/// <summary>
/// A finished inspection: the template version it was done with, the round and occurrence (local due time) it
/// fulfils, the answers and their outcomes (JSON), who and when; <see cref="SubmissionId"/> (the phone's id of the
/// submission, unique per tenant) makes a retried submission land once.
/// </summary>
public sealed class InspectionRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public long SiteId { get; set; }
    public SiteRecord? Site { get; set; }
    public long TemplateId { get; set; }
    public ChecklistTemplateRecord? Template { get; set; }
    public long? RoundId { get; set; }

    /// <summary>The occurrence it fulfils, local <c>yyyy-MM-ddTHH:mm</c>, or null for an unscheduled inspection.</summary>
    public string? DueLocal { get; set; }

    public required string SubmissionId { get; set; }
    public required string Answers { get; set; }
    public required string Outcomes { get; set; }
    public int Failed { get; set; }
    public string? Location { get; set; }
    public required string DoneBy { get; set; }
    public long StartedAt { get; set; }
    public long SubmittedAt { get; set; }
}

/// <summary>A photo of an inspection item or a work order (checked, metadata removed unless kept), with who and when.</summary>
public sealed class FieldPhotoRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public long? InspectionId { get; set; }
    public long? WorkOrderId { get; set; }
    public required string Item { get; set; }
    public required string Name { get; set; }
    public required string ContentType { get; set; }
    public required byte[] Content { get; set; }

    /// <summary>A small JPEG of the photo (longest side 320 px), null when the picture data could not be decoded.</summary>
    public byte[]? Thumbnail { get; set; }

    public required string TakenBy { get; set; }
    public long TakenAt { get; set; }
}

/// <summary>
/// A work order (body JSON: the pipeline's <c>WorkOrderBody</c>): what, where, priority, assignee, due date, parts,
/// hours and cost; state with history and comments (JSON); where it came from — an inspection item, an alarm (at most
/// one work order per alarm) or by hand.
/// </summary>
public sealed class WorkOrderRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public long SiteId { get; set; }
    public SiteRecord? Site { get; set; }
    public required string State { get; set; }
    public required string Priority { get; set; }
    public required string DueDate { get; set; }
    public required string Body { get; set; }
    public required string History { get; set; }
    public long? InspectionId { get; set; }
    public string? Item { get; set; }
    public long? AlarmId { get; set; }
    public long? EscalatedAt { get; set; }

    /// <summary>The corrective action (of a PDCA review) this work order became, if any.</summary>
    public long? ActionId { get; set; }

    /// <summary>The project this work order became, if any.</summary>
    public long? ProjectId { get; set; }

    public required string CreatedBy { get; set; }
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
}
