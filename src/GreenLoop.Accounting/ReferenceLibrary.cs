using System.Globalization;
using System.Reflection;
using System.Text;

namespace GreenLoop.Accounting;

/// <summary>
/// One row of reference data with its provenance. <see cref="Value"/> is null where the source gives a range, a text
/// or nothing usable; <see cref="Unverified"/> is true where the source compilation says UNVERIFIED anywhere in the row.
/// </summary>
public sealed record ReferenceFactor(
    string Kind, string Key, string NameZh, string NameEn, double? Value, string RawValue, string Unit,
    string Source, string Year, string Notes, bool Unverified, string SourceZh = "", string Provenance = "")
{
    /// <summary>Identity of the row within a library version: kind/key.</summary>
    public string Id => $"{Kind}/{Key}";
}

/// <summary>
/// The versioned reference data shipped with GreenLoop (<c>Reference/factors.csv</c>, an embedded resource). Immutable;
/// load once and share.
/// </summary>
public sealed class ReferenceLibrary
{
    /// <summary>Version of the shipped data set; every computed figure records it.</summary>
    public const string Version = "2026.12";

    private readonly Dictionary<string, ReferenceFactor> _byId;

    public ReferenceLibrary(IReadOnlyList<ReferenceFactor> factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        Factors = factors;
        _byId = new Dictionary<string, ReferenceFactor>(StringComparer.Ordinal);
        foreach (var f in factors) _byId.TryAdd(f.Id, f);
    }

    public IReadOnlyList<ReferenceFactor> Factors { get; }

    private static readonly Lazy<ReferenceLibrary> _shipped = new(() =>
    {
        using var stream = typeof(ReferenceLibrary).Assembly.GetManifestResourceStream("GreenLoop.Accounting.Reference.factors.csv")
            ?? throw new InvalidOperationException("The reference data resource is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return new ReferenceLibrary(Parse(reader));
    });

    /// <summary>The data set shipped in this build.</summary>
    public static ReferenceLibrary Shipped => _shipped.Value;

    public ReferenceFactor? Find(string kind, string key) => _byId.GetValueOrDefault($"{kind}/{key}");

    /// <summary>The row, which must exist and carry a number (a programming or data error otherwise).</summary>
    public ReferenceFactor Require(string kind, string key)
    {
        var f = Find(kind, key) ?? throw new KeyNotFoundException($"No reference factor {kind}/{key} in data set {Version}.");
        return f.Value is null ? throw new InvalidOperationException($"Reference factor {kind}/{key} has no numeric value ('{f.RawValue}').") : f;
    }

    public IEnumerable<ReferenceFactor> OfKind(string kind) => Factors.Where(f => f.Kind == kind);

    /// <summary>Reads the CSV format of <c>factors.csv</c>: a header, then RFC 4180 rows (quoted fields may hold commas).</summary>
    public static IReadOnlyList<ReferenceFactor> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<ReferenceFactor>();
        var header = reader.ReadLine();
        if (header is null) return rows;
        var columns = SplitCsv(header.TrimStart('\uFEFF'));
        int Col(string name) => columns.IndexOf(name) is var i and >= 0 ? i : throw new InvalidDataException($"Reference CSV lacks column '{name}'.");
        int kind = Col("kind"), key = Col("key"), zh = Col("name_zh"), en = Col("name_en"), value = Col("value"), unit = Col("unit"),
            source = Col("source_en"), sourceZh = Col("source_zh"), year = Col("year"), notes = Col("notes"), provenance = Col("provenance");
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            var c = SplitCsv(line);
            string At(int i) => i < c.Count ? c[i] : "";
            var raw = At(value);
            double? number = double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
            var unverified = c.Any(x => x.Contains("UNVERIFIED", StringComparison.OrdinalIgnoreCase));
            rows.Add(new ReferenceFactor(At(kind), At(key), At(zh), At(en), number, raw, At(unit), At(source), At(year), At(notes), unverified, At(sourceZh), At(provenance)));
        }
        return rows;
    }

    private static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else sb.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { cells.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(ch);
        }
        cells.Add(sb.ToString());
        return cells;
    }
}
