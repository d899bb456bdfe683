using System.Text.Json;
using GreenLoop.Domain.Alarms;
using Npgsql;

namespace GreenLoop.Storage.Postgres;

public sealed partial class PostgresStore
{
    private const string RuleColumns = "r.id, s.tenant_id, r.site_id, s.key, r.definition, r.updated_at";

    public Task<IReadOnlyList<StoredAlarmRule>> AlarmRulesAsync(long? siteId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<StoredAlarmRule>>(async c => await ReadAllAsync(c, null,
            $"SELECT {RuleColumns} FROM alarm_rule r JOIN site s ON s.id = r.site_id WHERE @s::bigint IS NULL OR r.site_id = @s ORDER BY r.site_id, r.key COLLATE \"C\";",
            ReadRule, ct, ("s", siteId)), ct);

    public Task<StoredAlarmRule> SaveAlarmRuleAsync(long siteId, AlarmRule rule, long now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return WriteAsync(async (c, tx) =>
        {
            await ExecAsync(c, tx, """
                INSERT INTO alarm_rule(site_id, key, definition, updated_at) VALUES(@s, @k, @d, @u)
                ON CONFLICT(site_id, key) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at;
                """, ct, ("s", siteId), ("k", rule.Key), ("d", JsonSerializer.Serialize(rule, Json)), ("u", now));
            return (await ReadAllAsync(c, tx, $"SELECT {RuleColumns} FROM alarm_rule r JOIN site s ON s.id = r.site_id WHERE r.site_id = @s AND r.key = @k;",
                ReadRule, ct, ("s", siteId), ("k", rule.Key)))[0];
        }, ct);
    }

    public Task<bool> DeleteAlarmRuleAsync(long siteId, string key, CancellationToken ct) =>
        WriteAsync(async (c, tx) =>
        {
            if (await ScalarAsync(c, tx, "SELECT id FROM alarm_rule WHERE site_id = @s AND key = @k;", ct, ("s", siteId), ("k", key)) is not long id) return false;
            await ExecAsync(c, tx, "DELETE FROM alarm_track WHERE rule_id = @r; DELETE FROM alarm_rule WHERE id = @r;", ct, ("r", id));
            return true;
        }, ct);

    public Task<IReadOnlyList<AlarmTrack>> AlarmTracksAsync(CancellationToken ct) =>
        ReadAsync<IReadOnlyList<AlarmTrack>>(async c => await ReadAllAsync(c, null,
            "SELECT rule_id, subject, pending_since, cursor, suppressed FROM alarm_track ORDER BY rule_id, subject COLLATE \"C\";",
            r => new AlarmTrack(r.GetInt64(0), r.GetString(1), NullableLong(r, 2), NullableLong(r, 3), r.GetBoolean(4)), ct), ct);

    public Task<IReadOnlyList<Alarm>> SaveAlarmWorkAsync(AlarmWork work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        return WriteAsync<IReadOnlyList<Alarm>>(async (c, tx) =>
        {
            // One row per rule and subject (the last one wins, as when the SQLite store writes them one by one).
            var tracks = work.Tracks.GroupBy(t => (t.RuleId, t.Subject)).Select(g => g.Last()).ToList();
            if (tracks.Count > 0)
            {
                await ExecAsync(c, tx, """
                    INSERT INTO alarm_track(rule_id, subject, pending_since, cursor, suppressed)
                    SELECT r, s, p, c, x FROM unnest(@r::bigint[], @s::text[], @p::bigint[], @c::bigint[], @x::boolean[]) WITH ORDINALITY AS t(r, s, p, c, x, n)
                    ORDER BY n
                    ON CONFLICT(rule_id, subject) DO UPDATE SET pending_since = excluded.pending_since, cursor = excluded.cursor, suppressed = excluded.suppressed;
                    """, ct,
                    ("r", tracks.Select(t => t.RuleId).ToArray()), ("s", tracks.Select(t => t.Subject).ToArray()),
                    ("p", tracks.Select(t => t.PendingSince).ToArray()), ("c", tracks.Select(t => t.Cursor).ToArray()),
                    ("x", tracks.Select(t => t.Suppressed).ToArray()));
            }
            var saved = new List<Alarm>(work.Changes.Count);
            foreach (var (alarm, events) in work.Changes)
            {
                var a = alarm;
                if (a.Id == 0)
                {
                    var id = (long)(await ScalarAsync(c, tx, "SELECT nextval(pg_get_serial_sequence('alarm', 'id'));", ct))!;
                    a = a with { Id = id };
                    await ExecAsync(c, tx, """
                        INSERT INTO alarm(id, site_id, rule_id, subject, state, severity, started_at, ended_at, body) VALUES(@id, @si, @r, @s, @st, @sv, @sa, @ea, @b);
                        """, ct, AlarmArgs(a, ("si", a.SiteId), ("r", a.RuleId), ("s", a.Subject)));
                }
                else
                {
                    await ExecAsync(c, tx, "UPDATE alarm SET state = @st, severity = @sv, started_at = @sa, ended_at = @ea, body = @b WHERE id = @id;", ct, AlarmArgs(a));
                }
                foreach (var e in events)
                {
                    await ExecAsync(c, tx, "INSERT INTO alarm_event(alarm_id, at, kind, by, text) VALUES(@a, @at, @k, @b, @t);", ct,
                        ("a", a.Id), ("at", e.At), ("k", e.Kind.ToString()), ("b", e.By), ("t", e.Text));
                }
                saved.Add(a);
            }
            return saved;
        }, ct);
    }

    private static (string, object?)[] AlarmArgs(Alarm a, params (string, object?)[] more) =>
    [
        ("id", a.Id), ("st", StateName(a.State)), ("sv", SeverityName(a.Severity)), ("sa", a.StartedAt), ("ea", a.EndedAt),
        ("b", JsonSerializer.Serialize(a, Json)), .. more,
    ];

    public Task<Alarm?> GetAlarmAsync(long tenantId, long id, CancellationToken ct) =>
        ReadAsync(async c => (await ReadAllAsync(c, null, "SELECT a.body FROM alarm a JOIN site s ON s.id = a.site_id WHERE a.id = @id AND s.tenant_id = @t;",
            ReadAlarm, ct, ("id", id), ("t", tenantId))).FirstOrDefault(), ct);

    public Task<IReadOnlyList<Alarm>> ListAlarmsAsync(long tenantId, AlarmFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var where = new List<string> { "s.tenant_id = @t" };
        var args = new List<(string, object?)> { ("t", tenantId) };
        if (filter.States is { Count: > 0 } states) { where.Add("a.state = ANY(@states)"); args.Add(("states", states.Select(StateName).ToArray())); }
        if (filter.Severities is { Count: > 0 } sev) { where.Add("a.severity = ANY(@sev)"); args.Add(("sev", sev.Select(SeverityName).ToArray())); }
        if (filter.SiteId is { } site) { where.Add("a.site_id = @si"); args.Add(("si", site)); }
        if (filter.RuleId is { } rule) { where.Add("a.rule_id = @r"); args.Add(("r", rule)); }
        if (filter.Subject is { } subject) { where.Add("a.subject = @su"); args.Add(("su", subject)); }
        if (filter.To is { } to) { where.Add("a.started_at < @to"); args.Add(("to", to)); }
        if (filter.From is { } from) { where.Add("(a.ended_at IS NULL OR a.ended_at > @from)"); args.Add(("from", from)); }
        args.Add(("l", Math.Clamp(filter.Limit, 1, 10_000)));
        return ReadAsync<IReadOnlyList<Alarm>>(async c => await ReadAllAsync(c, null,
            $"SELECT a.body FROM alarm a JOIN site s ON s.id = a.site_id WHERE {string.Join(" AND ", where)} ORDER BY a.started_at DESC, a.id DESC LIMIT @l;",
            ReadAlarm, ct, [.. args]), ct);
    }

    public Task<IReadOnlyList<Alarm>> OpenAlarmsAsync(CancellationToken ct) =>
        ReadAsync<IReadOnlyList<Alarm>>(async c => await ReadAllAsync(c, null,
            "SELECT body FROM alarm WHERE state IN ('active', 'acknowledged') ORDER BY id;", ReadAlarm, ct), ct);

    public Task<IReadOnlyList<AlarmHistoryEntry>> AlarmHistoryAsync(long alarmId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<AlarmHistoryEntry>>(async c => await ReadAllAsync(c, null,
            "SELECT alarm_id, at, kind, by, text FROM alarm_event WHERE alarm_id = @a ORDER BY id;",
            r => new AlarmHistoryEntry(r.GetInt64(0), r.GetInt64(1), Enum.Parse<AlarmEventKind>(r.GetString(2)), r.GetString(3), NullableString(r, 4)), ct,
            ("a", alarmId)), ct);

    private static StoredAlarmRule ReadRule(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3), JsonSerializer.Deserialize<AlarmRule>(r.GetString(4), Json)!, r.GetInt64(5));

    private static Alarm ReadAlarm(NpgsqlDataReader r) => JsonSerializer.Deserialize<Alarm>(r.GetString(0), Json)!;

    private static string StateName(AlarmState s) => s switch
    {
        AlarmState.Active => "active",
        AlarmState.Acknowledged => "acknowledged",
        AlarmState.ClearedUnack => "clearedUnack",
        _ => "cleared",
    };

    private static string SeverityName(AlarmSeverity s) => s.ToString().ToLowerInvariant();
}
