using Npgsql;

namespace GreenLoop.Storage.Postgres;

public sealed partial class PostgresStore
{
    internal static async Task RebuildNodeRollupsAsync(NpgsqlConnection c, NpgsqlTransaction tx, long siteId, CancellationToken ct)
    {
        await ExecAsync(c, tx, "DELETE FROM node_rollup WHERE node_id IN (SELECT id FROM node WHERE site_id=@s);", ct, ("s", siteId));
        await ExecAsync(c, tx, NodeRollupFromBucketsSql + " WHERE n.site_id=@s GROUP BY nm.node_id, m.carrier, m.direction, b.ts;", ct, ("s", siteId));
        await ExecAsync(c, tx, NodeRollupFromRollupsSql + " WHERE n.site_id=@s GROUP BY nm.node_id, m.carrier, m.direction, r.grain, r.ts;", ct, ("s", siteId));
    }
}
