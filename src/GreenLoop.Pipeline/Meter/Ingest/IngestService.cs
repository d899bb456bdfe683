using System.Globalization;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Meter.Ingest;

/// <summary>A row that could not even be read (bad JSON type, a timestamp without offset), kept with its raw text.</summary>
public sealed record RejectedRow(RowRejection Rejection, string? Meter, string? Ts, string? Value);

/// <summary>
/// A batch as the edge (HTTP, CSV, MQTT, import) parsed it: the readings it could read, each with its index in the
/// original batch, and the rows it could not read.
/// </summary>
public sealed record IngestRequest(IReadOnlyList<ReadingInput> Readings, string Source)
{
    /// <summary>Original index of each reading; null means 0..n-1.</summary>
    public IReadOnlyList<int>? Indexes { get; init; }
    public IReadOnlyList<RejectedRow> ParseRejections { get; init; } = [];

    /// <summary>When set, only meters of these sites may be written (a site-scoped API key); others are refused per row.</summary>
    public IReadOnlySet<string>? OnlySites { get; init; }

    /// <summary>Who sends the batch (the key or user as the audit trail names them), kept with every quarantined row.</summary>
    public string? Sender { get; init; }
}

/// <summary>
/// The single ingest path for every source: validate each reading, append the valid ones durably (duplicates are
/// no-ops, conflicting values are refused), quarantine everything rejected with its reason, wake derivation.
/// </summary>
public sealed class IngestService(IReadingStore store, MeterCatalog catalog, DerivationSignal signal, TimeProvider clock)
{
    /// <summary>Readings more than this far in the future are refused (clock errors, wrong offsets).</summary>
    public static readonly TimeSpan MaxFuture = PlausibleTime.MaxFuture;

    /// <summary>Readings before this instant are refused (a zeroed RTC, a Unix-epoch default).</summary>
    public static readonly DateTimeOffset Earliest = PlausibleTime.Earliest;

    /// <summary>
    /// The largest magnitude a reading may have: no meter shows more (a 12-digit register in Wh is 1e12), and derived
    /// figures stay finite however they are multiplied and summed. A larger value is a transmission or parsing fault.
    /// </summary>
    public const double MaxMagnitude = 1e15;

    public Task<IngestResult> IngestAsync(long tenantId, IReadOnlyList<ReadingInput> readings, string source, CancellationToken ct) =>
        IngestAsync(tenantId, new IngestRequest(readings, source), ct);

    public async Task<IngestResult> IngestAsync(long tenantId, IngestRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var readings = request.Readings;
        var rejected = new List<RejectedRow>(request.ParseRejections);
        var toStore = new List<StoredReading>(readings.Count);
        var storePos = new List<int>(readings.Count);
        var seen = new Dictionary<(long Meter, long Ts), double>();
        var duplicates = 0;

        for (var i = 0; i < readings.Count; i++)
        {
            var r = readings[i];
            var index = request.Indexes?[i] ?? i;
            void Reject(string field, string reason) =>
                rejected.Add(new RejectedRow(new RowRejection(index, field, reason), r.Meter, r.Ts.ToString("O", CultureInfo.InvariantCulture), r.Value.ToString("R", CultureInfo.InvariantCulture)));

            var (meter, field, reason) = await CheckAsync(tenantId, r, request.OnlySites, now, ct);
            if (meter is null) { Reject(field!, reason!); continue; }
            var def = meter.Definition;
            var ts = r.Ts.ToUnixTimeMilliseconds();
            if (seen.TryGetValue((meter.Id, ts), out var earlier))
            {
                if (earlier.Equals(r.Value)) { duplicates++; continue; }
                Reject("value", $"the batch has two different values for '{def.Key}' at {r.Ts:O} ({earlier} and {r.Value})");
                continue;
            }
            seen[(meter.Id, ts)] = r.Value;
            toStore.Add(new StoredReading(new MeterId(meter.Id), new Instant(ts), r.Value));
            storePos.Add(i);
        }

        var accepted = 0;
        if (toStore.Count > 0)
        {
            var outcomes = await store.AppendReadingsAsync(toStore, new Instant(now.ToUnixTimeMilliseconds()), ct);
            for (var i = 0; i < outcomes.Length; i++)
            {
                switch (outcomes[i].Status)
                {
                    case AppendStatus.Inserted: accepted++; break;
                    case AppendStatus.Duplicate: duplicates++; break;
                    default:
                        var r = readings[storePos[i]];
                        rejected.Add(new RejectedRow(
                            new RowRejection(request.Indexes?[storePos[i]] ?? storePos[i], "value", $"conflict: {outcomes[i].Existing?.ToString("R", CultureInfo.InvariantCulture)} is already stored for '{r.Meter}' at {r.Ts:O}; the stored reading is kept"),
                            r.Meter, r.Ts.ToString("O", CultureInfo.InvariantCulture), r.Value.ToString("R", CultureInfo.InvariantCulture)));
                        break;
                }
            }
            if (accepted > 0) signal.Notify();
        }

        if (rejected.Count > 0)
        {
            var received = now.ToUnixTimeMilliseconds();
            var scope = request.OnlySites is { } sites ? string.Join(",", sites.Order(StringComparer.Ordinal)) : null;
            await store.QuarantineAsync(rejected.Select(x => Bounded(new QuarantineEntry
            {
                TenantId = tenantId,
                ReceivedAt = received,
                Source = request.Source,
                Meter = x.Meter,
                Ts = x.Ts,
                Value = x.Value,
                Field = x.Rejection.Field,
                Reason = x.Rejection.Reason,
                Sender = request.Sender,
                Scope = scope,
            })).ToList(), ct);
        }
        rejected.Sort((a, b) => a.Rejection.Index.CompareTo(b.Rejection.Index));
        return new IngestResult(readings.Count + request.ParseRejections.Count, accepted, duplicates, rejected.Select(x => x.Rejection).ToList());
    }

    /// <summary>
    /// The checks one reading must pass before it may be stored, without touching the store: the meter exists (and, for
    /// a site-scoped key, belongs to an allowed site), the value is finite, the instant is plausible, interval
    /// consumption is not negative. Returns the meter, or the field at fault and the reason. Shared by ingest and the
    /// import's dry run, so the two can never disagree.
    /// </summary>
    public async ValueTask<(MeterRef? Meter, string? Field, string? Reason)> CheckAsync(
        long tenantId, ReadingInput r, IReadOnlySet<string>? onlySites, DateTimeOffset now, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(r.Meter)) return (null, "meter", "meter key is missing");
        var meter = await catalog.FindAsync(tenantId, r.Meter, ct);
        if (meter is null) return (null, "meter", $"unknown meter '{r.Meter}'; define it in a site document first, then replay the quarantine");
        if (onlySites is not null && !onlySites.Contains(meter.SiteKey))
            return (null, "meter", $"meter '{r.Meter}' belongs to site '{meter.SiteKey}'; this API key may write to {string.Join(", ", onlySites.Order().Select(x => $"'{x}'"))} only");
        if (!double.IsFinite(r.Value)) return (null, "value", "value must be a finite number (NaN and infinities are refused)");
        if (Math.Abs(r.Value) > MaxMagnitude)
            return (null, "value", string.Create(CultureInfo.InvariantCulture, $"value {r.Value:R} is larger than any meter shows (at most {MaxMagnitude:0e0} in magnitude); check the register's scale and the payload"));
        if (meter.Definition.MaxAbsValue is { } limit && Math.Abs(r.Value) > limit)
            return (null, "value", string.Create(CultureInfo.InvariantCulture, $"value {r.Value:R} is beyond what meter '{meter.Definition.Key}' can show (maxAbsValue {limit:R} in its site document); check the register's scale and the payload"));
        if (r.Ts > now + MaxFuture)
            return (null, "ts", string.Create(CultureInfo.InvariantCulture, $"instant {r.Ts:O} is more than {MaxFuture.TotalHours:0} h in the future; check the device clock and offset"));
        if (r.Ts < Earliest)
            return (null, "ts", string.Create(CultureInfo.InvariantCulture, $"instant {r.Ts:O} is before {Earliest:yyyy-MM-dd}; check the device clock"));
        var def = meter.Definition;
        if (def.Kind == MeterKind.Cumulative && r.Value < 0)
            return (null, "value", string.Create(CultureInfo.InvariantCulture, $"negative reading {r.Value:R} for cumulative register '{def.Key}': a register counts up from zero; check the sign and the register's scale"));
        if (def.Kind == MeterKind.Interval && def.Quantity != MeterQuantity.ProcessVariable && r.Value < 0)
            return (null, "value", $"negative consumption {r.Value} for interval meter '{def.Key}'; export is metered by a meter with direction Export");
        return (meter, null, null);
    }

    /// <summary>
    /// Tries every quarantined row again (e.g. after the missing meter was defined). Rows that pass leave the
    /// quarantine; rows that fail again stay, once, with their newest reason.
    /// </summary>
    /// <summary>The longest field (meter, instant, value) kept whole in the quarantine, in characters; longer ones are cut.</summary>
    public const int MaxQuarantineField = 256;

    /// <summary>The longest reason kept, in characters.</summary>
    public const int MaxQuarantineReason = 1000;

    /// <summary>
    /// Cuts what a rejected row could bring in without bound (one 30 MB CSV cell): each field to
    /// <see cref="MaxQuarantineField"/> characters and the reason to <see cref="MaxQuarantineReason"/>, keeping the
    /// longest original length in <see cref="QuarantineEntry.RawLength"/>.
    /// </summary>
    public static QuarantineEntry Bounded(QuarantineEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var longest = Math.Max(e.Meter?.Length ?? 0, Math.Max(e.Ts?.Length ?? 0, e.Value?.Length ?? 0));
        if (longest <= MaxQuarantineField && e.Reason.Length <= MaxQuarantineReason) return e;
        static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
        return e with
        {
            Meter = Cut(e.Meter, MaxQuarantineField),
            Ts = Cut(e.Ts, MaxQuarantineField),
            Value = Cut(e.Value, MaxQuarantineField),
            Reason = Cut(e.Reason, MaxQuarantineReason)!,
            RawLength = longest > MaxQuarantineField ? longest : null,
        };
    }

    /// <summary>
    /// Tries quarantined rows again (e.g. after the missing meter was defined): every row the query selects, newest
    /// first, in pages of 10,000 (the query's limit caps the total when set lower). Each row is checked with the scope
    /// of the key that sent it (a row a site-scoped key could not write stays refused) and keeps its original source
    /// and sender; rows that pass leave the quarantine, rows that fail again are quarantined anew with today's reason.
    /// A row cut when it was quarantined cannot be replayed and stays.
    /// </summary>
    public async Task<(int Replayed, int Accepted, int StillRejected)> ReplayQuarantineAsync(long tenantId, QuarantineQuery? query, CancellationToken ct)
    {
        var selection = query ?? new QuarantineQuery { Limit = int.MaxValue };
        catalog.Invalidate();
        int replayed = 0, accepted = 0, still = 0;
        // Rows quarantined anew get larger ids than any selected now: paging down from the current newest never meets them.
        long? before = selection.BeforeId;
        var left = selection.Limit;
        while (left > 0)
        {
            var page = await store.ListQuarantineAsync(tenantId, selection with { BeforeId = before, Limit = Math.Min(10_000, left) }, ct);
            if (page.Count == 0) break;
            before = page[^1].Id;
            left -= page.Count;
            var groups = new Dictionary<(string Source, string? Sender, string? Scope), (List<ReadingInput> Readings, List<long> Ids)>();
            foreach (var e in page)
            {
                if (e.RawLength is not null || e.Meter is null || e.Ts is null || e.Value is null
                    // The same rule as at the edge: a stamp without an offset stays ambiguous (never the server's zone).
                    || !ReadingParsers.TryParseInstant(e.Ts, out var ts, out _)
                    || !double.TryParse(e.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    still++;
                    continue;
                }
                var key = (e.Source, e.Sender, e.Scope);
                if (!groups.TryGetValue(key, out var group)) groups[key] = group = ([], []);
                group.Readings.Add(new ReadingInput(e.Meter, ts, value));
                group.Ids.Add(e.Id);
            }
            foreach (var ((source, sender, scope), (readings, ids)) in groups)
            {
                // The replayed rows are removed first: a row that fails again is quarantined anew with today's reason.
                await store.DeleteQuarantineAsync(tenantId, ids, ct);
                var onlySites = scope is null ? null : scope.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
                var result = await IngestAsync(tenantId, new IngestRequest(readings, source) { OnlySites = onlySites, Sender = sender }, ct);
                replayed += readings.Count;
                accepted += result.Accepted + result.Duplicates;
                still += result.Rejected.Count;
            }
        }
        return (replayed, accepted, still);
    }
}

/// <summary>Wakes the derivation worker when readings were committed.</summary>
public sealed class DerivationSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); }
            catch (SemaphoreFullException) { /* already signalled */ }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
