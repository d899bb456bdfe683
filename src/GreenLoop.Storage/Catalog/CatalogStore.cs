using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;

namespace GreenLoop.Storage.Catalog;

/// <summary>
/// The catalogue half of a store, written once on EF Core for every provider. A provider supplies only the
/// connections: a context for reads and one transaction for a change (with its <see cref="ISeriesWriter"/>).
/// </summary>
public abstract partial class CatalogStore : ICatalogDb
{
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A context for reads on its own connection, seeing the records of <paramref name="tenantId"/>.</summary>
    protected abstract GreenLoopDb OpenDb(long tenantId);

    /// <summary>Runs <paramref name="work"/> in one transaction; what it saves and writes commits together.</summary>
    protected abstract Task<T> WriteDbAsync<T>(long tenantId, Func<GreenLoopDb, ISeriesWriter, Task<T>> work, CancellationToken ct);

    /// <summary>
    /// A catalogue context on its own connection for <paramref name="tenantId"/> (for services that own their records
    /// and for tests); the caller disposes it. On SQLite its changes wait for the store's writer like any other.
    /// </summary>
    public GreenLoopDb CreateDb(long tenantId) => OpenDb(tenantId);

    GreenLoopDb ICatalogDb.Open(long tenantId) => OpenDb(tenantId);

    Task<T> ICatalogDb.WriteAsync<T>(long tenantId, Func<GreenLoopDb, Task<T>> work, CancellationToken ct) =>
        WriteDbAsync(tenantId, (db, _) => work(db), ct);

    /// <summary>Reads with a context of <paramref name="tenantId"/> that is disposed afterwards.</summary>
    protected async Task<T> ReadDbAsync<T>(long tenantId, Func<GreenLoopDb, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var db = OpenDb(tenantId);
        return await work(db);
    }

    /// <summary>Applies the catalogue's migrations (which also create the time-series tables).</summary>
    protected async Task MigrateCatalogAsync(GreenLoopDb db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.MigrateAsync(ct);
    }
}
