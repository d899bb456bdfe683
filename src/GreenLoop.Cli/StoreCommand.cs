using System.Globalization;
using Npgsql;

namespace GreenLoop.Cli;

/// <summary><c>greenloop store copy</c>: moves an installation from SQLite to PostgreSQL (see docs/postgresql.md).</summary>
internal static class StoreCommand
{
    public const string Usage = """
        greenloop store copy --from sqlite:PATH --to postgres:CONNECTION-STRING [--rederive]

          Copies everything of a SQLite installation (tenants, sites, meters, events, readings, quarantine, derived data,
          accounting overrides and locks, alarm rules, alarms and their history, channels, deliveries, data sources,
          manual entries, audit trail, users and API keys) into an empty PostgreSQL database, ids included, then checks
          that every table has the same number of rows on both sides. Stop the server first.

          --from sqlite:PATH     the SQLite file (default: greenloop.db in --data DIR)
          --to postgres:CS       an Npgsql connection string, e.g. "postgres:Host=db;Database=greenloop;Username=greenloop;Password=..."
          --rederive             copy raw data only; the server derives buckets and roll-ups again when it starts
        """;

    public static async Task<int> RunAsync(List<string> args, string? data, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Count == 0 || args[0] is "-h" or "--help" || args[0] != "copy")
        {
            await (args.Count > 0 && args[0] is "-h" or "--help" ? output : error).WriteLineAsync(Usage);
            return args.Count > 0 && args[0] is "-h" or "--help" ? 0 : 1;
        }
        var rest = args.Skip(1).ToList();
        var from = CliApp.TakeOption(rest, "--from") ?? (data is null ? null : "sqlite:" + Path.Combine(data, "greenloop.db"));
        var to = CliApp.TakeOption(rest, "--to");
        var rederive = rest.Remove("--rederive");
        if (rest.Count > 0) return await FailAsync(error, $"unknown argument '{rest[0]}'", usage: true);
        if (from is null || !from.StartsWith("sqlite:", StringComparison.Ordinal))
            return await FailAsync(error, "--from must be sqlite:PATH (or give --data DIR)", usage: true);
        if (to is null || !to.StartsWith("postgres:", StringComparison.Ordinal))
            return await FailAsync(error, "--to must be postgres:CONNECTION-STRING", usage: true);
        var connection = to["postgres:".Length..];
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connection);
        }
        catch (ArgumentException ex)
        {
            return await FailAsync(error, $"--to is not a valid PostgreSQL connection string: {ex.Message}", usage: false);
        }

        IReadOnlyList<(string Table, long Sqlite, long Postgres)> counts;
        try
        {
            counts = await new StoreCopy(output).RunAsync(from["sqlite:".Length..], connection, rederive, ct);
        }
        catch (StoreCopy.CopyException ex)
        {
            return await FailAsync(error, ex.Message, usage: false);
        }
        catch (NpgsqlException ex)
        {
            return await FailAsync(error, $"PostgreSQL: {ex.Message}; nothing was copied", usage: false);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        await output.WriteLineAsync("check: rows per table");
        await output.WriteLineAsync($"  {"table",-22}{"sqlite",14}{"postgres",14}");
        foreach (var (table, sqlite, postgres) in counts)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {table,-22}{sqlite,14:N0}{postgres,14:N0}  {(sqlite == postgres ? "ok" : "DIFFERENT")}"));
        }
        if (counts.Any(c => c.Sqlite != c.Postgres))
        {
            await error.WriteLineAsync("error: row counts differ; the copy was rolled back and the target is empty");
            return 5;
        }
        await output.WriteLineAsync("every table has the same number of rows on both sides; switch the server to PostgreSQL (docs/postgresql.md) and start it");
        return 0;
    }

    private static async Task<int> FailAsync(TextWriter error, string message, bool usage)
    {
        await error.WriteLineAsync(usage ? $"error: {message}\n\n{Usage}" : $"error: {message}");
        return usage ? 1 : 2;
    }
}
