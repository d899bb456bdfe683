using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GreenLoop.Storage.Catalog.Configurations;

internal sealed class DataSourceConfiguration : IEntityTypeConfiguration<DataSourceRecord>
{
    public void Configure(EntityTypeBuilder<DataSourceRecord> b)
    {
        b.ToTable("data_source");
        b.HasKey(x => new { x.TenantId, x.Key });
        b.HasOne<TenantRecord>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ManualEntryConfiguration : IEntityTypeConfiguration<ManualEntryRecord>
{
    public void Configure(EntityTypeBuilder<ManualEntryRecord> b)
    {
        b.ToTable("manual_entry");
        b.HasOne<TenantRecord>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Meter).WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.EntryId, x.Version }).IsUnique();
        b.HasIndex(x => new { x.MeterId, x.Ts });
        b.HasIndex(x => new { x.TenantId, x.EntryId });
    }
}

internal sealed class ImportSessionConfiguration : IEntityTypeConfiguration<ImportSessionRecord>
{
    public void Configure(EntityTypeBuilder<ImportSessionRecord> b)
    {
        b.ToTable("import_session");
        b.HasOne<TenantRecord>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.TenantId, x.UploadedAt });
    }
}
