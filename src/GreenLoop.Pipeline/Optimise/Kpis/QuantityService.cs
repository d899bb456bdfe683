using System.Globalization;
using GreenLoop.Domain.Model;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Pipeline.Optimise.Kpis;

/// <summary>
/// A quantity to record: its key, the local days it covers (<paramref name="From"/> to <paramref name="To"/>, both
/// included, or a whole <paramref name="Period"/> <c>yyyy</c> / <c>yyyy-MM</c>), value and unit, and a note.
/// </summary>
public sealed record QuantityInput(string? Key = null, string? Period = null, string? From = null, string? To = null, double? Value = null, string? Unit = null, string? Note = null);

/// <summary>A recorded quantity as shown: days included, evidence file if any, who recorded it and when.</summary>
public sealed record QuantityView(long Id, string Key, string From, string To, double Value, string Unit, string? Note, string? EvidenceName, long? EvidenceBytes, string RecordedBy, string RecordedAt);

/// <summary>An evidence file as stored.</summary>
public sealed record EvidenceFile(string Name, string ContentType, byte[] Content);

/// <summary>
/// Quantities no meter measures, recorded by people (waste shipped, lab results, purchases of certified materials,
/// packaging recovered): value and unit over the days they cover, with an evidence file, who and when. KPI formulas
/// read them with <c>recorded(key)</c> and <c>recorded_mean(key)</c>.
/// </summary>
public sealed class QuantityService(ISiteCatalog sites, ICatalogDb catalog, TimeProvider clock)
{
    /// <summary>Largest evidence file, bytes.</summary>
    public const int MaxEvidenceBytes = 10 * 1024 * 1024;

    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>
    /// The days of a record inside a period and the record's own days: a record spanning the period's edge counts pro
    /// rata (value × inside / span) in a sum, and with weight <c>inside</c> in a mean.
    /// </summary>
    public static (int Inside, int Span) Overlap(QuantityRecord record, Domain.Optimise.KpiPeriod period)
    {
        ArgumentNullException.ThrowIfNull(record);
        var from = DateOnly.ParseExact(record.FromDate, DateFormat, CultureInfo.InvariantCulture);
        var to = DateOnly.ParseExact(record.ToDate, DateFormat, CultureInfo.InvariantCulture);
        var inside = Math.Min(to.DayNumber, period.End.DayNumber) - Math.Max(from.DayNumber, period.First.DayNumber);
        return (Math.Max(0, inside), to.DayNumber - from.DayNumber);
    }

    /// <summary>The part of a record's value that falls in the period (value × days inside / days it covers).</summary>
    public static double Prorated(QuantityRecord record, Domain.Optimise.KpiPeriod period)
    {
        var (inside, span) = Overlap(record, period);
        return span > 0 ? record.Value * inside / span : 0;
    }

    /// <summary>The records of the site that overlap the period (the period's days, [first, end)).</summary>
    public static IQueryable<QuantityRecord> InPeriod(GreenLoopDb db, long siteId, Domain.Optimise.KpiPeriod period)
    {
        ArgumentNullException.ThrowIfNull(db);
        var first = period.First.ToString(DateFormat, CultureInfo.InvariantCulture);
        var end = period.End.ToString(DateFormat, CultureInfo.InvariantCulture);
        // ISO dates compare as text: [from, to) overlaps [first, end).
        return db.Quantities.AsNoTracking().Where(q => q.SiteId == siteId && q.FromDate.CompareTo(end) < 0 && q.ToDate.CompareTo(first) > 0);
    }

    /// <summary>Every problem with <paramref name="input"/>, by field.</summary>
    public static Dictionary<string, string[]> Validate(QuantityInput input, out DateOnly from, out DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string[]>();
        from = to = default;
        if (!SiteDefinitionValidator.IsKey(input.Key)) errors["key"] = ["1-64 letters, digits, '-', '_' or '.', e.g. waste.solid"];
        if (input.Period is not null)
        {
            if (input.From is not null || input.To is not null) errors["period"] = ["give either period or from and to"];
            else if (Domain.Optimise.KpiPeriod.TryParse(input.Period, out var p)) (from, to) = (p.First, p.End.AddDays(-1));
            else errors["period"] = ["a year yyyy or a month yyyy-MM, 2000 to 2199"];
        }
        else
        {
            if (!DateOnly.TryParseExact(input.From, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out from) || from.Year is < 2000 or > 2199)
                errors["from"] = ["the first day, yyyy-MM-dd (2000 to 2199)"];
            if (!DateOnly.TryParseExact(input.To, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out to) || to.Year is < 2000 or > 2199)
                errors["to"] = ["the last day (included), yyyy-MM-dd (2000 to 2199)"];
            else if (!errors.ContainsKey("from") && to < from) errors["to"] = ["the last day is before the first"];
            else if (!errors.ContainsKey("from") && to.DayNumber - from.DayNumber > 366) errors["to"] = ["one record covers at most a year"];
        }
        if (input.Value is not { } v || !double.IsFinite(v)) errors["value"] = ["a finite number"];
        else if (Math.Abs(v) > 1e15) errors["value"] = ["at most 1e15 in magnitude"];
        if (string.IsNullOrWhiteSpace(input.Unit) || input.Unit.Length > 32) errors["unit"] = ["1-32 characters, e.g. t or mg/L"];
        if (input.Note is { Length: > 2000 }) errors["note"] = ["at most 2000 characters"];
        return errors;
    }

    public async Task<QuantityView?> RecordAsync(long tenantId, string siteKey, QuantityInput input, string by, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        if (Validate(input, out var from, out var to) is { Count: > 0 } errors)
            throw new BadInputException(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        var row = new QuantityRecord
        {
            TenantId = tenantId, SiteId = site.Id, Key = input.Key!, FromDate = from.ToString(DateFormat, CultureInfo.InvariantCulture),
            ToDate = to.AddDays(1).ToString(DateFormat, CultureInfo.InvariantCulture), Value = input.Value!.Value, Unit = input.Unit!.Trim(),
            Note = input.Note, RecordedBy = by, RecordedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        await catalog.WriteAsync(tenantId, async db =>
        {
            db.Quantities.Add(row);
            return await db.SaveChangesAsync(ct);
        }, ct);
        return View(row);
    }

    /// <summary>The site's records, newest period first; <paramref name="key"/> and a date range narrow them.</summary>
    public async Task<IReadOnlyList<QuantityView>?> ListAsync(long tenantId, string siteKey, string? key, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        var q = db.Quantities.AsNoTracking().Where(x => x.SiteId == site.Id);
        if (key is not null) q = q.Where(x => x.Key == key);
        if (to is { } t)
        {
            var end = t.AddDays(1).ToString(DateFormat, CultureInfo.InvariantCulture);
            q = q.Where(x => x.FromDate.CompareTo(end) < 0);
        }
        if (from is { } f)
        {
            var first = f.ToString(DateFormat, CultureInfo.InvariantCulture);
            q = q.Where(x => x.ToDate.CompareTo(first) > 0);
        }
        // The evidence bytes stay in the database: only their length is read.
        var rows = await q.Select(x => new { Row = x, Length = x.Evidence == null ? (long?)null : x.Evidence.Length })
            .ToListAsync(ct);
        return rows.Select(r => View(r.Row, r.Length)).OrderByDescending(v => v.From, StringComparer.Ordinal).ThenByDescending(v => v.Id).ToList();
    }

    /// <summary>Deletes a record of the site; false if there is none.</summary>
    public async Task<bool> DeleteAsync(long tenantId, string siteKey, long id, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return false;
        return await catalog.WriteAsync(tenantId, async db => await db.Quantities.Where(x => x.SiteId == site.Id && x.Id == id).ExecuteDeleteAsync(ct) > 0, ct);
    }

    /// <summary>Attaches (or replaces) the evidence file of a record; false if there is no such record.</summary>
    public async Task<bool> AttachAsync(long tenantId, string siteKey, long id, EvidenceFile file, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return false;
        return await catalog.WriteAsync(tenantId, async db =>
        {
            var row = await db.Quantities.FirstOrDefaultAsync(x => x.SiteId == site.Id && x.Id == id, ct);
            if (row is null) return false;
            (row.EvidenceName, row.EvidenceType, row.Evidence) = (file.Name, file.ContentType, file.Content);
            await db.SaveChangesAsync(ct);
            return true;
        }, ct);
    }

    public async Task<EvidenceFile?> EvidenceAsync(long tenantId, string siteKey, long id, CancellationToken ct)
    {
        var site = await sites.GetSiteAsync(tenantId, siteKey, ct);
        if (site is null) return null;
        await using var db = catalog.Open(tenantId);
        var row = await db.Quantities.AsNoTracking().FirstOrDefaultAsync(x => x.SiteId == site.Id && x.Id == id, ct);
        return row?.Evidence is { } bytes ? new EvidenceFile(row.EvidenceName ?? "evidence", row.EvidenceType ?? "application/octet-stream", bytes) : null;
    }

    private static QuantityView View(QuantityRecord r, long? evidenceBytes = null) => new(r.Id, r.Key, r.FromDate,
        DateOnly.ParseExact(r.ToDate, DateFormat, CultureInfo.InvariantCulture).AddDays(-1).ToString(DateFormat, CultureInfo.InvariantCulture),
        r.Value, r.Unit, r.Note, r.EvidenceName, evidenceBytes ?? r.Evidence?.Length, r.RecordedBy,
        DateTimeOffset.FromUnixTimeMilliseconds(r.RecordedAt).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
