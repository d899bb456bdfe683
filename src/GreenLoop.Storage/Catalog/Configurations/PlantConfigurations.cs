using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GreenLoop.Storage.Catalog.Configurations;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<TenantRecord>
{
    public void Configure(EntityTypeBuilder<TenantRecord> b)
    {
        b.ToTable("tenant");
        b.HasIndex(x => x.Key).IsUnique();
    }
}

internal sealed class SiteConfiguration : IEntityTypeConfiguration<SiteRecord>
{
    public void Configure(EntityTypeBuilder<SiteRecord> b)
    {
        b.ToTable("site");
        b.HasOne<TenantRecord>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.TenantId, x.Key }).IsUnique();
    }
}

internal sealed class NodeConfiguration : IEntityTypeConfiguration<NodeRecord>
{
    public void Configure(EntityTypeBuilder<NodeRecord> b)
    {
        b.ToTable("node");
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<NodeRecord>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SiteId, x.Key }).IsUnique();
    }
}

internal sealed class MeterConfiguration : IEntityTypeConfiguration<MeterRecord>
{
    public void Configure(EntityTypeBuilder<MeterRecord> b)
    {
        b.ToTable("meter");
        b.HasOne<TenantRecord>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<SiteRecord>().WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<NodeRecord>().WithMany().HasForeignKey(x => x.NodeId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.TenantId, x.Key }).IsUnique();
        b.HasIndex(x => new { x.SiteId, x.Id });
    }
}

internal sealed class NodeMeterConfiguration : IEntityTypeConfiguration<NodeMeterRecord>
{
    public void Configure(EntityTypeBuilder<NodeMeterRecord> b)
    {
        b.ToTable("node_meter");
        b.HasKey(x => new { x.NodeId, x.MeterId });
        b.HasOne(x => x.Node).WithMany().HasForeignKey(x => x.NodeId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<MeterRecord>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.MeterId, x.NodeId });
    }
}

internal sealed class MeterEventConfiguration : IEntityTypeConfiguration<MeterEventRecord>
{
    public void Configure(EntityTypeBuilder<MeterEventRecord> b)
    {
        b.ToTable("meter_event");
        b.HasKey(x => new { x.MeterId, x.Ts, x.Kind });
        b.HasOne(x => x.Meter).WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class FactorOverrideConfiguration : IEntityTypeConfiguration<FactorOverrideRecord>
{
    public void Configure(EntityTypeBuilder<FactorOverrideRecord> b)
    {
        b.ToTable("factor_override");
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SiteId, x.FactorId });
    }
}

internal sealed class PeriodLockConfiguration : IEntityTypeConfiguration<PeriodLockRecord>
{
    public void Configure(EntityTypeBuilder<PeriodLockRecord> b)
    {
        b.ToTable("period_lock");
        b.HasKey(x => new { x.SiteId, x.Period });
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
    }
}
