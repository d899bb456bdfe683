using System.Globalization;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Storage;

namespace GreenLoop.Connectors.Import;

/// <summary>
/// An ingest that writes nothing: it answers a batch as <see cref="IngestService.IngestAsync(long, IngestRequest, CancellationToken)"/>
/// would (same checks, same reasons, same duplicate and conflict outcomes against the stored readings) so that an
/// <see cref="ImportRunner"/> driven by it yields the report the real import will give, without storing, quarantining
/// or waking derivation. The checks mirror <see cref="IngestService"/>; a test imports the same file both ways and
/// compares the outcomes, so the two cannot drift apart unnoticed.
/// </summary>
public sealed class ImportDryRun(IDerivationStore store, IngestService ingest, TimeProvider clock)
{
    /// <summary>The answer the ingest would give to <paramref name="readings"/> now; nothing is written.</summary>
    public async Task<IngestResult> CheckAsync(long tenantId, IReadOnlyList<ReadingInput> readings, CancellationToken ct, IReadOnlySet<string>? onlySites = null)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var now = clock.GetUtcNow();
        var rejected = new List<RowRejection>();
        var seen = new Dictionary<(long Meter, long Ts), double>();
        var toCheck = new List<(int Index, MeterRef Meter, long Ts)>();
        var duplicates = 0;

        for (var i = 0; i < readings.Count; i++)
        {
            var r = readings[i];
            void Reject(string field, string reason) => rejected.Add(new RowRejection(i, field, reason));

            var (meter, field, reason) = await ingest.CheckAsync(tenantId, r, onlySites, now, ct).ConfigureAwait(false);
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
            toCheck.Add((i, meter, ts));
        }

        var accepted = 0;
        foreach (var group in toCheck.GroupBy(c => c.Meter.Id))
        {
            var stored = await StoredAsync(group.Key, group.Min(c => c.Ts), group.Max(c => c.Ts), ct).ConfigureAwait(false);
            foreach (var (index, _, ts) in group)
            {
                var r = readings[index];
                if (!stored.TryGetValue(ts, out var existing)) accepted++;
                // Bit-equal, as the store compares: the same text parses to the same double.
                else if (existing.Equals(r.Value)) duplicates++;
                else rejected.Add(new RowRejection(index, "value",
                    $"conflict: {existing.ToString("R", CultureInfo.InvariantCulture)} is already stored for '{r.Meter}' at {r.Ts:O}; the stored reading is kept"));
            }
        }

        rejected.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new IngestResult(readings.Count, accepted, duplicates, rejected);
    }

    private async Task<Dictionary<long, double>> StoredAsync(long meterId, long from, long to, CancellationToken ct)
    {
        var readings = await store.ReadingsAsync(new MeterId(meterId), new Instant(from), new Instant(to), withNeighbours: false, ct).ConfigureAwait(false);
        var byTs = new Dictionary<long, double>(readings.Length);
        foreach (var r in readings) byTs[r.Ts] = r.Value;
        return byTs;
    }
}
