using GreenLoop.Testing;

namespace GreenLoop.Cli.Tests;

/// <summary>The test classes that share one PostgreSQL server (each test still gets its own database).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
