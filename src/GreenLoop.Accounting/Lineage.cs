namespace GreenLoop.Accounting;

/// <summary>A reference value as it was used in a figure: the row, its provenance, and an override if the site set one.</summary>
public sealed record FactorUse(
    string Id, string Name, string NameZh, double Value, string Unit, string Source, string Year, bool Unverified,
    string LibraryVersion, FactorOverride? Override = null, string? SourceZh = null)
{
    public static FactorUse Of(ReferenceFactor f, FactorOverride? o = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        return o is null
            ? new FactorUse(f.Id, f.NameEn, f.NameZh, f.Value ?? double.NaN, f.Unit, f.Source, f.Year, f.Unverified, ReferenceLibrary.Version, SourceZh: f.SourceZh is { Length: > 0 } zh ? zh : null)
            : new FactorUse(f.Id, f.NameEn, f.NameZh, o.Value, o.Unit, $"site override: {o.Reason} (by {o.By}, {o.At:yyyy-MM-dd})", o.Year ?? f.Year, false, ReferenceLibrary.Version, o,
                $"企业自定值：{o.Reason}（{o.By}，{o.At:yyyy-MM-dd}）");
    }
}

/// <summary>A site's own value for a reference row (e.g. a measured calorific value for a year), with who and why.</summary>
public sealed record FactorOverride(string Id, string? Year, double Value, string Unit, string Reason, string By, DateTimeOffset At);

/// <summary>The activity data behind a figure: what was metered, over which period, how complete.</summary>
/// <param name="Carrier">Carrier key.</param>
/// <param name="Quantity">Amount in <paramref name="Unit"/>.</param>
/// <param name="Unit">The meters' unit.</param>
/// <param name="Meters">Keys of the meters summed.</param>
/// <param name="Period">The local period, e.g. <c>2026-10</c> or <c>2026</c>.</param>
/// <param name="Completeness">Measured coverage over the period, 0..1; the rest is estimated across gaps or missing.</param>
public sealed record ActivityData(string Carrier, double Quantity, string Unit, IReadOnlyList<string> Meters, string Period, double Completeness);

/// <summary>
/// A reported figure with everything behind it: the formula in words, the activity data, the factors (with source,
/// year, version and UNVERIFIED flags) and the figures it is made of.
/// </summary>
public sealed record Figure(
    string Key, string Label, string LabelZh, double Value, string Unit, string Formula,
    IReadOnlyList<ActivityData> Activity, IReadOnlyList<FactorUse> Factors, IReadOnlyList<Figure> Parts)
{
    /// <summary>The formula with its words in Chinese (<see cref="FormulaText"/>).</summary>
    public string FormulaZh => FormulaText.Zh(Formula);

    /// <summary>True if any factor behind the figure, at any depth, is flagged UNVERIFIED.</summary>
    public bool UsesUnverified => Factors.Any(f => f.Unverified) || Parts.Any(p => p.UsesUnverified);

    /// <summary>Lowest completeness of the activity data behind the figure, 1 when there is none.</summary>
    public double Completeness => Activity.Select(a => a.Completeness).Concat(Parts.Select(p => p.Completeness)).DefaultIfEmpty(1).Min();

    /// <summary>True if part of the activity data is estimated (completeness below 100 %).</summary>
    /// <remarks>The tolerance absorbs floating-point rounding only: one missing minute in a month (0.99998) is still a gap.</remarks>
    public bool Estimated => Completeness < 1 - 1e-9;
}
