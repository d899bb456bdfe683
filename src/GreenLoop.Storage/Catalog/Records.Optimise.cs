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
