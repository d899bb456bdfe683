using GreenLoop.Domain.Model;

namespace GreenLoop.Storage.Catalog;

/// <summary>
/// Which meters count toward which node. A meter with role Counted counts toward its node and every ancestor, except
/// where its parent meter already counts toward that node (no double counting: the site total is the main incomer, a
/// workshop total is the workshop's meter). Gauges (instantaneous meters) count toward nothing.
/// </summary>
public static class NodeClosure
{
    /// <param name="parentOfNode">Every node of the site with its parent (null for the root).</param>
    /// <param name="meters">Every meter of the site: id, node and definition.</param>
    public static HashSet<(long Node, long Meter)> Compute(IReadOnlyDictionary<long, long?> parentOfNode,
        IReadOnlyList<(long Id, long Node, MeterDefinition Definition)> meters)
    {
        ArgumentNullException.ThrowIfNull(parentOfNode);
        ArgumentNullException.ThrowIfNull(meters);
        var byKey = meters.ToDictionary(m => m.Definition.Key, StringComparer.Ordinal);

        IEnumerable<long> AncestorsOrSelf(long node)
        {
            for (long? n = node; n is not null; n = parentOfNode.GetValueOrDefault(n.Value)) yield return n.Value;
        }

        var want = new HashSet<(long Node, long Meter)>();
        foreach (var m in meters)
        {
            if (m.Definition.Role != MeterRole.Counted || m.Definition.Kind == MeterKind.Instantaneous) continue;
            foreach (var node in AncestorsOrSelf(m.Node))
            {
                var covered = false;
                for (var p = m.Definition.Parent; p is not null && byKey.TryGetValue(p, out var pm); p = pm.Definition.Parent)
                {
                    if (pm.Definition.Role == MeterRole.Counted && AncestorsOrSelf(pm.Node).Contains(node)) { covered = true; break; }
                }
                if (!covered) want.Add((node, m.Id));
            }
        }
        return want;
    }
}
