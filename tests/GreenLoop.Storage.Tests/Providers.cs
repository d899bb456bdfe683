using GreenLoop.Testing;

namespace GreenLoop.Storage.Tests;

// Every contract runs against both providers: SQLite in a temporary file, PostgreSQL in a fresh database of the test
// run's server (one server for the collection, started by PostgresServer and stopped when the collection ends).

public sealed class SqliteReadingTests : ReadingContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.SqliteAsync(now);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresReadingTests(PostgresServer server) : ReadingContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.PostgresAsync(server, now);
}

public sealed class SqliteSiteTests : SiteContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.SqliteAsync(now);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSiteTests(PostgresServer server) : SiteContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.PostgresAsync(server, now);
}

public sealed class SqliteDerivedTests : DerivedContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.SqliteAsync(now);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresDerivedTests(PostgresServer server) : DerivedContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.PostgresAsync(server, now);
}

public sealed class SqliteAlarmTests : AlarmContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.SqliteAsync(now);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresAlarmTests(PostgresServer server) : AlarmContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.PostgresAsync(server, now);
}

public sealed class SqliteAccountingTests : AccountingContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.SqliteAsync(now);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresAccountingTests(PostgresServer server) : AccountingContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.PostgresAsync(server, now);
}

public sealed class SqliteNotificationTests : NotificationContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.SqliteAsync(now);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresNotificationTests(PostgresServer server) : NotificationContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.PostgresAsync(server, now);
}

public sealed class SqliteConnectorTests : ConnectorContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.SqliteAsync(now);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresConnectorTests(PostgresServer server) : ConnectorContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.PostgresAsync(server, now);
}

public sealed class SqliteAuditTests : AuditContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.SqliteAsync(now);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditTests(PostgresServer server) : AuditContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.PostgresAsync(server, now);
}

public sealed class SqlitePipelineTests : PipelineContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.SqliteAsync(now);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresPipelineTests(PostgresServer server) : PipelineContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.PostgresAsync(server, now);
}

public sealed class SqliteMigrationTests : MigrationContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.SqliteAsync(now);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresMigrationTests(PostgresServer server) : MigrationContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.PostgresAsync(server, now);
}

public sealed class SqliteCatalogRoundTripTests : CatalogRoundTripContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.SqliteAsync(now);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresCatalogRoundTripTests(PostgresServer server) : CatalogRoundTripContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.PostgresAsync(server, now);
}

public sealed class SqliteMigrationUpgradeTests : MigrationUpgradeContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.SqliteAsync(now);

    protected override Task<PipelineHarness> StartUnmigratedAsync(DateTimeOffset now) => Task.FromResult(PipelineHarness.SqliteUnmigrated(now));
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresMigrationUpgradeTests(PostgresServer server) : MigrationUpgradeContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.PostgresAsync(server, now);

    protected override Task<PipelineHarness> StartUnmigratedAsync(DateTimeOffset now) => PipelineHarness.PostgresUnmigratedAsync(server, now);
}

public sealed class SqliteIncrementalTests : IncrementalContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.SqliteAsync(now);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresIncrementalTests(PostgresServer server) : IncrementalContract
{
    protected override Task<PipelineHarness> StartAsync(DateTimeOffset now) => PipelineHarness.PostgresAsync(server, now);
}
