using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GreenLoop.Storage.Catalog.Configurations;

internal sealed class TariffConfiguration : IEntityTypeConfiguration<TariffRecord>
{
    public void Configure(EntityTypeBuilder<TariffRecord> b)
    {
        b.ToTable("tariff");
        b.HasKey(x => new { x.TenantId, x.Key });
        b.HasOne<TenantRecord>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ElectricityAccountConfiguration : IEntityTypeConfiguration<ElectricityAccountRecord>
{
    public void Configure(EntityTypeBuilder<ElectricityAccountRecord> b)
    {
        b.ToTable("electricity_account");
        b.HasKey(x => x.SiteId);
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.TenantId);
    }
}
