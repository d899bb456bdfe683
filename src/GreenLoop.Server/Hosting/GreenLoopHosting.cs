using GreenLoop.Pipeline;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Pipeline.Monitor.Derivation;
using GreenLoop.Pipeline.Monitor.Query;
using GreenLoop.Storage;
using Microsoft.Extensions.Options;

namespace GreenLoop.Server.Hosting;

/// <summary>Service registration for the platform: store, pipeline, background workers.</summary>
public static class GreenLoopHosting
{
    public static IServiceCollection AddGreenLoopCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GreenLoopOptions>().Bind(configuration.GetSection(GreenLoopOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<DerivationOptions>().Bind(configuration.GetSection(DerivationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddGreenLoopStore(configuration);
        services.AddGreenLoopPipeline();
        services.AddSingleton<TenantContext>();
        services.AddSingleton(sp => new GreenLoop.Connectors.Import.ImportSessionOptions
        {
            Directory = Path.Combine(Path.GetFullPath(sp.GetRequiredService<IOptions<GreenLoopOptions>>().Value.DataDirectory), "imports"),
            MaxUploadBytes = sp.GetRequiredService<IOptions<GreenLoopOptions>>().Value.MaxUploadMegabytes * 1024L * 1024L,
        });
        services.AddSingleton<GreenLoop.Connectors.Import.ImportDryRun>();
        services.AddSingleton<GreenLoop.Connectors.Import.ImportSessions>();
        // Start-up runs first (migrations, tenant), then the workers.
        services.AddHostedService<StartupService>();
        services.AddHostedService<DerivationWorker>();
        return services;
    }
}

/// <summary>Migrates the store, resolves the default tenant and restores the import uploads before anything else runs.</summary>
internal sealed partial class StartupService(GreenLoopStore store, TenantContext tenant, IOptions<GreenLoopOptions> options, IOptions<StorageOptions> storage,
    GreenLoop.Connectors.Import.ImportSessions imports, ILogger<StartupService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        tenant.Set(await store.EnsureTenantAsync(options.Value.DefaultTenant, options.Value.DefaultTenant, cancellationToken));
        // Uploads waiting to be imported, and the outcome of finished imports, survive a restart.
        await imports.RestoreAsync(cancellationToken);
        LogStarted(storage.Value.Describe(options.Value));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "GreenLoop store ready at {Path}")]
    private partial void LogStarted(string path);
}
