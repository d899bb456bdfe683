using GreenLoop.Connectors;

namespace GreenLoop.Server.Hosting;

/// <summary>Data sources: the connector kinds, the supervisor that runs them (hot reload) and the definitions service.</summary>
public static class ConnectorHosting
{
    public static IServiceCollection AddGreenLoopConnectors(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ConnectorOptions.Section).Get<ConnectorOptions>() ?? new ConnectorOptions();
        services.AddSingleton(options);
        services.AddSingleton<IConnectorFactory, GreenLoop.Connectors.Modbus.ModbusConnectorFactory>();
        services.AddSingleton<IConnectorFactory, GreenLoop.Connectors.Mqtt.MqttConnectorFactory>();
        services.AddSingleton<ConnectorKeys>();
        services.AddSingleton<ConnectorSupervisor>();
        services.AddSingleton<DataSourceService>();
        if (options.Enabled) services.AddHostedService<ConnectorWorker>();
        return services;
    }
}

/// <summary>Runs the connector supervisor once the store is migrated (after start-up) until the host stops.</summary>
internal sealed class ConnectorWorker(ConnectorSupervisor supervisor, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var cancel = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try { await started.Task; }
        catch (OperationCanceledException) { return; }
        await supervisor.RunAsync(stoppingToken);
    }
}
