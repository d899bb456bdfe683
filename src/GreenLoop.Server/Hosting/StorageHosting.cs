using GreenLoop.Pipeline;
using GreenLoop.Storage;
using GreenLoop.Storage.Postgres;
using GreenLoop.Storage.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GreenLoop.Server.Hosting;

/// <summary>
/// Which store the platform keeps its data in: settings under <c>GreenLoop:Storage</c> in appsettings.json, or
/// environment variables <c>GreenLoop__Storage__Provider</c> and <c>GreenLoop__Storage__ConnectionString</c>.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "GreenLoop:Storage";

    /// <summary><c>sqlite</c> (default: the file <c>greenloop.db</c> in GreenLoop:DataDirectory) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>
    /// PostgreSQL only: an Npgsql connection string, e.g. <c>Host=db;Port=5432;Database=greenloop;Username=greenloop;Password=…</c>.
    /// When empty, <c>ConnectionStrings:Postgres</c> is used.
    /// </summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where the data is, for logs (never the password).</summary>
    public string Describe(GreenLoopOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IsPostgres) return options.DatabasePath;
        var b = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"postgres://{b.Username}@{b.Host}:{b.Port}/{b.Database}";
    }
}

/// <summary>Checks the storage settings at start, with messages that say what to set.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsPostgres && !string.Equals(options.Provider, "sqlite", StringComparison.OrdinalIgnoreCase))
            return ValidateOptionsResult.Fail($"GreenLoop:Storage:Provider must be 'sqlite' (the default) or 'postgres', not '{options.Provider}'.");
        if (!options.IsPostgres) return ValidateOptionsResult.Success;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                "GreenLoop:Storage:Provider is 'postgres' but no connection string is set: set GreenLoop:Storage:ConnectionString "
                + "(environment variable GreenLoop__Storage__ConnectionString) or ConnectionStrings:Postgres, "
                + "e.g. Host=127.0.0.1;Port=5432;Database=greenloop;Username=greenloop;Password=... (see docs/postgresql.md).");
        }
        try
        {
            var b = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            if (string.IsNullOrEmpty(b.Host))
                return ValidateOptionsResult.Fail("GreenLoop:Storage:ConnectionString has no Host: say which PostgreSQL server to use, e.g. Host=127.0.0.1;Port=5432;Database=greenloop;...");
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"GreenLoop:Storage:ConnectionString is not a valid PostgreSQL connection string: {ex.Message}");
        }
        return ValidateOptionsResult.Success;
    }
}

/// <summary>Registers the configured store.</summary>
public static class StorageHosting
{
    public static IServiceCollection AddGreenLoopStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .PostConfigure(o => o.ConnectionString = string.IsNullOrWhiteSpace(o.ConnectionString) ? configuration.GetConnectionString("Postgres") : o.ConnectionString)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        // Reading the options validates them, so a wrong setting stops the start with the validator's message.
        services.AddGreenLoopStore(sp => Open(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<IOptions<GreenLoopOptions>>().Value));
        return services;
    }

    /// <summary>Opens the store the settings name (not migrated yet).</summary>
    public static GreenLoopStore Open(StorageOptions storage, GreenLoopOptions options)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(options);
        if (storage.IsPostgres) return new PostgresStore(new PostgresStoreOptions { ConnectionString = storage.ConnectionString! });
        OwnerOnly(options.DatabasePath);
        return new SqliteStore(new SqliteStoreOptions { Path = options.DatabasePath, Synchronous = options.Synchronous });
    }

    /// <summary>
    /// The data directory readable by the server's account only (0700), and the database file created 0600 before
    /// SQLite opens it (its write-ahead log and shared-memory files take the database file's permissions); an existing
    /// file, log or shared-memory file is narrowed to 0600.
    /// </summary>
    public static void OwnerOnly(string databasePath)
    {
        ArgumentNullException.ThrowIfNull(databasePath);
        var folder = Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }
        if (!Directory.Exists(folder)) Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        const UnixFileMode File0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!File.Exists(databasePath))
        {
            using var created = new FileStream(databasePath, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = File0600 });
        }
        foreach (var file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
            if (File.Exists(file) && File.GetUnixFileMode(file) != File0600) File.SetUnixFileMode(file, File0600);
    }

    /// <summary>The storage settings from a configuration outside the host (the command line tools), validated.</summary>
    public static StorageOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = new StorageOptions();
        configuration.GetSection(StorageOptions.Section).Bind(storage);
        if (string.IsNullOrWhiteSpace(storage.ConnectionString)) storage.ConnectionString = configuration.GetConnectionString("Postgres");
        var result = new StorageOptionsValidator().Validate(null, storage);
        return result.Failed ? throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions), result.Failures) : storage;
    }
}
