using System.Text.Json;
using GreenLoop.Domain.Model;
using Microsoft.Data.Sqlite;

namespace GreenLoop.Storage.Sqlite;

public sealed partial class SqliteStore
{
    public Task<long> EnsureTenantAsync(string key, string name, CancellationToken ct) =>
        WriteAsync((c, tx) =>
        {
            Scalar(c, "INSERT INTO tenant(key, name) VALUES($k, $n) ON CONFLICT(key) DO NOTHING;", tx, ("$k", key), ("$n", name));
            return (long)Scalar(c, "SELECT id FROM tenant WHERE key=$k;", tx, ("$k", key))!;
        }, ct);

    public Task<ApplyResult> ApplySiteAsync(long tenantId, SiteDefinition site, long now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(site);
        return WriteAsync((c, tx) => ApplySite(c, tx, tenantId, site, now), ct);
    }

    private static ApplyResult ApplySite(SqliteConnection c, SqliteTransaction tx, long tenantId, SiteDefinition site, long now)
    {
        int created = 0, updated = 0, unchanged = 0;
        void Count(int state) { if (state == 0) unchanged++; else if (state == 1) created++; else updated++; }

        // The site row keeps the document without nodes, meters and events; those live in their own tables.
        var header = JsonSerializer.Serialize(site with { Nodes = [], Meters = [], Events = [] }, Json);
        var siteId = Scalar(c, "SELECT id FROM site WHERE tenant_id=$t AND key=$k;", tx, ("$t", tenantId), ("$k", site.Key)) as long?;
        if (siteId is null)
        {
            siteId = (long)Scalar(c, "INSERT INTO site(tenant_id, key, definition, time_zone, updated_at) VALUES($t,$k,$d,$z,$u) RETURNING id;", tx,
                ("$t", tenantId), ("$k", site.Key), ("$d", header), ("$z", site.TimeZone), ("$u", now))!;
            Count(1);
        }
        else if ((string?)Scalar(c, "SELECT definition FROM site WHERE id=$id;", tx, ("$id", siteId)) != header)
        {
            Scalar(c, "UPDATE site SET definition=$d, time_zone=$z, updated_at=$u WHERE id=$id;", tx, ("$d", header), ("$z", site.TimeZone), ("$u", now), ("$id", siteId));
            Count(2);
        }
        else Count(0);

        var rootId = UpsertNode(c, tx, siteId.Value, SiteNode.RootKey, site.Name, site.NameZh, null, null, out _);
        var nodeIds = new Dictionary<string, long>(StringComparer.Ordinal) { [SiteNode.RootKey] = rootId };
        // Parents before children: apply in passes until every node is placed (the validator rejected cycles).
        var pending = site.Nodes.ToList();
        while (pending.Count > 0)
        {
            var placed = pending.Where(n => n.Parent is null || nodeIds.ContainsKey(n.Parent)).ToList();
            if (placed.Count == 0) throw new InvalidOperationException("The node tree has a cycle or a missing parent.");
            foreach (var n in placed)
            {
                var parentId = n.Parent is null ? rootId : nodeIds[n.Parent];
                nodeIds[n.Key] = UpsertNode(c, tx, siteId.Value, n.Key, n.Name, n.NameZh, n.Kind.ToString(), parentId, out var state);
                Count(state);
            }
            pending = pending.Except(placed).ToList();
        }

        var meterIds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var m in site.Meters)
        {
            var nodeId = m.Node is null ? rootId : nodeIds[m.Node];
            var json = JsonSerializer.Serialize(m, Json);
            var row = ReadOne(c, tx, "SELECT id, site_id, node_id, definition FROM meter WHERE tenant_id=$t AND key=$k;",
                r => (Id: r.GetInt64(0), Site: r.GetInt64(1), Node: r.GetInt64(2), Def: r.GetString(3)), ("$t", tenantId), ("$k", m.Key));
            if (row is null)
            {
                meterIds[m.Key] = (long)Scalar(c, "INSERT INTO meter(tenant_id, site_id, node_id, key, carrier, direction, definition) VALUES($t,$s,$n,$k,$c,$d,$j) RETURNING id;", tx,
                    ("$t", tenantId), ("$s", siteId), ("$n", nodeId), ("$k", m.Key), ("$c", m.Carrier), ("$d", m.Direction.ToString()), ("$j", json))!;
                Count(1);
                continue;
            }
            if (row.Value.Site != siteId) throw new InvalidOperationException($"Meter '{m.Key}' already belongs to another site of this tenant.");
            meterIds[m.Key] = row.Value.Id;
            if (row.Value.Def == json && row.Value.Node == nodeId) { Count(0); continue; }
            var old = JsonSerializer.Deserialize<MeterDefinition>(row.Value.Def, Json)!;
            Scalar(c, "UPDATE meter SET node_id=$n, carrier=$c, direction=$d, definition=$j WHERE id=$id;", tx,
                ("$n", nodeId), ("$c", m.Carrier), ("$d", m.Direction.ToString()), ("$j", json), ("$id", row.Value.Id));
            Count(2);
            // Anything that changes how readings turn into consumption re-derives the meter's whole history.
            if (old with { Name = m.Name, NameZh = m.NameZh, Node = m.Node, Role = m.Role, Parent = m.Parent } != m)
                MarkWholeMeterDirty(c, tx, row.Value.Id);
        }

        foreach (var e in site.Events)
        {
            var meterId = meterIds[e.Meter];
            var ts = e.Ts.ToUnixTimeMilliseconds();
            var existing = ReadOne(c, tx, "SELECT old_value, new_value, note FROM meter_event WHERE meter_id=$m AND ts=$ts AND kind=$k;",
                r => (Old: r.IsDBNull(0) ? (double?)null : r.GetDouble(0), New: r.GetDouble(1), Note: r.IsDBNull(2) ? null : r.GetString(2)),
                ("$m", meterId), ("$ts", ts), ("$k", e.Kind.ToString()));
            if (existing is { } x && x.Old == e.OldValue && x.New == e.NewValue && x.Note == e.Note) { Count(0); continue; }
            Scalar(c, "INSERT OR REPLACE INTO meter_event(meter_id, ts, kind, old_value, new_value, note) VALUES($m,$ts,$k,$o,$n,$note);", tx,
                ("$m", meterId), ("$ts", ts), ("$k", e.Kind.ToString()), ("$o", e.OldValue), ("$n", e.NewValue), ("$note", e.Note));
            Count(existing is null ? 1 : 2);
            MarkDirty(c, tx, meterId, ts, ts);
        }

        if (RebuildClosure(c, tx, siteId.Value)) RebuildNodeRollups(c, tx, siteId.Value);
        return new ApplyResult(created, updated, unchanged);
    }

    private static long UpsertNode(SqliteConnection c, SqliteTransaction tx, long siteId, string key, string name, string? nameZh, string? kind, long? parentId, out int state)
    {
        var row = ReadOne(c, tx, "SELECT id, name, name_zh, kind, parent_id FROM node WHERE site_id=$s AND key=$k;",
            r => (Id: r.GetInt64(0), Name: r.GetString(1), Zh: r.IsDBNull(2) ? null : r.GetString(2), Kind: r.IsDBNull(3) ? null : r.GetString(3), Parent: r.IsDBNull(4) ? (long?)null : r.GetInt64(4)),
            ("$s", siteId), ("$k", key));
        if (row is null)
        {
            state = 1;
            return (long)Scalar(c, "INSERT INTO node(site_id, key, name, name_zh, kind, parent_id) VALUES($s,$k,$n,$z,$kind,$p) RETURNING id;", tx,
                ("$s", siteId), ("$k", key), ("$n", name), ("$z", nameZh), ("$kind", kind), ("$p", parentId))!;
        }
        var r = row.Value;
        if (r.Name == name && r.Zh == nameZh && r.Kind == kind && r.Parent == parentId) { state = 0; return r.Id; }
        Scalar(c, "UPDATE node SET name=$n, name_zh=$z, kind=$kind, parent_id=$p WHERE id=$id;", tx,
            ("$n", name), ("$z", nameZh), ("$kind", kind), ("$p", parentId), ("$id", r.Id));
        state = 2;
        return r.Id;
    }

    /// <summary>
    /// Recomputes which meters count toward which node. A meter with role Counted counts toward its node and every
    /// ancestor, except where its parent meter already counts toward that node (no double counting: the site total
    /// is the main incomer, a workshop total is the workshop's meter). Returns true if anything changed.
    /// </summary>
    private static bool RebuildClosure(SqliteConnection c, SqliteTransaction tx, long siteId)
    {
        var parentOfNode = ReadAll(c, tx, "SELECT id, parent_id FROM node WHERE site_id=$s;",
            r => (Id: r.GetInt64(0), Parent: r.IsDBNull(1) ? (long?)null : r.GetInt64(1)), ("$s", siteId))
            .ToDictionary(x => x.Id, x => x.Parent);
        var meters = ReadAll(c, tx, "SELECT id, key, node_id, definition FROM meter WHERE site_id=$s;",
            r => (Id: r.GetInt64(0), Key: r.GetString(1), Node: r.GetInt64(2), Def: JsonSerializer.Deserialize<MeterDefinition>(r.GetString(3), Json)!), ("$s", siteId));
        var byKey = meters.ToDictionary(m => m.Key, StringComparer.Ordinal);

        IEnumerable<long> AncestorsOrSelf(long node)
        {
            for (long? n = node; n is not null; n = parentOfNode.GetValueOrDefault(n.Value)) yield return n.Value;
        }

        var want = new HashSet<(long Node, long Meter)>();
        foreach (var m in meters)
        {
            if (m.Def.Role != MeterRole.Counted || m.Def.Kind == MeterKind.Instantaneous) continue;
            foreach (var node in AncestorsOrSelf(m.Node))
            {
                var covered = false;
                for (var p = m.Def.Parent; p is not null && byKey.TryGetValue(p, out var pm); p = pm.Def.Parent)
                {
                    if (pm.Def.Role == MeterRole.Counted && AncestorsOrSelf(pm.Node).Contains(node)) { covered = true; break; }
                }
                if (!covered) want.Add((node, m.Id));
            }
        }
        var have = ReadAll(c, tx, "SELECT nm.node_id, nm.meter_id FROM node_meter nm JOIN node n ON n.id = nm.node_id WHERE n.site_id=$s;",
            r => (Node: r.GetInt64(0), Meter: r.GetInt64(1)), ("$s", siteId)).ToHashSet();
        if (have.SetEquals(want)) return false;
        Scalar(c, "DELETE FROM node_meter WHERE node_id IN (SELECT id FROM node WHERE site_id=$s);", tx, ("$s", siteId));
        using var ins = Command(c, "INSERT INTO node_meter(node_id, meter_id) VALUES($n,$m);", tx, ("$n", 0L), ("$m", 0L));
        foreach (var (node, meter) in want)
        {
            ins.Parameters["$n"].Value = node;
            ins.Parameters["$m"].Value = meter;
            ins.ExecuteNonQuery();
        }
        return true;
    }

    private static void RebuildNodeRollups(SqliteConnection c, SqliteTransaction tx, long siteId)
    {
        Scalar(c, "DELETE FROM node_rollup WHERE node_id IN (SELECT id FROM node WHERE site_id=$s);", tx, ("$s", siteId));
        Scalar(c, NodeRollupFromBucketsSql + " WHERE n.site_id=$s GROUP BY nm.node_id, m.carrier, m.direction, b.ts;", tx, ("$s", siteId));
        Scalar(c, NodeRollupFromRollupsSql + " WHERE n.site_id=$s GROUP BY nm.node_id, m.carrier, m.direction, r.grain, r.ts;", tx, ("$s", siteId));
    }

    public Task<SiteModel?> GetSiteAsync(long tenantId, string siteKey, CancellationToken ct) =>
        ReadAsync(c =>
        {
            var id = Scalar(c, "SELECT id FROM site WHERE tenant_id=$t AND key=$k;", null, ("$t", tenantId), ("$k", siteKey)) as long?;
            return id is null ? null : LoadSite(c, tenantId, id.Value);
        }, ct);

    public Task<IReadOnlyList<SiteModel>> ListSitesAsync(long tenantId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<SiteModel>>(c =>
            ReadAll(c, null, "SELECT id FROM site WHERE tenant_id=$t ORDER BY key;", r => r.GetInt64(0), ("$t", tenantId))
                .Select(id => LoadSite(c, tenantId, id)).ToList(), ct);

    private static SiteModel LoadSite(SqliteConnection c, long tenantId, long siteId)
    {
        var (header, siteKey) = ReadOne(c, null, "SELECT definition, key FROM site WHERE id=$id;", r => (JsonSerializer.Deserialize<SiteDefinition>(r.GetString(0), Json)!, r.GetString(1)), ("$id", siteId))!.Value;
        var nodes = ReadAll(c, null, "SELECT id, key, name, name_zh, kind, parent_id FROM node WHERE site_id=$s ORDER BY id;",
            r => new SiteNode(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : Enum.Parse<NodeKind>(r.GetString(4)), r.IsDBNull(5) ? null : r.GetInt64(5)), ("$s", siteId));
        var keyOf = nodes.ToDictionary(n => n.Id, n => n.Key);
        var meters = ReadAll(c, null, "SELECT id, definition FROM meter WHERE site_id=$s ORDER BY id;",
            r => new MeterRef(r.GetInt64(0), tenantId, siteId, siteKey, header.TimeZone, JsonSerializer.Deserialize<MeterDefinition>(r.GetString(1), Json)!), ("$s", siteId));
        var events = ReadAll(c, null, "SELECT m.key, e.ts, e.kind, e.old_value, e.new_value, e.note FROM meter_event e JOIN meter m ON m.id=e.meter_id WHERE m.site_id=$s ORDER BY m.key, e.ts;",
            r => new MeterEventDefinition
            {
                Meter = r.GetString(0),
                Ts = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
                Kind = Enum.Parse<MeterEventKind>(r.GetString(2)),
                OldValue = r.IsDBNull(3) ? null : r.GetDouble(3),
                NewValue = r.GetDouble(4),
                Note = r.IsDBNull(5) ? null : r.GetString(5),
            }, ("$s", siteId));
        var definition = header with
        {
            Nodes = nodes.Where(n => n.Key != SiteNode.RootKey).Select(n => new NodeDefinition
            {
                Key = n.Key,
                Name = n.Name,
                NameZh = n.NameZh,
                Kind = n.Kind ?? NodeKind.Workshop,
                Parent = n.ParentId is { } p && keyOf[p] != SiteNode.RootKey ? keyOf[p] : null,
            }).ToList(),
            Meters = meters.Select(m => m.Definition).ToList(),
            Events = events,
        };
        var counted = ReadAll(c, null, "SELECT nm.node_id, nm.meter_id FROM node_meter nm JOIN node n ON n.id = nm.node_id WHERE n.site_id=$s;",
            r => (r.GetInt64(0), r.GetInt64(1)), ("$s", siteId));
        return new SiteModel(siteId, tenantId, definition, nodes, meters, counted);
    }

    public Task<IReadOnlyDictionary<string, MeterRef>> LoadMetersAsync(long tenantId, CancellationToken ct) =>
        ReadAsync<IReadOnlyDictionary<string, MeterRef>>(c =>
            ReadAll(c, null, MeterRefSql + " WHERE m.tenant_id=$t;", MapMeterRef, ("$t", tenantId))
                .ToDictionary(m => m.Definition.Key, StringComparer.Ordinal), ct);

    public Task<IReadOnlyList<MeterRef>> LoadAllMetersAsync(CancellationToken ct) =>
        ReadAsync<IReadOnlyList<MeterRef>>(c => ReadAll(c, null, MeterRefSql + ";", MapMeterRef), ct);

    private const string MeterRefSql = "SELECT m.id, m.tenant_id, m.site_id, s.key, s.time_zone, m.definition FROM meter m JOIN site s ON s.id=m.site_id";

    private static MeterRef MapMeterRef(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3), r.GetString(4), JsonSerializer.Deserialize<MeterDefinition>(r.GetString(5), Json)!);

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
