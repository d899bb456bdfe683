using System.Globalization;
using GreenLoop.Accounting;
using GreenLoop.Domain.Derivation;
using GreenLoop.Pipeline.Monitor.Query;

namespace GreenLoop.Pipeline.Monitor.Flow;

/// <summary>What the diagram's values are: each carrier in its own unit, or every carrier in tonnes of standard coal.</summary>
public enum FlowUnit
{
    /// <summary>Each carrier its own flow, in the unit its meters count (kWh, m³): carriers are not added together.</summary>
    Energy,
    /// <summary>Every carrier converted to tce with the energy report's coefficients, so carriers add up in one flow.</summary>
    Tce,
}

/// <summary>A node of the plant tree as the flow sees it; <see cref="Parent"/> null for the top of the tree.</summary>
public sealed record FlowTreeNode(string Key, string Name, string? NameZh, string? Parent);

/// <summary>
/// What the counted meters of one node measured of one carrier (import) over the period, in the carrier's unit, the same
/// roll-up as the node series and <c>/energy</c>: <see cref="Completeness"/> is the measured coverage over the elapsed
/// part of the period and the node's counted meters (0..1); <see cref="Flags"/> the union of the meter periods' flags.
/// </summary>
public readonly record struct FlowTotal(double Value, double Completeness, QualityFlags Flags);

/// <summary>A carrier entering the site: its unit and, when it has one, its conversion to standard coal.</summary>
public sealed record FlowCarrierInput(string Carrier, string Unit, CoalConversion? Conversion);

/// <summary>
/// A node of the diagram. <see cref="Kind"/>: <c>carrier</c> (a carrier entering the node drawn), <c>node</c> (a node
/// of the plant tree), <c>remainder</c> (what a node took in and its metered sub-nodes did not: unmetered use and
/// losses), <c>excess</c> (what the sub-nodes metered beyond what their parent did: a metering problem, listed in the
/// problems). <see cref="Value"/> is what flows through it in <see cref="Unit"/>; <see cref="Drill"/> says whether it has
/// metered sub-nodes to drill into.
/// </summary>
public sealed record FlowNode(string Id, string Kind, string? Node, string? Carrier, string Name, string? NameZh, double Value, string Unit,
    double Completeness, bool Drill);

/// <summary>
/// A link of the diagram, never negative. <see cref="Kind"/>: <c>supply</c> (carrier into the node drawn), <c>flow</c>
/// (node to a metered sub-node), <c>remainder</c> or <c>excess</c>. <see cref="Value"/> is in <see cref="Unit"/> (the
/// carrier's unit, or tce); <see cref="Quantity"/> is the same flow in the carrier's metered unit.
/// </summary>
public sealed record FlowLink(string Source, string Target, string Kind, string Carrier, double Value, string Unit, double Quantity, string QuantityUnit,
    double Completeness, IReadOnlyList<string> Flags);

/// <summary>
/// One node's balance for one carrier, in the diagram's unit: <see cref="Inflow"/> = <see cref="Outflow"/> (the sum of
/// its metered sub-nodes) + <see cref="Remainder"/>. A negative remainder means the sub-nodes metered more than their
/// parent: it is drawn as an <c>excess</c> node and listed as a problem. <see cref="MissingChildren"/>: sub-nodes with
/// counted meters but no data in the period (their consumption is then inside the remainder); the remainder's
/// <see cref="Completeness"/> is the least of the parent's and every sub-node's, 0 with a sub-node missing.
/// </summary>
public sealed record FlowBalance(string Node, string Name, string? NameZh, string Carrier, string Unit, double Inflow, double Outflow, double Remainder,
    double? RemainderPercent, IReadOnlyList<string> Children, IReadOnlyList<string> MissingChildren, double Completeness);

/// <summary>
/// Something the meters say that cannot be right, with the amounts: <c>subMetersExceedParent</c> (the sub-nodes
/// metered more than the node) or <c>noDataAtNode</c> (the node's own meters have no data, its sub-nodes have; its flow
/// is drawn as their sum). Amounts in <see cref="Unit"/>; <see cref="Parent"/> is null when the node has no data.
/// </summary>
public sealed record FlowProblem(string Kind, string Node, string Name, string? NameZh, string Carrier, string Unit, double? Parent, double Children,
    double Difference, string Message, string MessageZh);

/// <summary>
/// A carrier of the diagram: its metered quantity at the node drawn, how complete, and its standard-coal coefficient with
/// its lineage (the energy report's); <see cref="Counted"/> false with <see cref="Reason"/> when it cannot be converted,
/// in which case the tce diagram leaves it out (never as zero).
/// </summary>
public sealed record FlowCarrier(string Carrier, string Unit, double? Quantity, double Completeness, bool Counted, FactorUse? Coefficient, double UnitScale,
    string? Reason, string? ReasonZh);

/// <summary>The diagram: nodes and links for ECharts, and the balances, problems and carriers behind them.</summary>
public sealed record FlowDiagram(IReadOnlyList<FlowCarrier> Carriers, IReadOnlyList<FlowNode> Nodes, IReadOnlyList<FlowLink> Links,
    IReadOnlyList<FlowBalance> Balances, IReadOnlyList<FlowProblem> Problems);

/// <summary>
/// The energy-flow diagram as arithmetic: pure, no store, no clock. From the node tree and each node's metered totals per
/// carrier it draws the carriers entering the focus node, then each node's flow into its metered sub-nodes, as far as
/// meters reach; what a node takes in and its sub-nodes do not is an explicit remainder (unmetered use and losses), and
/// what they take beyond it an explicit excess, so every node's inflow equals its outflow plus its remainder and no link
/// is negative. A node with no sub-node metered is where its flow ends (its own consumption).
/// </summary>
public static class EnergyFlow
{
    /// <summary>A remainder this small against the inflow is rounding, not a flow: it is zero and no remainder node is drawn.</summary>
    public const double Tolerance = 1e-9;

    /// <param name="focus">Key of the node drawn (the site's root for the whole site).</param>
    /// <param name="tree">Every node of the site.</param>
    /// <param name="carriers">The carriers to draw, in order.</param>
    /// <param name="totals">Metered totals by (node key, carrier); a node without data has no entry (never a zero).</param>
    /// <param name="expected">(node key, carrier) pairs with counted meters: a pair without a total is missing data.</param>
    /// <param name="unit">Energy (per carrier) or tce.</param>
    public static FlowDiagram Build(string focus, IReadOnlyList<FlowTreeNode> tree, IReadOnlyList<FlowCarrierInput> carriers,
        IReadOnlyDictionary<(string Node, string Carrier), FlowTotal> totals, IReadOnlySet<(string Node, string Carrier)> expected, FlowUnit unit)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(carriers);
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(expected);
        var byKey = tree.ToDictionary(n => n.Key, StringComparer.Ordinal);
        if (!byKey.ContainsKey(focus)) throw new ArgumentException($"'{focus}' is not a node of the tree", nameof(focus));
        var children = tree.Where(n => n.Parent is not null).GroupBy(n => n.Parent!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var builder = new Builder(byKey, children, totals, expected, unit);
        var flowCarriers = new List<FlowCarrier>();
        foreach (var c in carriers) flowCarriers.Add(builder.Carrier(focus, c));
        return new FlowDiagram(flowCarriers, builder.Nodes(), builder.Links, builder.Balances, builder.Problems);
    }

    private sealed class Builder(Dictionary<string, FlowTreeNode> byKey, Dictionary<string, List<FlowTreeNode>> children,
        IReadOnlyDictionary<(string, string), FlowTotal> totals, IReadOnlySet<(string, string)> expected, FlowUnit unit)
    {
        private readonly Dictionary<string, (string Kind, string? Node, string? Carrier, string Name, string? NameZh, string Unit)> _nodes = new(StringComparer.Ordinal);
        private readonly HashSet<string> _drill = new(StringComparer.Ordinal);

        public List<FlowLink> Links { get; } = [];

        public List<FlowBalance> Balances { get; } = [];

        public List<FlowProblem> Problems { get; } = [];

        /// <summary>A carrier's part of the diagram, drawn from <paramref name="focus"/> down.</summary>
        public FlowCarrier Carrier(string focus, FlowCarrierInput c)
        {
            var conversion = c.Conversion;
            var convertible = conversion?.Coefficient is not null;
            var top = Measure(focus, c.Carrier);
            var carrier = new FlowCarrier(c.Carrier, c.Unit, top?.Value, top?.Completeness ?? 0, convertible, conversion?.Coefficient,
                conversion?.UnitScale ?? 1, conversion?.Reason ?? (conversion is null ? "no standard-coal conversion: not an energy input in the site's accounting profile" : null),
                conversion?.ReasonZh ?? (conversion is null ? "无折标准煤换算：站点核算配置中不是能源投入" : null));
            if (top is null || (unit == FlowUnit.Tce && !convertible)) return carrier;
            var flow = new Flow(c.Carrier, c.Unit, unit == FlowUnit.Tce ? conversion : null);
            var source = $"carrier:{c.Carrier}";
            _nodes[source] = ("carrier", null, c.Carrier, CarrierNames.En(c.Carrier), CarrierNames.Zh(c.Carrier), flow.Unit);
            Links.Add(new FlowLink(source, NodeId(focus, flow), "supply", c.Carrier, flow.Of(top.Value.Value), flow.Unit, top.Value.Value, c.Unit,
                top.Value.Completeness, QueryService.FlagNames(top.Value.Flags)));
            Visit(focus, flow, top.Value);
            return carrier;
        }

        /// <summary>The node's flow of the carrier: its own total, else the sum of its sub-nodes'; null when nothing below it has data.</summary>
        private FlowTotal? Measure(string node, string carrier)
        {
            if (totals.TryGetValue((node, carrier), out var own)) return own;
            var below = Kids(node).Select(k => Measure(k.Key, carrier)).Where(t => t is not null).Select(t => t!.Value).ToList();
            return below.Count == 0 ? null : new FlowTotal(below.Sum(t => t.Value), 0, below.Aggregate(QualityFlags.None, (f, t) => f | t.Flags));
        }

        private List<FlowTreeNode> Kids(string node) => children.GetValueOrDefault(node) ?? [];

        /// <summary>
        /// Draws the node, which takes in <paramref name="inflow"/>, its links to its metered sub-nodes and its remainder, then
        /// each sub-node in turn (so the links read from the top down).
        /// </summary>
        private void Visit(string key, Flow flow, FlowTotal inflow)
        {
            var node = byKey[key];
            _nodes[NodeId(key, flow)] = ("node", key, flow.PerCarrier ? flow.Carrier : null, node.Name, node.NameZh, flow.Unit);

            var metered = new List<(FlowTreeNode Node, FlowTotal Total)>();
            var missing = new List<string>();
            foreach (var kid in Kids(key))
            {
                if (Measure(kid.Key, flow.Carrier) is { } t) metered.Add((kid, t));
                else if (expected.Contains((kid.Key, flow.Carrier))) missing.Add(kid.Key);
            }
            if (!totals.ContainsKey((key, flow.Carrier)))
            {
                var sum = flow.Of(inflow.Value);
                Problems.Add(new FlowProblem("noDataAtNode", key, node.Name, node.NameZh, flow.Carrier, flow.Unit, null, sum, 0,
                    $"the meters of {node.Name} have no {CarrierNames.En(flow.Carrier)} data in the period while its sub-nodes have: drawn as the sum of its sub-nodes ({Num(sum)} {flow.Unit})",
                    $"本期{Zh(node)}的{CarrierNames.Zh(flow.Carrier)}计量表无数据，而其下级节点有数据：按下级节点之和（{Num(sum)} {flow.Unit}）绘制"));
            }
            if (metered.Count == 0 && missing.Count == 0) return;

            _drill.Add(NodeId(key, flow));
            var inValue = flow.Of(inflow.Value);
            var outValue = 0.0;
            var outQuantity = 0.0;
            var completeness = missing.Count > 0 ? 0 : inflow.Completeness;
            // Largest first, in the links and in the balance alike.
            metered = [.. metered.OrderByDescending(m => m.Total.Value).ThenBy(m => m.Node.Key, StringComparer.Ordinal)];
            foreach (var (kid, t) in metered)
            {
                var v = flow.Of(t.Value);
                outValue += v;
                outQuantity += t.Value;
                completeness = Math.Min(completeness, t.Completeness);
                Links.Add(new FlowLink(NodeId(key, flow), NodeId(kid.Key, flow), "flow", flow.Carrier, v, flow.Unit, t.Value, flow.QuantityUnit,
                    t.Completeness, QueryService.FlagNames(t.Flags)));
            }
            // A remainder within rounding of zero is zero (in tce, converting the parent and each sub-node apart leaves
            // a few units in the last place): neither drawn nor reported as a tiny negative.
            var rounding = Math.Abs(inValue - outValue) <= Tolerance * Math.Max(1, Math.Abs(inValue));
            var remainder = rounding ? 0 : inValue - outValue;
            var quantity = rounding ? 0 : inflow.Value - outQuantity;
            Balances.Add(new FlowBalance(key, node.Name, node.NameZh, flow.Carrier, flow.Unit, inValue, outValue, remainder,
                inValue > 0 ? remainder / inValue * 100 : null, metered.Select(m => m.Node.Key).ToList(), missing, completeness));
            if (remainder > 0) Remainder(node, flow, remainder, quantity, completeness);
            else if (remainder < 0) Excess(node, flow, inValue, outValue, remainder, quantity, completeness);
            foreach (var (kid, t) in metered) Visit(kid.Key, flow, t);
        }

        /// <summary>What the node took in and its metered sub-nodes did not: unmetered use and losses.</summary>
        private void Remainder(FlowTreeNode node, Flow flow, double remainder, double quantity, double completeness)
        {
            var id = $"rest:{node.Key}{(flow.PerCarrier ? ":" + flow.Carrier : "")}";
            _nodes[id] = ("remainder", node.Key, flow.PerCarrier ? flow.Carrier : null, $"Unmetered / losses: {node.Name}", $"未计量/损耗：{Zh(node)}", flow.Unit);
            Links.Add(new FlowLink(NodeId(node.Key, flow), id, "remainder", flow.Carrier, remainder, flow.Unit, quantity, flow.QuantityUnit, completeness, []));
        }

        /// <summary>What the sub-nodes metered beyond their parent: drawn flowing into the node (never a negative link) and listed.</summary>
        private void Excess(FlowTreeNode node, Flow flow, double inValue, double outValue, double remainder, double quantity, double completeness)
        {
            var id = $"excess:{node.Key}{(flow.PerCarrier ? ":" + flow.Carrier : "")}";
            _nodes[id] = ("excess", node.Key, flow.PerCarrier ? flow.Carrier : null, $"Sub-meters exceed parent: {node.Name}", $"分表大于总表：{Zh(node)}", flow.Unit);
            Links.Add(new FlowLink(id, NodeId(node.Key, flow), "excess", flow.Carrier, -remainder, flow.Unit, -quantity, flow.QuantityUnit, completeness, []));
            Problems.Add(new FlowProblem("subMetersExceedParent", node.Key, node.Name, node.NameZh, flow.Carrier, flow.Unit, inValue, outValue, remainder,
                $"the sub-nodes of {node.Name} metered {Num(outValue)} {flow.Unit} of {CarrierNames.En(flow.Carrier)}, {Num(-remainder)} {flow.Unit} more than the {Num(inValue)} {flow.Unit} metered into it: check the meters' multipliers (CT ratios), wiring and parent meters",
                $"{Zh(node)}的下级节点计量{CarrierNames.Zh(flow.Carrier)} {Num(outValue)} {flow.Unit}，比进入该节点的 {Num(inValue)} {flow.Unit} 多 {Num(-remainder)} {flow.Unit}：请检查表计倍率（CT 变比）、接线和上级表配置"));
        }

        /// <summary>Every node drawn, with what flows through it (its inflow; a carrier's outflow) and the least complete of those links.</summary>
        public List<FlowNode> Nodes() => _nodes.Select(n =>
        {
            var through = Links.Where(l => n.Value.Kind is "carrier" or "excess" ? l.Source == n.Key : l.Target == n.Key).ToList();
            return new FlowNode(n.Key, n.Value.Kind, n.Value.Node, n.Value.Carrier, n.Value.Name, n.Value.NameZh, through.Sum(l => l.Value), n.Value.Unit,
                through.Select(l => l.Completeness).DefaultIfEmpty(0).Min(), _drill.Contains(n.Key));
        }).ToList();

        private static string NodeId(string key, Flow flow) => flow.PerCarrier ? $"node:{key}:{flow.Carrier}" : $"node:{key}";

        private static string Zh(FlowTreeNode node) => node.NameZh ?? node.Name;
    }

    /// <summary>One carrier's flow: its metered unit, and the conversion to tce when the diagram is in standard coal.</summary>
    private sealed record Flow(string Carrier, string QuantityUnit, CoalConversion? Coal)
    {
        public bool PerCarrier => Coal is null;

        public string Unit => Coal is null ? QuantityUnit : "tce";

        /// <summary>A metered quantity in the diagram's unit: as metered, or kgce / 1000.</summary>
        public double Of(double quantity) => Coal is null ? quantity : Coal.Kgce(quantity) / 1000;
    }

    private static string Num(double v) => v.ToString("#,0.###", CultureInfo.InvariantCulture);
}
