namespace GreenLoop.Accounting.Tests;

/// <summary>Builds calculator inputs for the worked examples: one site, one period, fully metered unless stated.</summary>
internal static class Given
{
    public static CarrierActivity Metered(string carrier, double quantity, string unit, string meter, double completeness = 1) =>
        new(carrier, unit, Export: false, quantity, [meter], completeness);

    public static CarrierActivity Exported(string carrier, double quantity, string unit, string meter) =>
        new(carrier, unit, Export: true, quantity, [meter], 1);

    public static AccountingInput Year(int year, AccountingProfile profile, params CarrierActivity[] activity) => new()
    {
        Site = "demo",
        Period = year.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Year = year,
        Activity = activity,
        Profile = profile,
        Months = [.. Enumerable.Range(1, 12).Select(m => $"{year}-{m:00}")],
    };

    public static GhgLine Line(GhgInventory inventory, string source, string carrier, string? basis = null) =>
        Assert.Single(inventory.Lines, l => l.Source == source && l.Carrier == carrier && l.Basis == basis);
}
