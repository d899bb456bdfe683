using System.Threading.Channels;
using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Time;
using GreenLoop.Notifications;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Monitor.Derivation;
using GreenLoop.Pipeline.Monitor.Live;
using GreenLoop.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GreenLoop.Pipeline.Monitor.Alarms;

/// <summary>
/// The alarm engine. Evaluates the rules a derived change touches (<see cref="EvaluateChangesAsync"/>, fed by
/// <see cref="DerivedChangeFeed"/>), and on a clock tick the no-data rules and escalations (<see cref="TickAsync"/>);
/// serves the rule and alarm actions of the API. Everything runs one at a time under one gate, so the evaluator and a
/// person acknowledging or clearing never race.
/// <para>
/// Live and history: each (rule, subject) has a cursor, the last period judged live. Periods from the cursor on run
/// through the persisted duration state machine (<see cref="AlarmTracker"/>). A change before the cursor (a back-fill
/// posted newest day first, a gateway's late batch) is judged as history: a fresh state machine over that span, whose
/// episodes become alarms unless an alarm of the same rule and subject already covers them; episodes that ended are
/// recorded cleared, and history is never sent to people.
/// </para>
/// Data comes from the derived store only: buckets, roll-ups, node totals and findings.
/// </summary>
public sealed partial class AlarmService(
    ISiteCatalog sites, IAlarmCatalog alarms, ISeriesQueries series, MeterCatalog catalog, IAlarmNotifier notifier, IOptions<AlarmOptions> options, TimeProvider clock,
    ILogger<AlarmService> logger, LiveUpdates? live = null)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Channel<(long TenantId, NotificationMessage Message, IReadOnlyList<string> To)> _outbox =
        Channel.CreateUnbounded<(long, NotificationMessage, IReadOnlyList<string>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<long, (long At, SiteModel Site)> _sites = [];
    private State? _state;
    // Periods with data that were still in progress when judged, of rules that wait for a period to end: the tick
    // judges each once it has ended, in case no later reading arrives to do it.
    private readonly Dictionary<(long Rule, string Subject), (long Start, long End)> _deferred = [];

    private static readonly TimeSpan SiteExpiry = TimeSpan.FromSeconds(5);

    /// <summary>Raised after every committed alarm change (benchmarks and tests observe raises through it).</summary>
    public event Action<Alarm, AlarmTransition>? Changed;

    private sealed class State
    {
        public required Dictionary<long, StoredAlarmRule> Rules { get; init; }
        public required Dictionary<(long Rule, string Subject), AlarmTrack> Tracks { get; init; }
        public required Dictionary<(long Rule, string Subject), Holder> Open { get; init; }
        public required long WatchStart { get; init; }

        public IEnumerable<StoredAlarmRule> OfSite(long siteId) => Rules.Values.Where(r => r.SiteId == siteId && r.Rule.Enabled);
    }

    /// <summary>An alarm as this process knows it; replaced in place when a save gives it its id.</summary>
    private sealed class Holder(Alarm alarm)
    {
        public Alarm Alarm { get; set; } = alarm;
    }

    /// <summary>What one round of evaluation or one action changed, saved in one transaction.</summary>
    private sealed class Batch(long now)
    {
        public long Now { get; } = now;
        public Dictionary<(long, string), AlarmTrack> Tracks { get; } = [];
        public List<(Holder Holder, List<AlarmHistoryEntry> Events)> Changes { get; } = [];
        public List<(Holder Holder, AlarmTransition Transition, IReadOnlyList<string> To, string En, string Zh, long DataAt)> Notices { get; } = [];

        public void Record(Holder h, AlarmHistoryEntry e)
        {
            var i = Changes.FindIndex(c => ReferenceEquals(c.Holder, h));
            if (i < 0) Changes.Add((h, [e]));
            else Changes[i].Events.Add(e);
        }
    }

    /// <summary>Evaluates what derivation changed; called by the alarm worker with everything queued since its last round.</summary>
    public async Task EvaluateChangesAsync(IReadOnlyList<DerivedMeterChange> changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0) return;
        await _gate.WaitAsync(ct);
        try
        {
            var state = await LoadAsync(ct);
            var batch = new Batch(Now());
            // Merge per meter first: a back-fill queues many spans of one meter.
            var byMeter = changes.GroupBy(c => c.Meter.Id).Select(g => (Meter: g.First().Meter, From: g.Min(c => c.From.UnixMs), To: g.Max(c => c.To.UnixMs)));
            var work = new Dictionary<(long Rule, string Subject), (long From, long To)>();
            var ruleSites = new Dictionary<long, SiteModel>();
            foreach (var (meter, from, to) in byMeter)
            {
                var rules = state.OfSite(meter.SiteId).ToList();
                if (rules.Count == 0) continue;
                var site = await SiteAsync(rules[0], ct);
                if (site is null) continue;
                foreach (var rule in rules)
                {
                    ruleSites[rule.Id] = site;
                    foreach (var subject in Affected(rule.Rule, site, meter))
                    {
                        var key = (rule.Id, subject);
                        var until = to + AlarmPeriods.Lookahead(rule.Rule.Condition);
                        work[key] = work.TryGetValue(key, out var r) ? (Math.Min(r.From, from), Math.Max(r.To, until)) : (from, until);
                    }
                }
            }
            foreach (var ((ruleId, subject), (from, to)) in work)
                await EvaluateAsync(state, state.Rules[ruleId], ruleSites[ruleId], subject, from, to, batch, ct);
            await SaveAsync(batch, ct);
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

    /// <summary>
    /// Judges a site's rules over [from, to) as if derivation had just rewritten it (the demo does this once after its
    /// back-fill; harmless when the feed has judged it already: alarms that exist are not raised again).
    /// </summary>
    public async Task EvaluateSiteAsync(long tenantId, string siteKey, long from, long to, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return;
        await EvaluateChangesAsync(site.Meters.Select(m => new DerivedMeterChange(m, new Instant(from), new Instant(to))).ToList(), ct);
    }

    /// <summary>The clock's part: no-data rules and escalation of unacknowledged alarms.</summary>
    public async Task TickAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var state = await LoadAsync(ct);
            var batch = new Batch(Now());
            await NoDataAsync(state, batch, ct);
            await DeferredAsync(state, batch, ct);
            foreach (var (key, holder) in state.Open)
            {
                if (!state.Rules.TryGetValue(key.Rule, out var rule)) continue;
                if (AlarmLifecycle.EscalateIfDue(holder.Alarm, rule.Rule.Escalation, batch.Now) is not { } esc) continue;
                holder.Alarm = esc.Alarm;
                batch.Record(holder, esc.Event);
                batch.Notices.Add((holder, AlarmTransition.Escalated, rule.Rule.Escalation!.Recipients,
                    $"Unacknowledged for {rule.Rule.Escalation.AfterMinutes} min. {holder.Alarm.DetailEn}",
                    $"已 {rule.Rule.Escalation.AfterMinutes} 分钟无人确认。{holder.Alarm.DetailZh}", batch.Now));
            }
            await SaveAsync(batch, ct);
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

    /// <summary>Judges the deferred periods that have ended since (see <see cref="_deferred"/>).</summary>
    private async Task DeferredAsync(State state, Batch batch, CancellationToken ct)
    {
        var due = _deferred.Where(d => d.Value.End <= batch.Now).ToList();
        foreach (var ((ruleId, subject), (start, end)) in due)
        {
            _deferred.Remove((ruleId, subject));
            if (!state.Rules.TryGetValue(ruleId, out var rule) || !rule.Rule.Enabled) continue;
            if (await SiteAsync(rule, ct) is not { } site) continue;
            await EvaluateAsync(state, rule, site, subject, start, end, batch, ct);
        }
    }

    /// <summary>Sends every queued notification (the worker runs this continuously; tests call it to flush).</summary>
    public async Task DeliverQueuedAsync(CancellationToken ct)
    {
        while (_outbox.Reader.TryRead(out var item))
        {
            try
            {
                await notifier.NotifyAsync(item.TenantId, item.Message, item.To, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogNotifyFailed(ex, item.Message.AlarmId);
            }
        }
    }

    /// <summary>Waits until a notification is queued.</summary>
    public ValueTask<bool> WaitForNotificationsAsync(CancellationToken ct) => _outbox.Reader.WaitToReadAsync(ct);

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<State> LoadAsync(CancellationToken ct)
    {
        if (_state is { } s) return s;
        var rules = await alarms.AlarmRulesAsync(null, ct);
        var tracks = await alarms.AlarmTracksAsync(ct);
        var open = await alarms.OpenAlarmsAsync(ct);
        _state = new State
        {
            Rules = rules.ToDictionary(r => r.Id),
            Tracks = tracks.ToDictionary(t => (t.RuleId, t.Subject)),
            Open = open.ToDictionary(a => (a.RuleId, a.Subject), a => new Holder(a)),
            WatchStart = _watchStart ??= Now(),
        };
        return _state;
    }

    // When this process began watching: silence before it is not counted against a meter (see NoData).
    private long? _watchStart;

    private async Task SaveAsync(Batch batch, CancellationToken ct)
    {
        if (batch.Tracks.Count == 0 && batch.Changes.Count == 0) return;
        var saved = await alarms.SaveAlarmWorkAsync(new AlarmWork(
            [.. batch.Tracks.Values], [.. batch.Changes.Select(c => new AlarmChange(c.Holder.Alarm, c.Events))]), ct);
        for (var i = 0; i < saved.Count; i++) batch.Changes[i].Holder.Alarm = saved[i];
        if (_state is { } st) foreach (var t in batch.Tracks.Values) st.Tracks[(t.RuleId, t.Subject)] = t;

        var maxAge = options.Value.NotifyMaxAgeMinutes * 60_000L;
        foreach (var (holder, events) in batch.Changes)
        {
            var a = holder.Alarm;
            foreach (var e in events)
            {
                var transition = e.Kind switch
                {
                    AlarmEventKind.Raised => AlarmTransition.Raised,
                    AlarmEventKind.Cleared => AlarmTransition.Cleared,
                    AlarmEventKind.Acknowledged => AlarmTransition.Acknowledged,
                    AlarmEventKind.Escalated => AlarmTransition.Escalated,
                    _ => (AlarmTransition?)null,
                };
                if (transition is not { } t) continue;
                if (t == AlarmTransition.Raised) LogRaised(a.Id, a.RuleKey, a.Subject, a.Severity, a.DetailEn);
                else LogTransition(a.Id, t, e.By);
                Changed?.Invoke(a, t);
                if (live is not null && _state?.Rules.GetValueOrDefault(a.RuleId) is { } rule)
                    live.PublishAlarm(rule.TenantId, a.Site, a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        AlarmMessages.StateKey(a.State), AlarmMessages.SeverityKey(a.Severity), AlarmMessages.TitleEn(a), AlarmMessages.TitleZh(a));
            }
        }
        foreach (var n in batch.Notices)
        {
            if (n.To.Count == 0 || n.Holder.Alarm.Historical || batch.Now - n.DataAt > maxAge) continue;
            // The recipients are channel keys of the rule's tenant; every notice comes from a rule this round holds.
            if (_state?.Rules.GetValueOrDefault(n.Holder.Alarm.RuleId) is not { } noticeRule) continue;
            var site = await SiteAsync(noticeRule, ct) is { } s
                ? new AlarmMessages.SiteView(s.Definition.Key, s.Definition.Name, s.Definition.NameZh, catalog.Calendar(s.Definition.TimeZone))
                : new AlarmMessages.SiteView(noticeRule.SiteKey, noticeRule.SiteKey, null, catalog.Calendar("Etc/UTC"));
            _outbox.Writer.TryWrite((noticeRule.TenantId, AlarmMessages.Build(n.Holder.Alarm, n.Transition, n.En, n.Zh, site), n.To));
        }
    }
}
