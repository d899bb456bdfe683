using GreenLoop.Pipeline.Optimise.Kpis;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Pipeline.Meter.Manual;
using GreenLoop.Pipeline.Model.Accounting;
using GreenLoop.Pipeline.Monitor.Alarms;
using GreenLoop.Pipeline.Monitor.Derivation;
using GreenLoop.Pipeline.Monitor.Live;
using GreenLoop.Pipeline.Monitor.Query;
using GreenLoop.Pipeline.Trace.Audit;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GreenLoop.Pipeline;

/// <summary>
/// The one registration of the platform's pipeline, used by the server, the command-line tools and the test harnesses
/// alike: the store's seams, then every service of the loop and the change hub between derivation and its consumers.
/// Workers (<see cref="DerivationWorker"/>, <see cref="AlarmWorker"/>) are hosted by the server only.
/// </summary>
public static class PipelineRegistration
{
    /// <summary>Registers one store under each seam a service may ask for; the container disposes it once.</summary>
    public static IServiceCollection AddGreenLoopStore(this IServiceCollection services, Func<IServiceProvider, GreenLoopStore> open)
    {
        services.AddSingleton(open);
        services.AddSingleton<IReadingStore>(sp => sp.GetRequiredService<GreenLoopStore>());
        services.AddSingleton<IDerivationStore>(sp => sp.GetRequiredService<GreenLoopStore>());
        services.AddSingleton<ISeriesQueries>(sp => sp.GetRequiredService<GreenLoopStore>());
        services.AddSingleton<ISiteCatalog>(sp => sp.GetRequiredService<GreenLoopStore>());
        services.AddSingleton<IAccountingCatalog>(sp => sp.GetRequiredService<GreenLoopStore>());
        services.AddSingleton<IAlarmCatalog>(sp => sp.GetRequiredService<GreenLoopStore>());
        services.AddSingleton<INotificationCatalog>(sp => sp.GetRequiredService<GreenLoopStore>());
        services.AddSingleton<IConnectorCatalog>(sp => sp.GetRequiredService<GreenLoopStore>());
        services.AddSingleton<IAuditStore>(sp => sp.GetRequiredService<GreenLoopStore>());
        services.AddSingleton<IUserCatalog>(sp => sp.GetRequiredService<GreenLoopStore>());
        services.AddSingleton<ICatalogDb>(sp => sp.GetRequiredService<GreenLoopStore>());
        return services;
    }

    /// <summary>
    /// Registers the pipeline: meter catalogue, ingest, derivation and its change hub, queries, site documents,
    /// accounting, the audit trail, manual entries, the alarm service and its queue, live updates.
    /// A <see cref="TimeProvider"/> registered before wins over the system clock (tests register a fake one).
    /// </summary>
    public static IServiceCollection AddGreenLoopPipeline(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddOptions();
        services.AddSingleton<MeterCatalog>();
        services.AddSingleton<DerivationSignal>();
        services.AddSingleton<IngestService>();
        services.AddSingleton<DerivationService>();
        services.AddSingleton<DerivedChangeHub>();
        services.AddSingleton<QueryService>();
        services.AddSingleton<GreenLoop.Pipeline.Monitor.Query.ComparisonService>();
        services.AddSingleton<GreenLoop.Pipeline.Monitor.Flow.EnergyFlowService>();
        services.AddSingleton<SiteService>();
        services.AddSingleton<AccountingService>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<ManualEntryService>();
        services.AddSingleton<AlarmService>();
        // Optimise: KPIs over the figures above and the quantities people record.
        services.AddSingleton<KpiEvaluator>();
        services.AddSingleton<KpiService>();
        services.AddSingleton<QuantityService>();
        services.AddSingleton<GreenLoop.Pipeline.Optimise.Reviews.ReviewService>();
        services.AddSingleton<KpiWatcher>();
        services.AddSingleton<GreenLoop.Pipeline.Optimise.Audits.CpAuditService>();
        services.AddSingleton<GreenLoop.Pipeline.Optimise.Verification.MvData>();
        services.AddSingleton<GreenLoop.Pipeline.Optimise.Verification.MvService>();
        services.AddSingleton<GreenLoop.Pipeline.Optimise.Projects.ProjectService>();
        services.AddSingleton<GreenLoop.Pipeline.Cost.CostService>();
        services.AddSingleton<GreenLoop.Pipeline.Optimise.Field.WorkOrderService>();
        services.AddSingleton<GreenLoop.Pipeline.Optimise.Field.WorkOrderFollowUps>();
        services.AddSingleton<GreenLoop.Pipeline.Optimise.Field.FieldService>();
        services.AddSingleton<GreenLoop.Pipeline.Optimise.Field.FieldWatcher>();
        services.AddSingleton<GreenLoop.Pipeline.Optimise.Field.FieldReports>();
        services.TryAddSingleton<IAlarmNotifier, LoggingAlarmNotifier>();
        // The subscribers of derived changes: the alarm evaluator's queue and the live pages.
        services.AddSingleton<DerivedChangeFeed>();
        services.AddSingleton<IDerivedChangeSubscriber>(sp => sp.GetRequiredService<DerivedChangeFeed>());
        services.AddSingleton<LiveUpdates>();
        services.AddSingleton<IDerivedChangeSubscriber>(sp => sp.GetRequiredService<LiveUpdates>());
        return services;
    }
}
