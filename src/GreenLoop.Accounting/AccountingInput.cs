namespace GreenLoop.Accounting;

/// <summary>Metered activity of one carrier over the period, as summed from the site's counted meters.</summary>
/// <param name="Carrier">Carrier key.</param>
/// <param name="Unit">Unit of the quantity (the meters' unit).</param>
/// <param name="Export">True for energy supplied outside the boundary (deducted from the total).</param>
/// <param name="Quantity">Amount in the period.</param>
/// <param name="Meters">Keys of the meters summed.</param>
/// <param name="Completeness">Measured coverage over the period, 0..1.</param>
public sealed record CarrierActivity(string Carrier, string Unit, bool Export, double Quantity, IReadOnlyList<string> Meters, double Completeness);

/// <summary>Everything the calculators need for one site and period. Pure data: no clock, no store.</summary>
public sealed record AccountingInput
{
    public required string Site { get; init; }
    /// <summary>Local period label: <c>yyyy</c> or <c>yyyy-MM</c>.</summary>
    public required string Period { get; init; }
    /// <summary>Reporting year (for year-dependent factors).</summary>
    public required int Year { get; init; }
    /// <summary>The site's grid region, e.g. <c>CN-Guangdong</c>.</summary>
    public string? GridRegion { get; init; }
    public required IReadOnlyList<CarrierActivity> Activity { get; init; }
    public AccountingProfile Profile { get; init; } = new();
    public IReadOnlyList<FactorOverride> Overrides { get; init; } = [];
    /// <summary>Local months (<c>yyyy-MM</c>) the period covers; green power of these months is deducted.</summary>
    public IReadOnlyList<string> Months { get; init; } = [];
}

/// <summary>Resolves reference rows for one computation, applying the site's overrides for the reporting year.</summary>
public sealed class FactorResolver(ReferenceLibrary library, IReadOnlyList<FactorOverride> overrides, int year)
{
    public ReferenceLibrary Library => library;

    public FactorUse? Find(string kind, string key)
    {
        var f = library.Find(kind, key);
        if (f is null) return null;
        var year0 = year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var o = overrides.Where(x => x.Id == f.Id && (x.Year is null || x.Year == year0)).OrderBy(x => x.Year is null).ThenByDescending(x => x.At).FirstOrDefault();
        if (o is null && f.Value is null) return null;
        return FactorUse.Of(f, o);
    }

    public FactorUse Require(string kind, string key) =>
        Find(kind, key) ?? throw new AccountingException($"reference factor {kind}/{key} is missing or has no number in data set {ReferenceLibrary.Version}; add a site override with its source");
}

/// <summary>An account that cannot be computed as configured (missing factor, incompatible unit): the user's to fix.</summary>
public sealed class AccountingException(string message) : Exception(message);
