using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Derivation;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Notifications;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Monitor.Alarms;

public sealed partial class AlarmService
{
    /// <summary>A rule's subject resolved against its site: the series to read and the meters behind it.</summary>
    private sealed record Subject(string Key, string Name, string? NameZh, long? MeterId, long? NodeId, string? Carrier,
        IReadOnlyList<long> MeterIds, string Unit, SiteCalendar Calendar);

    private static IEnumerable<string> Affected(AlarmRule rule, SiteModel site, MeterRef meter)
    {
        var s = rule.Subject;
        var m = meter.Definition;
        switch (s.Kind)
        {
            case AlarmSubjectKind.Meter when s.Key == m.Key:
                yield return m.Key;
                break;
            case AlarmSubjectKind.EachMeter when s.Carrier is null || s.Carrier == m.Carrier:
                yield return m.Key;
                break;
            case AlarmSubjectKind.Node or AlarmSubjectKind.Site:
                var node = s.Kind == AlarmSubjectKind.Site ? site.Root : site.Nodes.FirstOrDefault(n => n.Key == s.Key);
                if (node is null || m.Direction != MeterDirection.Import) break;
                if ((s.Carrier is null || s.Carrier == m.Carrier) && site.Counted.Contains((node.Id, meter.Id)))
                    yield return s.Kind == AlarmSubjectKind.Site ? site.Definition.Key : node.Key;
                break;
        }
    }

    private Subject? Resolve(AlarmRule rule, SiteModel site, string key)
    {
        var calendar = catalog.Calendar(site.Definition.TimeZone);
        var s = rule.Subject;
        if (s.Kind is AlarmSubjectKind.Meter or AlarmSubjectKind.EachMeter)
        {
            var meter = site.Meters.FirstOrDefault(m => m.Definition.Key == key);
            if (meter is null) return null;
            var d = meter.Definition;
            return new Subject(d.Key, d.Name, d.NameZh, meter.Id, null, d.Carrier, [meter.Id], d.Unit, calendar);
        }
        var node = s.Kind == AlarmSubjectKind.Site ? site.Root : site.Nodes.FirstOrDefault(n => n.Key == key);
        if (node is null) return null;
        var meters = site.Meters.Where(m => site.Counted.Contains((node.Id, m.Id)) && m.Definition.Direction == MeterDirection.Import
            && (s.Carrier is null || m.Definition.Carrier == s.Carrier)).ToList();
        var unit = meters.FirstOrDefault()?.Definition.Unit ?? "";
        var (name, nameZh) = s.Kind == AlarmSubjectKind.Site ? (site.Definition.Name, site.Definition.NameZh) : (node.Name, node.NameZh);
        return new Subject(key, name, nameZh, null, node.Id, s.Carrier, [.. meters.Select(m => m.Id)], unit, calendar);
    }

    private async Task<SiteModel?> SiteAsync(StoredAlarmRule rule, CancellationToken ct)
    {
        var now = clock.GetTimestamp();
        if (_sites.TryGetValue(rule.SiteId, out var c) && clock.GetElapsedTime(c.At, now) < SiteExpiry) return c.Site;
        var site = await sites.GetSiteAsync(rule.TenantId, rule.SiteKey, ct);
        if (site is not null) _sites[rule.SiteId] = (now, site);
        return site;
    }

    private async Task EvaluateAsync(State state, StoredAlarmRule stored, SiteModel site, string key, long from, long to, Batch batch, CancellationToken ct)
    {
        var rule = stored.Rule;
        var condition = rule.Condition;
        if (condition is NoData) return;
        if (Resolve(rule, site, key) is not { } subject) return;
        var calendar = subject.Calendar;
        var grain = condition.Grain;
        var trackKey = (stored.Id, key);
        var track = batch.Tracks.GetValueOrDefault(trackKey) ?? state.Tracks.GetValueOrDefault(trackKey) ?? new AlarmTrack(stored.Id, key, null, null, false);
        var first = AlarmPeriods.Start(grain, calendar, from);
        var liveFrom = track.Cursor ?? first;
        if (first < liveFrom) await HistoryAsync(state, stored, site, subject, first, Math.Min(to, liveFrom), liveFrom, batch, ct);

        var start = Math.Max(first, liveFrom);
        var end = Math.Min(to, batch.Now);
        // A period in progress is judged only by conditions whose breach cannot be undone by the rest of the period;
        // the others wait for it to end (the clock's tick judges it then if no later data arrives to do so).
        if (!AlarmPeriods.JudgedInProgress(condition))
        {
            var current = AlarmPeriods.Start(grain, calendar, batch.Now);
            if (end > current) _deferred[trackKey] = (current, AlarmPeriods.Next(grain, calendar, current));
            else if (_deferred.TryGetValue(trackKey, out var waiting) && waiting.Start < end && waiting.Start >= start) _deferred.Remove(trackKey);
            end = Math.Min(end, current);
        }
        if (start >= end) return;
        var input = await InputAsync(subject, rule, start - AlarmPeriods.Lookback(condition), end, ct);
        var forMs = rule.ForMinutes * 60_000L;
        state.Open.TryGetValue(trackKey, out var open);
        for (var p = start; p < end; p = AlarmPeriods.Next(grain, calendar, p))
        {
            var pEnd = AlarmPeriods.Next(grain, calendar, p);
            var through = Math.Min(pEnd, batch.Now);
            var verdict = AlarmEvaluator.Evaluate(condition, p, input, rule.ClearRatio);
            var partial = pEnd > batch.Now;
            var (next, action) = AlarmTracker.Step(track, open is not null, verdict.Kind, p, through, partial, forMs);
            // The cursor marks the newest period judged on data: a period without data (readings not here yet) stays
            // live, so the reading that fills it later is judged by the live state machine, not as history.
            var judged = verdict.Kind == VerdictKind.Breach || (!partial && verdict.Kind != VerdictKind.Unknown);
            track = judged ? next with { Cursor = p } : next;
            if (action == TrackAction.Raise)
            {
                open = Raise(stored, subject, track.PendingSince ?? p, through, verdict, historical: false, batch);
                state.Open[trackKey] = open;
            }
            else if (action == TrackAction.Clear && open is not null)
            {
                Clear(stored, open, AlarmLifecycle.System, p, verdict.En, verdict.Zh, batch);
                state.Open.Remove(trackKey);
                open = null;
            }
        }
        batch.Tracks[trackKey] = track;
    }

    /// <summary>
    /// Judges a span before the live cursor with a fresh state machine; see the class remarks. An episode still breaching
    /// at the end of the span is followed forward (up to the cursor) until it clears, so it is recorded whole.
    /// </summary>
    private async Task HistoryAsync(State state, StoredAlarmRule stored, SiteModel site, Subject subject, long from, long to, long cursor, Batch batch, CancellationToken ct)
    {
        var rule = stored.Rule;
        var forMs = rule.ForMinutes * 60_000L;
        var start = AlarmPeriods.Start(rule.Condition.Grain, subject.Calendar, from - forMs);
        var reach = 2 * 24 * 3_600_000L;
        List<(long Start, long Raised, long? End, Verdict Raise, Verdict? Clear)> episodes;
        while (true)
        {
            var until = Math.Min(cursor, to + reach);
            episodes = await EpisodesAsync(stored, subject, start, until, ct);
            if (until >= cursor || episodes.Count == 0 || episodes[^1].End is not null) break;
            reach *= 4;
        }
        // Only episodes that begin in the changed span are this change's business.
        episodes.RemoveAll(e => e.Start >= to);
        if (episodes.Count == 0) return;

        var key = (stored.Id, subject.Key);
        var known = (await alarms.ListAlarmsAsync(stored.TenantId, new AlarmFilter
        {
            RuleId = stored.Id,
            Subject = subject.Key,
            From = episodes.Min(e => e.Start),
            To = episodes.Max(e => e.End ?? to) + 1,
            Limit = 10_000,
        }, ct)).Select(a => (a.StartedAt, a.EndedAt)).ToList();
        known.AddRange(batch.Changes.Select(c => c.Holder.Alarm).Where(a => a.RuleId == stored.Id && a.Subject == subject.Key).Select(a => (a.StartedAt, a.EndedAt)));
        if (state.Open.TryGetValue(key, out var open)) known.Add((open.Alarm.StartedAt, open.Alarm.EndedAt));
        foreach (var e in episodes)
        {
            if (known.Any(k => k.StartedAt < (e.End ?? long.MaxValue) && (k.EndedAt ?? long.MaxValue) > e.Start)) continue;
            if (e.End is null && state.Open.ContainsKey(key)) continue;
            var holder = Raise(stored, subject, e.Start, e.Raised, e.Raise, historical: true, batch);
            if (e.End is { } end) Clear(stored, holder, AlarmLifecycle.System, end, e.Clear!.En, e.Clear.Zh, batch);
            else state.Open[key] = holder;
            known.Add((e.Start, e.End));
        }
    }

    private async Task<List<(long Start, long Raised, long? End, Verdict Raise, Verdict? Clear)>> EpisodesAsync(
        StoredAlarmRule stored, Subject subject, long start, long to, CancellationToken ct)
    {
        var rule = stored.Rule;
        var grain = rule.Condition.Grain;
        var calendar = subject.Calendar;
        var forMs = rule.ForMinutes * 60_000L;
        var input = await InputAsync(subject, rule, start - AlarmPeriods.Lookback(rule.Condition), to, ct);
        var track = new AlarmTrack(stored.Id, subject.Key, null, null, false);
        var episodes = new List<(long Start, long Raised, long? End, Verdict Raise, Verdict? Clear)>();
        (long Start, long Raised, Verdict Raise)? current = null;
        for (var p = start; p < to; p = AlarmPeriods.Next(grain, calendar, p))
        {
            var pEnd = AlarmPeriods.Next(grain, calendar, p);
            var verdict = AlarmEvaluator.Evaluate(rule.Condition, p, input, rule.ClearRatio);
            var (next, action) = AlarmTracker.Step(track, current is not null, verdict.Kind, p, pEnd, false, forMs);
            if (action == TrackAction.Raise) current = (next.PendingSince ?? p, pEnd, verdict);
            else if (action == TrackAction.Clear && current is { } c)
            {
                episodes.Add((c.Start, c.Raised, p, c.Raise, verdict));
                current = null;
            }
            track = next;
        }
        if (current is { } last) episodes.Add((last.Start, last.Raised, null, last.Raise, null));
        return episodes;
    }

    private Holder Raise(StoredAlarmRule stored, Subject subject, long startedAt, long raisedAt, Verdict verdict, bool historical, Batch batch)
    {
        var rule = stored.Rule;
        var who = subject.NameZh is null ? subject.Name : subject.NameZh;
        var alarm = new Alarm
        {
            SiteId = stored.SiteId,
            Site = stored.SiteKey,
            RuleId = stored.Id,
            RuleKey = rule.Key,
            RuleName = rule.Name,
            RuleNameZh = rule.NameZh,
            Subject = subject.Key,
            Severity = rule.Severity,
            StartedAt = startedAt,
            RaisedAt = raisedAt,
            CreatedAt = batch.Now,
            Value = verdict.Value,
            Limit = verdict.Limit,
            Unit = verdict.Unit,
            DetailEn = $"{subject.Name} ({subject.Key}): {verdict.En}",
            DetailZh = $"{who}（{subject.Key}）：{verdict.Zh}",
            Historical = historical,
        };
        var holder = new Holder(alarm);
        batch.Record(holder, new AlarmHistoryEntry(0, batch.Now, AlarmEventKind.Raised, AlarmLifecycle.System,
            historical ? $"from history: {verdict.En}" : verdict.En, historical ? $"历史数据：{verdict.Zh}" : verdict.Zh));
        batch.Notices.Add((holder, AlarmTransition.Raised, rule.Recipients, alarm.DetailEn, alarm.DetailZh, raisedAt));
        return holder;
    }

    private static void Clear(StoredAlarmRule stored, Holder holder, string by, long endedAt, string en, string zh, Batch batch)
    {
        var (alarm, e) = AlarmLifecycle.Clear(holder.Alarm, by, batch.Now, endedAt, en, zh);
        holder.Alarm = alarm;
        batch.Record(holder, e);
        batch.Notices.Add((holder, AlarmTransition.Cleared, stored.Rule.Recipients, $"Cleared: {en}", $"已恢复：{zh}", endedAt));
    }

    private async Task<AlarmInput> InputAsync(Subject subject, AlarmRule rule, long from, long to, CancellationToken ct)
    {
        var leaves = rule.Condition.Leaves().ToList();
        var grain = rule.Condition.Grain switch
        {
            AlarmGrain.Minutes15 => Grain.Minutes15,
            AlarmGrain.Hour => Grain.Hour,
            _ => Grain.Day,
        };
        var periods = new List<PeriodSample>();
        if (leaves.Any(l => l is ConsumptionAbove or ChangeRateAbove or ValueOutOfRange or CompletenessBelow))
        {
            if (subject.MeterId is { } meterId)
            {
                foreach (var r in await series.MeterSeriesAsync(new MeterId(meterId), grain, new Instant(from), new Instant(to), ct))
                    periods.Add(new PeriodSample(r.Ts, r.Value, r.Min, r.Max, r.CoveredMs, 1));
            }
            else if (subject.NodeId is { } nodeId)
            {
                foreach (var r in await series.NodeTotalsAsync([nodeId], grain, new Instant(from), new Instant(to), ct))
                {
                    if (r.Carrier == subject.Carrier && r.Direction == MeterDirection.Import)
                        periods.Add(new PeriodSample(r.Ts, r.Value, null, null, r.CoveredMs, r.Meters));
                }
            }
        }
        var findings = new List<MeterFinding>();
        if (leaves.Any(l => l is CounterAnomaly))
        {
            foreach (var id in subject.MeterIds)
                findings.AddRange((await series.FindingsAsync(new MeterId(id), new Instant(from), new Instant(to), ct)).Select(f => new MeterFinding(f.Ts, f.Kind, f.Detail)));
        }
        var dayTotals = new Dictionary<long, IReadOnlyDictionary<string, double>>();
        var units = new Dictionary<string, string>();
        if (leaves.Any(l => l is UnitEnergyAbove) && subject.NodeId is { } node)
        {
            foreach (var g in (await series.NodeTotalsAsync([node], Grain.Day, new Instant(from), new Instant(to), ct)).Where(r => r.Direction == MeterDirection.Import).GroupBy(r => r.Ts))
                dayTotals[g.Key] = g.GroupBy(r => r.Carrier).ToDictionary(c => c.Key, c => c.Sum(r => r.Value ?? 0));
            var meters = await catalog.FindAsync(subject.MeterIds.FirstOrDefault(), ct);
            if (meters is not null && _sites.TryGetValue(meters.SiteId, out var site))
            {
                foreach (var m in site.Site.Meters) units.TryAdd(m.Definition.Carrier, m.Definition.Unit);
            }
        }
        return new AlarmInput(subject.Calendar, subject.Unit, subject.MeterIds.Count, periods)
        {
            Findings = findings,
            DayTotals = dayTotals,
            CarrierUnits = units,
        };
    }

    private async Task NoDataAsync(State state, Batch batch, CancellationToken ct)
    {
        var lastBySite = new Dictionary<long, IReadOnlyDictionary<long, long>>();
        foreach (var stored in state.Rules.Values.Where(r => r.Rule.Enabled && r.Rule.Condition is NoData))
        {
            var rule = stored.Rule;
            var minutes = ((NoData)rule.Condition).Minutes;
            var site = await SiteAsync(stored, ct);
            if (site is null) continue;
            if (!lastBySite.TryGetValue(site.Id, out var last)) lastBySite[site.Id] = last = await series.LastReadingsAsync(site.Id, ct);
            IEnumerable<string> keys = rule.Subject.Kind switch
            {
                AlarmSubjectKind.Meter => [rule.Subject.Key!],
                AlarmSubjectKind.EachMeter => site.Meters.Where(m => rule.Subject.Carrier is null || m.Definition.Carrier == rule.Subject.Carrier).Select(m => m.Definition.Key),
                AlarmSubjectKind.Site => [site.Definition.Key],
                _ => [rule.Subject.Key!],
            };
            foreach (var key in keys)
            {
                if (Resolve(rule, site, key) is not { } subject || subject.MeterIds.Count == 0) continue;
                long? lastTs = subject.MeterIds.Where(last.ContainsKey).Select(id => last[id]).DefaultIfEmpty(long.MinValue).Max() is var l && l != long.MinValue ? l : null;
                var silentSince = Math.Max(lastTs ?? long.MinValue, Math.Max(state.WatchStart, stored.UpdatedAt));
                var silent = batch.Now - silentSince >= minutes * 60_000L;
                var since = lastTs is { } t ? subject.Calendar.ToLocal(t).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "never";
                var sinceZh = lastTs is null ? "从未收到" : since;
                var verdict = silent
                    ? new Verdict(VerdictKind.Breach, $"no reading since {since} (limit {minutes} min)", $"自 {sinceZh} 起无数据（阈值 {minutes} 分钟）", minutes, minutes, "min")
                    : new Verdict(VerdictKind.Clear, $"readings again, last at {since}", $"数据已恢复，最近一条 {sinceZh}");
                var trackKey = (stored.Id, key);
                var track = state.Tracks.GetValueOrDefault(trackKey) ?? new AlarmTrack(stored.Id, key, null, null, false);
                state.Open.TryGetValue(trackKey, out var open);
                var (next, action) = AlarmTracker.Step(track, open is not null, verdict.Kind, silentSince, batch.Now, false, 0);
                if (next != track) batch.Tracks[trackKey] = next;
                if (action == TrackAction.Raise) state.Open[trackKey] = Raise(stored, subject, lastTs ?? silentSince, batch.Now, verdict, historical: false, batch);
                else if (action == TrackAction.Clear && open is not null)
                {
                    Clear(stored, open, AlarmLifecycle.System, lastTs ?? batch.Now, verdict.En, verdict.Zh, batch);
                    state.Open.Remove(trackKey);
                }
            }
        }
    }
}
