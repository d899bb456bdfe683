using GreenLoop.Pipeline.Optimise.Kpis;

namespace GreenLoop.Server.Hosting;

/// <summary>How often the KPI watcher looks for KPIs gone off track and actions gone overdue.</summary>
public sealed class KpiOptions
{
    public const string Section = "GreenLoop:Kpis";

    /// <summary>Minutes between two checks. Default 60; the first check runs a minute after start.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 24 * 60)]
    public int CheckMinutes { get; set; } = 60;
}

/// <summary>Hosts the <see cref="KpiWatcher"/> (the service itself is part of the pipeline registration).</summary>
public static partial class KpiHosting
{
    public static IServiceCollection AddGreenLoopKpis(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KpiOptions>().Bind(configuration.GetSection(KpiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // Field work settings (photo metadata, work-order service times) live beside the improvement loop's.
        services.AddOptions<GreenLoop.Pipeline.Optimise.Field.FieldOptions>().Bind(configuration.GetSection(GreenLoop.Pipeline.Optimise.Field.FieldOptions.Section));
        services.AddHostedService<FieldWatcherWorker>();
        services.AddHostedService<KpiWatcherWorker>();
        return services;
    }
}

/// <summary>Runs <see cref="KpiWatcher.CheckAsync"/> on its cadence; a failing pass is logged and the next one tried.</summary>
internal sealed partial class KpiWatcherWorker(KpiWatcher watcher, Microsoft.Extensions.Options.IOptions<KpiOptions> options, TimeProvider clock,
    ILogger<KpiWatcherWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(1), clock, stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.CheckMinutes), clock);
            do
            {
                try
                {
                    var sent = await watcher.CheckAsync(stoppingToken);
                    if (sent > 0) LogSent(sent);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "KPI watcher sent {Count} notification(s): KPIs off track or actions overdue")]
    private partial void LogSent(int count);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "KPI watcher pass failed; the next pass tries again")]
    private partial void LogFailed(Exception exception);
}

/// <summary>Runs <see cref="GreenLoop.Pipeline.Optimise.Field.FieldWatcher.CheckAsync"/> every <c>GreenLoop:Field:CheckSeconds</c>.</summary>
internal sealed partial class FieldWatcherWorker(GreenLoop.Pipeline.Optimise.Field.FieldWatcher watcher,
    Microsoft.Extensions.Options.IOptions<GreenLoop.Pipeline.Optimise.Field.FieldOptions> options, TimeProvider clock, ILogger<FieldWatcherWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var period = TimeSpan.FromSeconds(Math.Clamp(options.Value.CheckSeconds, 1, 3600));
            await Task.Delay(period, clock, stoppingToken);
            using var timer = new PeriodicTimer(period, clock);
            do
            {
                try
                {
                    var (opened, reminded) = await watcher.CheckAsync(stoppingToken);
                    if (opened + reminded > 0) LogDone(opened, reminded);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 7111, Level = LogLevel.Information, Message = "Field watcher: {Opened} work order(s) opened from alarms, {Reminded} reminder(s) sent (overdue work orders, late rounds)")]
    private partial void LogDone(int opened, int reminded);

    [LoggerMessage(EventId = 7112, Level = LogLevel.Warning, Message = "Field watcher pass failed; the next pass tries again")]
    private partial void LogFailed(Exception exception);
}
