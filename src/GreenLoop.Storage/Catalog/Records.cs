namespace GreenLoop.Storage.Catalog;

// The catalogue's records: what EF Core maps, one class per table. Instants are Unix milliseconds (long) as in the
// time-series tables, so that both kinds of data compare without conversion and a copy between providers is exact.
// Definitions (site header, meter, rule, alarm, channel, data source) are JSON documents whose shape the domain owns.

/// <summary>A tenant: a company or group whose data no other tenant may see.</summary>
public sealed class TenantRecord
{
    public long Id { get; set; }
    public required string Key { get; set; }
    public required string Name { get; set; }
    /// <summary>A disabled tenant's users cannot sign in and its keys are refused; its data stays.</summary>
    public bool Disabled { get; set; }
}

/// <summary>A site (plant): its document header as JSON (nodes, meters and events live in their own tables).</summary>
public sealed class SiteRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public required string Key { get; set; }
    public required string Definition { get; set; }
    /// <summary>IANA time zone of the site.</summary>
    public required string TimeZone { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>A node of a site's tree; the site itself is the node with key <c>_site</c>.</summary>
public sealed class NodeRecord
{
    public long Id { get; set; }
    public long SiteId { get; set; }
    public SiteRecord? Site { get; set; }
    public required string Key { get; set; }
    public required string Name { get; set; }
    public string? NameZh { get; set; }
    /// <summary>The node kind's name (<c>NodeKind</c>); null for the site root.</summary>
    public string? Kind { get; set; }
    public long? ParentId { get; set; }
}

/// <summary>A meter: its definition as JSON, with the columns that queries filter and group on.</summary>
public sealed class MeterRecord
{
    public long Id { get; set; }
    public long TenantId { get; set; }
    public long SiteId { get; set; }
    public long NodeId { get; set; }
    public required string Key { get; set; }
    public required string Carrier { get; set; }
    /// <summary>The direction's name (<c>MeterDirection</c>).</summary>
    public required string Direction { get; set; }
    public required string Definition { get; set; }
}

/// <summary>Which meters count toward which node: the closure over the tree without double counting (see <c>NodeClosure</c>).</summary>
public sealed class NodeMeterRecord
{
    public long NodeId { get; set; }
    public NodeRecord? Node { get; set; }
    public long MeterId { get; set; }
}

/// <summary>A recorded replacement or reset of a meter's register.</summary>
public sealed class MeterEventRecord
{
    public long MeterId { get; set; }
    public MeterRecord? Meter { get; set; }
    public long Ts { get; set; }
    /// <summary>The event kind's name (<c>MeterEventKind</c>).</summary>
    public required string Kind { get; set; }
    public double? OldValue { get; set; }
    public double NewValue { get; set; }
    public string? Note { get; set; }
}

/// <summary>A site's override of a reference value (append-only: a newer one supersedes).</summary>
public sealed class FactorOverrideRecord
{
    public long Id { get; set; }
    public long SiteId { get; set; }
    public SiteRecord? Site { get; set; }
    public required string FactorId { get; set; }
    public string? Year { get; set; }
    public double Value { get; set; }
    public required string Unit { get; set; }
    public required string Reason { get; set; }
    public required string By { get; set; }
    public long At { get; set; }
}

/// <summary>A locked accounting period with its figures as they were (JSON).</summary>
public sealed class PeriodLockRecord
{
    public long SiteId { get; set; }
    public SiteRecord? Site { get; set; }
    public required string Period { get; set; }
    public long LockedAt { get; set; }
    public required string By { get; set; }
    public required string Snapshot { get; set; }
}
