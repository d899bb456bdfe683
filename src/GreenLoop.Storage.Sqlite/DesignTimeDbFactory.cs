using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace GreenLoop.Storage.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add NAME --project src/GreenLoop.Storage.Sqlite</c> build the model.</summary>
internal sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<GreenLoopDb>
{
    public GreenLoopDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<GreenLoopDb>()
            .UseSqlite("Data Source=design-time.db", o => o.MigrationsAssembly(typeof(SqliteStore).Assembly.GetName().Name))
            .Options);
}
