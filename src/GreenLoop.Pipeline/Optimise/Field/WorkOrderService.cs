using System.Globalization;
using System.Text.Json;
using GreenLoop.Domain.Optimise.Field;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Monitor.Alarms;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Pipeline.Optimise.Field;

/// <summary>
/// Work orders: opened by hand, by a failed inspection item whose template says so, or from an alarm (at most one per
/// alarm: a unique index holds it even when two requests race); a due date from the priority's service time; states
/// open, assigned, in progress, on hold, done, verified, cancelled, each change in the history with who and when; an
/// alarm's history names the work order opened from it and its verification.
/// </summary>
public sealed class WorkOrderService(ISiteCatalog sites, ICatalogDb catalog, MeterCatalog meters, AlarmService alarms, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<FieldOptions> options)
{
    private static JsonSerializerOptions Json => FieldService.Json;
    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>The transitions a work order may take.</summary>
    private static readonly Dictionary<WorkOrderState, WorkOrderState[]> _next = new()
    {
        [WorkOrderState.Open] = [WorkOrderState.Assigned, WorkOrderState.InProgress, WorkOrderState.OnHold, WorkOrderState.Done, WorkOrderState.Cancelled],
        [WorkOrderState.Assigned] = [WorkOrderState.InProgress, WorkOrderState.OnHold, WorkOrderState.Done, WorkOrderState.Cancelled, WorkOrderState.Open],
        [WorkOrderState.InProgress] = [WorkOrderState.OnHold, WorkOrderState.Done, WorkOrderState.Cancelled],
        [WorkOrderState.OnHold] = [WorkOrderState.InProgress, WorkOrderState.Assigned, WorkOrderState.Cancelled],
        [WorkOrderState.Done] = [WorkOrderState.Verified, WorkOrderState.InProgress],
        [WorkOrderState.Verified] = [],
        [WorkOrderState.Cancelled] = [],
    };

    /// <summary>Service time of a priority, days.</summary>
    public int ServiceDays(WorkOrderPriority priority) => priority switch
    {
        WorkOrderPriority.Urgent => options.Value.UrgentDays,
        WorkOrderPriority.High => options.Value.HighDays,
        WorkOrderPriority.Low => options.Value.LowDays,
        _ => options.Value.MediumDays,
    };

    /// <summary>The site's local today.</summary>
    internal DateOnly Today(SiteModel site) => meters.Calendar(site.Definition.TimeZone).LocalDate(clock.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Every problem with a work order body, by field.</summary>
    public static Dictionary<string, string[]> Validate(WorkOrderBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Title) || body.Title.Length > 200) errors["title"] = ["1-200 characters"];
        if (body.Description is { Length: > 4000 }) errors["description"] = ["at most 4000 characters"];
        if (!Enum.IsDefined(body.Priority)) errors["priority"] = ["Low, Medium, High or Urgent"];
        if (body.Assignee is { Length: > 100 }) errors["assignee"] = ["at most 100 characters"];
        if (body.DueDate is not null && !DateOnly.TryParseExact(body.DueDate, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) errors["dueDate"] = ["yyyy-MM-dd"];
        if (body.Parts.Count > 50 || body.Parts.Any(p => string.IsNullOrWhiteSpace(p.Part) || !double.IsFinite(p.Quantity) || p.Quantity < 0 || string.IsNullOrWhiteSpace(p.Unit)
                || p.Cost is { } c && (!double.IsFinite(c) || c < 0)))
            errors["parts"] = ["up to 50: part, quantity ≥ 0, unit, cost ≥ 0 (¥)"];
        if (body.Hours is { } h && (!double.IsFinite(h) || h is < 0 or > 10_000)) errors["hours"] = ["0 to 10,000 hours"];
        if (body.Cost is { } cost && (!double.IsFinite(cost) || cost is < 0 or > 1e10)) errors["cost"] = ["0 to 1e10 ¥"];
        if (body.Recipients.Count > 20 || body.Recipients.Any(r => string.IsNullOrWhiteSpace(r) || r.Length > 64)) errors["recipients"] = ["up to 20 channel keys"];
        return errors;
    }

    private static string Iso(long ms) => FieldService.Iso(ms);

    private WorkOrderRecord NewRecord(long tenantId, SiteModel site, WorkOrderBody body, string by, long now)
    {
        var due = body.DueDate ?? Today(site).AddDays(ServiceDays(body.Priority)).ToString(DateFormat, CultureInfo.InvariantCulture);
        body = body with { DueDate = due };
        return new WorkOrderRecord
        {
            // Opened with an assignee, it is assigned from the start (as giving one later assigns it).
            TenantId = tenantId, SiteId = site.Id, State = body.Assignee is null ? nameof(WorkOrderState.Open) : nameof(WorkOrderState.Assigned), Priority = body.Priority.ToString(), DueDate = due,
            Body = JsonSerializer.Serialize(body, Json), History = JsonSerializer.Serialize(new[] { new WorkOrderEvent(Iso(now), by, "opened", null) }, Json),
            CreatedBy = by, CreatedAt = now, UpdatedAt = now,
        };
    }

    /// <summary>Opens a work order by hand.</summary>
    public async Task<WorkOrderView?> CreateAsync(long tenantId, string siteKey, WorkOrderBody body, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        FieldService.Throw(Validate(body));
        if (body.Node is { } node && site.Nodes.All(n => n.Key != node)) throw new BadInputException($"node: no node '{node}' at this site");
        var row = NewRecord(tenantId, site, body, by, clock.GetUtcNow().ToUnixTimeMilliseconds());
        await catalog.WriteAsync(tenantId, async db =>
        {
            db.WorkOrders.Add(row);
            return await db.SaveChangesAsync(ct);
        }, ct);
        return await GetAsync(tenantId, siteKey, row.Id, ct);
    }

    /// <summary>Adds (in the caller's transaction) the work order of a failed inspection item.</summary>
    internal void AddFromInspection(GreenLoopDb db, SiteModel site, InspectionRecord inspection, ChecklistTemplate template, ChecklistItem item, ItemOutcome outcome,
        string? node, string by, long now)
    {
        var priority = item.OnFail.Severity switch
        {
            Severity.Critical => WorkOrderPriority.Urgent,
            Severity.High => WorkOrderPriority.High,
            Severity.Low => WorkOrderPriority.Low,
            _ => WorkOrderPriority.Medium,
        };
        var title = $"{template.NameZh ?? template.Name}：{item.TextZh ?? item.Text}";
        var body = new WorkOrderBody
        {
            Title = title.Length > 200 ? title[..200] : title, Node = node, Priority = priority,
            Description = $"巡检不合格 Failed inspection item '{item.Key}' ({item.Text}): {outcome.ReasonZh} / {outcome.Reason}",
        };
        var row = NewRecord(inspection.TenantId, site, body, by, now);
        row.InspectionId = inspection.Id;
        row.Item = item.Key;
        db.WorkOrders.Add(row);
    }

    /// <summary>
    /// The work order of an alarm: opens one if the alarm has none (and records it in the alarm's history), or answers
    /// the one it has. <c>Created</c> says which; two requests at once still make one.
    /// </summary>
    public async Task<(WorkOrderView? Order, bool Created)> FromAlarmAsync(long tenantId, long alarmId, WorkOrderBody? body, string by, CancellationToken ct)
    {
        var alarm = await alarms.GetAsync(tenantId, alarmId, ct);
        if (alarm is null) return (null, false);
        var site = await sites.GetSiteAsync(tenantId, alarm.Site, ct);
        if (site is null || site.Id != alarm.SiteId) return (null, false);
        if (await ByAlarmAsync(tenantId, site, alarmId, ct) is { } existing) return (existing, false);
        var order = body ?? new WorkOrderBody();
        if (string.IsNullOrWhiteSpace(order.Title)) order = order with { Title = Clip($"告警 Alarm #{alarmId} {alarm.RuleNameZh ?? alarm.RuleName}: {alarm.Subject}") };
        if (string.IsNullOrWhiteSpace(order.Description)) order = order with { Description = $"{alarm.DetailZh} / {alarm.DetailEn}" };
        // Without a body the priority follows the alarm's severity.
        if (body is null)
            order = order with { Priority = alarm.Severity.ToString() switch { "Critical" => WorkOrderPriority.Urgent, "Major" => WorkOrderPriority.High, "Minor" => WorkOrderPriority.Medium, _ => WorkOrderPriority.Low } };
        FieldService.Throw(Validate(order));
        var row = NewRecord(tenantId, site, order, by, clock.GetUtcNow().ToUnixTimeMilliseconds());
        row.AlarmId = alarmId;
        try
        {
            await catalog.WriteAsync(tenantId, async db =>
            {
                db.WorkOrders.Add(row);
                return await db.SaveChangesAsync(ct);
            }, ct);
        }
        catch (DbUpdateException)
        {
            // Another request opened the alarm's work order at the same moment (the unique index refused this one).
            if (await ByAlarmAsync(tenantId, site, alarmId, ct) is { } other) return (other, false);
            throw;
        }
        await alarms.CommentAsync(tenantId, alarmId, by, $"work order #{row.Id} opened: {order.Title} (due {row.DueDate})", ct);
        return (await GetAsync(tenantId, site.Definition.Key, row.Id, ct), true);
    }

    private static string Clip(string text) => text.Length > 200 ? text[..200] : text;

    private async Task<WorkOrderView?> ByAlarmAsync(long tenantId, SiteModel site, long alarmId, CancellationToken ct)
    {
        long? id;
        await using (var db = catalog.Open(tenantId))
            id = await db.WorkOrders.AsNoTracking().Where(w => w.AlarmId == alarmId).Select(w => (long?)w.Id).FirstOrDefaultAsync(ct);
        return id is { } found ? await GetAsync(tenantId, site.Definition.Key, found, ct) : null;
    }

    public async Task<WorkOrderView?> GetAsync(long tenantId, string siteKey, long id, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        var row = await db.WorkOrders.AsNoTracking().FirstOrDefaultAsync(w => w.SiteId == site.Id && w.Id == id, ct);
        if (row is null) return null;
        var photos = await FieldService.Photos(db.FieldPhotos.AsNoTracking().Where(p => p.WorkOrderId == id)).ToListAsync(ct);
        return View(row, siteKey, Today(site), photos.Select(FieldService.PhotoOf).ToList());
    }

    /// <summary>The site's work orders by due date; <paramref name="open"/> keeps those not done, verified or cancelled; <paramref name="assignee"/> narrows to one person's.</summary>
    public async Task<IReadOnlyList<WorkOrderView>?> ListAsync(long tenantId, string siteKey, bool open, string? assignee, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        var q = db.WorkOrders.AsNoTracking().Where(w => w.SiteId == site.Id);
        if (open) q = q.Where(w => w.State != nameof(WorkOrderState.Done) && w.State != nameof(WorkOrderState.Verified) && w.State != nameof(WorkOrderState.Cancelled));
        var rows = await q.OrderBy(w => w.DueDate).ThenBy(w => w.Id).ToListAsync(ct);
        var today = Today(site);
        var views = rows.Select(r => View(r, siteKey, today, [])).ToList();
        return assignee is null ? views : views.Where(v => v.Order.Assignee == assignee).ToList();
    }

    /// <summary>
    /// Changes a work order: a state change must be one the lifecycle allows (done needs hours or a comment of what was
    /// done; verified needs done); other fields change as given; each change and comment goes into the history. A work
    /// order from an alarm tells the alarm's history when it is done and verified.
    /// </summary>
    public async Task<WorkOrderView?> ChangeAsync(long tenantId, string siteKey, long id, WorkOrderChange change, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        var current = await GetAsync(tenantId, siteKey, id, ct);
        if (current is null) return null;
        if (change.Comment is { Length: > 4000 }) throw new BadInputException("comment: at most 4000 characters");
        var body = current.Order with
        {
            Assignee = change.Assignee ?? current.Order.Assignee,
            DueDate = change.DueDate ?? current.Order.DueDate,
            Parts = change.Parts ?? current.Order.Parts,
            Hours = change.Hours ?? current.Order.Hours,
            Cost = change.Cost ?? current.Order.Cost,
        };
        FieldService.Throw(Validate(body));
        var state = change.State ?? (change.Assignee is not null && current.State == WorkOrderState.Open ? WorkOrderState.Assigned : current.State);
        if (state != current.State && !_next[current.State].Contains(state))
            throw new BadInputException($"state: a work order that is {current.State} can become {(_next[current.State].Length == 0 ? "nothing else" : string.Join(", ", _next[current.State]))}, not {state}");
        if (state == WorkOrderState.Done && current.State != WorkOrderState.Done && body.Hours is null && string.IsNullOrWhiteSpace(change.Comment))
            throw new BadInputException("hours: say what was done — the hours spent or a comment — before marking the work order done");
        var what = new List<string>();
        if (state != current.State) what.Add($"state {current.State} -> {state}");
        if (body.Assignee != current.Order.Assignee) what.Add($"assignee {current.Order.Assignee ?? "-"} -> {body.Assignee}");
        if (body.DueDate != current.Order.DueDate) what.Add($"due {current.Order.DueDate} -> {body.DueDate}");
        if (!body.Parts.SequenceEqual(current.Order.Parts)) what.Add("parts recorded");
        if (body.Hours != current.Order.Hours) what.Add(string.Create(CultureInfo.InvariantCulture, $"hours {body.Hours}"));
        if (body.Cost != current.Order.Cost) what.Add(string.Create(CultureInfo.InvariantCulture, $"cost {body.Cost} ¥"));
        if (what.Count == 0 && change.Comment is null) return current;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var history = current.History.Append(new WorkOrderEvent(Iso(now), by, what.Count == 0 ? "comment" : string.Join("; ", what), change.Comment)).ToList();
        await catalog.WriteAsync(tenantId, async db =>
        {
            var row = await db.WorkOrders.FirstAsync(w => w.SiteId == site.Id && w.Id == id, ct);
            if (row.DueDate != body.DueDate) row.EscalatedAt = null;
            (row.State, row.DueDate, row.Body, row.History, row.UpdatedAt) = (state.ToString(), body.DueDate!, JsonSerializer.Serialize(body, Json), JsonSerializer.Serialize(history, Json), now);
            return await db.SaveChangesAsync(ct);
        }, ct);
        if (current.Alarm is { } alarmId && state != current.State && state is WorkOrderState.Done or WorkOrderState.Verified or WorkOrderState.Cancelled)
            await alarms.CommentAsync(tenantId, alarmId, by, $"work order #{id} {state.ToString().ToLowerInvariant()}", ct);
        return await GetAsync(tenantId, siteKey, id, ct);
    }

    /// <summary>Attaches a photo (before or after the repair) to a work order.</summary>
    public async Task<PhotoView?> AttachAsync(long tenantId, string siteKey, long id, PhotoUpload upload, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        if (upload.Item is not ("before" or "after")) throw new BadInputException("item: before or after");
        var (photo, error) = PhotoFile.Clean(upload.Content, options.Value.KeepPhotoLocation);
        if (photo is null) throw new BadInputException($"file: {error}");
        var thumbnail = PhotoThumbnail.Make(photo.Content, photo.ContentType);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        FieldPhotoRecord? row = null;
        await catalog.WriteAsync(tenantId, async db =>
        {
            if (!await db.WorkOrders.AnyAsync(w => w.SiteId == site.Id && w.Id == id, ct)) return 0;
            row = new FieldPhotoRecord { TenantId = tenantId, WorkOrderId = id, Item = upload.Item, Name = Path.GetFileName(upload.Name) is { Length: > 0 and <= 200 } n ? n : "photo",
                ContentType = photo.ContentType, Content = photo.Content, Thumbnail = thumbnail, TakenBy = by, TakenAt = now };
            db.FieldPhotos.Add(row);
            return await db.SaveChangesAsync(ct);
        }, ct);
        return row is null ? null : new PhotoView(row.Id, row.Item, row.Name, row.ContentType, row.Content.Length, by, Iso(now), thumbnail is not null);
    }

    private static WorkOrderView View(WorkOrderRecord r, string site, DateOnly today, IReadOnlyList<PhotoView> photos)
    {
        var state = Enum.Parse<WorkOrderState>(r.State);
        var overdue = state is not (WorkOrderState.Done or WorkOrderState.Verified or WorkOrderState.Cancelled)
            && DateOnly.ParseExact(r.DueDate, DateFormat, CultureInfo.InvariantCulture) < today;
        var source = r.AlarmId is not null ? "alarm" : r.InspectionId is not null ? "inspection" : "manual";
        return new WorkOrderView(r.Id, site, JsonSerializer.Deserialize<WorkOrderBody>(r.Body, Json)!, state, overdue, source, r.InspectionId, r.Item, r.AlarmId,
            JsonSerializer.Deserialize<List<WorkOrderEvent>>(r.History, Json)!, photos, r.CreatedBy, Iso(r.CreatedAt), Iso(r.UpdatedAt), r.ActionId > 0 ? r.ActionId : null,
            r.ProjectId > 0 ? r.ProjectId : null);
    }
}
