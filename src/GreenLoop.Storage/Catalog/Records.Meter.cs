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
