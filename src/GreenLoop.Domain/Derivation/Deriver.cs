using System.Globalization;
using GreenLoop.Domain.Model;

namespace GreenLoop.Domain.Derivation;

/// <summary>
/// Turns one meter's raw readings into 15-minute UTC buckets over a span [from, to). Pure: no I/O, no clock.
/// The caller passes every reading that can contribute to the span (for counters and gauges the last reading at or
/// before <c>from</c> and the first at or after <c>to</c>; for interval meters every reading whose period overlaps).
/// </summary>
public static class Deriver
{
    public const long BucketMs = SiteCalendarConstants.BucketMs;

    /// <summary>Derives the buckets in [from, to) that any reading contributes to, and findings with instants in that span.</summary>
    /// <param name="meter">The meter's derivation settings.</param>
    /// <param name="readings">Raw readings sorted by time, one per instant.</param>
    /// <param name="events">Recorded replacements and resets, sorted by time.</param>
    /// <param name="from">Span start, Unix ms, a multiple of 15 minutes.</param>
    /// <param name="to">Span end (exclusive), Unix ms, a multiple of 15 minutes.</param>
    public static DerivationResult Derive(MeterConfig meter, ReadOnlySpan<RawReading> readings, IReadOnlyList<CounterEvent> events, long from, long to)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(events);
        if (from % BucketMs != 0 || to % BucketMs != 0 || to < from)
            throw new ArgumentException("The span must be whole 15-minute buckets with from <= to.");
        var acc = new Accumulator(from, to);
        var findings = new List<MeterFinding>();
        switch (meter.Kind)
        {
            case MeterKind.Cumulative: DeriveCumulative(meter, readings, events, acc, findings); break;
            case MeterKind.Interval: DeriveInterval(meter, readings, acc, findings); break;
            case MeterKind.Instantaneous: DeriveInstantaneous(meter, readings, acc, findings); break;
            default: throw new ArgumentOutOfRangeException(nameof(meter), meter.Kind, "Unknown meter kind.");
        }
        // OrderBy is stable: findings at the same instant keep the order they were found in, so a sub-span derives
        // them in the same order as the whole (List.Sort is not stable and could swap them).
        var inSpan = findings.Where(f => f.Ts >= from && f.Ts < to).OrderBy(f => f.Ts).ToList();
        return new DerivationResult(acc.ToBuckets(meter.Kind == MeterKind.Instantaneous), inSpan);
    }

    private static void DeriveCumulative(MeterConfig meter, ReadOnlySpan<RawReading> r, IReadOnlyList<CounterEvent> events, Accumulator acc, List<MeterFinding> findings)
    {
        var e = 0;
        var p = 0; // the reading the next pair starts from (a bad reading is skipped over)
        for (var i = 1; i < r.Length; i++)
        {
            var a = r[p];
            var b = r[i];
            var flags = QualityFlags.None;
            var measured = true;
            double delta = 0;
            var current = a.Value;
            while (e < events.Count && events[e].Ts <= a.Ts) e++;
            // Readings stamped at or after an event's instant belong to the new register.
            for (; e < events.Count && events[e].Ts <= b.Ts; e++)
            {
                var ev = events[e];
                flags |= ev.Kind == MeterEventKind.Replacement ? QualityFlags.Replacement : QualityFlags.Reset;
                var kind = ev.Kind == MeterEventKind.Replacement ? FindingKind.Replacement : FindingKind.Reset;
                if (ev.OldValue is { } old && old >= current)
                {
                    delta += old - current;
                    findings.Add(new(ev.Ts, kind, Invariant($"register {current} -> {old} (old), then from {ev.NewValue} (new)")));
                }
                else
                {
                    // The old register's last value is unknown (or inconsistent): the part before the event is not measured.
                    measured = false;
                    flags |= QualityFlags.Estimated;
                    findings.Add(new(ev.Ts, kind, Invariant($"register restarts at {ev.NewValue}; consumption before the event since {current} is unknown")));
                }
                current = ev.NewValue;
            }

            var last = b.Value - current;
            if (last >= 0)
            {
                delta += last;
            }
            else if (meter.RolloverAt is { } wrap && current <= wrap && wrap - current + b.Value < wrap / 2)
            {
                delta += wrap - current + b.Value;
                flags |= QualityFlags.Rollover;
                findings.Add(new(b.Ts, FindingKind.Rollover, Invariant($"register wrapped at {wrap}: {current} -> {b.Value}")));
            }
            else if (flags == QualityFlags.None && i + 1 < r.Length && r[i + 1].Value >= current && !AnyEvent(events, a.Ts, r[i + 1].Ts))
            {
                // One low reading between two that continue the register (a glitch on the bus, a misread): it is the
                // reading that is wrong, not the register. Skip it; the next pair starts from the reading before it.
                findings.Add(new(b.Ts, FindingKind.Drop, Invariant($"reading {b.Value} is below the previous {current} and the next {r[i + 1].Value} continues the register: a bad reading, skipped")));
                acc.MarkOnly(b.Ts, b.Ts + 1, QualityFlags.Drop);
                continue;
            }
            else
            {
                findings.Add(new(b.Ts, FindingKind.Drop, Invariant($"reading fell from {current} to {b.Value} with no recorded replacement or reset; this span is not counted")));
                acc.MarkOnly(a.Ts, b.Ts, flags | QualityFlags.Drop);
                p = i;
                continue;
            }

            var span = b.Ts - a.Ts;
            var energy = delta * meter.Multiplier;
            if (span > meter.MaxGapMs)
            {
                flags |= QualityFlags.Gap | QualityFlags.Estimated;
                measured = false;
                findings.Add(new(a.Ts, FindingKind.Gap, Invariant($"no reading for {FormatDuration(span)}; {energy:0.###} spread evenly over the gap (estimated)")));
            }
            if (meter.MaxRatePerHour is { } limit && energy / (span / 3_600_000d) > limit)
            {
                flags |= QualityFlags.Spike;
                findings.Add(new(b.Ts, FindingKind.Spike, Invariant($"{energy:0.###} in {FormatDuration(span)} is {energy / (span / 3_600_000d):0.###}/h, above the plausible {limit}/h")));
            }
            acc.Spread(a.Ts, b.Ts, energy, measured, flags);
            p = i;
        }
    }

    private static bool AnyEvent(IReadOnlyList<CounterEvent> events, long after, long upTo)
    {
        foreach (var ev in events)
        {
            if (ev.Ts > after && ev.Ts <= upTo) return true;
        }
        return false;
    }

    private static void DeriveInterval(MeterConfig meter, ReadOnlySpan<RawReading> r, Accumulator acc, List<MeterFinding> findings)
    {
        long? previousEnd = null;
        for (var i = 0; i < r.Length; i++)
        {
            var start = meter.Stamp == IntervalStamp.PeriodEnding ? r[i].Ts - meter.IntervalMs : r[i].Ts;
            var end = start + meter.IntervalMs;
            if (previousEnd is { } pe && start - pe > meter.MaxGapMs)
                findings.Add(new(pe, FindingKind.Gap, Invariant($"no interval reading for {FormatDuration(start - pe)}")));
            var energy = r[i].Value * meter.Multiplier;
            var flags = QualityFlags.None;
            if (meter.MaxRatePerHour is { } limit && energy / (meter.IntervalMs / 3_600_000d) > limit)
            {
                flags |= QualityFlags.Spike;
                findings.Add(new(r[i].Ts, FindingKind.Spike, Invariant($"{energy:0.###} in {FormatDuration(meter.IntervalMs)} is above the plausible {limit}/h")));
            }
            acc.Spread(start, end, energy, measured: true, flags);
            previousEnd = end;
        }
    }

    private static void DeriveInstantaneous(MeterConfig meter, ReadOnlySpan<RawReading> r, Accumulator acc, List<MeterFinding> findings)
    {
        for (var i = 0; i < r.Length; i++)
        {
            var value = r[i].Value * meter.Multiplier;
            // Sample-and-hold: a sample stands until the next one, for at most the maximum gap. The newest sample
            // holds for no time yet; it still counts toward its bucket's min and max.
            var holdEnd = r[i].Ts;
            if (i + 1 < r.Length)
            {
                var next = r[i + 1].Ts;
                holdEnd = Math.Min(next, r[i].Ts + meter.MaxGapMs);
                if (next - r[i].Ts > meter.MaxGapMs)
                    findings.Add(new(r[i].Ts, FindingKind.Gap, Invariant($"no sample for {FormatDuration(next - r[i].Ts)}")));
            }
            acc.Hold(r[i].Ts, holdEnd, value);
        }
    }

    private static string FormatDuration(long ms)
    {
        var t = TimeSpan.FromMilliseconds(ms);
        return t.TotalHours >= 1 ? Invariant($"{t.TotalHours:0.##} h") : Invariant($"{t.TotalMinutes:0.##} min");
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>Per-bucket sums over the span; index = (bucket start - from) / 15 min.</summary>
    private sealed class Accumulator
    {
        private readonly long _from;
        private readonly double[] _value;
        private readonly double[] _weighted;
        private readonly double[] _min;
        private readonly double[] _max;
        private readonly double[] _sampleSum;
        private readonly int[] _sampleCount;
        private readonly long[] _covered;
        private readonly bool[] _hasValue;
        private readonly bool[] _touched;
        private readonly QualityFlags[] _flags;

        public Accumulator(long from, long to)
        {
            _from = from;
            var n = checked((int)((to - from) / BucketMs));
            _value = new double[n];
            _weighted = new double[n];
            _min = new double[n];
            _max = new double[n];
            _sampleSum = new double[n];
            _sampleCount = new int[n];
            _covered = new long[n];
            _hasValue = new bool[n];
            _touched = new bool[n];
            _flags = new QualityFlags[n];
            Array.Fill(_min, double.PositiveInfinity);
            Array.Fill(_max, double.NegativeInfinity);
        }

        private int Count => _value.Length;

        /// <summary>Spreads an amount over (start, end) in proportion to time.</summary>
        public void Spread(long start, long end, double amount, bool measured, QualityFlags flags)
        {
            var span = end - start;
            if (span <= 0) return;
            foreach (var (k, overlap) in Overlaps(start, end))
            {
                _value[k] += amount * overlap / span;
                _hasValue[k] = true;
                _touched[k] = true;
                if (measured) _covered[k] += overlap;
                _flags[k] |= flags;
            }
        }

        /// <summary>Marks buckets that a span touches without counting anything (e.g. an unexplained drop).</summary>
        public void MarkOnly(long start, long end, QualityFlags flags)
        {
            foreach (var (k, _) in Overlaps(start, end))
            {
                _touched[k] = true;
                _flags[k] |= flags;
            }
        }

        /// <summary>A gauge value held over [start, end); a zero-length hold still counts toward min and max.</summary>
        public void Hold(long start, long end, double value)
        {
            var first = Index(start);
            if (first >= 0 && first < Count)
            {
                Sample(first, value);
            }
            foreach (var (k, overlap) in Overlaps(start, end))
            {
                _weighted[k] += value * overlap;
                _covered[k] += overlap;
                _min[k] = Math.Min(_min[k], value);
                _max[k] = Math.Max(_max[k], value);
                _touched[k] = true;
                _hasValue[k] = true;
            }
        }

        private void Sample(int k, double value)
        {
            _sampleSum[k] += value;
            _sampleCount[k]++;
            _min[k] = Math.Min(_min[k], value);
            _max[k] = Math.Max(_max[k], value);
            _touched[k] = true;
            _hasValue[k] = true;
        }

        private int Index(long ts) => (int)Math.Floor((ts - _from) / (double)BucketMs);

        private IEnumerable<(int Bucket, long Overlap)> Overlaps(long start, long end)
        {
            var spanEnd = _from + Count * BucketMs;
            var s = Math.Max(start, _from);
            var e = Math.Min(end, spanEnd);
            if (s >= e) yield break;
            for (var k = Index(s); k < Count; k++)
            {
                var bs = _from + k * BucketMs;
                if (bs >= e) break;
                var overlap = Math.Min(e, bs + BucketMs) - Math.Max(s, bs);
                if (overlap > 0) yield return (k, overlap);
            }
        }

        public IReadOnlyList<BucketValue> ToBuckets(bool gauge)
        {
            var list = new List<BucketValue>();
            for (var k = 0; k < Count; k++)
            {
                if (!_touched[k]) continue;
                var start = _from + k * BucketMs;
                if (!gauge)
                {
                    list.Add(new BucketValue(start, _hasValue[k] ? _value[k] : null, null, null, _covered[k], _flags[k]));
                    continue;
                }
                double? mean = _covered[k] > 0 ? _weighted[k] / _covered[k]
                    : _sampleCount[k] > 0 ? _sampleSum[k] / _sampleCount[k] : null;
                list.Add(new BucketValue(start, mean,
                    double.IsFinite(_min[k]) ? _min[k] : null,
                    double.IsFinite(_max[k]) ? _max[k] : null,
                    _covered[k], _flags[k]));
            }
            return list;
        }
    }
}
