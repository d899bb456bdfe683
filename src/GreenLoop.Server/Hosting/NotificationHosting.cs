using GreenLoop.Notifications;
using GreenLoop.Pipeline.Monitor.Alarms;
using GreenLoop.Pipeline.Monitor.Notifications;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GreenLoop.Server.Hosting;

/// <summary>Notification channels, the dispatcher and its delivery log; replaces the alarm engine's logging notifier.</summary>
public static class NotificationHosting
{
    public static IServiceCollection AddGreenLoopNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<NotificationTenant>();
        services.AddSingleton(new NotificationTargets(configuration.GetValue("GreenLoop:Notifications:AllowPrivateTargets", false)));
        services.AddSingleton(sp => new NotificationChannelFactory(new HttpClient(sp.GetRequiredService<NotificationTargets>().CreateHandler()), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IDeliveryLog, StoreDeliveryLog>();
        services.AddSingleton(sp => new NotificationDispatcher(sp.GetRequiredService<IDeliveryLog>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<NotificationDispatcher>>()));
        services.AddSingleton<ChannelService>();
        services.RemoveAll<IAlarmNotifier>();
        services.AddSingleton<IAlarmNotifier>(sp => sp.GetRequiredService<ChannelService>());
        services.AddHostedService<NotificationReleaseService>();
        return services;
    }
}

/// <summary>Sends messages held for quiet hours when their window ends; binds the notification tenant at start.</summary>
internal sealed class NotificationReleaseService(NotificationDispatcher dispatcher, NotificationTenant tenant, TenantContext tenants, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The default tenant is known once start-up (migrations) has run.
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var cancel = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try { await started.Task; }
        catch (OperationCanceledException) { return; }
        tenant.TenantId = tenants.TenantId;
        await dispatcher.RunReleaseLoopAsync(stoppingToken);
    }
}
