using System.Data.Common;
using GreenLoop.Domain.Time;

namespace GreenLoop.Storage;

/// <summary>
/// What the providers' time-series SQL shares that is not dialect: the column lists they read and how a row becomes a
/// record, and the span arithmetic. Each exists once, so the providers cannot map a row differently.
/// </summary>
public static class SeriesRows
{
    /// <summary>The quarantine's columns, in the order <see cref="Quarantine"/> reads them.</summary>
    public const string QuarantineColumns = "id, tenant_id, received_at, source, meter, ts, value, field, reason, sender, scope, raw_length";

    /// <summary>
    /// The WHERE clause of a <see cref="QuarantineQuery"/> (after <c>tenant_id = p0</c>) and its parameters, named with
    /// <paramref name="prefix"/> (<c>$</c> for SQLite, <c>@</c> for PostgreSQL); ids are given inline (they are numbers).
    /// </summary>
    public static (string Sql, List<(string Name, object Value)> Parameters) QuarantineFilter(QuarantineQuery q, char prefix)
    {
        ArgumentNullException.ThrowIfNull(q);
        var sql = new System.Text.StringBuilder();
        var parameters = new List<(string, object)>();
        void Add(string column, string op, string name, object? value)
        {
            if (value is null) return;
            sql.Append(" AND ").Append(column).Append(' ').Append(op).Append(' ').Append(prefix).Append(name);
            parameters.Add((name, value));
        }
        Add("id", "<", "before", q.BeforeId);
        Add("meter", "=", "meter", q.Meter);
        Add("source", "=", "source", q.Source);
        Add("field", "=", "field", q.Field);
        Add("received_at", ">=", "from", q.From);
        Add("received_at", "<", "to", q.To);
        if (q.Ids is { } ids)
            sql.Append(" AND id IN (").Append(ids.Count == 0 ? "NULL" : string.Join(",", ids.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)))).Append(')');
        return (sql.ToString(), parameters);
    }

    public static QuarantineEntry Quarantine(DbDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new QuarantineEntry
        {
            Id = r.GetInt64(0),
            TenantId = r.GetInt64(1),
            ReceivedAt = r.GetInt64(2),
            Source = r.GetString(3),
            Meter = r.IsDBNull(4) ? null : r.GetString(4),
            Ts = r.IsDBNull(5) ? null : r.GetString(5),
            Value = r.IsDBNull(6) ? null : r.GetString(6),
            Field = r.GetString(7),
            Reason = r.GetString(8),
            Sender = r.IsDBNull(9) ? null : r.GetString(9),
            Scope = r.IsDBNull(10) ? null : r.GetString(10),
            RawLength = r.IsDBNull(11) ? null : Convert.ToInt32(r.GetValue(11), System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>An instant read as a scalar (a <c>long</c> of Unix ms), or null when the query found none.</summary>
    public static Instant? InstantOrNull(object? unixMs) => unixMs is long v ? new Instant(v) : null;

    /// <summary>Unites overlapping or touching half-open ranges [From, To); the result is sorted. Sorts the list given.</summary>
    public static IEnumerable<(long From, long To)> Merge(List<(long From, long To)> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        if (ranges.Count == 0) yield break;
        ranges.Sort();
        var (f, t) = ranges[0];
        foreach (var (from, to) in ranges.Skip(1))
        {
            if (from <= t) { t = Math.Max(t, to); continue; }
            yield return (f, t);
            (f, t) = (from, to);
        }
        yield return (f, t);
    }
}
