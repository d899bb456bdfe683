using GreenLoop.Storage.Catalog;
using Npgsql;

namespace GreenLoop.Storage.Postgres;

/// <summary>The time-series writes of a catalogue change, on the change's connection and transaction.</summary>
internal sealed class PostgresSeriesWriter(NpgsqlConnection c, NpgsqlTransaction tx) : ISeriesWriter
{
    public Task SerializeAsync(WriteKind kind, CancellationToken ct) => PostgresStore.LockAsync(c, tx, kind, ct);

    public Task MarkDirtyAsync(long meterId, long from, long to, CancellationToken ct) => PostgresStore.MarkDirtyAsync(c, tx, meterId, from, to, ct);

    public Task MarkWholeMeterDirtyAsync(long meterId, CancellationToken ct) => PostgresStore.MarkWholeMeterDirtyAsync(c, tx, meterId, ct);

    public async Task<bool> ReadingExistsAsync(long meterId, long ts, CancellationToken ct) =>
        await PostgresStore.ScalarAsync(c, tx, "SELECT 1 FROM reading WHERE meter_id=@m AND ts=@ts;", ct, ("m", meterId), ("ts", ts)) is not null;

    public Task PutReadingAsync(long meterId, long ts, double value, long receivedAt, CancellationToken ct) =>
        PostgresStore.ExecAsync(c, tx, """
            INSERT INTO reading(meter_id, ts, value, received_at) VALUES(@m, @ts, @v, @r)
            ON CONFLICT(meter_id, ts) DO UPDATE SET value=excluded.value;
            """, ct, ("m", meterId), ("ts", ts), ("v", value), ("r", receivedAt));

    public Task RebuildNodeRollupsAsync(long siteId, CancellationToken ct) => PostgresStore.RebuildNodeRollupsAsync(c, tx, siteId, ct);
}
