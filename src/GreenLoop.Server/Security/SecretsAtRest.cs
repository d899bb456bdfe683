using GreenLoop.Connectors;
using GreenLoop.Pipeline.Monitor.Notifications;
using GreenLoop.Server.Hosting;
using GreenLoop.Storage;

namespace GreenLoop.Server.Security;

/// <summary>
/// At start: stores again, encrypted, every channel and data source secret written before secrets were encrypted (a
/// database from an earlier GreenLoop), so none stays in clear. Once done it finds nothing to change.
/// </summary>
internal sealed partial class SecretsAtRest(IServiceProvider services, TenantContext tenant, ILogger<SecretsAtRest> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var tenants = new HashSet<long> { tenant.DefaultTenantId };
        tenants.UnionWith(await services.GetRequiredService<IAuditStore>().AuditTenantsAsync(cancellationToken));
        tenants.UnionWith((await services.GetRequiredService<IConnectorCatalog>().AllDataSourcesAsync(cancellationToken)).Select(s => s.TenantId));
        var channels = services.GetRequiredService<ChannelService>();
        var sources = services.GetService<DataSourceService>();
        var changed = 0;
        foreach (var id in tenants)
        {
            changed += await channels.ProtectStoredSecretsAsync(id, cancellationToken);
            if (sources is not null) changed += await sources.ProtectStoredSecretsAsync(id, cancellationToken);
        }
        if (changed > 0) LogProtected(changed);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 7020, Level = LogLevel.Information, Message = "Encrypted the stored secrets of {Count} channels and data sources written before encryption")]
    private partial void LogProtected(int count);
}
