using System.Diagnostics;
using System.Globalization;
using GreenLoop.Storage.Postgres;
using GreenLoop.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace GreenLoop.Cli;

/// <summary>
/// Copies a whole SQLite installation into an empty PostgreSQL database: every table, row for row, ids included,
/// each by binary COPY, all in one PostgreSQL transaction (a failure leaves the target empty), from one consistent
/// read of the SQLite file. The tables, their columns and their order come from the PostgreSQL schema (parents before
/// children by foreign key), so a table one side has and the other does not stops the copy before anything is written.
/// At the end the identity sequences continue after the copied ids and the row count of every table is compared.
/// </summary>
internal sealed class StoreCopy(TextWriter output)
{
    /// <summary>Derived tables: skipped with <c>rederive</c>, when the server derives everything again from the readings.</summary>
    private static readonly HashSet<string> _derived = ["bucket", "rollup", "node_rollup", "finding", "dirty"];

    private sealed record Column(string Name, string Type, bool Identity);

    /// <summary>Thrown for a problem the person running the copy can act on; the message says what.</summary>
    public sealed class CopyException(string message) : Exception(message);

    public async Task<IReadOnlyList<(string Table, long Sqlite, long Postgres)>> RunAsync(string sqlitePath, string connectionString, bool rederive, CancellationToken ct)
    {
        if (!File.Exists(sqlitePath)) throw new CopyException($"there is no SQLite database at {sqlitePath}");
        // Brings an older installation's schema up to date, as starting the server on it would.
        await using (var upgrade = new SqliteStore(new SqliteStoreOptions { Path = sqlitePath }))
        {
            await upgrade.MigrateAsync(ct);
        }
        // No command timeout: copying years of readings is one long COPY, and ANALYZE of the result takes a while too.
        var unbounded = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ToString();
        await using var target = new PostgresStore(new PostgresStoreOptions { ConnectionString = unbounded });
        await target.MigrateAsync(ct);
        var migrations = await target.AppliedMigrationsAsync(ct);
        await output.WriteLineAsync($"copying {Path.GetFullPath(sqlitePath)} -> {target.Describe()} (schema {MigrationName(migrations[^1])}, {migrations.Count} migrations)");

        await using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sqlitePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await source.OpenAsync(ct);
        // One read transaction: every table is read from the same snapshot of the file.
        await using var snapshot = (SqliteTransaction)await source.BeginTransactionAsync(ct);
        await using var pg = await target.DataSource.OpenConnectionAsync(ct);
        await using var tx = await pg.BeginTransactionAsync(ct);

        var columns = await ColumnsAsync(pg, tx, ct);
        var sqliteMigrations = SqliteMigrations(source, snapshot);
        if (!sqliteMigrations.Select(MigrationName).SequenceEqual(migrations.Select(MigrationName)))
        {
            throw new CopyException($"the two databases are at different schema versions (SQLite: {string.Join(", ", sqliteMigrations.Select(MigrationName))}; " +
                $"PostgreSQL: {string.Join(", ", migrations.Select(MigrationName))})");
        }
        var sqliteTables = SqliteTables(source, snapshot);
        var missing = sqliteTables.Except(columns.Keys).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0) throw new CopyException($"the PostgreSQL provider has no table {string.Join(", ", missing)}: this greenloop is older than the one that wrote the SQLite file");
        var absent = columns.Keys.Except(sqliteTables).Order(StringComparer.Ordinal).ToList();
        if (absent.Count > 0) throw new CopyException($"the SQLite file has no table {string.Join(", ", absent)}");
        foreach (var table in columns.Keys)
        {
            if (await ScalarAsync(pg, tx, $"SELECT EXISTS(SELECT 1 FROM \"{table}\")", ct) is true)
                throw new CopyException($"the target database is not empty (table {table} has rows); copy into a new, empty database");
        }

        var total = Stopwatch.StartNew();
        long rows = 0;
        foreach (var table in await OrderAsync(pg, tx, columns.Keys, ct))
        {
            if (rederive && _derived.Contains(table)) continue;
            var watch = Stopwatch.StartNew();
            var copied = await CopyTableAsync(source, snapshot, pg, table, columns[table], ct);
            rows += copied;
            var rate = copied >= 100_000 ? string.Create(CultureInfo.InvariantCulture, $"  ({watch.Elapsed.TotalSeconds:0.0} s, {copied / watch.Elapsed.TotalSeconds:N0} rows/s)") : "";
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {table,-22}{copied,14:N0} rows{rate}"));
        }
        if (rederive)
        {
            await ExecAsync(pg, tx, "INSERT INTO dirty(meter_id, from_ts, to_ts, version) SELECT meter_id, min(ts), max(ts), 1 FROM reading GROUP BY meter_id", ct);
            await output.WriteLineAsync("  derived tables skipped: every meter with readings is marked for derivation; the server re-derives them when it starts");
        }
        foreach (var (table, cols) in columns)
        {
            foreach (var c in cols.Where(c => c.Identity))
            {
                await ExecAsync(pg, tx, $"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{c.Name}'), coalesce(max(\"{c.Name}\"), 0) + 1, false) FROM \"{table}\"", ct);
            }
        }

        // With rederive the derived tables are expected empty, except the marks just made (one per meter with readings).
        var counts = new List<(string Table, long Sqlite, long Postgres)>();
        foreach (var table in columns.Keys.Order(StringComparer.Ordinal))
        {
            using var count = source.CreateCommand();
            count.Transaction = snapshot;
            count.CommandText = rederive && table == "dirty" ? "SELECT count(DISTINCT meter_id) FROM reading"
                : rederive && _derived.Contains(table) ? "SELECT 0"
                : $"SELECT count(*) FROM \"{table}\"";
            var expected = (long)count.ExecuteScalar()!;
            var actual = (long)(await ScalarAsync(pg, tx, $"SELECT count(*) FROM \"{table}\"", ct))!;
            counts.Add((table, expected, actual));
        }
        if (counts.Any(c => c.Sqlite != c.Postgres))
        {
            await tx.RollbackAsync(ct);
            return counts;
        }
        await tx.CommitAsync(ct);
        await ExecAsync(pg, null, "ANALYZE", ct);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"copied {rows:N0} rows of {counts.Count} tables in {total.Elapsed.TotalSeconds:0.0} s"));
        return counts;
    }

    private static async Task<Dictionary<string, List<Column>>> ColumnsAsync(NpgsqlConnection pg, NpgsqlTransaction tx, CancellationToken ct)
    {
        var columns = new Dictionary<string, List<Column>>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand("""
            SELECT c.table_name, c.column_name, c.data_type, c.is_identity = 'YES'
            FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name NOT LIKE '\_\_EF%'
            ORDER BY c.table_name, c.ordinal_position
            """, pg, tx);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var table = r.GetString(0);
            if (!columns.TryGetValue(table, out var list)) columns[table] = list = [];
            list.Add(new Column(r.GetString(1), r.GetString(2), r.GetBoolean(3)));
        }
        return columns;
    }

    private static HashSet<string> SqliteTables(SqliteConnection source, SqliteTransaction snapshot)
    {
        using var cmd = source.CreateCommand();
        cmd.Transaction = snapshot;
        cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_EF%' ESCAPE '\\'";
        using var r = cmd.ExecuteReader();
        var tables = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read()) tables.Add(r.GetString(0));
        return tables;
    }

    /// <summary>The migrations applied to the SQLite file, oldest first.</summary>
    private static List<string> SqliteMigrations(SqliteConnection source, SqliteTransaction snapshot)
    {
        using var cmd = source.CreateCommand();
        cmd.Transaction = snapshot;
        cmd.CommandText = "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY \"MigrationId\"";
        using var r = cmd.ExecuteReader();
        var ids = new List<string>();
        while (r.Read()) ids.Add(r.GetString(0));
        return ids;
    }

    /// <summary>A migration's name without its timestamp: each provider has its own history, made with the same names.</summary>
    private static string MigrationName(string id) => id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..];

    /// <summary>Tables with every table they reference by foreign key before them (ties by name).</summary>
    private static async Task<List<string>> OrderAsync(NpgsqlConnection pg, NpgsqlTransaction tx, IEnumerable<string> tables, CancellationToken ct)
    {
        var parents = tables.ToDictionary(t => t, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand("""
            SELECT child.relname, parent.relname FROM pg_constraint k
            JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
            WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace
            """, pg, tx))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                if (r.GetString(0) != r.GetString(1) && parents.TryGetValue(r.GetString(0), out var set)) set.Add(r.GetString(1));
            }
        }
        var order = new List<string>();
        while (parents.Count > 0)
        {
            var ready = parents.Where(p => p.Value.All(order.Contains)).Select(p => p.Key).Order(StringComparer.Ordinal).First();
            order.Add(ready);
            parents.Remove(ready);
        }
        return order;
    }

    private static async Task<long> CopyTableAsync(SqliteConnection source, SqliteTransaction snapshot, NpgsqlConnection pg, string table, List<Column> columns,
        CancellationToken ct)
    {
        var names = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        using var select = source.CreateCommand();
        select.Transaction = snapshot;
        select.CommandText = $"SELECT {names} FROM \"{table}\"";
        using var r = select.ExecuteReader();
        await using var copy = await pg.BeginBinaryImportAsync($"COPY \"{table}\" ({names}) FROM STDIN (FORMAT BINARY)", ct);
        long rows = 0;
        while (r.Read())
        {
            await copy.StartRowAsync(ct);
            for (var i = 0; i < columns.Count; i++)
            {
                if (r.IsDBNull(i))
                {
                    await copy.WriteNullAsync(ct);
                    continue;
                }
                var task = columns[i].Type switch
                {
                    "bigint" => copy.WriteAsync(r.GetInt64(i), NpgsqlDbType.Bigint, ct),
                    "integer" => copy.WriteAsync(checked((int)r.GetInt64(i)), NpgsqlDbType.Integer, ct),
                    "double precision" => copy.WriteAsync(r.GetDouble(i), NpgsqlDbType.Double, ct),
                    "text" => copy.WriteAsync(r.GetString(i), NpgsqlDbType.Text, ct),
                    "boolean" => copy.WriteAsync(r.GetInt64(i) != 0, NpgsqlDbType.Boolean, ct),
                    "bytea" => copy.WriteAsync((byte[])r.GetValue(i), NpgsqlDbType.Bytea, ct),
                    var other => throw new CopyException($"column {table}.{columns[i].Name} has type {other}, which the copy does not know"),
                };
                await task;
            }
            rows++;
        }
        await copy.CompleteAsync(ct);
        return rows;
    }

    private static async Task ExecAsync(NpgsqlConnection pg, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, pg, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection pg, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, pg, tx);
        return await cmd.ExecuteScalarAsync(ct);
    }
}
