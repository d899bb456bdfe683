using System.Text.Json;
using GreenLoop.Domain.Model;
using Npgsql;

namespace GreenLoop.Storage.Postgres;

public sealed partial class PostgresStore
{
    // Look first: INSERT … ON CONFLICT takes an id from the sequence even when the row exists, and tenants are
    // ensured at every start.
    public Task<long> EnsureTenantAsync(string key, string name, CancellationToken ct) =>
        WriteAsync(async (c, tx) =>
            await ScalarAsync(c, tx, "SELECT id FROM tenant WHERE key=@k;", ct, ("k", key)) as long?
            ?? await ScalarAsync(c, tx, "INSERT INTO tenant(key, name) VALUES(@k, @n) ON CONFLICT(key) DO NOTHING RETURNING id;", ct, ("k", key), ("n", name)) as long?
            ?? (long)(await ScalarAsync(c, tx, "SELECT id FROM tenant WHERE key=@k;", ct, ("k", key)))!, ct);

    public Task<ApplyResult> ApplySiteAsync(long tenantId, SiteDefinition site, long now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(site);
        return WriteAsync(async (c, tx) =>
        {
            await LockDerivedAsync(c, tx, ct);
            return await ApplySiteAsync(c, tx, tenantId, site, now, ct);
        }, ct);
    }

    private static async Task<ApplyResult> ApplySiteAsync(NpgsqlConnection c, NpgsqlTransaction tx, long tenantId, SiteDefinition site, long now, CancellationToken ct)
    {
        int created = 0, updated = 0, unchanged = 0;
        void Count(int state) { if (state == 0) unchanged++; else if (state == 1) created++; else updated++; }

        // The site row keeps the document without nodes, meters and events; those live in their own tables.
        var header = JsonSerializer.Serialize(site with { Nodes = [], Meters = [], Events = [] }, Json);
        var existingSite = await ReadOneAsync(c, tx, "SELECT id, definition FROM site WHERE tenant_id=@t AND key=@k;",
            r => (Id: r.GetInt64(0), Definition: r.GetString(1)), ct, ("t", tenantId), ("k", site.Key));
        long siteId;
        if (existingSite is null)
        {
            siteId = (long)(await ScalarAsync(c, tx, "INSERT INTO site(tenant_id, key, definition, time_zone, updated_at) VALUES(@t,@k,@d,@z,@u) RETURNING id;", ct,
                ("t", tenantId), ("k", site.Key), ("d", header), ("z", site.TimeZone), ("u", now)))!;
            Count(1);
        }
        else
        {
            siteId = existingSite.Value.Id;
            if (existingSite.Value.Definition != header)
            {
                await ExecAsync(c, tx, "UPDATE site SET definition=@d, time_zone=@z, updated_at=@u WHERE id=@id;", ct,
                    ("d", header), ("z", site.TimeZone), ("u", now), ("id", siteId));
                Count(2);
            }
            else Count(0);
        }

        var (rootId, _) = await UpsertNodeAsync(c, tx, siteId, SiteNode.RootKey, site.Name, site.NameZh, null, null, ct);
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
                var (id, state) = await UpsertNodeAsync(c, tx, siteId, n.Key, n.Name, n.NameZh, n.Kind.ToString(), parentId, ct);
                nodeIds[n.Key] = id;
                Count(state);
            }
            pending = pending.Except(placed).ToList();
        }

        var meterIds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var m in site.Meters)
        {
            var nodeId = m.Node is null ? rootId : nodeIds[m.Node];
            var json = JsonSerializer.Serialize(m, Json);
            var row = await ReadOneAsync(c, tx, "SELECT id, site_id, node_id, definition FROM meter WHERE tenant_id=@t AND key=@k;",
                r => (Id: r.GetInt64(0), Site: r.GetInt64(1), Node: r.GetInt64(2), Def: r.GetString(3)), ct, ("t", tenantId), ("k", m.Key));
            if (row is null)
            {
                meterIds[m.Key] = (long)(await ScalarAsync(c, tx,
                    "INSERT INTO meter(tenant_id, site_id, node_id, key, carrier, direction, definition) VALUES(@t,@s,@n,@k,@c,@d,@j) RETURNING id;", ct,
                    ("t", tenantId), ("s", siteId), ("n", nodeId), ("k", m.Key), ("c", m.Carrier), ("d", m.Direction.ToString()), ("j", json)))!;
                Count(1);
                continue;
            }
            if (row.Value.Site != siteId) throw new InvalidOperationException($"Meter '{m.Key}' already belongs to another site of this tenant.");
            meterIds[m.Key] = row.Value.Id;
            if (row.Value.Def == json && row.Value.Node == nodeId) { Count(0); continue; }
            var old = JsonSerializer.Deserialize<MeterDefinition>(row.Value.Def, Json)!;
            await ExecAsync(c, tx, "UPDATE meter SET node_id=@n, carrier=@c, direction=@d, definition=@j WHERE id=@id;", ct,
                ("n", nodeId), ("c", m.Carrier), ("d", m.Direction.ToString()), ("j", json), ("id", row.Value.Id));
            Count(2);
            // Anything that changes how readings turn into consumption re-derives the meter's whole history.
            if (old with { Name = m.Name, NameZh = m.NameZh, Node = m.Node, Role = m.Role, Parent = m.Parent } != m)
                await MarkWholeMeterDirtyAsync(c, tx, row.Value.Id, ct);
        }

        foreach (var e in site.Events)
        {
            var meterId = meterIds[e.Meter];
            var ts = e.Ts.ToUnixTimeMilliseconds();
            var existing = await ReadOneAsync(c, tx, "SELECT old_value, new_value, note FROM meter_event WHERE meter_id=@m AND ts=@ts AND kind=@k;",
                r => (Old: NullableDouble(r, 0), New: r.GetDouble(1), Note: NullableString(r, 2)), ct,
                ("m", meterId), ("ts", ts), ("k", e.Kind.ToString()));
            if (existing is { } x && x.Old == e.OldValue && x.New == e.NewValue && x.Note == e.Note) { Count(0); continue; }
            await ExecAsync(c, tx, """
                INSERT INTO meter_event(meter_id, ts, kind, old_value, new_value, note) VALUES(@m,@ts,@k,@o,@n,@note)
                ON CONFLICT(meter_id, ts, kind) DO UPDATE SET old_value=excluded.old_value, new_value=excluded.new_value, note=excluded.note;
                """, ct, ("m", meterId), ("ts", ts), ("k", e.Kind.ToString()), ("o", e.OldValue), ("n", e.NewValue), ("note", e.Note));
            Count(existing is null ? 1 : 2);
            await MarkDirtyAsync(c, tx, meterId, ts, ts, ct);
        }

        if (await RebuildClosureAsync(c, tx, siteId, ct)) await RebuildNodeRollupsAsync(c, tx, siteId, ct);
        return new ApplyResult(created, updated, unchanged);
    }

    /// <summary>Inserts or updates a node; the state is 0 unchanged, 1 created, 2 updated.</summary>
    private static async Task<(long Id, int State)> UpsertNodeAsync(NpgsqlConnection c, NpgsqlTransaction tx, long siteId, string key, string name, string? nameZh,
        string? kind, long? parentId, CancellationToken ct)
    {
        var row = await ReadOneAsync(c, tx, "SELECT id, name, name_zh, kind, parent_id FROM node WHERE site_id=@s AND key=@k;",
            r => (Id: r.GetInt64(0), Name: r.GetString(1), Zh: NullableString(r, 2), Kind: NullableString(r, 3), Parent: NullableLong(r, 4)), ct,
            ("s", siteId), ("k", key));
        if (row is null)
        {
            var id = (long)(await ScalarAsync(c, tx, "INSERT INTO node(site_id, key, name, name_zh, kind, parent_id) VALUES(@s,@k,@n,@z,@kind,@p) RETURNING id;", ct,
                ("s", siteId), ("k", key), ("n", name), ("z", nameZh), ("kind", kind), ("p", parentId)))!;
            return (id, 1);
        }
        var r = row.Value;
        if (r.Name == name && r.Zh == nameZh && r.Kind == kind && r.Parent == parentId) return (r.Id, 0);
        await ExecAsync(c, tx, "UPDATE node SET name=@n, name_zh=@z, kind=@kind, parent_id=@p WHERE id=@id;", ct,
            ("n", name), ("z", nameZh), ("kind", kind), ("p", parentId), ("id", r.Id));
        return (r.Id, 2);
    }

    /// <summary>
    /// Recomputes which meters count toward which node. A meter with role Counted counts toward its node and every
    /// ancestor, except where its parent meter already counts toward that node (no double counting: the site total
    /// is the main incomer, a workshop total is the workshop's meter). Returns true if anything changed.
    /// </summary>
    private static async Task<bool> RebuildClosureAsync(NpgsqlConnection c, NpgsqlTransaction tx, long siteId, CancellationToken ct)
    {
        var parentOfNode = (await ReadAllAsync(c, tx, "SELECT id, parent_id FROM node WHERE site_id=@s;",
            r => (Id: r.GetInt64(0), Parent: NullableLong(r, 1)), ct, ("s", siteId)))
            .ToDictionary(x => x.Id, x => x.Parent);
        var meters = await ReadAllAsync(c, tx, "SELECT id, key, node_id, definition FROM meter WHERE site_id=@s;",
            r => (Id: r.GetInt64(0), Key: r.GetString(1), Node: r.GetInt64(2), Def: JsonSerializer.Deserialize<MeterDefinition>(r.GetString(3), Json)!), ct, ("s", siteId));
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
        var have = (await ReadAllAsync(c, tx, "SELECT nm.node_id, nm.meter_id FROM node_meter nm JOIN node n ON n.id = nm.node_id WHERE n.site_id=@s;",
            r => (Node: r.GetInt64(0), Meter: r.GetInt64(1)), ct, ("s", siteId))).ToHashSet();
        if (have.SetEquals(want)) return false;
        await ExecAsync(c, tx, "DELETE FROM node_meter WHERE node_id IN (SELECT id FROM node WHERE site_id=@s);", ct, ("s", siteId));
        await ExecAsync(c, tx, "INSERT INTO node_meter(node_id, meter_id) SELECT * FROM unnest(@n::bigint[], @m::bigint[]);", ct,
            ("n", want.Select(w => w.Node).ToArray()), ("m", want.Select(w => w.Meter).ToArray()));
        return true;
    }

    private static async Task RebuildNodeRollupsAsync(NpgsqlConnection c, NpgsqlTransaction tx, long siteId, CancellationToken ct)
    {
        await ExecAsync(c, tx, "DELETE FROM node_rollup WHERE node_id IN (SELECT id FROM node WHERE site_id=@s);", ct, ("s", siteId));
        await ExecAsync(c, tx, NodeRollupFromBucketsSql + " WHERE n.site_id=@s GROUP BY nm.node_id, m.carrier, m.direction, b.ts;", ct, ("s", siteId));
        await ExecAsync(c, tx, NodeRollupFromRollupsSql + " WHERE n.site_id=@s GROUP BY nm.node_id, m.carrier, m.direction, r.grain, r.ts;", ct, ("s", siteId));
    }

    public Task<SiteModel?> GetSiteAsync(long tenantId, string siteKey, CancellationToken ct) =>
        ReadAsync(async c =>
        {
            var id = await ScalarAsync(c, null, "SELECT id FROM site WHERE tenant_id=@t AND key=@k;", ct, ("t", tenantId), ("k", siteKey)) as long?;
            return id is null ? null : await LoadSiteAsync(c, tenantId, id.Value, ct);
        }, ct);

    public Task<IReadOnlyList<SiteModel>> ListSitesAsync(long tenantId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<SiteModel>>(async c =>
        {
            var ids = await ReadAllAsync(c, null, "SELECT id FROM site WHERE tenant_id=@t ORDER BY key COLLATE \"C\";", r => r.GetInt64(0), ct, ("t", tenantId));
            var sites = new List<SiteModel>(ids.Count);
            foreach (var id in ids) sites.Add(await LoadSiteAsync(c, tenantId, id, ct));
            return sites;
        }, ct);

    private static async Task<SiteModel> LoadSiteAsync(NpgsqlConnection c, long tenantId, long siteId, CancellationToken ct)
    {
        var (header, siteKey) = (await ReadOneAsync(c, null, "SELECT definition, key FROM site WHERE id=@id;",
            r => (JsonSerializer.Deserialize<SiteDefinition>(r.GetString(0), Json)!, r.GetString(1)), ct, ("id", siteId)))!.Value;
        var nodes = await ReadAllAsync(c, null, "SELECT id, key, name, name_zh, kind, parent_id FROM node WHERE site_id=@s ORDER BY id;",
            r => new SiteNode(r.GetInt64(0), r.GetString(1), r.GetString(2), NullableString(r, 3),
                r.IsDBNull(4) ? null : Enum.Parse<NodeKind>(r.GetString(4)), NullableLong(r, 5)), ct, ("s", siteId));
        var keyOf = nodes.ToDictionary(n => n.Id, n => n.Key);
        var meters = await ReadAllAsync(c, null, "SELECT id, definition FROM meter WHERE site_id=@s ORDER BY id;",
            r => new MeterRef(r.GetInt64(0), tenantId, siteId, siteKey, header.TimeZone, JsonSerializer.Deserialize<MeterDefinition>(r.GetString(1), Json)!), ct, ("s", siteId));
        // Keys compare byte-wise (COLLATE "C"), as SQLite's BINARY collation orders them.
        var events = await ReadAllAsync(c, null, """
            SELECT m.key, e.ts, e.kind, e.old_value, e.new_value, e.note FROM meter_event e JOIN meter m ON m.id=e.meter_id
            WHERE m.site_id=@s ORDER BY m.key COLLATE "C", e.ts;
            """,
            r => new MeterEventDefinition
            {
                Meter = r.GetString(0),
                Ts = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
                Kind = Enum.Parse<MeterEventKind>(r.GetString(2)),
                OldValue = NullableDouble(r, 3),
                NewValue = r.GetDouble(4),
                Note = NullableString(r, 5),
            }, ct, ("s", siteId));
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
        var counted = await ReadAllAsync(c, null, "SELECT nm.node_id, nm.meter_id FROM node_meter nm JOIN node n ON n.id = nm.node_id WHERE n.site_id=@s;",
            r => (r.GetInt64(0), r.GetInt64(1)), ct, ("s", siteId));
        return new SiteModel(siteId, tenantId, definition, nodes, meters, counted);
    }

    public Task<IReadOnlyDictionary<string, MeterRef>> LoadMetersAsync(long tenantId, CancellationToken ct) =>
        ReadAsync<IReadOnlyDictionary<string, MeterRef>>(async c =>
            (await ReadAllAsync(c, null, MeterRefSql + " WHERE m.tenant_id=@t;", MapMeterRef, ct, ("t", tenantId)))
                .ToDictionary(m => m.Definition.Key, StringComparer.Ordinal), ct);

    public Task<IReadOnlyList<MeterRef>> LoadAllMetersAsync(CancellationToken ct) =>
        ReadAsync<IReadOnlyList<MeterRef>>(async c => await ReadAllAsync(c, null, MeterRefSql + " ORDER BY m.id;", MapMeterRef, ct), ct);

    private const string MeterRefSql = "SELECT m.id, m.tenant_id, m.site_id, s.key, s.time_zone, m.definition FROM meter m JOIN site s ON s.id=m.site_id";

    private static MeterRef MapMeterRef(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3), r.GetString(4), JsonSerializer.Deserialize<MeterDefinition>(r.GetString(5), Json)!);
}
