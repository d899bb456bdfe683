using System.Globalization;
using System.Text.Json;
using GreenLoop.Domain.Optimise.Field;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Pipeline.Optimise.Field;

/// <summary>A photo as uploaded with a submission or to a work order: the item it belongs to, its file name and bytes.</summary>
public sealed record PhotoUpload(string Item, string Name, byte[] Content);

/// <summary>
/// Field work: checklist templates (versioned; an inspection keeps its version), rounds on a schedule, and inspections
/// submitted from a phone — idempotent on the phone's submission id, photos checked by their bytes and stripped of
/// metadata, failed items that say so opening work orders (<see cref="WorkOrderService"/>).
/// </summary>
public sealed class FieldService(ISiteCatalog sites, ICatalogDb catalog, MeterCatalog meters, WorkOrderService workOrders, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<FieldOptions> options)
{
    internal static readonly JsonSerializerOptions Json = Verification.MvService.Json;

    /// <summary>At most this many photos in one submission.</summary>
    public const int MaxPhotos = 30;

    internal static string Iso(long ms) => Verification.MvService.Iso(ms);

    internal static void Throw(Dictionary<string, string[]> errors)
    {
        if (errors.Count > 0) throw new BadInputException(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
    }

    private async Task<SiteModel?> SiteAsync(long tenantId, string siteKey, CancellationToken ct) => await sites.GetSiteAsync(tenantId, siteKey, ct);

    // ------------------------------------------------------------------------------------------------------------
    // Templates

    private static TemplateView TemplateOf(ChecklistTemplateRecord r, string site) =>
        new(r.Id, site, r.Key, r.Version, JsonSerializer.Deserialize<ChecklistTemplate>(r.Body, Json)!, r.Retired, r.CreatedBy, Iso(r.CreatedAt));

    /// <summary>The latest version of every template of the site.</summary>
    public async Task<IReadOnlyList<TemplateView>?> TemplatesAsync(long tenantId, string siteKey, CancellationToken ct)
    {
        var site = await SiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        var rows = await db.ChecklistTemplates.AsNoTracking().Where(t => t.SiteId == site.Id).ToListAsync(ct);
        return rows.GroupBy(r => r.Key).Select(g => TemplateOf(g.MaxBy(r => r.Version)!, siteKey)).OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>A template's version (the latest when <paramref name="version"/> is null).</summary>
    public async Task<TemplateView?> TemplateAsync(long tenantId, string siteKey, string key, int? version, CancellationToken ct)
    {
        var site = await SiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        var q = db.ChecklistTemplates.AsNoTracking().Where(t => t.SiteId == site.Id && t.Key == key);
        var row = version is { } v ? await q.FirstOrDefaultAsync(t => t.Version == v, ct) : await q.OrderByDescending(t => t.Version).FirstOrDefaultAsync(ct);
        return row is null ? null : TemplateOf(row, siteKey);
    }

    /// <summary>
    /// Saves a template: a new key starts at version 1, an existing key gets the next version (finished inspections
    /// keep theirs). A template identical to the latest version adds nothing. Also how an exported template is imported.
    /// </summary>
    public async Task<TemplateView?> SaveTemplateAsync(long tenantId, string siteKey, ChecklistTemplate template, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(template);
        var site = await SiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        Throw(Checklists.Validate(template));
        var meterKeys = site.Meters.Select(m => m.Definition.Key).ToHashSet(StringComparer.Ordinal);
        var unknown = template.Items.Where(i => i.Meter is not null && !meterKeys.Contains(i.Meter)).Select(i => $"{i.Key}: no meter '{i.Meter}' at this site").ToArray();
        if (unknown.Length > 0) Throw(new() { ["items.meter"] = unknown });
        var body = JsonSerializer.Serialize(template, Json);
        ChecklistTemplateRecord? saved = null;
        await catalog.WriteAsync(tenantId, async db =>
        {
            var latest = await db.ChecklistTemplates.Where(t => t.SiteId == site.Id && t.Key == template.Key).OrderByDescending(t => t.Version).FirstOrDefaultAsync(ct);
            if (latest is not null && latest.Body == body && !latest.Retired) { saved = latest; return 0; }
            saved = new ChecklistTemplateRecord
            {
                TenantId = tenantId, SiteId = site.Id, Key = template.Key, Version = (latest?.Version ?? 0) + 1, Body = body,
                CreatedBy = by, CreatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            };
            db.ChecklistTemplates.Add(saved);
            return await db.SaveChangesAsync(ct);
        }, ct);
        return TemplateOf(saved!, siteKey);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Rounds

    /// <summary>Every problem with a round, by field.</summary>
    public static Dictionary<string, string[]> Validate(RoundBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        // A JSON null for the schedule, the assignee or the recipients binds as null: a reason, not a server error.
        if (body.Schedule is null || body.Assignee is null || body.Recipients is null)
        {
            var missing = new Dictionary<string, string[]>();
            if (body.Schedule is null) missing["schedule"] = ["required: kind, times, weekdays, windowMinutes"];
            if (body.Assignee is null) missing["assignee"] = ["a role (e.g. operator) or a person (a user name)"];
            if (body.Recipients is null) missing["recipients"] = ["a list of channel keys (empty for none)"];
            return missing;
        }
        var errors = body.Schedule.Validate();
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 200) errors["name"] = ["1-200 characters"];
        if (body.NameZh is { Length: > 200 }) errors["nameZh"] = ["at most 200 characters"];
        if (string.IsNullOrWhiteSpace(body.Template)) errors["template"] = ["the key of a checklist template of this site"];
        if (body.Assignee.Role is null && body.Assignee.Person is null) errors["assignee"] = ["a role (e.g. operator) or a person (a user name)"];
        if (body.Recipients.Count > 20 || body.Recipients.Any(r => string.IsNullOrWhiteSpace(r) || r.Length > 64)) errors["recipients"] = ["up to 20 channel keys"];
        return errors;
    }

    private static RoundView RoundOf(InspectionRoundRecord r, string site) =>
        new(r.Id, site, JsonSerializer.Deserialize<RoundBody>(r.Body, Json)!, r.Active, r.CreatedBy, Iso(r.CreatedAt));

    public async Task<IReadOnlyList<RoundView>?> RoundsAsync(long tenantId, string siteKey, CancellationToken ct)
    {
        var site = await SiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        return (await db.InspectionRounds.AsNoTracking().Where(r => r.SiteId == site.Id).OrderBy(r => r.Id).ToListAsync(ct)).Select(r => RoundOf(r, siteKey)).ToList();
    }

    /// <summary>Creates a round (or replaces round <paramref name="id"/>); its template and node must be the site's.</summary>
    public async Task<RoundView?> SaveRoundAsync(long tenantId, string siteKey, long? id, RoundBody body, bool active, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var site = await SiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        Throw(Validate(body));
        if (id is { } roundId)
        {
            // A round that is not the site's is not found, whatever else is wrong with the request.
            await using var db = catalog.Open(tenantId);
            if (!await db.InspectionRounds.AnyAsync(r => r.SiteId == site.Id && r.Id == roundId, ct)) return null;
        }
        if (body.Node is { } node && site.Nodes.All(n => n.Key != node)) throw new BadInputException($"node: no node '{node}' at this site");
        if (await TemplateAsync(tenantId, siteKey, body.Template, null, ct) is null) throw new BadInputException($"template: no template '{body.Template}' at this site");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        InspectionRoundRecord? row = null;
        await catalog.WriteAsync(tenantId, async db =>
        {
            if (id is { } existing)
            {
                row = await db.InspectionRounds.FirstOrDefaultAsync(r => r.SiteId == site.Id && r.Id == existing, ct);
                if (row is null) return 0;
                (row.Body, row.Active, row.UpdatedAt) = (JsonSerializer.Serialize(body, Json), active, now);
            }
            else
            {
                row = new InspectionRoundRecord { TenantId = tenantId, SiteId = site.Id, Body = JsonSerializer.Serialize(body, Json), Active = active, CreatedBy = by, CreatedAt = now, UpdatedAt = now };
                db.InspectionRounds.Add(row);
            }
            return await db.SaveChangesAsync(ct);
        }, ct);
        return row is null ? null : RoundOf(row, siteKey);
    }

    /// <summary>The local "now" of a site.</summary>
    public DateTime LocalNow(SiteModel site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return meters.Calendar(site.Definition.TimeZone).ToLocal(clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    private const string LocalFormat = "yyyy-MM-dd'T'HH:mm";

    /// <summary>The instant (UTC ms) of a local occurrence time such as <c>2026-12-07T09:00</c> (a time a clock change skips: the hour after).</summary>
    public long UtcOf(SiteModel site, string local)
    {
        ArgumentNullException.ThrowIfNull(site);
        var zone = meters.Calendar(site.Definition.TimeZone).Zone;
        var time = DateTime.ParseExact(local, LocalFormat, CultureInfo.InvariantCulture, DateTimeStyles.None);
        if (zone.IsInvalidTime(time)) time = time.AddHours(1);
        return new DateTimeOffset(time, zone.GetUtcOffset(time)).ToUnixTimeMilliseconds();
    }

    /// <summary>
    /// The occurrences of the site's active rounds from <paramref name="from"/> to <paramref name="to"/> (local days,
    /// both included) with their states against the inspections done; <paramref name="person"/> and
    /// <paramref name="roles"/> narrow them to "my rounds".
    /// </summary>
    public async Task<IReadOnlyList<OccurrenceView>?> OccurrencesAsync(long tenantId, string siteKey, DateOnly from, DateOnly to, string? person, IReadOnlyCollection<string>? roles, CancellationToken ct)
    {
        var site = await SiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        if (to < from || to.DayNumber - from.DayNumber > 93) throw new BadInputException("to: from 1 to 93 days after from");
        var now = LocalNow(site);
        await using var db = catalog.Open(tenantId);
        var rounds = await db.InspectionRounds.AsNoTracking().Where(r => r.SiteId == site.Id && r.Active).OrderBy(r => r.Id).ToListAsync(ct);
        var roundIds = rounds.Select(r => r.Id).ToList();
        var first = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var last = to.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var done = (await db.Inspections.AsNoTracking().Where(i => i.RoundId != null && roundIds.Contains(i.RoundId.Value) && i.DueLocal != null
                    && i.DueLocal.CompareTo(first) >= 0 && i.DueLocal.CompareTo(last) < 0)
                .Select(i => new { i.Id, i.RoundId, i.DueLocal, i.SubmittedAt }).ToListAsync(ct))
            .GroupBy(i => (i.RoundId!.Value, i.DueLocal!)).ToDictionary(g => g.Key, g => g.OrderBy(i => i.SubmittedAt).First());
        var calendar = meters.Calendar(site.Definition.TimeZone);
        var list = new List<OccurrenceView>();
        foreach (var r in rounds)
        {
            var body = JsonSerializer.Deserialize<RoundBody>(r.Body, Json)!;
            // A round is due from the (local) day it was made: no missed occurrences from before it existed.
            var created = calendar.ToLocal(r.CreatedAt).Date;
            if (person is not null && body.Assignee.Person != person && (body.Assignee.Role is null || roles is null || !roles.Contains(body.Assignee.Role))) continue;
            // One day more than asked, so the last occurrence knows the next one.
            var times = body.Schedule.Occurrences(from, to.AddDays(1));
            for (var k = 0; k < times.Count; k++)
            {
                var due = times[k];
                if (DateOnly.FromDateTime(due) > to) break;
                if (due < created) continue;
                var key = due.ToString(LocalFormat, CultureInfo.InvariantCulture);
                var inspection = done.GetValueOrDefault((r.Id, key));
                DateTime? submitted = inspection is null ? null : calendar.ToLocal(inspection.SubmittedAt);
                var state = Occurrences.StateOf(due, k + 1 < times.Count ? times[k + 1] : null, body.Schedule.WindowMinutes, submitted, now);
                list.Add(new OccurrenceView(r.Id, body.Name, body.NameZh, body.Template, body.Node, key,
                    due.AddMinutes(body.Schedule.WindowMinutes).ToString(LocalFormat, CultureInfo.InvariantCulture), state, inspection?.Id, body.Assignee));
            }
        }
        return list.OrderBy(o => o.Due, StringComparer.Ordinal).ThenBy(o => o.Round).ToList();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Inspections

    /// <summary>
    /// Stores a submission once: a submission id seen before answers the stored inspection (<c>Created</c> false) and
    /// changes nothing. Otherwise the answers are judged against the round's template (latest version) or the template
    /// named; photos are checked and cleaned; a required item without an answer, or a photo refused, refuses the whole
    /// submission with the reasons (nothing is stored, the phone keeps it). Failed items whose template says so open
    /// work orders, in the same transaction.
    /// </summary>
    public async Task<SubmissionResult?> SubmitAsync(long tenantId, string siteKey, InspectionSubmission submission, IReadOnlyList<PhotoUpload> photos, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(photos);
        var site = await SiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        if (string.IsNullOrWhiteSpace(submission.SubmissionId) || submission.SubmissionId.Length is < 8 or > 64)
            throw new BadInputException("submissionId: the phone's id of this submission, 8-64 characters (e.g. a UUID), the same on every retry");
        if (await ExistingAsync(tenantId, site, submission.SubmissionId, ct) is { } earlier) return new SubmissionResult(earlier, false);

        var keepLocation = options.Value.KeepPhotoLocation;
        RoundBody? round = null;
        string? dueLocal = null;
        if (submission.RoundId is { } roundId)
        {
            await using var db = catalog.Open(tenantId);
            var row = await db.InspectionRounds.AsNoTracking().FirstOrDefaultAsync(r => r.SiteId == site.Id && r.Id == roundId, ct)
                ?? throw new BadInputException($"roundId: no round {roundId} at this site");
            round = JsonSerializer.Deserialize<RoundBody>(row.Body, Json)!;
            if (submission.Due is not null)
            {
                if (!DateTime.TryParseExact(submission.Due, LocalFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var due))
                    throw new BadInputException("due: the occurrence's local due time, yyyy-MM-ddTHH:mm");
                var day = DateOnly.FromDateTime(due);
                if (!round.Schedule.Occurrences(day, day).Contains(due)) throw new BadInputException($"due: round {roundId} is not due at {submission.Due}");
                dueLocal = submission.Due;
            }
        }
        var templateKey = round?.Template ?? submission.Template ?? throw new BadInputException("template: name the template, or the round");
        var template = await TemplateAsync(tenantId, siteKey, templateKey, null, ct) ?? throw new BadInputException($"template: no template '{templateKey}' at this site");
        if (submission.Answers.Count > 200) throw new BadInputException("answers: at most 200");
        if (photos.Count > MaxPhotos) throw new BadInputException($"photos: at most {MaxPhotos} in one submission");

        var cleaned = new List<(PhotoUpload Upload, CleanPhoto Photo)>();
        var photoErrors = new List<string>();
        foreach (var p in photos)
        {
            if (template.Template.Items.All(i => i.Key != p.Item)) { photoErrors.Add($"{p.Name}: item '{p.Item}' is not in template '{templateKey}'"); continue; }
            var (photo, error) = PhotoFile.Clean(p.Content, keepLocation);
            if (photo is null) photoErrors.Add($"{p.Name} ({p.Item}): {error}");
            else cleaned.Add((p, photo));
        }
        if (photoErrors.Count > 0) throw new BadInputException($"photos: {string.Join("; ", photoErrors)}");
        var (outcomes, missing) = Checklists.Judge(template.Template, submission.Answers, item => cleaned.Count(c => c.Upload.Item == item));
        if (missing.Count > 0) throw new BadInputException($"answers: {string.Join("; ", missing)}");

        // Thumbnails are made before the transaction (decoding takes tens of milliseconds per photo).
        var thumbnails = cleaned.Select(c => PhotoThumbnail.Make(c.Photo.Content, c.Photo.ContentType)).ToList();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var started = DateTimeOffset.TryParse(submission.StartedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s) && s.ToUnixTimeMilliseconds() <= now
            ? s.ToUnixTimeMilliseconds() : now;
        var record = new InspectionRecord
        {
            TenantId = tenantId, SiteId = site.Id, TemplateId = template.Id, RoundId = submission.RoundId, DueLocal = dueLocal, SubmissionId = submission.SubmissionId,
            Answers = JsonSerializer.Serialize(submission.Answers, Json), Outcomes = JsonSerializer.Serialize(outcomes, Json), Failed = outcomes.Count(o => o.Failed),
            Location = keepLocation ? submission.Location : null, DoneBy = by, StartedAt = started, SubmittedAt = now,
        };
        try
        {
            await catalog.WriteAsync(tenantId, async db =>
            {
                db.Inspections.Add(record);
                await db.SaveChangesAsync(ct);
                foreach (var ((upload, photo), thumbnail) in cleaned.Zip(thumbnails))
                {
                    db.FieldPhotos.Add(new FieldPhotoRecord
                    {
                        TenantId = tenantId, InspectionId = record.Id, Item = upload.Item, Name = Safe(upload.Name), ContentType = photo.ContentType, Content = photo.Content,
                        Thumbnail = thumbnail, TakenBy = by, TakenAt = now,
                    });
                }
                foreach (var o in outcomes.Where(o => o.Failed))
                {
                    var item = template.Template.Items.First(i => i.Key == o.Item);
                    if (item.OnFail.WorkOrder) workOrders.AddFromInspection(db, site, record, template.Template, item, o, round?.Node, by, now);
                }
                return await db.SaveChangesAsync(ct);
            }, ct);
        }
        catch (DbUpdateException)
        {
            // The same submission arrived twice at once: the other request stored it (anything else is rethrown).
            if (await ExistingAsync(tenantId, site, submission.SubmissionId, ct) is { } other) return new SubmissionResult(other, false);
            throw;
        }
        return new SubmissionResult((await InspectionAsync(tenantId, siteKey, record.Id, ct))!, true);
    }

    private static string Safe(string name) => Path.GetFileName(name) is { Length: > 0 and <= 200 } n ? n : "photo";

    /// <summary>The inspection stored under a submission id, or null; an id used at another site of the tenant is refused.</summary>
    private async Task<InspectionView?> ExistingAsync(long tenantId, SiteModel site, string submissionId, CancellationToken ct)
    {
        (long Id, long SiteId)? found;
        await using (var db = catalog.Open(tenantId))
            found = await db.Inspections.AsNoTracking().Where(i => i.SubmissionId == submissionId).Select(i => new ValueTuple<long, long>(i.Id, i.SiteId)).Cast<(long, long)?>()
                .FirstOrDefaultAsync(ct);
        if (found is not { } f) return null;
        if (f.SiteId != site.Id) throw new BadInputException("submissionId: this id was used for an inspection at another site; a new submission needs a new id");
        return await InspectionAsync(tenantId, site.Definition.Key, f.Id, ct);
    }

    public async Task<InspectionView?> InspectionAsync(long tenantId, string siteKey, long id, CancellationToken ct)
    {
        var site = await SiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        var row = await db.Inspections.AsNoTracking().Include(i => i.Template).FirstOrDefaultAsync(i => i.SiteId == site.Id && i.Id == id, ct);
        if (row is null) return null;
        var photos = await Photos(db.FieldPhotos.AsNoTracking().Where(p => p.InspectionId == id)).ToListAsync(ct);
        var orders = await db.WorkOrders.AsNoTracking().Where(w => w.InspectionId == id).OrderBy(w => w.Id).Select(w => w.Id).ToListAsync(ct);
        return InspectionOf(row, siteKey, photos.Select(PhotoOf).ToList(), orders);
    }

    /// <summary>The site's inspections, newest first (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<InspectionView>?> InspectionsAsync(long tenantId, string siteKey, int limit, CancellationToken ct)
    {
        var site = await SiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        var rows = await db.Inspections.AsNoTracking().Include(i => i.Template).Where(i => i.SiteId == site.Id).OrderByDescending(i => i.SubmittedAt).ThenByDescending(i => i.Id)
            .Take(Math.Clamp(limit, 1, 1000)).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var photos = (await Photos(db.FieldPhotos.AsNoTracking().Where(p => p.InspectionId != null && ids.Contains(p.InspectionId.Value))).ToListAsync(ct)).ToLookup(p => p.InspectionId);
        var orders = (await db.WorkOrders.AsNoTracking().Where(w => w.InspectionId != null && ids.Contains(w.InspectionId.Value)).Select(w => new { w.Id, w.InspectionId }).ToListAsync(ct))
            .ToLookup(w => w.InspectionId);
        return rows.Select(r => InspectionOf(r, siteKey, photos[r.Id].Select(PhotoOf).ToList(), orders[r.Id].Select(o => o.Id).ToList())).ToList();
    }

    internal sealed record PhotoRow(long Id, long? InspectionId, long? WorkOrderId, string Item, string Name, string ContentType, long Bytes, string TakenBy, long TakenAt,
        bool Thumbnail);

    internal static IQueryable<PhotoRow> Photos(IQueryable<FieldPhotoRecord> q) =>
        q.OrderBy(p => p.Id).Select(p => new PhotoRow(p.Id, p.InspectionId, p.WorkOrderId, p.Item, p.Name, p.ContentType, p.Content.Length, p.TakenBy, p.TakenAt,
            p.Thumbnail != null));

    internal static PhotoView PhotoOf(PhotoRow p) => new(p.Id, p.Item, p.Name, p.ContentType, p.Bytes, p.TakenBy, Iso(p.TakenAt), p.Thumbnail);

    private static InspectionView InspectionOf(InspectionRecord r, string site, IReadOnlyList<PhotoView> photos, IReadOnlyList<long> orders) =>
        new(r.Id, site, r.TemplateId, r.Template!.Key, r.Template.Version, r.RoundId, r.DueLocal, r.SubmissionId,
            JsonSerializer.Deserialize<List<ItemAnswer>>(r.Answers, Json)!, JsonSerializer.Deserialize<List<ItemOutcome>>(r.Outcomes, Json)!, r.Failed, photos, orders,
            r.Location, r.DoneBy, Iso(r.StartedAt), Iso(r.SubmittedAt));

    /// <summary>
    /// A photo of an inspection or a work order of the site, or with <paramref name="thumbnail"/> its thumbnail (a JPEG;
    /// made now and kept for a photo stored without one; the photo itself when its picture cannot be decoded).
    /// </summary>
    public async Task<(string Name, string ContentType, byte[] Content)?> PhotoAsync(long tenantId, string siteKey, long id, bool thumbnail, CancellationToken ct)
    {
        var site = await SiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        var ofSite = db.FieldPhotos.AsNoTracking().Where(p => p.Id == id
            && (db.Inspections.Any(i => i.Id == p.InspectionId && i.SiteId == site.Id) || db.WorkOrders.Any(w => w.Id == p.WorkOrderId && w.SiteId == site.Id)));
        if (thumbnail && await ofSite.Select(p => new { p.Name, p.Thumbnail }).FirstOrDefaultAsync(ct) is { Thumbnail: { } small } kept)
            return (Path.ChangeExtension(kept.Name, null) + "-thumbnail.jpg", "image/jpeg", small);
        var row = await ofSite.Select(p => new { p.Name, p.ContentType, p.Content }).FirstOrDefaultAsync(ct);
        if (row is null) return null;
        if (!thumbnail || PhotoThumbnail.Make(row.Content, row.ContentType) is not { } made) return (row.Name, row.ContentType, row.Content);
        await catalog.WriteAsync(tenantId, async w => await w.FieldPhotos.Where(p => p.Id == id && p.Thumbnail == null).ExecuteUpdateAsync(u => u.SetProperty(p => p.Thumbnail, made), ct), ct);
        return (Path.ChangeExtension(row.Name, null) + "-thumbnail.jpg", "image/jpeg", made);
    }
}
