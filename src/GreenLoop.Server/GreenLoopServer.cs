using System.Text.Json.Serialization;
using GreenLoop.Server.Api;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;
using GreenLoop.Server.Web;

namespace GreenLoop.Server;

/// <summary>Builds the GreenLoop web application; used by Program, the CLI's <c>serve</c> and the tests.</summary>
public static class GreenLoopServer
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddGreenLoopCore(builder.Configuration);
        builder.Services.AddGreenLoopDemo(builder.Configuration);
        builder.Services.AddGreenLoopAlarms(builder.Configuration);
        builder.Services.AddGreenLoopNotifications();
        builder.Services.AddGreenLoopLive(builder.Configuration);
        builder.Services.AddGreenLoopConnectors(builder.Configuration);
        builder.Services.AddOpenApi();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddGreenLoopUi();
        builder.Services.AddGreenLoopSecurity(builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseGreenLoopSecurity();
        app.MapOpenApi().AllowAnonymous();
        app.MapHealthApi();
        // Every change made through the API below is written to the hash-chained audit trail (except readings, which
        // are data, not configuration: their own trail is the append-only reading table and the quarantine). Bad input
        // a service throws is answered with 400 here, inside the audit (a refused change is not recorded).
        var api = app.MapGroup("").Audited().AnswersBadInput();
        api.MapReadingsApi();
        api.MapSitesApi();
        api.MapAccountingApi();
        api.MapNotificationsApi();
        api.MapAlarmsApi();
        api.MapLiveApi();
        api.MapImportsApi();
        api.MapManualEntriesApi();
        api.MapDataSourcesApi();
        api.MapAuditApi();
        api.MapAuthApi();
        app.MapGreenLoopUi();
        return app;
    }
}
