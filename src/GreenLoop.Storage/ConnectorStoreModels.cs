namespace GreenLoop.Storage;

/// <summary>
/// A configured data source (an MQTT broker subscription set, a Modbus TCP device) as stored: its kind, its
/// definition as JSON, and the API key it ingests with (whose scope and validity bound what it may write).
/// <see cref="Version"/> grows on every save, so a running connector can tell it is stale.
/// </summary>
public sealed record StoredDataSource(string Key, string Kind, string Definition, bool Enabled, long UpdatedAt, long Version = 0)
{
    /// <summary>Id of the API key the source's readings are written with (required to run).</summary>
    public long? ApiKeyId { get; init; }
}

/// <summary>A data source with the tenant it belongs to (the connector supervisor serves every tenant).</summary>
public sealed record TenantDataSource(long TenantId, StoredDataSource Source);

/// <summary>
/// What a person typed in for an offline meter (a bill, a delivery note, a walk-round reading). An entry is a chain of
/// versions: the first records the reading, each correction adds a version with a new value and a reason; nothing is
/// overwritten in this table.
/// </summary>
public sealed record StoredManualEntry
{
    /// <summary>Id of this version's row.</summary>
    public long Id { get; init; }
    /// <summary>Id of the entry's first version: the same for every version of one entry.</summary>
    public long EntryId { get; init; }
    public int Version { get; init; }
    public long TenantId { get; init; }
    public long MeterId { get; init; }
    public required string MeterKey { get; init; }
    /// <summary>The reading's instant (Unix ms).</summary>
    public long Ts { get; init; }
    /// <summary>The raw value as read (before the meter's multiplier), like any reading.</summary>
    public double Value { get; init; }
    public required string EnteredBy { get; init; }
    public long EnteredAt { get; init; }
    /// <summary>Bill number, delivery note, photo reference.</summary>
    public string? Document { get; init; }
    public string? Note { get; init; }
    /// <summary>Why a correction was made (required from version 2 on).</summary>
    public string? Reason { get; init; }
}

/// <summary>A new manual entry, or a correction of <see cref="Corrects"/> (an entry id) when that is set.</summary>
public sealed record ManualEntryDraft
{
    public long? Corrects { get; init; }
    public long MeterId { get; init; }
    public long Ts { get; init; }
    public double Value { get; init; }
    public required string EnteredBy { get; init; }
    public long EnteredAt { get; init; }
    public string? Document { get; init; }
    public string? Note { get; init; }
    public string? Reason { get; init; }
}

public enum ManualEntryStatus
{
    /// <summary>A new entry: its reading was stored.</summary>
    Created,
    /// <summary>A new version of an entry: the reading now carries the corrected value and is derived again.</summary>
    Corrected,
    /// <summary>A reading from another source (a device, an import) is already stored at that instant: nothing written.</summary>
    ReadingExists,
    /// <summary>Another manual entry already holds that instant: correct it instead. Nothing written.</summary>
    EntryExists,
    /// <summary>The entry to correct does not exist for this tenant.</summary>
    NotFound,
}

/// <summary>The outcome of saving a manual entry; <see cref="Entry"/> is the version written, if any.</summary>
public sealed record ManualEntryOutcome(ManualEntryStatus Status, StoredManualEntry? Entry, long? ExistingEntryId = null);
