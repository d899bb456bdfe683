using GreenLoop.Domain.Derivation;

namespace GreenLoop.Storage;

/// <summary>
/// How periods roll up into the next grain — the one rule, in the two forms it is needed in: C# for the hours
/// derivation computes from its buckets, SQL for the days and months the stores roll up from stored hours. Energy
/// sums; a gauge (rows with min/max) takes the coverage-weighted mean (the plain mean when nothing is covered); a period
/// whose only rows are uncountable (an unexplained drop) stays NULL, never zero; quality flags are the union of the rows'.
/// The providers use <see cref="SqlColumns"/> as it is; the storage contract suite checks both forms on both providers.
/// </summary>
public static class RollupRule
{
    /// <summary>
    /// The aggregate columns (value, min, max, covered, flags) over rows aliased <c>x</c>; standard SQL that SQLite and
    /// PostgreSQL read alike (<c>bit_or</c> is PostgreSQL's own aggregate and one the SQLite store registers).
    /// </summary>
    public const string SqlColumns = """
        CASE WHEN max(x.min) IS NULL THEN sum(x.value)
             WHEN sum(x.covered) > 0 THEN sum(x.value * x.covered) / CAST(sum(x.covered) AS DOUBLE PRECISION)
             ELSE avg(x.value) END,
        min(x.min), max(x.max), sum(x.covered), bit_or(x.flags)
        """;

    /// <summary>The rule in C#, for the hours derivation computes from its buckets.</summary>
    public static DerivedRow Aggregate(long ts, long upTs, IReadOnlyList<DerivedRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var gauge = rows.Any(r => r.Min is not null);
        var covered = rows.Sum(r => r.CoveredMs);
        double? value;
        if (!gauge)
        {
            value = rows.Any(r => r.Value is not null) ? rows.Sum(r => r.Value ?? 0) : null;
        }
        else if (covered > 0)
        {
            value = rows.Sum(r => (r.Value ?? 0) * r.CoveredMs) / covered;
        }
        else
        {
            var values = rows.Where(r => r.Value is not null).Select(r => r.Value!.Value).ToList();
            value = values.Count > 0 ? values.Average() : null;
        }
        var flags = rows.Aggregate(QualityFlags.None, (f, r) => f | r.Flags);
        var min = rows.Where(r => r.Min is not null).Select(r => r.Min!.Value).DefaultIfEmpty(double.NaN).Min();
        var max = rows.Where(r => r.Max is not null).Select(r => r.Max!.Value).DefaultIfEmpty(double.NaN).Max();
        return new DerivedRow(ts, upTs, value, double.IsNaN(min) ? null : min, double.IsNaN(max) ? null : max, covered, flags);
    }
}
