using System.Globalization;
using System.Text.Json;
using GreenLoop.Notifications;
using GreenLoop.Pipeline.Monitor.Alarms;
using GreenLoop.Pipeline.Optimise.Reviews;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Pipeline.Optimise.Kpis;

/// <summary>
/// Tells people through the existing notification channels when a KPI goes off track (its <c>recipients</c>, once per
/// time it goes off track) and when an action becomes overdue (its <c>recipients</c>, once per due date). Run by a
/// worker every few minutes (<c>GreenLoop:Kpis:CheckMinutes</c>); every tenant, every site.
/// </summary>
public sealed class KpiWatcher(ICatalogDb catalog, ISiteCatalog sites, KpiService kpis, ReviewService reviews, IAlarmNotifier notifier, TimeProvider clock)
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    /// <summary>One pass: returns how many messages were sent.</summary>
    public async Task<int> CheckAsync(CancellationToken ct)
    {
        var sent = 0;
        List<(long TenantId, long SiteId)> scopes;
        await using (var db = catalog.Open(0))
        {
            scopes = (await db.Kpis.IgnoreQueryFilters().AsNoTracking().Select(k => new { k.TenantId, k.SiteId })
                .Union(db.Actions.IgnoreQueryFilters().AsNoTracking().Select(a => new { a.TenantId, a.SiteId })).ToListAsync(ct))
                .Select(x => (x.TenantId, x.SiteId)).Distinct().ToList();
        }
        foreach (var (tenantId, siteId) in scopes)
        {
            var site = (await sites.ListSitesAsync(tenantId, ct)).FirstOrDefault(s => s.Id == siteId);
            if (site is null) continue;
            sent += await KpisAsync(tenantId, site, ct);
            sent += await ActionsAsync(tenantId, site, ct);
        }
        return sent;
    }

    private static string SiteName(SiteModel site) => AlarmWording.SiteName(site.Definition.Name, site.Definition.NameZh);

    private async Task<int> KpisAsync(long tenantId, SiteModel site, CancellationToken ct)
    {
        var board = await kpis.BoardAsync(tenantId, site.Definition.Key, null, ct);
        if (board is null) return 0;
        Dictionary<string, KpiRecord> records;
        await using (var db = catalog.Open(tenantId))
            records = await db.Kpis.AsNoTracking().Where(k => k.SiteId == site.Id).ToDictionaryAsync(k => k.Key, StringComparer.Ordinal, ct);
        var sent = 0;
        foreach (var row in board.Kpis)
        {
            if (!records.TryGetValue(row.Kpi.Key, out var record)) continue;
            var status = row.Status.Status;
            var tell = status == "offTrack" && record.NotifiedStatus != "offTrack" && row.Kpi.Recipients.Count > 0;
            if (tell)
            {
                var name = row.Kpi.NameZh ?? row.Kpi.Name;
                await notifier.NotifyAsync(tenantId, new NotificationMessage
                {
                    AlarmId = $"kpi:{site.Definition.Key}:{row.Kpi.Key}",
                    Transition = AlarmTransition.Raised,
                    Severity = "warning",
                    Site = SiteName(site),
                    SiteKey = site.Definition.Key,
                    RuleName = row.Kpi.Name,
                    Subject = row.Kpi.Key,
                    TitleZh = $"指标偏离目标：{name}（责任：{row.Kpi.Owner?.Department ?? "未指定"}）",
                    TitleEn = $"KPI off track: {row.Kpi.Name} (owner: {row.Kpi.Owner?.Department ?? "none"})",
                    DetailZh = row.Status.ReasonZh,
                    DetailEn = row.Status.Reason,
                    At = clock.GetUtcNow(),
                }, row.Kpi.Recipients, ct);
                sent++;
            }
            // Remember the status (off track only once told), so the next pass tells only a new fall off track.
            if (record.NotifiedStatus != status && (tell || status != "offTrack"))
                await catalog.WriteAsync(tenantId, async w => await w.Kpis.Where(k => k.Id == record.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(k => k.NotifiedStatus, status), ct), ct);
        }
        return sent;
    }

    private async Task<int> ActionsAsync(long tenantId, SiteModel site, CancellationToken ct)
    {
        var actions = await reviews.ActionsAsync(tenantId, site.Definition.Key, openOnly: true, ct) ?? [];
        var sent = 0;
        foreach (var a in actions.Where(a => a.Overdue && a.Action.Recipients.Count > 0))
        {
            await using (var db = catalog.Open(tenantId))
            {
                if (await db.Actions.AsNoTracking().AnyAsync(r => r.Id == a.Id && r.RemindedAt != null, ct)) continue;
            }
            await notifier.NotifyAsync(tenantId, new NotificationMessage
            {
                AlarmId = $"action:{a.Id}",
                Transition = AlarmTransition.Raised,
                Severity = "warning",
                Site = SiteName(site),
                SiteKey = site.Definition.Key,
                RuleName = a.Action.Title,
                Subject = $"action #{a.Id}",
                TitleZh = $"改进措施逾期：{a.Action.Title}（责任人：{a.Action.Owner}）",
                TitleEn = $"Improvement action overdue: {a.Action.Title} (owner: {a.Action.Owner})",
                DetailZh = $"期限 {a.Action.DueDate}，状态 {a.State}",
                DetailEn = $"due {a.Action.DueDate}, state {a.State}",
                At = clock.GetUtcNow(),
            }, a.Action.Recipients, ct);
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await catalog.WriteAsync(tenantId, async w => await w.Actions.Where(r => r.Id == a.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.RemindedAt, now), ct), ct);
            sent++;
        }
        return sent;
    }
}
