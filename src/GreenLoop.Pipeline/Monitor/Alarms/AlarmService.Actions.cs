using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Model;
using GreenLoop.Notifications;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Monitor.Alarms;

/// <summary>The outcome of saving a rule: the stored rule, or the errors (nothing was saved), or no such site.</summary>
public sealed record RuleOutcome(StoredAlarmRule? Rule, IReadOnlyList<DefinitionError> Errors, bool SiteFound);

public sealed partial class AlarmService
{
    /// <summary>A site's rules; null when the site does not exist.</summary>
    public async Task<IReadOnlyList<StoredAlarmRule>?> RulesAsync(long tenantId, string siteKey, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        return site is null ? null : await alarms.AlarmRulesAsync(site.Id, ct);
    }

    /// <summary>Validates and stores a rule (creating or replacing the one with its key).</summary>
    public async Task<RuleOutcome> SaveRuleAsync(long tenantId, string siteKey, AlarmRule rule, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return new RuleOutcome(null, [], false);
        var errors = AlarmRuleValidator.Validate(rule, site.Definition);
        if (errors.Count > 0) return new RuleOutcome(null, errors, true);
        await _gate.WaitAsync(ct);
        try
        {
            var saved = await alarms.SaveAlarmRuleAsync(site.Id, rule, Now(), ct);
            _state = null;
            return new RuleOutcome(saved, [], true);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stores the rules whose keys the site does not have yet (e.g. the demo's); returns how many were created.</summary>
    public async Task<int> EnsureRulesAsync(long tenantId, string siteKey, IReadOnlyList<AlarmRule> rules, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var existing = (await RulesAsync(tenantId, siteKey, ct))?.Select(r => r.Rule.Key).ToHashSet(StringComparer.Ordinal);
        if (existing is null) return 0;
        var created = 0;
        foreach (var rule in rules.Where(r => !existing.Contains(r.Key)))
        {
            var outcome = await SaveRuleAsync(tenantId, siteKey, rule, ct);
            if (outcome.Rule is not null) created++;
            else LogRuleRejected(rule.Key, string.Join("; ", outcome.Errors.Select(e => $"{e.Path}: {e.Reason}")));
        }
        return created;
    }

    /// <summary>Deletes a rule; its open alarms are cleared ("rule deleted") and keep their history. Null when the site does not exist.</summary>
    public async Task<bool?> DeleteRuleAsync(long tenantId, string siteKey, string key, string by, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await _gate.WaitAsync(ct);
        try
        {
            var state = await LoadAsync(ct);
            var rule = state.Rules.Values.FirstOrDefault(r => r.SiteId == site.Id && r.Rule.Key == key);
            if (rule is null) return false;
            var batch = new Batch(Now());
            foreach (var (k, holder) in state.Open.Where(o => o.Key.Rule == rule.Id).ToList())
            {
                Clear(rule, holder, by, batch.Now, "rule deleted", "规则已删除", batch);
                state.Open.Remove(k);
            }
            await SaveAsync(batch, ct);
            var deleted = await alarms.DeleteAlarmRuleAsync(site.Id, key, ct);
            _state = null;
            return deleted;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<IReadOnlyList<Alarm>> ListAsync(long tenantId, AlarmFilter filter, CancellationToken ct) => alarms.ListAlarmsAsync(tenantId, filter, ct);

    public Task<Alarm?> GetAsync(long tenantId, long id, CancellationToken ct) => alarms.GetAlarmAsync(tenantId, id, ct);

    /// <summary>An alarm's history, oldest first; null when the tenant has no such alarm.</summary>
    public async Task<IReadOnlyList<AlarmHistoryEntry>?> HistoryAsync(long tenantId, long id, CancellationToken ct) =>
        await alarms.GetAlarmAsync(tenantId, id, ct) is null ? null : await alarms.AlarmHistoryAsync(id, ct);

    /// <summary>Acknowledges; null when there is no such alarm. Throws <see cref="AlarmTransitionException"/> when its state does not allow it.</summary>
    public Task<Alarm?> AcknowledgeAsync(long tenantId, long id, string by, string? comment, CancellationToken ct) =>
        ActAsync(tenantId, id, (a, now) => AlarmLifecycle.Acknowledge(a, by, now, comment), AlarmTransition.Acknowledged, ct);

    /// <summary>Clears by hand. The rule raises no new alarm for the subject until its condition has stopped breaching once.</summary>
    public Task<Alarm?> ClearAsync(long tenantId, long id, string by, string? reason, CancellationToken ct) =>
        ActAsync(tenantId, id, (a, now) => AlarmLifecycle.Clear(a, by, now, now, reason ?? "cleared by hand"), AlarmTransition.Cleared, ct);

    public Task<Alarm?> CommentAsync(long tenantId, long id, string by, string text, CancellationToken ct) =>
        ActAsync(tenantId, id, (a, now) => AlarmLifecycle.Comment(a, by, now, text), null, ct);

    public Task<Alarm?> AssignAsync(long tenantId, long id, string by, string? assignee, CancellationToken ct) =>
        ActAsync(tenantId, id, (a, now) => AlarmLifecycle.Assign(a, by, now, assignee), null, ct);

    private async Task<Alarm?> ActAsync(long tenantId, long id, Func<Alarm, long, (Alarm Alarm, AlarmHistoryEntry Event)> act, AlarmTransition? notify, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var state = await LoadAsync(ct);
            var stored = await alarms.GetAlarmAsync(tenantId, id, ct);
            if (stored is null) return null;
            var key = (stored.RuleId, stored.Subject);
            var holder = state.Open.TryGetValue(key, out var h) && h.Alarm.Id == id ? h : new Holder(stored);
            var batch = new Batch(Now());
            var (alarm, e) = act(holder.Alarm, batch.Now);
            holder.Alarm = alarm;
            batch.Record(holder, e);
            if (!alarm.IsOpen && state.Open.TryGetValue(key, out var o) && o.Alarm.Id == id)
            {
                state.Open.Remove(key);
                if (e.Kind == AlarmEventKind.Cleared)
                {
                    var track = state.Tracks.GetValueOrDefault(key) ?? new AlarmTrack(stored.RuleId, stored.Subject, null, null, false);
                    batch.Tracks[key] = track with { Suppressed = true, PendingSince = null };
                }
            }
            if (notify is { } t && state.Rules.TryGetValue(alarm.RuleId, out var rule))
                batch.Notices.Add((holder, t, rule.Rule.Recipients, $"{Verb(t)} by {e.By}{(e.Text is { } x ? $": {x}" : "")}. {alarm.DetailEn}",
                    $"{e.By} {VerbZh(t)}{(e.Text is { } y ? $"：{y}" : "")}。{alarm.DetailZh}", batch.Now));
            await SaveAsync(batch, ct);
            return holder.Alarm;
        }
        catch (AlarmTransitionException)
        {
            throw;
        }
        catch
        {
            _state = null;
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string Verb(AlarmTransition t) => t == AlarmTransition.Acknowledged ? "Acknowledged" : "Cleared";

    private static string VerbZh(AlarmTransition t) => t == AlarmTransition.Acknowledged ? "已确认" : "已手动解除";
}
