using System.Data;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace GreenLoop.Storage.Postgres;

/// <summary>Settings of the PostgreSQL store.</summary>
public sealed record PostgresStoreOptions
{
    /// <summary>An Npgsql connection string, e.g. <c>Host=127.0.0.1;Port=5432;Database=greenloop;Username=greenloop;Password=…</c>.</summary>
    public required string ConnectionString { get; init; }
}

/// <summary>
/// The PostgreSQL store: the same model as the SQLite store (Unix-ms instants, the same tables and keys), for
/// installations that outgrow one file. Writers run concurrently under READ COMMITTED; the two writers that rebuild
/// derived data from other tables (applying a site, saving derived spans) take one transaction-scoped advisory lock,
/// which gives them the one-writer-at-a-time view the SQLite store has, while ingest never waits for them.
/// </summary>
/// <remarks>
/// Connections are not reset when they return to the pool (<c>No Reset On Close</c>) so that each one keeps its
/// temporary staging table for binary COPY (see <see cref="AppendReadingsAsync"/>); GreenLoop sets no other session
/// state. A transaction-pooling proxy (PgBouncer in transaction mode) is therefore not supported; session mode is.
/// </remarks>
public sealed partial class PostgresStore : GreenLoopStore
{
    /// <summary>Advisory lock keys (an arbitrary constant namespace, "GRLO").</summary>
    private const long MigrationLock = 0x47524C4F_00000001;
    private const long DerivedLock = 0x47524C4F_00000002;
    private const long AuditLock = 0x47524C4F_00000003;

    private const int MaxAttempts = 5;
    private const int DefaultNpgsqlCommandTimeout = 30;

    private readonly NpgsqlDataSource _db;
    private readonly DbContextOptions<GreenLoopDb> _dbOptions;

    public PostgresStore(PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        // Rebuilding a big site's node totals after its tree changed reads every bucket of the site: Npgsql's default
        // of 30 s is too short for years of data. A timeout set in the connection string is kept.
        if (builder.ConnectionStringBuilder.CommandTimeout == DefaultNpgsqlCommandTimeout) builder.ConnectionStringBuilder.CommandTimeout = 600;
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName)) builder.ConnectionStringBuilder.ApplicationName = "greenloop";
        _db = builder.Build();
        _dbOptions = new DbContextOptionsBuilder<GreenLoopDb>()
            .UseNpgsql(_db, o => o.MigrationsAssembly(typeof(PostgresStore).Assembly.GetName().Name))
            .Options;
    }

    protected override GreenLoopDb OpenDb(long tenantId) => new(_dbOptions) { TenantId = tenantId };

    /// <summary>
    /// A catalogue change in one READ COMMITTED transaction, run again a few times after a deadlock or a serialization
    /// failure, like every other write of this store.
    /// </summary>
    protected override async Task<T> WriteDbAsync<T>(long tenantId, Func<GreenLoopDb, ISeriesWriter, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        for (var attempt = 1; ; attempt++)
        {
            await using var db = new GreenLoopDb(_dbOptions) { TenantId = tenantId };
            await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            try
            {
                var series = new PostgresSeriesWriter((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)tx.GetDbTransaction());
                var result = await work(db, series);
                await tx.CommitAsync(ct);
                return result;
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsTransient(ex))
            {
                await tx.RollbackAsync(ct);
            }
        }
    }

    private static bool IsTransient(Exception ex) =>
        (ex as PostgresException ?? ex.InnerException as PostgresException)?.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    /// <summary>The server and database, without the password (for logs).</summary>
    public string Describe()
    {
        var b = new NpgsqlConnectionStringBuilder(_db.ConnectionString);
        return $"postgres://{b.Username}@{b.Host}:{b.Port}/{b.Database}";
    }

    /// <summary>The data source, for bulk work beside the store (the copy command, the benchmarks).</summary>
    public NpgsqlDataSource DataSource => _db;

    /// <summary>
    /// Applies the migrations (one history for the catalogue and the time-series tables), under a session advisory lock
    /// so that two servers starting together migrate one after the other. A database made before the migrations moved to EF Core is refused, never altered.
    /// </summary>
    public override async Task MigrateAsync(CancellationToken ct)
    {
        await using (var c = await _db.OpenConnectionAsync(ct))
        {
            var legacy = await ScalarAsync(c, null, "SELECT to_regclass('schema_version') IS NOT NULL AND to_regclass('\"__EFMigrationsHistory\"') IS NULL;", ct);
            if (legacy is true)
            {
                throw new InvalidOperationException(
                    $"The database {Describe()} was made by a GreenLoop version before 2026-12, which this version cannot upgrade. " +
                    "Export what you need, then create an empty database for this version.");
            }
        }
        // Two servers starting together: the second waits on this session lock, then finds every migration applied.
        await using var gate = await _db.OpenConnectionAsync(ct);
        await ExecAsync(gate, null, "SELECT pg_advisory_lock(@k);", ct, ("k", MigrationLock));
        try
        {
            await using var db = new GreenLoopDb(_dbOptions);
            await MigrateCatalogAsync(db, ct);
        }
        finally
        {
            await ExecAsync(gate, null, "SELECT pg_advisory_unlock(@k);", CancellationToken.None, ("k", MigrationLock));
        }
    }

    /// <summary>The migrations applied, oldest first (empty before the first).</summary>
    public async Task<IReadOnlyList<string>> AppliedMigrationsAsync(CancellationToken ct)
    {
        await using var db = new GreenLoopDb(_dbOptions);
        return [.. await db.Database.GetAppliedMigrationsAsync(ct)];
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one READ COMMITTED transaction; a deadlock or serialization failure (another
    /// writer on the same rows) rolls it back and runs it again, a few times.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var c = await _db.OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            try
            {
                var result = await work(c, tx);
                await tx.CommitAsync(ct);
                return result;
            }
            catch (PostgresException ex) when (attempt < MaxAttempts && ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                await tx.RollbackAsync(ct);
            }
        }
    }

    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken ct)
    {
        await using var c = await _db.OpenConnectionAsync(ct);
        return await work(c);
    }

    /// <summary>Serialises the writers that rebuild derived rows from other tables, until the transaction ends.</summary>
    private static Task LockDerivedAsync(NpgsqlConnection c, NpgsqlTransaction tx, CancellationToken ct) => LockAsync(c, tx, WriteKind.Derived, ct);

    /// <summary>Waits for the other writers of <paramref name="kind"/>, until the transaction ends.</summary>
    internal static Task LockAsync(NpgsqlConnection c, NpgsqlTransaction tx, WriteKind kind, CancellationToken ct) =>
        ExecAsync(c, tx, "SELECT pg_advisory_xact_lock(@k);", ct, ("k", kind == WriteKind.Audit ? AuditLock : DerivedLock));

    internal static NpgsqlCommand Command(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = new NpgsqlCommand(sql, c, tx);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    internal static async Task<int> ExecAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    internal static async Task<object?> ScalarAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        var v = await cmd.ExecuteScalarAsync(ct);
        return v is DBNull ? null : v;
    }

    internal static async Task<List<T>> ReadAllAsync<T>(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, Func<NpgsqlDataReader, T> map, CancellationToken ct,
        params (string Name, object? Value)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await r.ReadAsync(ct)) list.Add(map(r));
        return list;
    }

    internal static async Task<T?> ReadOneAsync<T>(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, Func<NpgsqlDataReader, T> map, CancellationToken ct,
        params (string Name, object? Value)[] args) where T : struct
    {
        await using var cmd = Command(c, tx, sql, args);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? map(r) : null;
    }

    internal static string? NullableString(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    internal static double? NullableDouble(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    internal static long? NullableLong(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    protected override ValueTask DisposeCoreAsync() => _db.DisposeAsync();
}
