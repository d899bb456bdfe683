using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GreenLoop.Storage.Catalog.Configurations;

internal sealed class KpiConfiguration : IEntityTypeConfiguration<KpiRecord>
{
    public void Configure(EntityTypeBuilder<KpiRecord> b)
    {
        b.ToTable("kpi");
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SiteId, x.Key }).IsUnique();
    }
}

internal sealed class QuantityConfiguration : IEntityTypeConfiguration<QuantityRecord>
{
    public void Configure(EntityTypeBuilder<QuantityRecord> b)
    {
        b.ToTable("recorded_quantity");
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SiteId, x.Key, x.FromDate });
    }
}

internal sealed class ReviewConfiguration : IEntityTypeConfiguration<ReviewRecord>
{
    public void Configure(EntityTypeBuilder<ReviewRecord> b)
    {
        b.ToTable("review");
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SiteId, x.CreatedAt });
    }
}

internal sealed class ActionConfiguration : IEntityTypeConfiguration<ActionRecord>
{
    public void Configure(EntityTypeBuilder<ActionRecord> b)
    {
        b.ToTable("improvement_action");
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SiteId, x.State, x.DueDate });
        b.HasIndex(x => x.ReviewId);
        b.HasIndex(x => x.AlarmId);
    }
}

internal sealed class CpAuditConfiguration : IEntityTypeConfiguration<CpAuditRecord>
{
    public void Configure(EntityTypeBuilder<CpAuditRecord> b)
    {
        b.ToTable("cp_audit");
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SiteId, x.CreatedAt });
    }
}

internal sealed class CpOptionConfiguration : IEntityTypeConfiguration<CpOptionRecord>
{
    public void Configure(EntityTypeBuilder<CpOptionRecord> b)
    {
        b.ToTable("cp_option");
        b.HasOne(x => x.Audit).WithMany().HasForeignKey(x => x.AuditId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.AuditId, x.Stage });
    }
}

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<ProjectRecord>
{
    public void Configure(EntityTypeBuilder<ProjectRecord> b)
    {
        b.ToTable("project");
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SiteId, x.State });
    }
}

internal sealed class ProjectDocumentConfiguration : IEntityTypeConfiguration<ProjectDocumentRecord>
{
    public void Configure(EntityTypeBuilder<ProjectDocumentRecord> b)
    {
        b.ToTable("project_document");
        b.HasOne(x => x.Project).WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.ProjectId);
    }
}

internal sealed class MvModelConfiguration : IEntityTypeConfiguration<MvModelRecord>
{
    public void Configure(EntityTypeBuilder<MvModelRecord> b)
    {
        b.ToTable("mv_model");
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SiteId, x.CreatedAt });
    }
}

internal sealed class ChecklistTemplateConfiguration : IEntityTypeConfiguration<ChecklistTemplateRecord>
{
    public void Configure(EntityTypeBuilder<ChecklistTemplateRecord> b)
    {
        b.ToTable("checklist_template");
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SiteId, x.Key, x.Version }).IsUnique();
    }
}

internal sealed class InspectionRoundConfiguration : IEntityTypeConfiguration<InspectionRoundRecord>
{
    public void Configure(EntityTypeBuilder<InspectionRoundRecord> b)
    {
        b.ToTable("inspection_round");
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.SiteId);
    }
}

internal sealed class InspectionConfiguration : IEntityTypeConfiguration<InspectionRecord>
{
    public void Configure(EntityTypeBuilder<InspectionRecord> b)
    {
        b.ToTable("inspection");
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Template).WithMany().HasForeignKey(x => x.TemplateId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.TenantId, x.SubmissionId }).IsUnique();
        b.HasIndex(x => new { x.RoundId, x.DueLocal });
        b.HasIndex(x => new { x.SiteId, x.SubmittedAt });
    }
}

internal sealed class FieldPhotoConfiguration : IEntityTypeConfiguration<FieldPhotoRecord>
{
    public void Configure(EntityTypeBuilder<FieldPhotoRecord> b)
    {
        b.ToTable("field_photo");
        b.HasIndex(x => x.InspectionId);
        b.HasIndex(x => x.WorkOrderId);
    }
}

internal sealed class WorkOrderConfiguration : IEntityTypeConfiguration<WorkOrderRecord>
{
    public void Configure(EntityTypeBuilder<WorkOrderRecord> b)
    {
        b.ToTable("work_order");
        b.HasOne(x => x.Site).WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SiteId, x.State, x.DueDate });
        // At most one work order per alarm, whatever opens it (a rule, a click, two servers at once).
        b.HasIndex(x => x.AlarmId).IsUnique();
        b.HasIndex(x => x.InspectionId);
    }
}
