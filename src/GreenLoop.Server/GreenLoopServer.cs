using System.Text.Json.Serialization;
using GreenLoop.Server.Api;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;
using GreenLoop.Server.Web;

namespace GreenLoop.Server;

/// <summary>Builds the GreenLoop web application; used by Program, the CLI's <c>serve</c> and the tests.</summary>
public static class GreenLoopServer
{
    /// <summary>Where the server listens when no address is configured: this machine only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>Where the data is (the SQLite file's full path, or the PostgreSQL server without its password), for the start-up line.</summary>
    public static string DataLocation(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value
            .Describe(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GreenLoopOptions>>().Value);
    }

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // The default address is set here, not in appsettings.json: a file setting would override ASPNETCORE_URLS.
        // Any of --urls, the Urls setting (appsettings.json or the Urls environment variable) and ASPNETCORE_URLS wins.
        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey])) builder.WebHost.UseUrls(DefaultUrls);
        builder.Services.AddGreenLoopCore(builder.Configuration);
        builder.Services.AddGreenLoopDemo(builder.Configuration);
        builder.Services.AddGreenLoopAlarms(builder.Configuration);
        builder.Services.AddGreenLoopKpis(builder.Configuration);
        builder.Services.AddGreenLoopNotifications(builder.Configuration);
        builder.Services.AddGreenLoopLive(builder.Configuration);
        builder.Services.AddGreenLoopConnectors(builder.Configuration);
        builder.Services.AddOpenApi(OpenApiConventions.Configure);
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
        api.MapEnergyFlowApi();
        api.MapAccountingApi();
        api.MapNotificationsApi();
        api.MapAlarmsApi();
        api.MapLiveApi();
        api.MapImportsApi();
        api.MapManualEntriesApi();
        api.MapDataSourcesApi();
        api.MapAuditApi();
        api.MapKpisApi();
        api.MapReviewsApi();
        api.MapCpAuditsApi();
        api.MapProjectsApi();
        api.MapFieldApi();
        api.MapCostApi();
        api.MapAuthApi();
        app.MapPlatformApi();
        app.MapGreenLoopUi();
        return app;
    }
}
