using System.Text.Json;
using GreenLoop.Domain.Alarms;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Storage.Catalog;

public abstract partial class CatalogStore
{
    private static readonly string[] OpenStates = ["active", "acknowledged"];

    /// <summary>Rules of one site, or of every site of every tenant when <paramref name="siteId"/> is null (the evaluator).</summary>
    public Task<IReadOnlyList<StoredAlarmRule>> AlarmRulesAsync(long? siteId, CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<StoredAlarmRule>>(0, async db =>
        {
            var rules = db.AlarmRules.IgnoreQueryFilters().AsNoTracking();
            if (siteId is { } id) rules = rules.Where(r => r.SiteId == id);
            return (await RulesAsync(rules, ct)).OrderBy(r => r.SiteId).ThenBy(r => r.Rule.Key, StringComparer.Ordinal).ToList();
        });

    private static async Task<List<StoredAlarmRule>> RulesAsync(IQueryable<AlarmRuleRecord> rules, CancellationToken ct) =>
        (await rules.Select(r => new { r.Id, r.Site!.TenantId, r.SiteId, SiteKey = r.Site.Key, r.Definition, r.UpdatedAt }).ToListAsync(ct))
        .Select(r => new StoredAlarmRule(r.Id, r.TenantId, r.SiteId, r.SiteKey, JsonSerializer.Deserialize<AlarmRule>(r.Definition, Json)!, r.UpdatedAt))
        .ToList();

    /// <summary>Creates or replaces the site's rule with the same key.</summary>
    public Task<StoredAlarmRule> SaveAlarmRuleAsync(long siteId, AlarmRule rule, long now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return WriteDbAsync(0, async (db, _) =>
        {
            var rules = db.AlarmRules.IgnoreQueryFilters();
            var row = await rules.FirstOrDefaultAsync(r => r.SiteId == siteId && r.Key == rule.Key, ct);
            var json = JsonSerializer.Serialize(rule, Json);
            if (row is null) db.AlarmRules.Add(row = new AlarmRuleRecord { SiteId = siteId, Key = rule.Key, Definition = json, UpdatedAt = now });
            else (row.Definition, row.UpdatedAt) = (json, now);
            await db.SaveChangesAsync(ct);
            return (await RulesAsync(rules.AsNoTracking().Where(r => r.Id == row.Id), ct))[0];
        }, ct);
    }

    /// <summary>Deletes a rule and its evaluation state (its alarms stay, with their history); false if there is none.</summary>
    public Task<bool> DeleteAlarmRuleAsync(long siteId, string key, CancellationToken ct) =>
        WriteDbAsync(0, async (db, _) =>
        {
            var row = await db.AlarmRules.IgnoreQueryFilters().FirstOrDefaultAsync(r => r.SiteId == siteId && r.Key == key, ct);
            if (row is null) return false;
            await db.AlarmTracks.Where(t => t.RuleId == row.Id).ExecuteDeleteAsync(ct);
            db.AlarmRules.Remove(row);
            await db.SaveChangesAsync(ct);
            return true;
        }, ct);

    public Task<IReadOnlyList<AlarmTrack>> AlarmTracksAsync(CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<AlarmTrack>>(0, async db => await db.AlarmTracks.AsNoTracking()
            .Select(t => new AlarmTrack(t.RuleId, t.Subject, t.PendingSince, t.Cursor, t.Suppressed)).ToListAsync(ct));

    /// <summary>Writes tracks, new and changed alarms and their history in one transaction; returns the alarms with their ids.</summary>
    public Task<IReadOnlyList<Alarm>> SaveAlarmWorkAsync(AlarmWork work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        return WriteDbAsync<IReadOnlyList<Alarm>>(0, async (db, _) =>
        {
            if (work.Tracks.Count > 0)
            {
                var ruleIds = work.Tracks.Select(t => t.RuleId).Distinct().ToList();
                var tracks = await db.AlarmTracks.Where(t => ruleIds.Contains(t.RuleId)).ToDictionaryAsync(t => (t.RuleId, t.Subject), ct);
                foreach (var t in work.Tracks)
                {
                    if (!tracks.TryGetValue((t.RuleId, t.Subject), out var row))
                        db.AlarmTracks.Add(tracks[(t.RuleId, t.Subject)] = row = new AlarmTrackRecord { RuleId = t.RuleId, Subject = t.Subject });
                    (row.PendingSince, row.Cursor, row.Suppressed) = (t.PendingSince, t.Cursor, t.Suppressed);
                }
                await db.SaveChangesAsync(ct);
            }
            var saved = new List<Alarm>(work.Changes.Count);
            foreach (var (alarm, events) in work.Changes)
            {
                var a = alarm;
                AlarmRecord? row;
                if (a.Id == 0)
                {
                    db.Alarms.Add(row = new AlarmRecord { SiteId = a.SiteId, RuleId = a.RuleId, Subject = a.Subject, State = "", Severity = "", Body = "{}" });
                }
                else
                {
                    row = await db.Alarms.IgnoreQueryFilters().FirstAsync(x => x.Id == a.Id, ct);
                }
                (row.State, row.Severity, row.StartedAt, row.EndedAt) = (StateName(a.State), SeverityName(a.Severity), a.StartedAt, a.EndedAt);
                // The unique index admits one open alarm per rule and subject: write state changes one alarm at a time.
                await db.SaveChangesAsync(ct);
                a = a with { Id = row.Id };
                row.Body = JsonSerializer.Serialize(a, Json);
                foreach (var e in events)
                    db.AlarmEvents.Add(new AlarmEventRecord { AlarmId = a.Id, At = e.At, Kind = e.Kind.ToString(), By = e.By, Text = e.Text, TextZh = e.TextZh });
                await db.SaveChangesAsync(ct);
                saved.Add(a);
            }
            return saved;
        }, ct);
    }

    public Task<Alarm?> GetAlarmAsync(long tenantId, long id, CancellationToken ct) =>
        ReadDbAsync(tenantId, async db =>
            await db.Alarms.AsNoTracking().Where(a => a.Id == id).Select(a => a.Body).FirstOrDefaultAsync(ct) is { } body ? ReadAlarm(body) : null);

    /// <summary>Alarms of a tenant, newest first.</summary>
    public Task<IReadOnlyList<Alarm>> ListAlarmsAsync(long tenantId, AlarmFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return ReadDbAsync<IReadOnlyList<Alarm>>(tenantId, async db =>
        {
            var q = db.Alarms.AsNoTracking();
            if (filter.States is { Count: > 0 } states)
            {
                var names = states.Select(StateName).ToList();
                q = q.Where(a => names.Contains(a.State));
            }
            if (filter.Severities is { Count: > 0 } severities)
            {
                var names = severities.Select(SeverityName).ToList();
                q = q.Where(a => names.Contains(a.Severity));
            }
            if (filter.SiteId is { } site) q = q.Where(a => a.SiteId == site);
            if (filter.RuleId is { } rule) q = q.Where(a => a.RuleId == rule);
            if (filter.Subject is { } subject) q = q.Where(a => a.Subject == subject);
            if (filter.To is { } to) q = q.Where(a => a.StartedAt < to);
            if (filter.From is { } from) q = q.Where(a => a.EndedAt == null || a.EndedAt > from);
            var bodies = await q.OrderByDescending(a => a.StartedAt).ThenByDescending(a => a.Id).Take(Math.Clamp(filter.Limit, 1, 10_000))
                .Select(a => a.Body).ToListAsync(ct);
            return bodies.Select(ReadAlarm).ToList();
        });
    }

    /// <summary>Active and acknowledged alarms of every tenant.</summary>
    public Task<IReadOnlyList<Alarm>> OpenAlarmsAsync(CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<Alarm>>(0, async db => (await db.Alarms.IgnoreQueryFilters().AsNoTracking()
            .Where(a => OpenStates.Contains(a.State)).OrderBy(a => a.Id).Select(a => a.Body).ToListAsync(ct)).Select(ReadAlarm).ToList());

    public Task<IReadOnlyList<AlarmHistoryEntry>> AlarmHistoryAsync(long alarmId, CancellationToken ct) =>
        ReadDbAsync<IReadOnlyList<AlarmHistoryEntry>>(0, async db => (await db.AlarmEvents.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.AlarmId == alarmId).OrderBy(e => e.Id).ToListAsync(ct))
            .Select(e => new AlarmHistoryEntry(e.AlarmId, e.At, Enum.Parse<AlarmEventKind>(e.Kind), e.By, e.Text, e.TextZh)).ToList());

    private static Alarm ReadAlarm(string body) => JsonSerializer.Deserialize<Alarm>(body, Json)!;

    private static string StateName(AlarmState s) => s switch
    {
        AlarmState.Active => "active",
        AlarmState.Acknowledged => "acknowledged",
        AlarmState.ClearedUnack => "clearedUnack",
        _ => "cleared",
    };

    private static string SeverityName(AlarmSeverity s) => s.ToString().ToLowerInvariant();
}
