using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;

namespace GreenLoop.Storage.Catalog;

/// <summary>
/// The time-series writes a catalogue change makes in its own transaction: a changed meter definition or a recorded
/// event marks readings for derivation again, a changed tree rebuilds node totals. One implementation per provider
/// (the SQL dialect differs); the catalogue code decides when, the provider only how.
/// </summary>
public interface ISeriesWriter
{
    /// <summary>Waits for the other writers of <paramref name="kind"/> until the transaction ends (PostgreSQL takes an
    /// advisory lock; SQLite has one writer anyway).</summary>
    Task SerializeAsync(WriteKind kind, CancellationToken ct);

    /// <summary>Marks a meter for derivation over its readings in [first, last].</summary>
    Task MarkDirtyAsync(MeterId meter, Instant first, Instant last, CancellationToken ct);

    /// <summary>Marks every stored reading of a meter for derivation (its definition changed).</summary>
    Task MarkWholeMeterDirtyAsync(MeterId meter, CancellationToken ct);

    /// <summary>Whether a reading of the meter is stored at that instant.</summary>
    Task<bool> ReadingExistsAsync(MeterId meter, Instant ts, CancellationToken ct);

    /// <summary>Stores a reading (a manual entry's), or replaces the value of the one stored at that instant.</summary>
    Task PutReadingAsync(MeterId meter, Instant ts, double value, Instant receivedAt, CancellationToken ct);

    /// <summary>Recomputes a site's node totals from its meters' buckets and roll-ups (its closure changed).</summary>
    Task RebuildNodeRollupsAsync(long siteId, CancellationToken ct);
}

/// <summary>Writers that must not interleave with others of their kind.</summary>
public enum WriteKind
{
    /// <summary>Writers that rebuild derived rows from other tables (applying a site, saving derived spans).</summary>
    Derived,
    /// <summary>Appenders to an audit chain (each reads the head and links after it).</summary>
    Audit,
}
