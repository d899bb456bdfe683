using System.Text;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Storage.Catalog;

/// <summary>
/// The catalogue: everything GreenLoop keeps that is not a time series, as one EF Core model for SQLite and
/// PostgreSQL. Each record is configured in its own class (<c>Configurations/</c>); columns are the snake_case of the
/// property names, so the hand-written time-series SQL joins the same tables by the same names.
/// </summary>
/// <remarks>
/// <para>The tenant is a global query filter on every record that belongs to one: a query sees only the records of
/// <see cref="TenantId"/> (0, the default, is no tenant: nothing). Work that serves every tenant (the derivation and
/// alarm workers, the connector supervisor, sign-in, which finds the tenant from the user name) says so with
/// <c>IgnoreQueryFilters()</c>, so that forgetting the tenant can never show another tenant's data.</para>
/// <para>Records reached through a site (nodes, rules, alarms, overrides, locks) are filtered through it.</para>
/// </remarks>
public sealed class GreenLoopDb(DbContextOptions<GreenLoopDb> options) : DbContext(options)
{
    /// <summary>The tenant whose records queries see.</summary>
    public long TenantId { get; set; }

    public DbSet<TenantRecord> Tenants => Set<TenantRecord>();
    public DbSet<SiteRecord> Sites => Set<SiteRecord>();
    public DbSet<NodeRecord> Nodes => Set<NodeRecord>();
    public DbSet<MeterRecord> Meters => Set<MeterRecord>();
    public DbSet<NodeMeterRecord> NodeMeters => Set<NodeMeterRecord>();
    public DbSet<MeterEventRecord> MeterEvents => Set<MeterEventRecord>();
    public DbSet<FactorOverrideRecord> FactorOverrides => Set<FactorOverrideRecord>();
    public DbSet<PeriodLockRecord> PeriodLocks => Set<PeriodLockRecord>();
    public DbSet<AlarmRuleRecord> AlarmRules => Set<AlarmRuleRecord>();
    public DbSet<AlarmRecord> Alarms => Set<AlarmRecord>();
    public DbSet<AlarmEventRecord> AlarmEvents => Set<AlarmEventRecord>();
    public DbSet<AlarmTrackRecord> AlarmTracks => Set<AlarmTrackRecord>();
    public DbSet<ChannelRecord> Channels => Set<ChannelRecord>();
    public DbSet<DeliveryRecord> Deliveries => Set<DeliveryRecord>();
    public DbSet<DataSourceRecord> DataSources => Set<DataSourceRecord>();
    public DbSet<ManualEntryRecord> ManualEntries => Set<ManualEntryRecord>();
    public DbSet<AuditRecord> Audit => Set<AuditRecord>();
    public DbSet<UserRecord> Users => Set<UserRecord>();
    public DbSet<UserRoleRecord> UserRoles => Set<UserRoleRecord>();
    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();
    public DbSet<ImportSessionRecord> ImportSessions => Set<ImportSessionRecord>();
    public DbSet<KpiRecord> Kpis => Set<KpiRecord>();
    public DbSet<QuantityRecord> Quantities => Set<QuantityRecord>();
    public DbSet<ReviewRecord> Reviews => Set<ReviewRecord>();
    public DbSet<ActionRecord> Actions => Set<ActionRecord>();
    public DbSet<CpAuditRecord> CpAudits => Set<CpAuditRecord>();
    public DbSet<CpOptionRecord> CpOptions => Set<CpOptionRecord>();
    public DbSet<ProjectRecord> Projects => Set<ProjectRecord>();
    public DbSet<ProjectDocumentRecord> ProjectDocuments => Set<ProjectDocumentRecord>();
    public DbSet<MvModelRecord> MvModels => Set<MvModelRecord>();
    public DbSet<ChecklistTemplateRecord> ChecklistTemplates => Set<ChecklistTemplateRecord>();
    public DbSet<TariffRecord> Tariffs => Set<TariffRecord>();
    public DbSet<ElectricityAccountRecord> ElectricityAccounts => Set<ElectricityAccountRecord>();
    public DbSet<InspectionRoundRecord> InspectionRounds => Set<InspectionRoundRecord>();
    public DbSet<InspectionRecord> Inspections => Set<InspectionRecord>();
    public DbSet<FieldPhotoRecord> FieldPhotos => Set<FieldPhotoRecord>();
    public DbSet<WorkOrderRecord> WorkOrders => Set<WorkOrderRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(GreenLoopDb).Assembly);
        ApplyTenantFilters(modelBuilder);
        ApplySnakeCaseColumns(modelBuilder);
    }

    private void ApplyTenantFilters(ModelBuilder b)
    {
        b.Entity<SiteRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<MeterRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<NodeRecord>().HasQueryFilter(x => x.Site!.TenantId == TenantId);
        b.Entity<NodeMeterRecord>().HasQueryFilter(x => x.Node!.Site!.TenantId == TenantId);
        b.Entity<MeterEventRecord>().HasQueryFilter(x => x.Meter!.TenantId == TenantId);
        b.Entity<FactorOverrideRecord>().HasQueryFilter(x => x.Site!.TenantId == TenantId);
        b.Entity<PeriodLockRecord>().HasQueryFilter(x => x.Site!.TenantId == TenantId);
        b.Entity<AlarmRuleRecord>().HasQueryFilter(x => x.Site!.TenantId == TenantId);
        b.Entity<AlarmRecord>().HasQueryFilter(x => x.Site!.TenantId == TenantId);
        b.Entity<AlarmEventRecord>().HasQueryFilter(x => x.Alarm!.Site!.TenantId == TenantId);
        b.Entity<ChannelRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<DeliveryRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<DataSourceRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<ManualEntryRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<AuditRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<UserRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<UserRoleRecord>().HasQueryFilter(x => x.User!.TenantId == TenantId);
        b.Entity<ApiKeyRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<ImportSessionRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<KpiRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<QuantityRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<ReviewRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<ActionRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<CpAuditRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<CpOptionRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<ProjectRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<ProjectDocumentRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<MvModelRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<ChecklistTemplateRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<TariffRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<ElectricityAccountRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<InspectionRoundRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<InspectionRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<FieldPhotoRecord>().HasQueryFilter(x => x.TenantId == TenantId);
        b.Entity<WorkOrderRecord>().HasQueryFilter(x => x.TenantId == TenantId);
    }

    private static void ApplySnakeCaseColumns(ModelBuilder b)
    {
        foreach (var entity in b.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName() == property.Name) property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    /// <summary><c>TenantId</c> -> <c>tenant_id</c>.</summary>
    public static string SnakeCase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var s = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) s.Append('_');
            s.Append(char.ToLowerInvariant(name[i]));
        }
        return s.ToString();
    }
}
