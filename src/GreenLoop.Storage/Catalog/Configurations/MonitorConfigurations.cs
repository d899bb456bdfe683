using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GreenLoop.Storage.Catalog.Configurations;

internal sealed class AlarmRuleConfiguration : IEntityTypeConfiguration<AlarmRuleRecord>
{
    public void Configure(EntityTypeBuilder<AlarmRuleRecord> b)
    {
        b.ToTable("alarm_rule");
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SiteId, x.Key }).IsUnique();
    }
}

internal sealed class AlarmConfiguration : IEntityTypeConfiguration<AlarmRecord>
{
    public void Configure(EntityTypeBuilder<AlarmRecord> b)
    {
        b.ToTable("alarm");
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        // At most one open alarm per rule and subject, whatever races the evaluator and a person's action run.
        b.HasIndex(x => new { x.RuleId, x.Subject }).IsUnique().HasDatabaseName("alarm_one_open")
            .HasFilter("state IN ('active', 'acknowledged')");
        b.HasIndex(x => new { x.SiteId, x.StartedAt });
        b.HasIndex(x => new { x.RuleId, x.Subject, x.StartedAt });
    }
}

internal sealed class AlarmEventConfiguration : IEntityTypeConfiguration<AlarmEventRecord>
{
    public void Configure(EntityTypeBuilder<AlarmEventRecord> b)
    {
        b.ToTable("alarm_event");
        b.HasOne(x => x.Alarm).WithMany().HasForeignKey(x => x.AlarmId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.AlarmId, x.Id });
    }
}

internal sealed class AlarmTrackConfiguration : IEntityTypeConfiguration<AlarmTrackRecord>
{
    public void Configure(EntityTypeBuilder<AlarmTrackRecord> b)
    {
        b.ToTable("alarm_track");
        b.HasKey(x => new { x.RuleId, x.Subject });
    }
}

internal sealed class ChannelConfiguration : IEntityTypeConfiguration<ChannelRecord>
{
    public void Configure(EntityTypeBuilder<ChannelRecord> b)
    {
        b.ToTable("notification_channel");
        b.HasKey(x => new { x.TenantId, x.Key });
        b.HasOne<TenantRecord>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<DeliveryRecord>
{
    public void Configure(EntityTypeBuilder<DeliveryRecord> b)
    {
        b.ToTable("delivery_log");
        b.HasIndex(x => new { x.TenantId, x.Id });
    }
}
