using GreenLoop.Pipeline.Monitor.Alarms;

namespace GreenLoop.Server.Hosting;

/// <summary>Hosts the alarm engine: its settings and its worker (the service itself is part of the pipeline registration).</summary>
public static class AlarmHosting
{
    public static IServiceCollection AddGreenLoopAlarms(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlarmOptions>().Bind(configuration.GetSection(AlarmOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<AlarmWorker>();
        // Rule documents may put "type" anywhere in a condition object, not only first.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.AllowOutOfOrderMetadataProperties = true);
        return services;
    }
}

