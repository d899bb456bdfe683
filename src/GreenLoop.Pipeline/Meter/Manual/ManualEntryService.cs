using System.Globalization;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Storage;
using Microsoft.Extensions.Logging;

namespace GreenLoop.Pipeline.Meter.Manual;

/// <summary>
/// Manual entry for offline meters (monthly bills, delivery notes, walk-round readings). An entry is a register reading
/// at an instant, stored as a reading like any other, plus who entered it, when, and from which document. A
/// correction is a new version of the entry (with a reason) that replaces the reading's value; earlier versions stay.
/// Saving wakes derivation, which recomputes the consumption around the reading; nothing else is invalidated.
/// </summary>
public sealed partial class ManualEntryService(IConnectorCatalog store, MeterCatalog catalog, DerivationSignal signal, TimeProvider clock,
    ILogger<ManualEntryService> logger)
{
    /// <summary>Longest document reference kept.</summary>
    public const int MaxDocument = 200;

    /// <summary>Longest note or reason kept.</summary>
    public const int MaxNote = 2000;

    private static readonly string[] _localFormats =
        ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd"];

    /// <summary>Records a new entry and its reading.</summary>
    public async Task<ManualSaveResult> CreateAsync(long tenantId, ManualEntryInput input, string enteredBy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(enteredBy);
        var errors = new Errors();
        MeterRef? meter = null;
        if (string.IsNullOrWhiteSpace(input.Meter)) errors.Add("meter", "choose the meter");
        else if ((meter = await catalog.FindAsync(tenantId, input.Meter.Trim(), ct).ConfigureAwait(false)) is null)
            errors.Add("meter", $"unknown meter '{input.Meter.Trim()}'");

        var ts = ParseInstant(input.Ts, input.TimeZone, errors);
        CheckValue(input.Value, meter, errors);
        CheckText(input.Document, input.Note, null, errors);
        if (errors.Any) return errors.Result();

        var outcome = await store.SaveManualEntryAsync(tenantId, new ManualEntryDraft
        {
            MeterId = meter!.Id,
            Ts = ts!.Value.ToUnixTimeMilliseconds(),
            Value = input.Value!.Value,
            EnteredBy = enteredBy,
            EnteredAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            Document = Trimmed(input.Document),
            Note = Trimmed(input.Note),
        }, ct).ConfigureAwait(false);
        return Answer(outcome, meter);
    }

    /// <summary>Adds a version to an entry with a corrected value; the reading takes the new value and is derived again.</summary>
    public async Task<ManualSaveResult> CorrectAsync(long tenantId, long entryId, ManualCorrectionInput input, string enteredBy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(enteredBy);
        var history = await store.ManualEntryHistoryAsync(tenantId, entryId, ct).ConfigureAwait(false);
        if (history.Count == 0) return new ManualSaveResult(ManualSaveStatus.NotFound, null, ManualSaveResult.NoErrors);
        var latest = history[^1];
        var meter = await catalog.FindAsync(latest.MeterId, ct).ConfigureAwait(false);
        var errors = new Errors();
        CheckValue(input.Value, meter, errors);
        if (string.IsNullOrWhiteSpace(input.Reason)) errors.Add("reason", "say why the value is corrected (e.g. misread digit, corrected bill)");
        CheckText(input.Document, input.Note, input.Reason, errors);
        if (errors.Any) return errors.Result();

        var outcome = await store.SaveManualEntryAsync(tenantId, new ManualEntryDraft
        {
            Corrects = entryId,
            MeterId = latest.MeterId,
            Ts = latest.Ts,
            Value = input.Value!.Value,
            EnteredBy = enteredBy,
            EnteredAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            Document = Trimmed(input.Document) ?? latest.Document,
            Note = Trimmed(input.Note) ?? latest.Note,
            Reason = Trimmed(input.Reason),
        }, ct).ConfigureAwait(false);
        return Answer(outcome, meter);
    }

    /// <summary>The newest version of each entry, newest instant first; null when <paramref name="meterKey"/> names no meter of the tenant.</summary>
    public async Task<IReadOnlyList<ManualEntryView>?> ListAsync(long tenantId, string? meterKey, int limit, CancellationToken ct)
    {
        long? meterId = null;
        if (!string.IsNullOrWhiteSpace(meterKey))
        {
            if (await catalog.FindAsync(tenantId, meterKey.Trim(), ct).ConfigureAwait(false) is not { } meter) return null;
            meterId = meter.Id;
        }

        var entries = await store.ManualEntriesAsync(tenantId, meterId, Math.Clamp(limit, 1, 10_000), ct).ConfigureAwait(false);
        var views = new List<ManualEntryView>(entries.Count);
        foreach (var e in entries) views.Add(await ViewAsync(e, ct).ConfigureAwait(false));
        return views;
    }

    /// <summary>Every version of an entry, oldest first; empty when the entry is not the tenant's.</summary>
    public async Task<IReadOnlyList<ManualEntryView>> HistoryAsync(long tenantId, long entryId, CancellationToken ct)
    {
        var versions = await store.ManualEntryHistoryAsync(tenantId, entryId, ct).ConfigureAwait(false);
        var views = new List<ManualEntryView>(versions.Count);
        foreach (var v in versions) views.Add(await ViewAsync(v, ct).ConfigureAwait(false));
        return views;
    }

    private ManualSaveResult Answer(ManualEntryOutcome outcome, MeterRef? meter)
    {
        switch (outcome.Status)
        {
            case ManualEntryStatus.Created or ManualEntryStatus.Corrected:
                // The store marked the meter for derivation in the same transaction; wake the worker now.
                signal.Notify();
                var entry = outcome.Entry!;
                LogSaved(entry.EntryId, entry.Version, entry.MeterKey, entry.EnteredBy);
                return new ManualSaveResult(ManualSaveStatus.Saved, View(entry, meter), ManualSaveResult.NoErrors);
            case ManualEntryStatus.ReadingExists:
                return new ManualSaveResult(ManualSaveStatus.ReadingExists, null, ManualSaveResult.NoErrors);
            case ManualEntryStatus.EntryExists:
                return new ManualSaveResult(ManualSaveStatus.EntryExists, null, ManualSaveResult.NoErrors, outcome.ExistingEntryId);
            default:
                return new ManualSaveResult(ManualSaveStatus.NotFound, null, ManualSaveResult.NoErrors);
        }
    }

    private DateTimeOffset? ParseInstant(string? text, string? timeZone, Errors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add("ts", "give the date and time the register was read");
            return null;
        }

        DateTimeOffset instant;
        if (ReadingParsers.TryParseInstant(text, out var withOffset, out _))
        {
            instant = withOffset;
        }
        else if (!DateTime.TryParseExact(text.Trim(), _localFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            errors.Add("ts", $"'{text}' is not a date and time: use ISO 8601, e.g. 2026-10-31T08:00:00+08:00, or 2026-10-31T08:00 with a time zone");
            return null;
        }
        else if (string.IsNullOrWhiteSpace(timeZone))
        {
            errors.Add("ts", $"'{text}' has no UTC offset: add one (e.g. +08:00) or give the time zone it is local to");
            return null;
        }
        else if (!SiteCalendar.TryFindZone(timeZone.Trim(), out var zone))
        {
            errors.Add("timeZone", $"unknown time zone '{timeZone}' (use an IANA id such as Asia/Shanghai)");
            return null;
        }
        else if (zone.IsInvalidTime(local))
        {
            errors.Add("ts", string.Create(CultureInfo.InvariantCulture, $"local time {local:yyyy-MM-dd HH:mm} does not exist in {zone.Id} (skipped by the daylight-saving change)"));
            return null;
        }
        else if (zone.IsAmbiguousTime(local))
        {
            errors.Add("ts", string.Create(CultureInfo.InvariantCulture, $"local time {local:yyyy-MM-dd HH:mm} happens twice in {zone.Id} (daylight saving ends); give the UTC offset"));
            return null;
        }
        else
        {
            instant = new DateTimeOffset(local, zone.GetUtcOffset(local));
        }

        var now = clock.GetUtcNow();
        if (instant > now + IngestService.MaxFuture)
        {
            errors.Add("ts", string.Create(CultureInfo.InvariantCulture, $"{instant:yyyy-MM-dd HH:mm zzz} is more than a day in the future"));
            return null;
        }

        if (instant < IngestService.Earliest)
        {
            errors.Add("ts", string.Create(CultureInfo.InvariantCulture, $"{instant:yyyy-MM-dd} is before {IngestService.Earliest:yyyy-MM-dd}"));
            return null;
        }

        return instant;
    }

    private static void CheckValue(double? value, MeterRef? meter, Errors errors)
    {
        if (value is not { } v)
        {
            errors.Add("value", "give the value as read");
            return;
        }

        if (!double.IsFinite(v))
        {
            errors.Add("value", "the value must be a finite number");
            return;
        }

        if (v >= 0 || meter is null) return;
        var def = meter.Definition;
        if (def.Kind == MeterKind.Cumulative)
            errors.Add("value", $"'{def.Key}' is a cumulative register: its reading cannot be negative");
        else if (def.Kind == MeterKind.Interval && def.Quantity != MeterQuantity.ProcessVariable)
            errors.Add("value", $"'{def.Key}' records consumption per interval: it cannot be negative (export is metered by a meter with direction Export)");
    }

    private static void CheckText(string? document, string? note, string? reason, Errors errors)
    {
        if (document?.Trim().Length > MaxDocument) errors.Add("document", $"the document reference is longer than {MaxDocument} characters");
        if (note?.Trim().Length > MaxNote) errors.Add("note", $"the note is longer than {MaxNote} characters");
        if (reason?.Trim().Length > MaxNote) errors.Add("reason", $"the reason is longer than {MaxNote} characters");
    }

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private async Task<ManualEntryView> ViewAsync(StoredManualEntry entry, CancellationToken ct) =>
        View(entry, await catalog.FindAsync(entry.MeterId, ct).ConfigureAwait(false));

    private ManualEntryView View(StoredManualEntry entry, MeterRef? meter)
    {
        var calendar = meter is null ? null : catalog.Calendar(meter.TimeZone);
        DateTimeOffset Local(long ms) => calendar?.ToLocalOffset(ms) ?? DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return new ManualEntryView
        {
            EntryId = entry.EntryId,
            Version = entry.Version,
            Meter = entry.MeterKey,
            Site = meter?.SiteKey ?? "",
            Unit = meter?.Definition.Unit ?? "",
            Kind = meter?.Definition.Kind ?? MeterKind.Cumulative,
            Ts = Local(entry.Ts),
            Value = entry.Value,
            EnteredBy = entry.EnteredBy,
            EnteredAt = Local(entry.EnteredAt),
            Document = entry.Document,
            Note = entry.Note,
            Reason = entry.Reason,
        };
    }

    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "Manual entry {EntryId} version {Version} of {Meter} saved by {By}")]
    private partial void LogSaved(long entryId, int version, string meter, string by);

    /// <summary>Reasons by field, in the order found.</summary>
    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

        public bool Any => _byField.Count > 0;

        public void Add(string field, string reason)
        {
            if (!_byField.TryGetValue(field, out var list)) _byField[field] = list = [];
            list.Add(reason);
        }

        public ManualSaveResult Result() =>
            new(ManualSaveStatus.Invalid, null, _byField.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
    }
}
