using System.ComponentModel.DataAnnotations;
using GreenLoop.Pipeline.Monitor.Live;

namespace GreenLoop.Server.Hosting;

/// <summary>Settings of the live-event hub (the hub itself is part of the pipeline registration).</summary>
public static class LiveHosting
{
    public static IServiceCollection AddGreenLoopLive(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LiveOptions>().Bind(configuration.GetSection(LiveOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}

/// <summary>Settings under <c>GreenLoop:Live</c> (environment variables <c>GreenLoop__Live__*</c>).</summary>
public sealed class LiveOptions
{
    public const string Section = "GreenLoop:Live";

    /// <summary>
    /// Seconds between heartbeat comments on an idle event stream. Default 15: well inside the idle timeouts of
    /// common proxies (often 60 s), and it lets the server notice a browser that went away.
    /// </summary>
    [Range(1, 3600)]
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>Events queued per open stream before the oldest are dropped. Default <see cref="LiveUpdates.DefaultCapacity"/>.</summary>
    [Range(1, 100_000)]
    public int QueueCapacity { get; set; } = LiveUpdates.DefaultCapacity;
}
