using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Optimise.Field;
using GreenLoop.Notifications;
using GreenLoop.Pipeline.Monitor.Alarms;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Pipeline.Optimise.Field;

/// <summary>
/// The field-work pass: opens the work order of every open alarm whose rule says "open a work order" (at most one per
/// alarm — a unique index holds it even with several servers), tells the recipients of a work order once when it
/// becomes overdue, and tells a round's recipients once of each occurrence not done by the end of its window. A
/// reminder is claimed in the database before it is sent, so passes that overlap (two servers) send it once.
/// </summary>
public sealed class FieldWatcher(IAlarmCatalog alarmCatalog, ICatalogDb catalog, ISiteCatalog sites, WorkOrderService workOrders, FieldService field,
    IAlarmNotifier notifier, TimeProvider clock)
{
    /// <summary>How far back a pass looks for rounds not done (a server down for longer does not flood the channels).</summary>
    public const int LateRoundDays = 7;

    /// <summary>One pass: the work orders opened and the reminders sent (overdue work orders and late rounds).</summary>
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
        return (opened, await RemindAsync(ct) + await TellLateRoundsAsync(ct));
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
                var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                var claimed = 0;
                await catalog.WriteAsync(tenantId, async db => claimed = await db.WorkOrders.Where(r => r.Id == w.Id && r.EscalatedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.EscalatedAt, now), ct), ct);
                if (claimed == 0) continue;
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
                sent++;
            }
        }
        return sent;
    }

    /// <summary>
    /// Tells each active round's recipients of its occurrences of the last <see cref="LateRoundDays"/> days that passed
    /// the end of their window undone (overdue or missed) and were not told yet: one message per round and pass,
    /// naming every such due time. <c>NotifiedMissedAt</c> remembers the last one told.
    /// </summary>
    private async Task<int> TellLateRoundsAsync(CancellationToken ct)
    {
        List<(long TenantId, long SiteId)> scopes;
        await using (var db = catalog.Open(0))
            scopes = (await db.InspectionRounds.IgnoreQueryFilters().AsNoTracking().Where(r => r.Active)
                    .Select(r => new { r.TenantId, r.SiteId }).Distinct().ToListAsync(ct))
                .Select(x => (x.TenantId, x.SiteId)).ToList();
        var sent = 0;
        foreach (var (tenantId, siteId) in scopes)
        {
            var site = (await sites.ListSitesAsync(tenantId, ct)).FirstOrDefault(s => s.Id == siteId);
            if (site is null) continue;
            var today = DateOnly.FromDateTime(field.LocalNow(site));
            var occurrences = await field.OccurrencesAsync(tenantId, site.Definition.Key, today.AddDays(1 - LateRoundDays), today, null, null, ct) ?? [];
            List<(long Id, string Body, long? Told)> rounds;
            await using (var db = catalog.Open(tenantId))
                rounds = (await db.InspectionRounds.AsNoTracking().Where(r => r.SiteId == siteId && r.Active).Select(r => new { r.Id, r.Body, r.NotifiedMissedAt }).ToListAsync(ct))
                    .Select(r => (r.Id, r.Body, r.NotifiedMissedAt)).ToList();
            foreach (var (id, json, told) in rounds)
            {
                var body = System.Text.Json.JsonSerializer.Deserialize<RoundBody>(json, FieldService.Json)!;
                if (body.Recipients.Count == 0) continue;
                var late = occurrences.Where(o => o.Round == id && o.State is OccurrenceState.Overdue or OccurrenceState.Missed)
                    .Select(o => (o.Due, At: field.UtcOf(site, o.Due))).Where(o => o.At > (told ?? long.MinValue)).OrderBy(o => o.At).ToList();
                if (late.Count == 0) continue;
                var last = late[^1].At;
                var claimed = 0;
                await catalog.WriteAsync(tenantId, async db => claimed = await db.InspectionRounds.Where(r => r.Id == id && r.NotifiedMissedAt == told)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.NotifiedMissedAt, last), ct), ct);
                if (claimed == 0) continue;
                var times = string.Join(", ", late.Select(o => o.Due.Replace('T', ' ')));
                var who = body.Assignee.Person ?? body.Assignee.Role ?? "";
                await notifier.NotifyAsync(tenantId, new NotificationMessage
                {
                    AlarmId = $"round:{id}:{late[^1].Due}",
                    Transition = AlarmTransition.Raised,
                    Severity = "warning",
                    Site = AlarmWording.SiteName(site.Definition.Name, site.Definition.NameZh),
                    SiteKey = site.Definition.Key,
                    RuleName = body.Name,
                    Subject = $"round #{id}",
                    TitleZh = $"巡检未按时完成：{body.NameZh ?? body.Name}（{late.Count} 次，负责：{who}）",
                    TitleEn = $"Round not done on time: {body.Name} ({late.Count} time(s), assigned to {who})",
                    DetailZh = $"应完成时间（当地）：{times}；窗口 {body.Schedule.WindowMinutes} 分钟",
                    DetailEn = $"due (local): {times}; window {body.Schedule.WindowMinutes} min",
                    At = clock.GetUtcNow(),
                }, body.Recipients, ct);
                sent++;
            }
        }
        return sent;
    }
}
