using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace GreenLoop.Storage.Postgres;

/// <summary>Lets <c>dotnet ef migrations add NAME --project src/GreenLoop.Storage.Postgres</c> build the model (no server needed).</summary>
internal sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<GreenLoopDb>
{
    public GreenLoopDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<GreenLoopDb>()
            .UseNpgsql("Host=127.0.0.1;Database=greenloop_design", o => o.MigrationsAssembly(typeof(PostgresStore).Assembly.GetName().Name))
            .Options);
}
