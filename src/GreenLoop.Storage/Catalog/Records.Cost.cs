namespace GreenLoop.Storage.Catalog;

/// <summary>An electricity tariff of a tenant (body JSON: the domain's <c>ElectricityTariff</c> with its versions).</summary>
public sealed class TariffRecord
{
    public long TenantId { get; set; }
    public required string Key { get; set; }
    public required string Body { get; set; }
    public required string UpdatedBy { get; set; }
    public long UpdatedAt { get; set; }
}

/// <summary>A site's electricity account (body JSON: the domain's <c>ElectricityAccount</c>): tariff, basic-charge basis, meters.</summary>
public sealed class ElectricityAccountRecord
{
    public long TenantId { get; set; }
    public long SiteId { get; set; }
    public SiteRecord? Site { get; set; }
    public required string Body { get; set; }
    public required string UpdatedBy { get; set; }
    public long UpdatedAt { get; set; }
}
