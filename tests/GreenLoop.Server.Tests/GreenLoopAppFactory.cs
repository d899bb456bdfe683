using GreenLoop.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GreenLoop.Server.Tests;

/// <summary>
/// The real server in memory, on its own SQLite file in a temporary folder, demo plant off; or, given a data directory,
/// on that one (left in place), so that a test can restart the server on the same data.
/// </summary>
public sealed class GreenLoopAppFactory(string? dataDirectory = null) : WebApplicationFactory<Program>
{
    private readonly TemporaryFolder? _dataDirectory = dataDirectory is null ? new("server") : null;

    public string DataDirectory => dataDirectory ?? _dataDirectory!.Path;

    public ServerLog ErrorLogs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // GreenLoopServer.Build fixes the content root to the output folder; the factory must not move it.
        builder.UseContentRoot(AppContext.BaseDirectory);
        builder.UseSetting("GreenLoop:DataDirectory", DataDirectory);
        builder.UseSetting("GreenLoop:Demo:Enabled", "false");
        builder.UseSetting("GreenLoop:Security:BootstrapApiKey", TestCredentials.AdminKey);
        builder.UseSetting("GreenLoop:Security:InitialAdminPassword", TestCredentials.AdminPassword);
        builder.UseSetting("GreenLoop:Security:SignInPerMinute", "1000");
        // The tests' webhook receivers listen on 127.0.0.1.
        builder.UseSetting("GreenLoop:Notifications:AllowPrivateTargets", "true");
        builder.ConfigureLogging(logging => logging.AddProvider(ErrorLogs));
        // The in-memory server has no client address; a test may give one (X-Test-Client-Address) to act from several.
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddressFilter>());
    }

    /// <summary>Clients act with the provisioned administrator key unless a test removes the header.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add("X-Api-Key", TestCredentials.AdminKey);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dataDirectory?.Dispose();
    }
}

/// <summary>Sets the connection's remote address from <c>X-Test-Client-Address</c> (tests only), before anything else runs.</summary>
internal sealed class ClientAddressFilter : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
    {
        app.Use(following => context =>
        {
            if (System.Net.IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var address)) context.Connection.RemoteIpAddress = address;
            return following(context);
        });
        next(app);
    };
}
