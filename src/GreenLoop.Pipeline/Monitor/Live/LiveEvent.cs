namespace GreenLoop.Pipeline.Monitor.Live;

/// <summary>
/// Something that just happened on a site and that open pages should see without reloading; published through
/// <see cref="LiveUpdates"/>. Every event belongs to one tenant and one site: subscribers only see their own.
/// </summary>
public abstract record LiveEvent(long TenantId, string Site);

/// <summary>
/// A derivation pass saved new buckets, hours, days and months of these meters (keys, sorted) over the instants
/// [<paramref name="From"/>, <paramref name="To"/>), written at the site's UTC offset. Queries that touch that span
/// now answer with the new data.
/// </summary>
public sealed record DerivedEvent(long TenantId, string Site, IReadOnlyList<string> Meters, DateTimeOffset From, DateTimeOffset To)
    : LiveEvent(TenantId, Site);

/// <summary>
/// An alarm changed: raised, acknowledged, cleared, escalated. <paramref name="Id"/> is the alarm's id as the alarm
/// engine writes it; <paramref name="State"/> its state after the change (<c>active</c>, <c>acknowledged</c>,
/// <c>clearedUnack</c>, <c>cleared</c>); <paramref name="Severity"/> one of <c>critical</c>, <c>major</c>, <c>minor</c>, <c>warning</c>,
/// <c>info</c>; <paramref name="Title"/> in English and <paramref name="TitleZh"/> in Chinese (null when there is none).
/// </summary>
public sealed record AlarmEvent(long TenantId, string Site, string Id, string State, string Severity, string Title, string? TitleZh)
    : LiveEvent(TenantId, Site);
