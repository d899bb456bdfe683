namespace GreenLoop.Storage.Catalog;

/// <summary>
/// The catalogue for a service that owns its records and uses the EF Core model directly (no repository on top):
/// a context to read with, and one transaction to change in. On SQLite a change waits for the single writer like
/// every other write.
/// </summary>
public interface ICatalogDb
{
    /// <summary>A context seeing the records of <paramref name="tenantId"/>; the caller disposes it.</summary>
    GreenLoopDb Open(long tenantId);

    /// <summary>Runs <paramref name="work"/> in one transaction of its own; what it saves commits together.</summary>
    Task<T> WriteAsync<T>(long tenantId, Func<GreenLoopDb, Task<T>> work, CancellationToken ct);
}
