using GreenLoop.Domain.Derivation;

namespace GreenLoop.Storage;

/// <summary>A node total a meter counts toward: the node, and the meter's carrier and direction.</summary>
public readonly record struct NodeKey(long Node, string Carrier, string Direction);

/// <summary>One node total in one period: grain 0 is the 15-minute bucket, 1 the local hour, 2 the day, 3 the month.</summary>
public readonly record struct NodeCell(long Node, string Carrier, string Direction, int Grain, long Ts);

/// <summary>
/// What to add to a node total: the change of its value (<see cref="HasValue"/> when a counted value is part of it),
/// of its covered time and of its count of meter periods, and flags to add.
/// </summary>
public readonly record struct NodeChange(double Value, bool HasValue, long Covered, int Meters, QualityFlags Flags);

/// <summary>
/// Node totals kept from the change of each meter period rather than re-summed over every meter of the node: the
/// difference between a meter period before and after derivation is added to each node total the meter counts toward.
/// Sums, covered time, counts and added flags are additive; two changes are not, and send the node total to be
/// recomputed from its meters' periods instead: a counted value that disappears (a sum cannot tell whether it was the
/// last one, which makes the total NULL rather than zero) and a flag that a meter period loses (another meter may still
/// carry it). Both stores apply <see cref="Additions"/> as one upsert and recompute <see cref="Recompute"/>; a full
/// recompute of a site gives the same numbers (the storage contract suite checks it on a randomized workload).
/// </summary>
public sealed class NodeDeltas
{
    private readonly Dictionary<NodeCell, NodeChange> _additions = [];
    private readonly HashSet<NodeCell> _recompute = [];

    /// <summary>Changes to add (not those recomputed), in no particular order.</summary>
    public IEnumerable<KeyValuePair<NodeCell, NodeChange>> Additions => _additions.Where(a => !_recompute.Contains(a.Key));

    /// <summary>Changes to add in key order, so that concurrent writers lock rows in the same order (PostgreSQL).</summary>
    public IReadOnlyList<KeyValuePair<NodeCell, NodeChange>> SortedAdditions() =>
        Additions.OrderBy(a => a.Key.Node).ThenBy(a => a.Key.Grain).ThenBy(a => a.Key.Ts)
            .ThenBy(a => a.Key.Carrier, StringComparer.Ordinal).ThenBy(a => a.Key.Direction, StringComparer.Ordinal).ToList();

    /// <summary>Forgets every change, keeping the memory for the next pass (a pass of a back-fill records tens of thousands).</summary>
    public void Clear()
    {
        _additions.Clear();
        _recompute.Clear();
    }

    /// <summary>Node totals to recompute from their meters' periods.</summary>
    public IReadOnlyCollection<NodeCell> Recompute => _recompute;

    public bool IsEmpty => _additions.Count == 0 && _recompute.Count == 0;

    /// <summary>True if two stored periods are the same (nothing to write, nothing to add).</summary>
    public static bool Same(DerivedRow a, DerivedRow b) =>
        a.Ts == b.Ts && a.UpTs == b.UpTs && Nullable.Equals(a.Value, b.Value) && Nullable.Equals(a.Min, b.Min) && Nullable.Equals(a.Max, b.Max)
        && a.CoveredMs == b.CoveredMs && a.Flags == b.Flags;

    /// <summary>Records the change of one meter period (null: absent) under every node total it counts toward.</summary>
    public void Add(IReadOnlyList<NodeKey> keys, int grain, long ts, DerivedRow? old, DerivedRow? now)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0 || (old is null && now is null)) return;
        if (old is { } o && now is { } n && Same(o, n)) return;
        var recompute = old is { } was && (was.Value is not null && now?.Value is null || (was.Flags & ~(now?.Flags ?? QualityFlags.None)) != 0);
        var change = new NodeChange(
            (now?.Value ?? 0) - (old?.Value ?? 0),
            now?.Value is not null,
            (now?.CoveredMs ?? 0) - (old?.CoveredMs ?? 0),
            (now is null ? 0 : 1) - (old is null ? 0 : 1),
            now?.Flags ?? QualityFlags.None);
        foreach (var k in keys)
        {
            var cell = new NodeCell(k.Node, k.Carrier, k.Direction, grain, ts);
            if (recompute)
            {
                _recompute.Add(cell);
                continue;
            }
            _additions[cell] = _additions.TryGetValue(cell, out var before)
                ? new NodeChange(before.Value + change.Value, before.HasValue || change.HasValue, before.Covered + change.Covered,
                    before.Meters + change.Meters, before.Flags | change.Flags)
                : change;
        }
    }

    /// <summary>
    /// Compares a meter's stored periods of one grain over a span with the derived ones: returns the rows to write
    /// (new or different) and the instants to delete (stored, no longer derived); records their node changes and adds
    /// the next grain's periods they belong to (their <c>UpTs</c>, before and after) to <paramref name="changedUp"/>.
    /// </summary>
    public (List<DerivedRow> Write, List<long> Delete) Compare(IReadOnlyList<NodeKey> keys, int grain, Dictionary<long, DerivedRow> stored,
        IReadOnlyList<DerivedRow> derived, ISet<long>? changedUp)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(derived);
        var write = new List<DerivedRow>();
        foreach (var row in derived)
        {
            DerivedRow? before = null;
            if (stored.Remove(row.Ts, out var was))
            {
                if (Same(was, row)) continue;
                before = was;
                changedUp?.Add(was.UpTs);
            }
            changedUp?.Add(row.UpTs);
            write.Add(row);
            Add(keys, grain, row.Ts, before, row);
        }
        var delete = new List<long>(stored.Count);
        foreach (var (ts, gone) in stored)
        {
            delete.Add(ts);
            changedUp?.Add(gone.UpTs);
            Add(keys, grain, ts, gone, null);
        }
        return (write, delete);
    }
}
