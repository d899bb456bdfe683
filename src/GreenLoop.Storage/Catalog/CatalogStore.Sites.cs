using System.Text.Json;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Storage.Catalog;

public abstract partial class CatalogStore
{
    public Task<long> EnsureTenantAsync(string key, string name, CancellationToken ct) =>
        WriteDbAsync(0, async (db, _) =>
        {
            var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Key == key, ct);
            if (tenant is null)
            {
                tenant = new TenantRecord { Key = key, Name = name };
                db.Tenants.Add(tenant);
                await db.SaveChangesAsync(ct);
            }
            return tenant.Id;
        }, ct);

    /// <summary>Every tenant of the platform, by key.</summary>
    public Task<IReadOnlyList<StoredTenant>> ListTenantsAsync(CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<StoredTenant>>(0, async db => (await db.Tenants.AsNoTracking().OrderBy(t => t.Key).ToListAsync(ct))
            .Select(t => new StoredTenant(t.Id, t.Key, t.Name, t.Disabled)).ToList());

    /// <summary>Renames and/or disables (or enables) a tenant; false when there is no tenant with that key.</summary>
    public Task<bool> UpdateTenantAsync(string key, string? name, bool? disabled, CancellationToken ct) =>
        WriteDbAsync(0, async (db, _) =>
        {
            var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Key == key, ct);
            if (tenant is null) return false;
            if (name is not null) tenant.Name = name;
            if (disabled is { } d) tenant.Disabled = d;
            await db.SaveChangesAsync(ct);
            return true;
        }, ct);

    /// <summary>Whether the tenant is disabled (an unknown tenant counts as disabled).</summary>
    public Task<bool> TenantDisabledAsync(long tenantId, CancellationToken ct) =>
        ReadDbAsync(0, async db => await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => (bool?)t.Disabled).FirstOrDefaultAsync(ct) ?? true);

    /// <summary>Applies a validated site document; idempotent. Counts what it created, changed and left alone.</summary>
    public Task<ApplyResult> ApplySiteAsync(long tenantId, SiteDefinition site, long now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(site);
        return WriteDbAsync(tenantId, async (db, series) =>
        {
            await series.SerializeAsync(WriteKind.Derived, ct);
            return await ApplySiteAsync(db, series, tenantId, site, now, ct);
        }, ct);
    }

    private static async Task<ApplyResult> ApplySiteAsync(GreenLoopDb db, ISeriesWriter series, long tenantId, SiteDefinition site, long now, CancellationToken ct)
    {
        int created = 0, updated = 0, unchanged = 0;
        void Count(int state) { if (state == 0) unchanged++; else if (state == 1) created++; else updated++; }

        // The site row keeps the document without nodes, meters and events; those live in their own tables.
        var header = JsonSerializer.Serialize(site with { Nodes = [], Meters = [], Events = [] }, Json);
        var siteRow = await db.Sites.FirstOrDefaultAsync(s => s.Key == site.Key, ct);
        if (siteRow is null)
        {
            siteRow = new SiteRecord { TenantId = tenantId, Key = site.Key, Definition = header, TimeZone = site.TimeZone, UpdatedAt = now };
            db.Sites.Add(siteRow);
            await db.SaveChangesAsync(ct);
            Count(1);
        }
        else if (siteRow.Definition != header)
        {
            (siteRow.Definition, siteRow.TimeZone, siteRow.UpdatedAt) = (header, site.TimeZone, now);
            Count(2);
        }
        else Count(0);
        var siteId = siteRow.Id;

        var nodes = await db.Nodes.Where(n => n.SiteId == siteId).ToDictionaryAsync(n => n.Key, StringComparer.Ordinal, ct);
        int UpsertNode(string key, string name, string? nameZh, string? kind, long? parentId)
        {
            if (!nodes.TryGetValue(key, out var node))
            {
                nodes[key] = node = new NodeRecord { SiteId = siteId, Key = key, Name = name, NameZh = nameZh, Kind = kind, ParentId = parentId };
                db.Nodes.Add(node);
                return 1;
            }
            if (node.Name == name && node.NameZh == nameZh && node.Kind == kind && node.ParentId == parentId) return 0;
            (node.Name, node.NameZh, node.Kind, node.ParentId) = (name, nameZh, kind, parentId);
            return 2;
        }

        UpsertNode(SiteNode.RootKey, site.Name, site.NameZh, null, null);
        await db.SaveChangesAsync(ct);
        var rootId = nodes[SiteNode.RootKey].Id;
        // Parents before children: apply in passes until every node is placed (the validator rejected cycles).
        var placedKeys = new HashSet<string>(StringComparer.Ordinal) { SiteNode.RootKey };
        var pending = site.Nodes.ToList();
        while (pending.Count > 0)
        {
            var placed = pending.Where(n => n.Parent is null || placedKeys.Contains(n.Parent)).ToList();
            if (placed.Count == 0) throw new InvalidOperationException("The node tree has a cycle or a missing parent.");
            foreach (var n in placed)
            {
                var parentId = n.Parent is null ? rootId : nodes[n.Parent].Id;
                Count(UpsertNode(n.Key, n.Name, n.NameZh, n.Kind.ToString(), parentId));
                placedKeys.Add(n.Key);
            }
            await db.SaveChangesAsync(ct);
            pending = pending.Except(placed).ToList();
        }

        var keys = site.Meters.Select(m => m.Key).ToList();
        var meters = await db.Meters.Where(m => keys.Contains(m.Key)).ToDictionaryAsync(m => m.Key, StringComparer.Ordinal, ct);
        var redrive = new List<MeterRecord>();
        foreach (var m in site.Meters)
        {
            var nodeId = m.Node is null ? rootId : nodes[m.Node].Id;
            var json = JsonSerializer.Serialize(m, Json);
            if (!meters.TryGetValue(m.Key, out var row))
            {
                meters[m.Key] = row = new MeterRecord
                {
                    TenantId = tenantId, SiteId = siteId, NodeId = nodeId, Key = m.Key, Carrier = m.Carrier, Direction = m.Direction.ToString(), Definition = json,
                };
                db.Meters.Add(row);
                Count(1);
                continue;
            }
            if (row.SiteId != siteId) throw new InvalidOperationException($"Meter '{m.Key}' already belongs to another site of this tenant.");
            if (row.Definition == json && row.NodeId == nodeId) { Count(0); continue; }
            var old = JsonSerializer.Deserialize<MeterDefinition>(row.Definition, Json)!;
            (row.NodeId, row.Carrier, row.Direction, row.Definition) = (nodeId, m.Carrier, m.Direction.ToString(), json);
            Count(2);
            // Anything that changes how readings turn into consumption re-derives the meter's whole history.
            if (old with { Name = m.Name, NameZh = m.NameZh, Node = m.Node, Role = m.Role, Parent = m.Parent } != m) redrive.Add(row);
        }
        await db.SaveChangesAsync(ct);
        foreach (var row in redrive) await series.MarkWholeMeterDirtyAsync(new MeterId(row.Id), ct);

        var meterIds = meters.Values.Where(m => m.SiteId == siteId).Select(m => m.Id).ToList();
        var events = await db.MeterEvents.Where(e => meterIds.Contains(e.MeterId)).ToDictionaryAsync(e => (e.MeterId, e.Ts, e.Kind), ct);
        var dirty = new List<(long Meter, long Ts)>();
        foreach (var e in site.Events)
        {
            var meterId = meters[e.Meter].Id;
            var ts = e.Ts.ToUnixTimeMilliseconds();
            var kind = e.Kind.ToString();
            if (events.TryGetValue((meterId, ts, kind), out var x))
            {
                if (x.OldValue == e.OldValue && x.NewValue == e.NewValue && x.Note == e.Note) { Count(0); continue; }
                (x.OldValue, x.NewValue, x.Note) = (e.OldValue, e.NewValue, e.Note);
                Count(2);
            }
            else
            {
                events[(meterId, ts, kind)] = x = new MeterEventRecord { MeterId = meterId, Ts = ts, Kind = kind, OldValue = e.OldValue, NewValue = e.NewValue, Note = e.Note };
                db.MeterEvents.Add(x);
                Count(1);
            }
            dirty.Add((meterId, ts));
        }
        await db.SaveChangesAsync(ct);
        foreach (var (meter, ts) in dirty) await series.MarkDirtyAsync(new MeterId(meter), new Instant(ts), new Instant(ts), ct);

        if (await RebuildClosureAsync(db, siteId, ct)) await series.RebuildNodeRollupsAsync(siteId, ct);
        return new ApplyResult(created, updated, unchanged);
    }

    /// <summary>Stores the site's closure (<see cref="NodeClosure"/>); true if it changed.</summary>
    private static async Task<bool> RebuildClosureAsync(GreenLoopDb db, long siteId, CancellationToken ct)
    {
        var parentOfNode = await db.Nodes.Where(n => n.SiteId == siteId).ToDictionaryAsync(n => n.Id, n => n.ParentId, ct);
        var meters = (await db.Meters.Where(m => m.SiteId == siteId).Select(m => new { m.Id, m.NodeId, m.Definition }).ToListAsync(ct))
            .Select(m => (m.Id, m.NodeId, JsonSerializer.Deserialize<MeterDefinition>(m.Definition, Json)!)).ToList();
        var want = NodeClosure.Compute(parentOfNode, meters);
        var stored = await db.NodeMeters.Where(x => x.Node!.SiteId == siteId).ToListAsync(ct);
        if (stored.Select(x => (x.NodeId, x.MeterId)).ToHashSet().SetEquals(want)) return false;
        db.NodeMeters.RemoveRange(stored);
        await db.SaveChangesAsync(ct);
        db.NodeMeters.AddRange(want.Select(w => new NodeMeterRecord { NodeId = w.Node, MeterId = w.Meter }));
        await db.SaveChangesAsync(ct);
        return true;
    }

    public Task<SiteModel?> GetSiteAsync(long tenantId, string siteKey, CancellationToken ct) =>
        ReadDbAsync(tenantId, async db =>
        {
            var site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Key == siteKey, ct);
            return site is null ? null : await LoadSiteAsync(db, site, ct);
        });

    public Task<IReadOnlyList<SiteModel>> ListSitesAsync(long tenantId, CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<SiteModel>>(tenantId, async db =>
        {
            var sites = new List<SiteModel>();
            foreach (var site in (await db.Sites.AsNoTracking().ToListAsync(ct)).OrderBy(s => s.Key, StringComparer.Ordinal))
                sites.Add(await LoadSiteAsync(db, site, ct));
            return sites;
        });

    private static async Task<SiteModel> LoadSiteAsync(GreenLoopDb db, SiteRecord site, CancellationToken ct)
    {
        var header = JsonSerializer.Deserialize<SiteDefinition>(site.Definition, Json)!;
        var nodes = (await db.Nodes.AsNoTracking().Where(n => n.SiteId == site.Id).OrderBy(n => n.Id).ToListAsync(ct))
            .Select(n => new SiteNode(n.Id, n.Key, n.Name, n.NameZh, n.Kind is null ? null : Enum.Parse<NodeKind>(n.Kind), n.ParentId)).ToList();
        var keyOf = nodes.ToDictionary(n => n.Id, n => n.Key);
        var meterRows = await db.Meters.AsNoTracking().Where(m => m.SiteId == site.Id).OrderBy(m => m.Id).ToListAsync(ct);
        var meters = meterRows.Select(m => new MeterRef(m.Id, site.TenantId, site.Id, site.Key, header.TimeZone, ReadMeter(m.Definition))).ToList();
        var meterKey = meterRows.ToDictionary(m => m.Id, m => m.Key);
        var ids = meterKey.Keys.ToList();
        var events = (await db.MeterEvents.AsNoTracking().Where(e => ids.Contains(e.MeterId)).ToListAsync(ct))
            .Select(e => new MeterEventDefinition
            {
                Meter = meterKey[e.MeterId],
                Ts = DateTimeOffset.FromUnixTimeMilliseconds(e.Ts),
                Kind = Enum.Parse<MeterEventKind>(e.Kind),
                OldValue = e.OldValue,
                NewValue = e.NewValue,
                Note = e.Note,
            })
            .OrderBy(e => e.Meter, StringComparer.Ordinal).ThenBy(e => e.Ts).ToList();
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
        var counted = (await db.NodeMeters.AsNoTracking().Where(x => x.Node!.SiteId == site.Id).Select(x => new { x.NodeId, x.MeterId }).ToListAsync(ct))
            .Select(x => (x.NodeId, x.MeterId)).ToList();
        return new SiteModel(site.Id, site.TenantId, definition, nodes, meters, counted);
    }

    public Task<IReadOnlyDictionary<string, MeterRef>> LoadMetersAsync(long tenantId, CancellationToken ct) =>
        ReadDbAsync<IReadOnlyDictionary<string, MeterRef>>(tenantId, async db =>
            (await MeterRefsAsync(db.Meters, db.Sites, ct)).ToDictionary(m => m.Definition.Key, StringComparer.Ordinal));

    /// <summary>Every meter of every tenant (the derivation worker serves all tenants).</summary>
    public Task<IReadOnlyList<MeterRef>> LoadAllMetersAsync(CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<MeterRef>>(0, async db => await MeterRefsAsync(db.Meters.IgnoreQueryFilters(), db.Sites.IgnoreQueryFilters(), ct));

    private static async Task<List<MeterRef>> MeterRefsAsync(IQueryable<MeterRecord> meters, IQueryable<SiteRecord> sites, CancellationToken ct) =>
        (await meters.AsNoTracking().Join(sites, m => m.SiteId, s => s.Id, (m, s) => new { m.Id, m.TenantId, m.SiteId, SiteKey = s.Key, s.TimeZone, m.Definition })
            .OrderBy(x => x.Id).ToListAsync(ct))
        .Select(x => new MeterRef(x.Id, x.TenantId, x.SiteId, x.SiteKey, x.TimeZone, ReadMeter(x.Definition))).ToList();

    /// <summary>A meter's recorded replacements and resets, oldest first (the derivation worker serves every tenant).</summary>
    public Task<IReadOnlyList<CounterEvent>> EventsAsync(long meterId, CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<CounterEvent>>(0, async db => (await db.MeterEvents.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.MeterId == meterId).OrderBy(e => e.Ts).ToListAsync(ct))
            .Select(e => new CounterEvent(e.Ts, Enum.Parse<MeterEventKind>(e.Kind), e.OldValue, e.NewValue)).ToList());

    private static MeterDefinition ReadMeter(string json) => JsonSerializer.Deserialize<MeterDefinition>(json, Json)!;
}
