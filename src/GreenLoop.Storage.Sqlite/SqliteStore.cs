using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;

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
public sealed partial class SqliteStore : IGreenLoopStore
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SqliteConnection _writer;
    private readonly string _synchronous;

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
        Exec(_writer, "PRAGMA cache_size=-65536;");
        Exec(_writer, "PRAGMA wal_autocheckpoint=4000;");
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

    public async Task MigrateAsync(CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            var version = Convert.ToInt32(Scalar(_writer, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
            for (var i = version; i < SqliteMigrations.Steps.Length; i++)
            {
                using var tx = _writer.BeginTransaction();
                Exec(_writer, SqliteMigrations.Steps[i], tx);
                Exec(_writer, $"PRAGMA user_version={i + 1};", tx);
                tx.Commit();
            }
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

    public async ValueTask DisposeAsync()
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
