using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;

namespace GreenLoop.Storage;

/// <summary>Alarm rules, their evaluation state, alarms and their history.</summary>
public interface IAlarmCatalog
{
    /// <summary>Rules of one site, or of every site when <paramref name="siteId"/> is null (the evaluator serves all tenants).</summary>
    Task<IReadOnlyList<StoredAlarmRule>> AlarmRulesAsync(long? siteId, CancellationToken ct);

    /// <summary>Creates or replaces the site's rule with the same key.</summary>
    Task<StoredAlarmRule> SaveAlarmRuleAsync(long siteId, AlarmRule rule, long now, CancellationToken ct);

    /// <summary>Deletes a rule and its evaluation state (its alarms stay, with their history); false if there is none.</summary>
    Task<bool> DeleteAlarmRuleAsync(long siteId, string key, CancellationToken ct);

    Task<IReadOnlyList<AlarmTrack>> AlarmTracksAsync(CancellationToken ct);

    /// <summary>Writes tracks, new and changed alarms and their history in one transaction; returns the alarms with their ids.</summary>
    Task<IReadOnlyList<Alarm>> SaveAlarmWorkAsync(AlarmWork work, CancellationToken ct);

    Task<Alarm?> GetAlarmAsync(long tenantId, long id, CancellationToken ct);

    /// <summary>Alarms of a tenant, newest first.</summary>
    Task<IReadOnlyList<Alarm>> ListAlarmsAsync(long tenantId, AlarmFilter filter, CancellationToken ct);

    /// <summary>Active and acknowledged alarms of every tenant.</summary>
    Task<IReadOnlyList<Alarm>> OpenAlarmsAsync(CancellationToken ct);

    Task<IReadOnlyList<AlarmHistoryEntry>> AlarmHistoryAsync(long alarmId, CancellationToken ct);
}
