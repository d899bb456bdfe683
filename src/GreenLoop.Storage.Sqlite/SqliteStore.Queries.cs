using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;

namespace GreenLoop.Storage.Sqlite;

public sealed partial class SqliteStore
{
    public override Task<IReadOnlyList<PeriodRow>> MeterSeriesAsync(MeterId meter, Grain grain, Instant from, Instant to, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<PeriodRow>>(c => ReadAll(c, null,
            grain == Grain.Minutes15
                ? "SELECT ts, value, min, max, covered, flags FROM bucket WHERE meter_id=$m AND ts >= $f AND ts < $t ORDER BY ts;"
                : "SELECT ts, value, min, max, covered, flags FROM rollup WHERE meter_id=$m AND grain=$g AND ts >= $f AND ts < $t ORDER BY ts;",
            r => new PeriodRow(r.GetInt64(0), r.IsDBNull(1) ? null : r.GetDouble(1), r.IsDBNull(2) ? null : r.GetDouble(2),
                r.IsDBNull(3) ? null : r.GetDouble(3), r.GetInt64(4), (QualityFlags)r.GetInt64(5), 1),
            ("$m", meter.Value), ("$g", (int)grain), ("$f", from.UnixMs), ("$t", to.UnixMs)), ct);

    public override Task<IReadOnlyList<NodeCarrierRow>> NodeTotalsAsync(IReadOnlyList<long> nodeIds, Grain grain, Instant from, Instant to, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(nodeIds);
        return ReadAsync<IReadOnlyList<NodeCarrierRow>>(c =>
        {
            var rows = new List<NodeCarrierRow>();
            foreach (var node in nodeIds)
            {
                rows.AddRange(ReadAll(c, null,
                    "SELECT node_id, carrier, direction, ts, value, covered, meters, flags FROM node_rollup WHERE node_id=$n AND grain=$g AND ts >= $f AND ts < $t ORDER BY ts, carrier;",
                    r => new NodeCarrierRow(r.GetInt64(0), r.GetString(1), Enum.Parse<MeterDirection>(r.GetString(2)), r.GetInt64(3),
                        r.IsDBNull(4) ? null : r.GetDouble(4), r.GetInt64(5), r.GetInt32(6), (QualityFlags)r.GetInt64(7)),
                    ("$n", node), ("$g", (int)grain), ("$f", from.UnixMs), ("$t", to.UnixMs)));
            }
            return rows;
        }, ct);
    }

    public override Task<IReadOnlyList<StoredFinding>> FindingsAsync(MeterId meter, Instant from, Instant to, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredFinding>>(c => ReadAll(c, null,
            "SELECT ts, kind, detail FROM finding WHERE meter_id=$m AND ts >= $f AND ts < $t ORDER BY ts;",
            r => new StoredFinding(r.GetInt64(0), Enum.Parse<FindingKind>(r.GetString(1)), r.GetString(2)),
            ("$m", meter.Value), ("$f", from.UnixMs), ("$t", to.UnixMs)), ct);

    public override Task<IReadOnlyDictionary<long, long>> LastReadingsAsync(long siteId, CancellationToken ct) =>
        ReadAsync<IReadOnlyDictionary<long, long>>(c => ReadAll(c, null,
            "SELECT m.id, (SELECT max(ts) FROM reading r WHERE r.meter_id = m.id) FROM meter m WHERE m.site_id=$s;",
            r => (Id: r.GetInt64(0), Ts: r.IsDBNull(1) ? (long?)null : r.GetInt64(1)), ("$s", siteId))
            .Where(x => x.Ts is not null).ToDictionary(x => x.Id, x => x.Ts!.Value), ct);
}
