using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;

namespace GreenLoop.Storage;

/// <summary>Time grains of derived data. 15 minutes are UTC buckets; the others are local to the site.</summary>
public enum Grain
{
    Minutes15 = 0,
    Hour = 1,
    Day = 2,
    Month = 3,
}

/// <summary>What ingest and queries need to know about a meter, resolved from its key.</summary>
public sealed record MeterRef(long Id, long TenantId, long SiteId, string SiteKey, string TimeZone, MeterDefinition Definition);

/// <summary>A reading resolved to its meter, ready to append (the value as read, before the multiplier).</summary>
public readonly record struct StoredReading(MeterId Meter, Instant Ts, double Value);

/// <summary>What happened to one appended reading.</summary>
public enum AppendStatus
{
    Inserted,
    /// <summary>The same value was already stored at that instant: nothing changed.</summary>
    Duplicate,
    /// <summary>A different value is stored at that instant: the new one was not written.</summary>
    Conflict,
}

/// <summary>The outcome of appending one reading; <see cref="Existing"/> is the stored value on a conflict.</summary>
public readonly record struct AppendOutcome(AppendStatus Status, double? Existing);

/// <summary>A rejected row kept for inspection and replay.</summary>
public sealed record QuarantineEntry
{
    public long Id { get; init; }
    public required long TenantId { get; init; }
    public required long ReceivedAt { get; init; }
    public required string Source { get; init; }
    public string? Meter { get; init; }
    public string? Ts { get; init; }
    public string? Value { get; init; }
    public required string Field { get; init; }
    public required string Reason { get; init; }
    /// <summary>Who sent it: the key (<c>key:gateway-1</c>) or user, as the audit trail names them; null when unknown.</summary>
    public string? Sender { get; init; }
    /// <summary>The sites the sender was limited to (comma-separated keys); null when it could write to every site.</summary>
    public string? Scope { get; init; }
    /// <summary>When a field was too long to keep whole: the original length (characters) of the longest one; it is kept cut.</summary>
    public int? RawLength { get; init; }
}

/// <summary>Which quarantined rows to list, count, replay or purge: newest first, below <see cref="BeforeId"/>, with filters.</summary>
public sealed record QuarantineQuery
{
    public int Limit { get; init; } = 100;
    /// <summary>Only rows with a smaller id (the next page of a newest-first list).</summary>
    public long? BeforeId { get; init; }
    public string? Meter { get; init; }
    public string? Source { get; init; }
    public string? Field { get; init; }
    /// <summary>Received at or after (Unix ms).</summary>
    public long? From { get; init; }
    /// <summary>Received before (Unix ms).</summary>
    public long? To { get; init; }
    /// <summary>Only these ids (a selection).</summary>
    public IReadOnlyList<long>? Ids { get; init; }
}

/// <summary>A meter with readings not yet derived: the first and last of their instants, and the mark's version.</summary>
public readonly record struct DirtyMeter(MeterId Meter, Instant First, Instant Last, long Version);

/// <summary>A derived row at any grain, with the start of the period one grain up (hour, day or month start).</summary>
public readonly record struct DerivedRow(long Ts, long UpTs, double? Value, double? Min, double? Max, long CoveredMs, QualityFlags Flags);

/// <summary>Everything derivation recomputed for one meter over [From, To): written in one transaction.</summary>
public sealed record DerivedSpan
{
    public required MeterId Meter { get; init; }
    /// <summary>Start of the span (inclusive).</summary>
    public required Instant From { get; init; }
    /// <summary>End of the span (exclusive).</summary>
    public required Instant To { get; init; }
    public required IReadOnlyList<DerivedRow> Buckets { get; init; }
    public required IReadOnlyList<DerivedRow> Hours { get; init; }
    public required IReadOnlyList<MeterFinding> Findings { get; init; }
    /// <summary>Local days touched: (UTC day start, UTC month start).</summary>
    public required IReadOnlyList<(long Day, long Month)> Days { get; init; }
    /// <summary>Local months touched: UTC month starts.</summary>
    public required IReadOnlyList<long> Months { get; init; }
    /// <summary>The dirty version this derivation consumed; the dirty mark is cleared only if still at this version.</summary>
    public long? DirtyVersion { get; init; }
}

/// <summary>A stored period of a meter or a node.</summary>
public readonly record struct PeriodRow(long Ts, double? Value, double? Min, double? Max, long CoveredMs, QualityFlags Flags, int Meters);

/// <summary>A node total of one carrier in one period.</summary>
/// <remarks><see cref="Flags"/> is the union of the quality flags of the meter periods the total is made of.</remarks>
public readonly record struct NodeCarrierRow(long NodeId, string Carrier, MeterDirection Direction, long Ts, double? Value, long CoveredMs, int Meters,
    QualityFlags Flags);

/// <summary>A node of a site as stored. The site itself is the node with key <see cref="SiteNode.RootKey"/>.</summary>
public sealed record SiteNode(long Id, string Key, string Name, string? NameZh, NodeKind? Kind, long? ParentId)
{
    public const string RootKey = "_site";
}

/// <summary>A site as stored, with its tree and meters.</summary>
public sealed record SiteModel(long Id, long TenantId, SiteDefinition Definition, IReadOnlyList<SiteNode> Nodes, IReadOnlyList<MeterRef> Meters,
    IReadOnlyList<(long NodeId, long MeterId)> Counted)
{
    public SiteNode Root => Nodes.First(n => n.Key == SiteNode.RootKey);
}

/// <summary>How applying a site document changed the store.</summary>
public sealed record ApplyResult(int Created, int Updated, int Unchanged);

/// <summary>A finding stored for a meter.</summary>
public readonly record struct StoredFinding(long Ts, FindingKind Kind, string Detail);

/// <summary>A site's override of a reference value, as stored (append-only: a newer override supersedes, none is edited).</summary>
public sealed record StoredOverride(long Id, string FactorId, string? Year, double Value, string Unit, string Reason, string By, long At);

/// <summary>A locked period: its figures as they were when locked (JSON), who locked it and when.</summary>
public sealed record StoredLock(string Period, long LockedAt, string By, string Snapshot);

/// <summary>A tenant (a company or group with its own sites, users, keys and audit trail).</summary>
public sealed record StoredTenant(long Id, string Key, string Name, bool Disabled);
