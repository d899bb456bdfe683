using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Storage.Catalog;
using Npgsql;

namespace GreenLoop.Storage.Postgres;

/// <summary>The time-series writes of a catalogue change, on the change's connection and transaction.</summary>
internal sealed class PostgresSeriesWriter(NpgsqlConnection c, NpgsqlTransaction tx) : ISeriesWriter
{
    public Task SerializeAsync(WriteKind kind, CancellationToken ct) => PostgresStore.LockAsync(c, tx, kind, ct);

    public Task MarkDirtyAsync(MeterId meter, Instant first, Instant last, CancellationToken ct) =>
        PostgresStore.MarkDirtyAsync(c, tx, meter.Value, first.UnixMs, last.UnixMs, ct);

    public Task MarkWholeMeterDirtyAsync(MeterId meter, CancellationToken ct) => PostgresStore.MarkWholeMeterDirtyAsync(c, tx, meter.Value, ct);

    public async Task<bool> ReadingExistsAsync(MeterId meter, Instant ts, CancellationToken ct) =>
        await PostgresStore.ScalarAsync(c, tx, "SELECT 1 FROM reading WHERE meter_id=@m AND ts=@ts;", ct, ("m", meter.Value), ("ts", ts.UnixMs)) is not null;

    public Task PutReadingAsync(MeterId meter, Instant ts, double value, Instant receivedAt, CancellationToken ct) =>
        PostgresStore.ExecAsync(c, tx, """
            INSERT INTO reading(meter_id, ts, value, received_at) VALUES(@m, @ts, @v, @r)
            ON CONFLICT(meter_id, ts) DO UPDATE SET value=excluded.value;
            """, ct, ("m", meter.Value), ("ts", ts.UnixMs), ("v", value), ("r", receivedAt.UnixMs));

    public Task RebuildNodeRollupsAsync(long siteId, CancellationToken ct) => PostgresStore.RebuildNodeRollupsAsync(c, tx, siteId, ct);
}
