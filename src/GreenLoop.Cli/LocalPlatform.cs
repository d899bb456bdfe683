using GreenLoop.Pipeline;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Pipeline.Model.Accounting;
using GreenLoop.Pipeline.Monitor.Derivation;
using GreenLoop.Server.Hosting;
using GreenLoop.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GreenLoop.Cli;

/// <summary>
/// The platform's pipeline opened directly on the data directory, for commands that work without a running server
/// (import, site apply/export, report). SQLite's locking lets them run beside a server on the same file.
/// </summary>
internal sealed class LocalPlatform : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private readonly IConfiguration _config;

    private LocalPlatform(GreenLoopStore store, long tenantId, GreenLoopOptions options, IConfiguration config)
    {
        _config = config;
        Store = store;
        TenantId = tenantId;
        Options = options;
        // The application's one registration, as the server's, on this store and the system clock.
        _services = new ServiceCollection().AddGreenLoopStore(_ => store).AddGreenLoopPipeline().BuildServiceProvider();
    }

    public GreenLoopStore Store { get; }
    public long TenantId { get; }
    public GreenLoopOptions Options { get; }
    public MeterCatalog Catalog => _services.GetRequiredService<MeterCatalog>();
    public IngestService Ingest => _services.GetRequiredService<IngestService>();
    public DerivationService Derivation => _services.GetRequiredService<DerivationService>();
    public SiteService Sites => _services.GetRequiredService<SiteService>();
    public AccountingService Accounting => _services.GetRequiredService<AccountingService>();

    /// <summary>
    /// Reads appsettings.json (beside the program), environment variables and <c>--data DIR</c>. A command that only
    /// reads (<paramref name="readOnly"/>: report, site export, audit) never creates a database: without one it fails
    /// with a <see cref="FileNotFoundException"/> that says where it looked and how to point it at the right one.
    /// </summary>
    public static async Task<LocalPlatform> OpenAsync(string? dataDirectory, CancellationToken ct, bool readOnly = false)
    {
        var (config, options) = Settings(dataDirectory);
        // The store the server is configured with (GreenLoop:Storage), so that commands never write into a SQLite file
        // beside a server that runs on PostgreSQL.
        var storage = StorageHosting.Read(config);
        if (readOnly && !storage.IsPostgres && !File.Exists(options.DatabasePath))
        {
            throw new FileNotFoundException(
                $"no GreenLoop database at {options.DatabasePath}; nothing was created. Give the server's data directory with "
                + "--data DIR (the folder holding greenloop.db; the server prints it at start as 'Data: ...'), or set GreenLoop__DataDirectory.",
                options.DatabasePath);
        }
        var store = StorageHosting.Open(storage, options);
        await store.MigrateAsync(ct);
        var tenant = await store.EnsureTenantAsync(options.DefaultTenant, options.DefaultTenant, ct);
        return new LocalPlatform(store, tenant, options, config);
    }

    /// <summary>The settings the server reads (appsettings.json beside the program, environment variables) and the data directory.</summary>
    public static (IConfiguration Config, GreenLoopOptions Options) Settings(string? dataDirectory)
    {
        var config = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var options = new GreenLoopOptions();
        config.GetSection(GreenLoopOptions.Section).Bind(options);
        if (dataDirectory is not null) options.DataDirectory = dataDirectory;
        return (config, options);
    }

    /// <summary>The key directory the server uses with these settings (Data Protection key ring, audit key, platform keys).</summary>
    public static string KeyFolder(string? dataDirectory)
    {
        var (config, options) = Settings(dataDirectory);
        var security = config.GetSection(GreenLoop.Server.Security.SecurityOptions.Section).Get<GreenLoop.Server.Security.SecurityOptions>() ?? new();
        return security.KeyFolder(options.DataDirectory);
    }

    /// <summary>
    /// Records a change made from the command line in the tenant's audit trail, like a change made through the API;
    /// the actor is the operating-system user who ran the command (<c>os:alice</c>).
    /// </summary>
    public Task RecordAsync(string action, string subject, object? detail, CancellationToken ct) =>
        Audit(create: true).RecordAsync(TenantId, Actor, action, subject, detail, ct);

    /// <summary>
    /// The audit trail with the server's anchor (the same key and checkpoint file, from the same settings);
    /// <paramref name="create"/>: make the key if there is none yet (a change), else go without (a check says so).
    /// </summary>
    public GreenLoop.Pipeline.Trace.Audit.AuditTrail Audit(bool create)
    {
        var security = _config.GetSection(GreenLoop.Server.Security.SecurityOptions.Section).Get<GreenLoop.Server.Security.SecurityOptions>() ?? new();
        return new GreenLoop.Pipeline.Trace.Audit.AuditTrail(Store, TimeProvider.System, security.AuditAnchor(Options.DataDirectory, create));
    }

    /// <summary>Who runs the command: <c>os:</c> and the operating-system user name.</summary>
    public static string Actor => "os:" + Environment.UserName;

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Store.DisposeAsync();
    }
}
