using System.Globalization;
using Microsoft.Data.Sqlite;

namespace GreenLoop.Testing;

/// <summary>Direct access to the server's SQLite file, as someone with the file (not the API) would have.</summary>
public static class Database
{
    private static SqliteConnection Open(string dataDirectory)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "greenloop.db"),
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    public static async Task<T> ScalarAsync<T>(string dataDirectory, string sql)
    {
        await using var connection = Open(dataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        Assert.NotNull(value);
        return (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }

    public static async Task<List<Dictionary<string, object?>>> RowsAsync(string dataDirectory, string sql)
    {
        await using var connection = Open(dataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public static async Task<int> ExecuteAsync(string dataDirectory, string sql)
    {
        await using var connection = Open(dataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var changed = await command.ExecuteNonQueryAsync();
        Assert.True(changed > 0, $"'{sql}' changed nothing");
        return changed;
    }
}
