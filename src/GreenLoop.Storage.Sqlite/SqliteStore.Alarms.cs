using System.Text.Json;
using GreenLoop.Domain.Alarms;
using Microsoft.Data.Sqlite;

namespace GreenLoop.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private const string RuleColumns = "r.id, s.tenant_id, r.site_id, s.key, r.definition, r.updated_at";

    public Task<IReadOnlyList<StoredAlarmRule>> AlarmRulesAsync(long? siteId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredAlarmRule>>(c => ReadAll(c, null,
            $"SELECT {RuleColumns} FROM alarm_rule r JOIN site s ON s.id = r.site_id WHERE $s IS NULL OR r.site_id = $s ORDER BY r.site_id, r.key;",
            ReadRule, ("$s", siteId)), ct);

    public Task<StoredAlarmRule> SaveAlarmRuleAsync(long siteId, AlarmRule rule, long now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return WriteAsync((c, tx) =>
        {
            Exec(c, tx, """
                INSERT INTO alarm_rule(site_id, key, definition, updated_at) VALUES($s, $k, $d, $u)
                ON CONFLICT(site_id, key) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at;
                """, ("$s", siteId), ("$k", rule.Key), ("$d", JsonSerializer.Serialize(rule, Json)), ("$u", now));
            return ReadAll(c, tx, $"SELECT {RuleColumns} FROM alarm_rule r JOIN site s ON s.id = r.site_id WHERE r.site_id = $s AND r.key = $k;",
                ReadRule, ("$s", siteId), ("$k", rule.Key))[0];
        }, ct);
    }

    public Task<bool> DeleteAlarmRuleAsync(long siteId, string key, CancellationToken ct) =>
        WriteAsync((c, tx) =>
        {
            if (Scalar(c, "SELECT id FROM alarm_rule WHERE site_id = $s AND key = $k;", tx, ("$s", siteId), ("$k", key)) is not long id) return false;
            Exec(c, tx, "DELETE FROM alarm_track WHERE rule_id = $r;", ("$r", id));
            Exec(c, tx, "DELETE FROM alarm_rule WHERE id = $r;", ("$r", id));
            return true;
        }, ct);

    public Task<IReadOnlyList<AlarmTrack>> AlarmTracksAsync(CancellationToken ct) =>
        ReadAsync<IReadOnlyList<AlarmTrack>>(c => ReadAll(c, null, "SELECT rule_id, subject, pending_since, cursor, suppressed FROM alarm_track;",
            r => new AlarmTrack(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetInt64(2), r.IsDBNull(3) ? null : r.GetInt64(3), r.GetInt64(4) != 0)), ct);

    public Task<IReadOnlyList<Alarm>> SaveAlarmWorkAsync(AlarmWork work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        return WriteAsync<IReadOnlyList<Alarm>>((c, tx) =>
        {
            using var track = Command(c, """
                INSERT INTO alarm_track(rule_id, subject, pending_since, cursor, suppressed) VALUES($r, $s, $p, $c, $x)
                ON CONFLICT(rule_id, subject) DO UPDATE SET pending_since = excluded.pending_since, cursor = excluded.cursor, suppressed = excluded.suppressed;
                """, tx, ("$r", 0L), ("$s", ""), ("$p", null), ("$c", null), ("$x", 0L));
            foreach (var t in work.Tracks)
            {
                track.Parameters["$r"].Value = t.RuleId;
                track.Parameters["$s"].Value = t.Subject;
                track.Parameters["$p"].Value = (object?)t.PendingSince ?? DBNull.Value;
                track.Parameters["$c"].Value = (object?)t.Cursor ?? DBNull.Value;
                track.Parameters["$x"].Value = t.Suppressed ? 1L : 0L;
                track.ExecuteNonQuery();
            }
            var saved = new List<Alarm>(work.Changes.Count);
            foreach (var (alarm, events) in work.Changes)
            {
                var a = alarm;
                if (a.Id == 0)
                {
                    var id = (long)Scalar(c, "INSERT INTO alarm(site_id, rule_id, subject, state, severity, started_at, ended_at, body) VALUES($si, $r, $s, '', '', 0, NULL, '{}') RETURNING id;", tx,
                        ("$si", a.SiteId), ("$r", a.RuleId), ("$s", a.Subject))!;
                    a = a with { Id = id };
                }
                Exec(c, tx, "UPDATE alarm SET state = $st, severity = $sv, started_at = $sa, ended_at = $ea, body = $b WHERE id = $id;",
                    ("$st", StateName(a.State)), ("$sv", SeverityName(a.Severity)), ("$sa", a.StartedAt), ("$ea", a.EndedAt),
                    ("$b", JsonSerializer.Serialize(a, Json)), ("$id", a.Id));
                foreach (var e in events)
                {
                    Exec(c, tx, "INSERT INTO alarm_event(alarm_id, at, kind, by, text) VALUES($a, $at, $k, $b, $t);",
                        ("$a", a.Id), ("$at", e.At), ("$k", e.Kind.ToString()), ("$b", e.By), ("$t", e.Text));
                }
                saved.Add(a);
            }
            return saved;
        }, ct);
    }

    public Task<Alarm?> GetAlarmAsync(long tenantId, long id, CancellationToken ct) =>
        ReadAsync(c => ReadAll(c, null, "SELECT a.body FROM alarm a JOIN site s ON s.id = a.site_id WHERE a.id = $id AND s.tenant_id = $t;",
            ReadAlarm, ("$id", id), ("$t", tenantId)).FirstOrDefault(), ct);

    public Task<IReadOnlyList<Alarm>> ListAlarmsAsync(long tenantId, AlarmFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var where = new List<string> { "s.tenant_id = $t" };
        var args = new List<(string, object?)> { ("$t", tenantId) };
        if (filter.States is { Count: > 0 } states) where.Add($"a.state IN ({string.Join(", ", states.Select(st => $"'{StateName(st)}'"))})");
        if (filter.Severities is { Count: > 0 } sev) where.Add($"a.severity IN ({string.Join(", ", sev.Select(v => $"'{SeverityName(v)}'"))})");
        if (filter.SiteId is { } site) { where.Add("a.site_id = $si"); args.Add(("$si", site)); }
        if (filter.RuleId is { } rule) { where.Add("a.rule_id = $r"); args.Add(("$r", rule)); }
        if (filter.Subject is { } subject) { where.Add("a.subject = $su"); args.Add(("$su", subject)); }
        if (filter.To is { } to) { where.Add("a.started_at < $to"); args.Add(("$to", to)); }
        if (filter.From is { } from) { where.Add("(a.ended_at IS NULL OR a.ended_at > $from)"); args.Add(("$from", from)); }
        args.Add(("$l", Math.Clamp(filter.Limit, 1, 10_000)));
        return ReadAsync<IReadOnlyList<Alarm>>(c => ReadAll(c, null,
            $"SELECT a.body FROM alarm a JOIN site s ON s.id = a.site_id WHERE {string.Join(" AND ", where)} ORDER BY a.started_at DESC, a.id DESC LIMIT $l;",
            ReadAlarm, [.. args]), ct);
    }

    public Task<IReadOnlyList<Alarm>> OpenAlarmsAsync(CancellationToken ct) =>
        ReadAsync<IReadOnlyList<Alarm>>(c => ReadAll(c, null, "SELECT body FROM alarm WHERE state IN ('active', 'acknowledged') ORDER BY id;", ReadAlarm), ct);

    public Task<IReadOnlyList<AlarmHistoryEntry>> AlarmHistoryAsync(long alarmId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<AlarmHistoryEntry>>(c => ReadAll(c, null, "SELECT alarm_id, at, kind, by, text FROM alarm_event WHERE alarm_id = $a ORDER BY id;",
            r => new AlarmHistoryEntry(r.GetInt64(0), r.GetInt64(1), Enum.Parse<AlarmEventKind>(r.GetString(2)), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)),
            ("$a", alarmId)), ct);

    private static StoredAlarmRule ReadRule(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3), JsonSerializer.Deserialize<AlarmRule>(r.GetString(4), Json)!, r.GetInt64(5));

    private static Alarm ReadAlarm(SqliteDataReader r) => JsonSerializer.Deserialize<Alarm>(r.GetString(0), Json)!;

    private static void Exec(SqliteConnection c, SqliteTransaction tx, string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(c, sql, tx, args);
        cmd.ExecuteNonQuery();
    }

    private static string StateName(AlarmState s) => s switch
    {
        AlarmState.Active => "active",
        AlarmState.Acknowledged => "acknowledged",
        AlarmState.ClearedUnack => "clearedUnack",
        _ => "cleared",
    };

    private static string SeverityName(AlarmSeverity s) => s.ToString().ToLowerInvariant();
}
