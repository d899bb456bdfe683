using GreenLoop.Storage.Catalog;
using Microsoft.Data.Sqlite;

namespace GreenLoop.Storage.Sqlite;

/// <summary>The time-series writes of a catalogue change, on the writer connection in the change's transaction.</summary>
internal sealed class SqliteSeriesWriter(SqliteConnection c, SqliteTransaction tx) : ISeriesWriter
{
    // One writer at a time already (the store's write lock).
    public Task SerializeAsync(WriteKind kind, CancellationToken ct) => Task.CompletedTask;

    public Task MarkDirtyAsync(long meterId, long from, long to, CancellationToken ct)
    {
        SqliteStore.MarkDirty(c, tx, meterId, from, to);
        return Task.CompletedTask;
    }

    public Task MarkWholeMeterDirtyAsync(long meterId, CancellationToken ct)
    {
        SqliteStore.MarkWholeMeterDirty(c, tx, meterId);
        return Task.CompletedTask;
    }

    public Task<bool> ReadingExistsAsync(long meterId, long ts, CancellationToken ct) =>
        Task.FromResult(SqliteStore.Scalar(c, "SELECT 1 FROM reading WHERE meter_id=$m AND ts=$ts;", tx, ("$m", meterId), ("$ts", ts)) is not null);

    public Task PutReadingAsync(long meterId, long ts, double value, long receivedAt, CancellationToken ct)
    {
        SqliteStore.Scalar(c, """
            INSERT INTO reading(meter_id, ts, value, received_at) VALUES($m, $ts, $v, $r)
            ON CONFLICT(meter_id, ts) DO UPDATE SET value=excluded.value;
            """, tx, ("$m", meterId), ("$ts", ts), ("$v", value), ("$r", receivedAt));
        return Task.CompletedTask;
    }

    public Task RebuildNodeRollupsAsync(long siteId, CancellationToken ct)
    {
        SqliteStore.RebuildNodeRollups(c, tx, siteId);
        return Task.CompletedTask;
    }
}
