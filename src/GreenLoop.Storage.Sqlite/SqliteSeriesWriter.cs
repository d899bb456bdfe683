using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Storage.Catalog;
using Microsoft.Data.Sqlite;

namespace GreenLoop.Storage.Sqlite;

/// <summary>The time-series writes of a catalogue change, on the writer connection in the change's transaction.</summary>
internal sealed class SqliteSeriesWriter(SqliteConnection c, SqliteTransaction tx) : ISeriesWriter
{
    // One writer at a time already (the store's write lock).
    public Task SerializeAsync(WriteKind kind, CancellationToken ct) => Task.CompletedTask;

    public Task MarkDirtyAsync(MeterId meter, Instant first, Instant last, CancellationToken ct)
    {
        SqliteStore.MarkDirty(c, tx, meter.Value, first.UnixMs, last.UnixMs);
        return Task.CompletedTask;
    }

    public Task MarkWholeMeterDirtyAsync(MeterId meter, CancellationToken ct)
    {
        SqliteStore.MarkWholeMeterDirty(c, tx, meter.Value);
        return Task.CompletedTask;
    }

    public Task<bool> ReadingExistsAsync(MeterId meter, Instant ts, CancellationToken ct) =>
        Task.FromResult(SqliteStore.Scalar(c, "SELECT 1 FROM reading WHERE meter_id=$m AND ts=$ts;", tx, ("$m", meter.Value), ("$ts", ts.UnixMs)) is not null);

    public Task PutReadingAsync(MeterId meter, Instant ts, double value, Instant receivedAt, CancellationToken ct)
    {
        SqliteStore.Scalar(c, """
            INSERT INTO reading(meter_id, ts, value, received_at) VALUES($m, $ts, $v, $r)
            ON CONFLICT(meter_id, ts) DO UPDATE SET value=excluded.value;
            """, tx, ("$m", meter.Value), ("$ts", ts.UnixMs), ("$v", value), ("$r", receivedAt.UnixMs));
        return Task.CompletedTask;
    }

    public Task RebuildNodeRollupsAsync(long siteId, CancellationToken ct)
    {
        SqliteStore.RebuildNodeRollups(c, tx, siteId);
        return Task.CompletedTask;
    }
}
