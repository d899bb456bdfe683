namespace GreenLoop.Storage.Catalog;

/// <summary>A configured data source (MQTT, Modbus TCP): kind, definition JSON, the API key it writes with.</summary>
public sealed class DataSourceRecord
{
    public long TenantId { get; set; }
    public required string Key { get; set; }
    public required string Kind { get; set; }
    public required string Definition { get; set; }
    public bool Enabled { get; set; }
    public long UpdatedAt { get; set; }
    /// <summary>Grows by one on every save, so a running connector can tell it is stale.</summary>
    public long Version { get; set; }
    public long? ApiKeyId { get; set; }
}

/// <summary>One version of a manual entry; <see cref="EntryId"/> is the id of the entry's first version.</summary>
public sealed class ManualEntryRecord
{
    public long Id { get; set; }
    public long EntryId { get; set; }
    public int Version { get; set; }
    public long TenantId { get; set; }
    public long MeterId { get; set; }
    public MeterRecord? Meter { get; set; }
    public long Ts { get; set; }
    public double Value { get; set; }
    public required string EnteredBy { get; set; }
    public long EnteredAt { get; set; }
    public string? Document { get; set; }
    public string? Note { get; set; }
    public string? Reason { get; set; }
}

/// <summary>
/// A file uploaded for import in the web UI: where it is kept, who uploaded it, how far its import got and how it
/// ended (the summary and the first issues as JSON). Kept across restarts until it expires or is imported.
/// </summary>
public sealed class ImportSessionRecord
{
    /// <summary>Random hex id (also the upload's folder name).</summary>
    public required string Id { get; set; }
    public long TenantId { get; set; }
    public required string FileName { get; set; }
    public required string FilePath { get; set; }
    public long SizeBytes { get; set; }
    public long UploadedAt { get; set; }
    public required string UploadedBy { get; set; }
    public long LastTouchedAt { get; set; }
    /// <summary><c>Uploaded</c>, <c>Committing</c>, <c>Committed</c> or <c>Failed</c>.</summary>
    public required string State { get; set; }
    public long RowsDone { get; set; }
    public long? RowsTotal { get; set; }
    public string? CommittedBy { get; set; }
    public long? CommitStartedAt { get; set; }
    public long? CommitFinishedAt { get; set; }
    public string? Error { get; set; }
    /// <summary>The import's outcome as JSON (summary and issues), once it finished.</summary>
    public string? Result { get; set; }
}
