using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;

namespace GreenLoop.Storage.Postgres;

public sealed partial class PostgresStore
{
    public override Task<IReadOnlyList<PeriodRow>> MeterSeriesAsync(MeterId meter, Grain grain, Instant from, Instant to, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<PeriodRow>>(async c => await ReadAllAsync(c, null,
            grain == Grain.Minutes15
                ? "SELECT ts, value, min, max, covered, flags FROM bucket WHERE meter_id=@m AND ts >= @f AND ts < @t ORDER BY ts;"
                : "SELECT ts, value, min, max, covered, flags FROM rollup WHERE meter_id=@m AND grain=@g AND ts >= @f AND ts < @t ORDER BY ts;",
            r => new PeriodRow(r.GetInt64(0), NullableDouble(r, 1), NullableDouble(r, 2), NullableDouble(r, 3), r.GetInt64(4), (QualityFlags)r.GetInt64(5), 1), ct,
            ("m", meter.Value), ("g", (int)grain), ("f", from.UnixMs), ("t", to.UnixMs)), ct);

    public override Task<IReadOnlyList<NodeCarrierRow>> NodeTotalsAsync(IReadOnlyList<long> nodeIds, Grain grain, Instant from, Instant to, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(nodeIds);
        // One query for every node, in the order asked (as the SQLite store answers them one node after another).
        return ReadAsync<IReadOnlyList<NodeCarrierRow>>(async c => await ReadAllAsync(c, null, """
            SELECT nr.node_id, nr.carrier, nr.direction, nr.ts, nr.value, nr.covered, nr.meters, nr.flags
            FROM unnest(@n::bigint[]) WITH ORDINALITY AS k(node, ord)
            JOIN node_rollup nr ON nr.node_id = k.node AND nr.grain = @g AND nr.ts >= @f AND nr.ts < @t
            ORDER BY k.ord, nr.ts, nr.carrier COLLATE "C", nr.direction COLLATE "C";
            """,
            r => new NodeCarrierRow(r.GetInt64(0), r.GetString(1), Enum.Parse<MeterDirection>(r.GetString(2)), r.GetInt64(3),
                NullableDouble(r, 4), r.GetInt64(5), r.GetInt32(6), (QualityFlags)r.GetInt64(7)), ct,
            ("n", nodeIds.ToArray()), ("g", (int)grain), ("f", from.UnixMs), ("t", to.UnixMs)), ct);
    }

    public override Task<IReadOnlyList<StoredFinding>> FindingsAsync(MeterId meter, Instant from, Instant to, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredFinding>>(async c => await ReadAllAsync(c, null,
            "SELECT ts, kind, detail FROM finding WHERE meter_id=@m AND ts >= @f AND ts < @t ORDER BY ts, kind COLLATE \"C\";",
            r => new StoredFinding(r.GetInt64(0), Enum.Parse<FindingKind>(r.GetString(1)), r.GetString(2)), ct,
            ("m", meter.Value), ("f", from.UnixMs), ("t", to.UnixMs)), ct);

    public override Task<IReadOnlyDictionary<long, long>> LastReadingsAsync(long siteId, CancellationToken ct) =>
        ReadAsync<IReadOnlyDictionary<long, long>>(async c => (await ReadAllAsync(c, null,
            "SELECT m.id, (SELECT max(ts) FROM reading r WHERE r.meter_id = m.id) FROM meter m WHERE m.site_id=@s;",
            r => (Id: r.GetInt64(0), Ts: NullableLong(r, 1)), ct, ("s", siteId)))
            .Where(x => x.Ts is not null).ToDictionary(x => x.Id, x => x.Ts!.Value), ct);
}
