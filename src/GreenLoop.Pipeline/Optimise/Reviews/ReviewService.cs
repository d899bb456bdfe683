using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Optimise;
using GreenLoop.Pipeline.Monitor.Alarms;
using GreenLoop.Pipeline.Optimise.Kpis;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Pipeline.Optimise.Reviews;

/// <summary>The cause analysis of one KPI at a review.</summary>
public sealed record ReviewFinding(string Kpi, string Analysis);

/// <summary>
/// What a PDCA review records: title, meeting date, the period it reviews, cycle, attendees, the findings per KPI, the
/// decisions, and notes (new regulations and techniques taken in, holes in the management plan).
/// </summary>
public sealed record ReviewBody
{
    public string Title { get; init; } = "";
    public string MeetingDate { get; init; } = "";
    public string Period { get; init; } = "";
    public string Cycle { get; init; } = "quarterly";
    public IReadOnlyList<string> Attendees { get; init; } = [];
    public IReadOnlyList<ReviewFinding> Findings { get; init; } = [];
    public IReadOnlyList<string> Decisions { get; init; } = [];
    public string? Notes { get; init; }
}

/// <summary>A KPI as it stood when the review was held: never changes afterwards.</summary>
public sealed record FrozenKpi(string Key, string Name, string? NameZh, string Unit, string Period, double? Value, string? Reason, double Completeness,
    double? Target, string Status, double? Projection);

/// <summary>Data that arrived after the review was held: the frozen value, the value now, and the difference.</summary>
public sealed record KpiAdjustment(string Key, string Period, double? Frozen, double? Current, double? Difference);

/// <summary>A review as shown: its record, state (<c>draft</c> or <c>held</c>), the frozen KPIs, later adjustments, and its actions.</summary>
public sealed record ReviewView(long Id, string Site, ReviewBody Review, string State, string? HeldAt, string? HeldBy, IReadOnlyList<FrozenKpi> Frozen,
    IReadOnlyList<KpiAdjustment> Adjustments, IReadOnlyList<ActionView> Actions, string CreatedBy, string CreatedAt);

/// <summary>The state of an action.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ActionState>))]
public enum ActionState { Open, InProgress, Done, Verified }

/// <summary>
/// An improvement action: title, description, owner and due date; the KPI whose before and after periods check its
/// effectiveness; the evidence of what was done.
/// </summary>
public sealed record ActionBody
{
    public string Title { get; init; } = "";
    public string? Description { get; init; }
    public string Owner { get; init; } = "";
    public string DueDate { get; init; } = "";
    public string? Kpi { get; init; }
    public string? BeforePeriod { get; init; }
    public string? AfterPeriod { get; init; }
    public string? Evidence { get; init; }

    /// <summary>Notification channels reminded once when the action becomes overdue.</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>The work order this action was raised from, if any (the site's).</summary>
    public long? WorkOrder { get; init; }
}

/// <summary>A new action: the body, and the review or alarm it comes from (either, both or neither).</summary>
public sealed record ActionInput(ActionBody? Action = null, long? ReviewId = null, long? AlarmId = null);

/// <summary>A change to an action; fields left out stay as they are. <c>note</c> goes into its history.</summary>
public sealed record ActionChange(ActionState? State = null, string? Owner = null, string? DueDate = null, string? Evidence = null,
    string? BeforePeriod = null, string? AfterPeriod = null, string? Note = null);

/// <summary>One change in an action's history.</summary>
public sealed record ActionEvent(string At, string By, string What, string? Note);

/// <summary>
/// Whether an action worked: the KPI in the period before and the period after, the change, and whether it moved the
/// right way (by the KPI's direction); no verdict without both values.
/// </summary>
public sealed record Effectiveness(string Kpi, KpiValue Before, KpiValue After, double? Change, double? ChangePercent, bool? Improved, string Reason, string ReasonZh);

/// <summary>An action as shown: overdue when its due date has passed and it is not done.</summary>
public sealed record ActionView(long Id, string Site, long? ReviewId, long? AlarmId, ActionBody Action, ActionState State, bool Overdue,
    Effectiveness? Effectiveness, IReadOnlyList<ActionEvent> History, string CreatedBy, string CreatedAt, string UpdatedAt);

/// <summary>
/// PDCA reviews of a site's KPIs and the improvement actions they (or alarms) open. Holding a review freezes its KPI
/// values, as a period lock freezes a report: later data shows as adjustments. An action's effectiveness compares its
/// KPI before and after. An action opened from an alarm is recorded in the alarm's history, so each names the other.
/// </summary>
public sealed class ReviewService(ISiteCatalog sites, ICatalogDb catalog, KpiService kpis, KpiEvaluator evaluator, AlarmService alarms, TimeProvider clock)
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private const string DateFormat = "yyyy-MM-dd";

    private static bool IsDate(string? text) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year is >= 2000 and <= 2199;

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Every problem with a review body, by field.</summary>
    public static Dictionary<string, string[]> Validate(ReviewBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Title) || body.Title.Length > 200) errors["title"] = ["1-200 characters"];
        if (!IsDate(body.MeetingDate)) errors["meetingDate"] = ["the meeting's date, yyyy-MM-dd"];
        if (!KpiPeriod.TryParse(body.Period, out _)) errors["period"] = ["the period reviewed: a year yyyy or a month yyyy-MM"];
        if (body.Cycle is not ("quarterly" or "half-yearly" or "yearly" or "monthly")) errors["cycle"] = ["quarterly, half-yearly, yearly or monthly"];
        if (body.Attendees.Count > 100 || body.Attendees.Any(a => string.IsNullOrWhiteSpace(a) || a.Length > 100)) errors["attendees"] = ["up to 100 names of 1-100 characters"];
        if (body.Findings.Count > 200 || body.Findings.Any(f => string.IsNullOrWhiteSpace(f.Kpi) || string.IsNullOrWhiteSpace(f.Analysis) || f.Analysis.Length > 4000))
            errors["findings"] = ["each finding names a KPI and its analysis (up to 4000 characters)"];
        if (body.Decisions.Count > 200 || body.Decisions.Any(d => string.IsNullOrWhiteSpace(d) || d.Length > 2000)) errors["decisions"] = ["up to 200 decisions of 1-2000 characters"];
        if (body.Notes is { Length: > 8000 }) errors["notes"] = ["at most 8000 characters"];
        return errors;
    }

    /// <summary>Every problem with an action body, by field.</summary>
    public static Dictionary<string, string[]> Validate(ActionBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Title) || body.Title.Length > 200) errors["action.title"] = ["1-200 characters"];
        if (body.Description is { Length: > 4000 }) errors["action.description"] = ["at most 4000 characters"];
        if (string.IsNullOrWhiteSpace(body.Owner) || body.Owner.Length > 100) errors["action.owner"] = ["who answers for it, 1-100 characters"];
        if (!IsDate(body.DueDate)) errors["action.dueDate"] = ["yyyy-MM-dd"];
        if (body.BeforePeriod is not null && !KpiPeriod.TryParse(body.BeforePeriod, out _)) errors["action.beforePeriod"] = ["yyyy or yyyy-MM"];
        if (body.AfterPeriod is not null && !KpiPeriod.TryParse(body.AfterPeriod, out _)) errors["action.afterPeriod"] = ["yyyy or yyyy-MM"];
        if (body.Evidence is { Length: > 4000 }) errors["action.evidence"] = ["at most 4000 characters"];
        if (body.Recipients.Count > 20 || body.Recipients.Any(r => string.IsNullOrWhiteSpace(r) || r.Length > 64)) errors["action.recipients"] = ["up to 20 channel keys"];
        return errors;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Reviews

    public async Task<IReadOnlyList<ReviewView>?> ListAsync(long tenantId, string siteKey, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        var rows = await db.Reviews.AsNoTracking().Where(r => r.SiteId == site.Id).OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).ToListAsync(ct);
        return rows.Select(r => ReviewOf(r, siteKey, [], [])).ToList();
    }

    public async Task<ReviewView?> CreateAsync(long tenantId, string siteKey, ReviewBody body, string by, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var row = new ReviewRecord { TenantId = tenantId, SiteId = site.Id, Body = JsonSerializer.Serialize(body, _json), CreatedBy = by, CreatedAt = now, UpdatedAt = now };
        await catalog.WriteAsync(tenantId, async db =>
        {
            db.Reviews.Add(row);
            return await db.SaveChangesAsync(ct);
        }, ct);
        return ReviewOf(row, siteKey, [], []);
    }

    /// <summary>Replaces a review's record (title, findings, decisions …); its frozen KPI values stay as they were.</summary>
    public async Task<ReviewView?> UpdateAsync(long tenantId, string siteKey, long id, ReviewBody body, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        var changed = await catalog.WriteAsync(tenantId, async db =>
        {
            var row = await db.Reviews.FirstOrDefaultAsync(r => r.SiteId == site.Id && r.Id == id, ct);
            if (row is null) return false;
            if (row.HeldAt is not null && JsonSerializer.Deserialize<ReviewBody>(row.Body, _json)!.Period != body.Period)
                throw new BadInputException("period: a held review's period cannot change (its KPI values are frozen for it)");
            (row.Body, row.UpdatedAt) = (JsonSerializer.Serialize(body, _json), clock.GetUtcNow().ToUnixTimeMilliseconds());
            await db.SaveChangesAsync(ct);
            return true;
        }, ct);
        return changed ? await GetAsync(tenantId, siteKey, id, ct) : null;
    }

    /// <summary>Holds the review: the KPI values of its period are frozen as they stand now. Holding twice is refused.</summary>
    public async Task<ReviewView?> HoldAsync(long tenantId, string siteKey, long id, string by, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        ReviewRecord? row;
        await using (var db = catalog.Open(tenantId))
            row = await db.Reviews.AsNoTracking().FirstOrDefaultAsync(r => r.SiteId == site.Id && r.Id == id, ct);
        if (row is null) return null;
        if (row.HeldAt is not null) throw new BadInputException($"review {id} was held already on {Iso(row.HeldAt.Value)} by {row.HeldBy}; its values stay frozen");
        var body = JsonSerializer.Deserialize<ReviewBody>(row.Body, _json)!;
        var board = await kpis.BoardAsync(tenantId, siteKey, body.Period, ct);
        var frozen = board!.Kpis.Select(k => new FrozenKpi(k.Kpi.Key, k.Kpi.Name, k.Kpi.NameZh, k.Kpi.Unit, k.Current.Period, k.Current.Value,
            k.Current.Reason, k.Current.Completeness, k.Target?.Value, k.Status.Status, k.Status.Projection)).ToList();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await catalog.WriteAsync(tenantId, async db =>
        {
            var tracked = await db.Reviews.FirstAsync(r => r.Id == id, ct);
            (tracked.Snapshot, tracked.HeldAt, tracked.HeldBy, tracked.UpdatedAt) = (JsonSerializer.Serialize(frozen, _json), now, by, now);
            return await db.SaveChangesAsync(ct);
        }, ct);
        return await GetAsync(tenantId, siteKey, id, ct);
    }

    /// <summary>A review with its frozen KPIs, what later data changed in them, and its actions.</summary>
    public async Task<ReviewView?> GetAsync(long tenantId, string siteKey, long id, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        var row = await db.Reviews.AsNoTracking().FirstOrDefaultAsync(r => r.SiteId == site.Id && r.Id == id, ct);
        if (row is null) return null;
        var actions = await db.Actions.AsNoTracking().Where(a => a.ReviewId == id).OrderBy(a => a.Id).ToListAsync(ct);
        var views = new List<ActionView>();
        foreach (var a in actions) views.Add(await ActionOf(a, site, siteKey, ct));
        var adjustments = new List<KpiAdjustment>();
        if (row.Snapshot is not null)
        {
            var body = JsonSerializer.Deserialize<ReviewBody>(row.Body, _json)!;
            var now = await kpis.BoardAsync(tenantId, siteKey, body.Period, ct);
            foreach (var f in JsonSerializer.Deserialize<List<FrozenKpi>>(row.Snapshot, _json)!)
            {
                var current = now!.Kpis.FirstOrDefault(k => k.Kpi.Key == f.Key)?.Current.Value;
                if (current != f.Value && !(current is { } c && f.Value is { } v && Math.Abs(c - v) <= 1e-9 * Math.Max(1, Math.Abs(v))))
                    adjustments.Add(new KpiAdjustment(f.Key, f.Period, f.Value, current, current is { } cc && f.Value is { } vv ? cc - vv : null));
            }
        }
        return ReviewOf(row, siteKey, adjustments, views);
    }

    private static ReviewView ReviewOf(ReviewRecord r, string site, IReadOnlyList<KpiAdjustment> adjustments, IReadOnlyList<ActionView> actions) =>
        new(r.Id, site, JsonSerializer.Deserialize<ReviewBody>(r.Body, _json)!, r.HeldAt is null ? "draft" : "held",
            r.HeldAt is { } h ? Iso(h) : null, r.HeldBy,
            r.Snapshot is null ? [] : JsonSerializer.Deserialize<List<FrozenKpi>>(r.Snapshot, _json)!, adjustments, actions, r.CreatedBy, Iso(r.CreatedAt));

    // ------------------------------------------------------------------------------------------------------------
    // Actions

    /// <summary>Opens an action; a review or alarm it names must be the site's. An alarm's history records the action.</summary>
    public async Task<ActionView?> OpenAsync(long tenantId, string siteKey, ActionInput input, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        var body = input.Action ?? throw new BadInputException("action: required");
        if (Validate(body) is { Count: > 0 } errors) throw new BadInputException(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        if (body.Kpi is { } kpiKey && await kpis.GetAsync(tenantId, siteKey, kpiKey, ct) is null)
            throw new BadInputException($"action.kpi: no KPI '{kpiKey}' at site '{siteKey}'");
        if (input.ReviewId is { } reviewId)
        {
            await using var db = catalog.Open(tenantId);
            if (!await db.Reviews.AnyAsync(r => r.SiteId == site.Id && r.Id == reviewId, ct)) throw new BadInputException($"reviewId: no review {reviewId} at site '{siteKey}'");
        }
        if (body.WorkOrder is { } workOrder)
        {
            await using var db = catalog.Open(tenantId);
            if (!await db.WorkOrders.AnyAsync(w => w.SiteId == site.Id && w.Id == workOrder, ct)) throw new BadInputException($"action.workOrder: no work order {workOrder} at site '{siteKey}'");
        }
        if (input.AlarmId is { } alarmId && (await alarms.GetAsync(tenantId, alarmId, ct))?.SiteId != site.Id)
            throw new BadInputException($"alarmId: no alarm {alarmId} at site '{siteKey}'");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var row = new ActionRecord
        {
            TenantId = tenantId, SiteId = site.Id, ReviewId = input.ReviewId, AlarmId = input.AlarmId, State = nameof(ActionState.Open), DueDate = body.DueDate,
            Body = JsonSerializer.Serialize(body, _json), History = JsonSerializer.Serialize(new[] { new ActionEvent(Iso(now), by, "opened", null) }, _json),
            CreatedBy = by, CreatedAt = now, UpdatedAt = now,
        };
        await catalog.WriteAsync(tenantId, async db =>
        {
            db.Actions.Add(row);
            return await db.SaveChangesAsync(ct);
        }, ct);
        if (input.AlarmId is { } linked)
            await alarms.CommentAsync(tenantId, linked, by, $"corrective action #{row.Id} opened: {body.Title} (owner {body.Owner}, due {body.DueDate})", ct);
        return await ActionOf(row, site, siteKey, ct);
    }

    public async Task<IReadOnlyList<ActionView>?> ActionsAsync(long tenantId, string siteKey, bool openOnly, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        var q = db.Actions.AsNoTracking().Where(a => a.SiteId == site.Id);
        if (openOnly) q = q.Where(a => a.State == nameof(ActionState.Open) || a.State == nameof(ActionState.InProgress));
        var rows = await q.OrderBy(a => a.DueDate).ThenBy(a => a.Id).ToListAsync(ct);
        var views = new List<ActionView>();
        foreach (var a in rows) views.Add(await ActionOf(a, site, siteKey, ct));
        return views;
    }

    public async Task<ActionView?> ActionAsync(long tenantId, string siteKey, long id, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        return await db.Actions.AsNoTracking().FirstOrDefaultAsync(a => a.SiteId == site.Id && a.Id == id, ct) is { } row ? await ActionOf(row, site, siteKey, ct) : null;
    }

    /// <summary>
    /// Changes an action. Done needs evidence of what was done; verified needs done first and an effectiveness check
    /// that has both values. Each change goes into the action's history with who, when and the note.
    /// </summary>
    public async Task<ActionView?> ChangeAsync(long tenantId, string siteKey, long id, ActionChange change, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        var current = await ActionAsync(tenantId, siteKey, id, ct);
        if (current is null) return null;
        var body = current.Action with
        {
            Owner = change.Owner ?? current.Action.Owner,
            DueDate = change.DueDate ?? current.Action.DueDate,
            Evidence = change.Evidence ?? current.Action.Evidence,
            BeforePeriod = change.BeforePeriod ?? current.Action.BeforePeriod,
            AfterPeriod = change.AfterPeriod ?? current.Action.AfterPeriod,
        };
        if (Validate(body) is { Count: > 0 } errors) throw new BadInputException(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        if (change.Note is { Length: > 2000 }) throw new BadInputException("note: at most 2000 characters");
        var state = change.State ?? current.State;
        if (state == ActionState.Done && current.State != ActionState.Done && string.IsNullOrWhiteSpace(body.Evidence))
            throw new BadInputException("evidence: say what was done (and where its records are) before marking the action done");
        var site = (await sites.GetSiteAsync(tenantId, siteKey, ct))!;
        if (state == ActionState.Verified && current.State != ActionState.Verified)
        {
            if (current.State != ActionState.Done) throw new BadInputException($"state: an action is verified after it is done; it is {current.State}");
            var check = await EffectivenessAsync(tenantId, site.Id, siteKey, body, ct);
            if (body.Kpi is not null && check?.Improved is null)
                throw new BadInputException($"state: the effectiveness check has no verdict yet ({check?.Reason ?? "set beforePeriod and afterPeriod"})");
        }
        var what = new List<string>();
        if (state != current.State) what.Add($"state {current.State} -> {state}");
        if (body.Owner != current.Action.Owner) what.Add($"owner {current.Action.Owner} -> {body.Owner}");
        if (body.DueDate != current.Action.DueDate) what.Add($"due {current.Action.DueDate} -> {body.DueDate}");
        if (body.Evidence != current.Action.Evidence) what.Add("evidence recorded");
        if (body.BeforePeriod != current.Action.BeforePeriod || body.AfterPeriod != current.Action.AfterPeriod) what.Add($"check {body.BeforePeriod} vs {body.AfterPeriod}");
        if (what.Count == 0 && change.Note is null) return current;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var history = current.History.Append(new ActionEvent(Iso(now), by, what.Count == 0 ? "note" : string.Join("; ", what), change.Note)).ToList();
        await catalog.WriteAsync(tenantId, async db =>
        {
            var row = await db.Actions.FirstAsync(a => a.SiteId == site.Id && a.Id == id, ct);
            // A new due date arms the overdue reminder again.
            if (row.DueDate != body.DueDate) row.RemindedAt = null;
            (row.State, row.DueDate, row.Body, row.History, row.UpdatedAt) =
                (state.ToString(), body.DueDate, JsonSerializer.Serialize(body, _json), JsonSerializer.Serialize(history, _json), now);
            return await db.SaveChangesAsync(ct);
        }, ct);
        return await ActionAsync(tenantId, siteKey, id, ct);
    }

    private async Task<ActionView> ActionOf(ActionRecord row, SiteModel site, string siteKey, CancellationToken ct)
    {
        var body = JsonSerializer.Deserialize<ActionBody>(row.Body, _json)!;
        var state = Enum.Parse<ActionState>(row.State);
        var today = kpis.Today(site);
        var overdue = state is ActionState.Open or ActionState.InProgress
            && DateOnly.ParseExact(row.DueDate, DateFormat, CultureInfo.InvariantCulture) < today;
        var history = JsonSerializer.Deserialize<List<ActionEvent>>(row.History, _json)!;
        return new ActionView(row.Id, siteKey, row.ReviewId, row.AlarmId, body, state, overdue, await EffectivenessAsync(row.TenantId, site.Id, siteKey, body, ct),
            history, row.CreatedBy, Iso(row.CreatedAt), Iso(row.UpdatedAt));
    }

    /// <summary>The KPI of the action in its before and after periods, and whether it moved the right way.</summary>
    private async Task<Effectiveness?> EffectivenessAsync(long tenantId, long siteId, string siteKey, ActionBody body, CancellationToken ct)
    {
        if (body.Kpi is null || body.BeforePeriod is null || body.AfterPeriod is null) return null;
        var kpi = await kpis.GetAsync(tenantId, siteKey, body.Kpi, ct);
        if (kpi is null || !KpiFormula.TryParse(kpi.Definition.Formula, out var formula, out _)
            || !KpiPeriod.TryParse(body.BeforePeriod, out var bp) || !KpiPeriod.TryParse(body.AfterPeriod, out var ap))
            return null;
        var before = await evaluator.EvaluateAsync(formula!, evaluator.For(tenantId, siteId, siteKey, bp), ct);
        var after = await evaluator.EvaluateAsync(formula!, evaluator.For(tenantId, siteId, siteKey, ap), ct);
        if (before.Value is not { } b || after.Value is not { } a)
            return new Effectiveness(body.Kpi, before, after, null, null, null, "no verdict: the KPI has no value in one of the periods", "无法判断：某一期间指标无数值");
        var change = a - b;
        var pct = b == 0 ? (double?)null : change / Math.Abs(b) * 100;
        var improved = kpi.Definition.Direction == KpiDirection.Lower ? change < 0 : change > 0;
        var text = string.Create(CultureInfo.InvariantCulture, $"{kpi.Definition.Key} {b:0.####} -> {a:0.####} {kpi.Definition.Unit} ({(pct is { } p ? $"{p:+0.##;-0.##;0} %" : "n/a")})");
        return new Effectiveness(body.Kpi, before, after, change, pct, improved,
            improved ? $"{text}: improved" : $"{text}: not improved", improved ? $"{text}：有改善" : $"{text}：未改善");
    }
}
