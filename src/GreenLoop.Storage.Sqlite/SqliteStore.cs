using GreenLoop.Storage.Catalog;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Storage.Sqlite;

/// <summary>Settings of the embedded store.</summary>
public sealed record SqliteStoreOptions
{
    /// <summary>Path of the database file; its folder is created if missing.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// <c>FULL</c> (default) syncs the write-ahead log at every commit, so an acknowledged batch survives a power
    /// loss; <c>NORMAL</c> survives a process crash only and is faster.
    /// </summary>
    public string Synchronous { get; init; } = "FULL";
}

/// <summary>
/// The embedded SQLite store: one file, write-ahead logging, one writer at a time (SQLite's own model, made explicit
/// with a lock so that writers queue here rather than spin on SQLITE_BUSY), readers on pooled connections.
/// </summary>
public sealed partial class SqliteStore : GreenLoopStore
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SqliteConnection _writer;
    private readonly string _synchronous;
    private readonly DbContextOptions<GreenLoopDb> _readOptions;
    private readonly DbContextOptions<GreenLoopDb> _writeOptions;

    /// <summary>
    /// The writer connection's page cache in KiB (16 MB). Larger caches did not write faster in the ingest benchmarks and
    /// cost their size in the server's working set; the operating system's file cache holds the rest of the database.
    /// </summary>
    public const int WriterCacheKib = 16_384;

    public SqliteStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        _synchronous = options.Synchronous.ToUpperInvariant() is "NORMAL" ? "NORMAL" : "FULL";
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
        _writer = Open();
        Exec(_writer, "PRAGMA journal_mode=WAL;");
        Exec(_writer, FormattableString.Invariant($"PRAGMA cache_size=-{WriterCacheKib};"));
        Exec(_writer, "PRAGMA wal_autocheckpoint=4000;");
        _readOptions = DbOptions(new DbContextOptionsBuilder<GreenLoopDb>().UseSqlite(_connectionString, Configure));
        _writeOptions = DbOptions(new DbContextOptionsBuilder<GreenLoopDb>().UseSqlite(_writer, Configure));
    }

    private static void Configure(Microsoft.EntityFrameworkCore.Infrastructure.SqliteDbContextOptionsBuilder o) =>
        o.MigrationsAssembly(typeof(SqliteStore).Assembly.GetName().Name);

    private static DbContextOptions<GreenLoopDb> DbOptions(DbContextOptionsBuilder<GreenLoopDb> b) => b.Options;

    protected override GreenLoopDb OpenDb(long tenantId) => new(_readOptions) { TenantId = tenantId };

    /// <summary>Catalogue changes run on the writer connection under the write lock, like every other write.</summary>
    protected override async Task<T> WriteDbAsync<T>(long tenantId, Func<GreenLoopDb, ISeriesWriter, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _writeLock.WaitAsync(ct);
        try
        {
            using var tx = _writer.BeginTransaction();
            await using var db = new GreenLoopDb(_writeOptions) { TenantId = tenantId };
            await db.Database.UseTransactionAsync(tx, ct);
            var result = await work(db, new SqliteSeriesWriter(_writer, tx));
            tx.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public string FilePath => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        Exec(c, $"PRAGMA synchronous={_synchronous}; PRAGMA busy_timeout=60000; PRAGMA temp_store=MEMORY;");
        c.CreateAggregate("bit_or", 0L, (long acc, long v) => acc | v, acc => acc);
        return c;
    }

    /// <summary>
    /// Applies the migrations (one history for the catalogue and the time-series tables). A database made before the
    /// migrations moved to EF Core is refused with what to do, never altered.
    /// </summary>
    public override async Task MigrateAsync(CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            var legacy = Convert.ToInt32(Scalar(_writer, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
            var history = Scalar(_writer, "SELECT count(*) FROM sqlite_master WHERE name='__EFMigrationsHistory';") is long n && n > 0;
            if (legacy > 0 && !history)
            {
                throw new InvalidOperationException(
                    $"The database {FilePath} was made by a GreenLoop version before 2026-12 (schema {legacy}), which this version cannot upgrade. " +
                    "Export what you need, then move the file away and start again: a new database is created.");
            }
            await using var db = new GreenLoopDb(_writeOptions);
            await MigrateCatalogAsync(db, ct);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> on the writer connection inside one transaction, under the write lock.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            using var tx = _writer.BeginTransaction();
            var result = work(_writer, tx);
            tx.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, T> work, CancellationToken ct)
    {
        await using var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct);
        return work(c);
    }

    internal static void Exec(SqliteConnection c, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        cmd.ExecuteNonQuery();
    }

    internal static object? Scalar(SqliteConnection c, string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(c, sql, tx, args);
        var v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    internal static SqliteCommand Command(SqliteConnection c, string sql, SqliteTransaction? tx, params (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    protected override async ValueTask DisposeCoreAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            // Fold the write-ahead log into the main file so a copied database file is complete on its own.
            try { Exec(_writer, "PRAGMA wal_checkpoint(TRUNCATE);"); }
            catch (SqliteException) { /* another process may hold the database; the WAL stays valid */ }
            await _writer.DisposeAsync();
        }
        finally
        {
            _writeLock.Release();
            _writeLock.Dispose();
        }
    }
}
