using Microsoft.Data.Sqlite;

namespace GreenLoop.Storage.Sqlite;

public sealed partial class SqliteStore
{
    internal static void RebuildNodeRollups(SqliteConnection c, SqliteTransaction tx, long siteId)
    {
        Scalar(c, "DELETE FROM node_rollup WHERE node_id IN (SELECT id FROM node WHERE site_id=$s);", tx, ("$s", siteId));
        Scalar(c, NodeRollupFromBucketsSql + " WHERE n.site_id=$s GROUP BY nm.node_id, m.carrier, m.direction, b.ts;", tx, ("$s", siteId));
        Scalar(c, NodeRollupFromRollupsSql + " WHERE n.site_id=$s GROUP BY nm.node_id, m.carrier, m.direction, r.grain, r.ts;", tx, ("$s", siteId));
    }

    internal static List<T> ReadAll<T>(SqliteConnection c, SqliteTransaction? tx, string sql, Func<SqliteDataReader, T> map, params (string, object?)[] args)
    {
        using var cmd = Command(c, sql, tx, args);
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read()) list.Add(map(r));
        return list;
    }

    internal static T? ReadOne<T>(SqliteConnection c, SqliteTransaction? tx, string sql, Func<SqliteDataReader, T> map, params (string, object?)[] args) where T : struct
    {
        using var cmd = Command(c, sql, tx, args);
        using var r = cmd.ExecuteReader();
        return r.Read() ? map(r) : null;
    }
}
