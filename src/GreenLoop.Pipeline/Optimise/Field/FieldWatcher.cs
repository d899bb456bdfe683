using GreenLoop.Domain.Alarms;
using GreenLoop.Notifications;
using GreenLoop.Pipeline.Monitor.Alarms;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Pipeline.Optimise.Field;

/// <summary>
/// The field-work pass: opens the work order of every open alarm whose rule says "open a work order" (at most one per
/// alarm — a unique index holds it even with several servers), and tells the recipients of a work order once when it
/// becomes overdue.
/// </summary>
public sealed class FieldWatcher(IAlarmCatalog alarmCatalog, ICatalogDb catalog, ISiteCatalog sites, WorkOrderService workOrders, IAlarmNotifier notifier, TimeProvider clock)
{
    /// <summary>One pass: the work orders opened and the reminders sent.</summary>
    public async Task<(int Opened, int Reminded)> CheckAsync(CancellationToken ct)
    {
        var opened = 0;
        foreach (var rule in (await alarmCatalog.AlarmRulesAsync(null, ct)).Where(r => r.Rule.OpenWorkOrder && r.Rule.Enabled))
        {
            var open = await alarmCatalog.ListAlarmsAsync(rule.TenantId, new AlarmFilter { RuleId = rule.Id, States = [AlarmState.Active, AlarmState.Acknowledged], Limit = 200 }, ct);
            if (open.Count == 0) continue;
            HashSet<long> have;
            var ids = open.Select(a => a.Id).ToList();
            await using (var db = catalog.Open(rule.TenantId))
                have = (await db.WorkOrders.AsNoTracking().Where(w => w.AlarmId != null && ids.Contains(w.AlarmId.Value)).Select(w => w.AlarmId!.Value).ToListAsync(ct)).ToHashSet();
            foreach (var alarm in open.Where(a => !have.Contains(a.Id)))
            {
                var (_, created) = await workOrders.FromAlarmAsync(rule.TenantId, alarm.Id, null, $"rule:{rule.Rule.Key}", ct);
                if (created) opened++;
            }
        }
        return (opened, await RemindAsync(ct));
    }

    private async Task<int> RemindAsync(CancellationToken ct)
    {
        List<(long TenantId, long SiteId)> scopes;
        await using (var db = catalog.Open(0))
            scopes = (await db.WorkOrders.IgnoreQueryFilters().AsNoTracking().Where(w => w.EscalatedAt == null).Select(w => new { w.TenantId, w.SiteId }).Distinct().ToListAsync(ct))
                .Select(x => (x.TenantId, x.SiteId)).ToList();
        var sent = 0;
        foreach (var (tenantId, siteId) in scopes)
        {
            var site = (await sites.ListSitesAsync(tenantId, ct)).FirstOrDefault(s => s.Id == siteId);
            if (site is null) continue;
            foreach (var w in (await workOrders.ListAsync(tenantId, site.Definition.Key, open: true, null, ct) ?? []).Where(w => w.Overdue && w.Order.Recipients.Count > 0))
            {
                await using (var db = catalog.Open(tenantId))
                    if (await db.WorkOrders.AsNoTracking().AnyAsync(r => r.Id == w.Id && r.EscalatedAt != null, ct)) continue;
                await notifier.NotifyAsync(tenantId, new NotificationMessage
                {
                    AlarmId = $"work-order:{w.Id}",
                    Transition = AlarmTransition.Raised,
                    Severity = w.Order.Priority is WorkOrderPriority.Urgent or WorkOrderPriority.High ? "major" : "warning",
                    Site = AlarmWording.SiteName(site.Definition.Name, site.Definition.NameZh),
                    SiteKey = site.Definition.Key,
                    RuleName = w.Order.Title,
                    Subject = $"work order #{w.Id}",
                    TitleZh = $"工单逾期：{w.Order.Title}（处理人：{w.Order.Assignee ?? "未指派"}）",
                    TitleEn = $"Work order overdue: {w.Order.Title} (assignee: {w.Order.Assignee ?? "none"})",
                    DetailZh = $"期限 {w.Order.DueDate}，状态 {w.State}，优先级 {w.Order.Priority}",
                    DetailEn = $"due {w.Order.DueDate}, state {w.State}, priority {w.Order.Priority}",
                    At = clock.GetUtcNow(),
                }, w.Order.Recipients, ct);
                var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                await catalog.WriteAsync(tenantId, async db => await db.WorkOrders.Where(r => r.Id == w.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.EscalatedAt, now), ct), ct);
                sent++;
            }
        }
        return sent;
    }
}
