using System.Text.Json;
using GreenLoop.Domain.Alarms;
using GreenLoop.Domain.Model;
using GreenLoop.Domain.Time;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Storage;
using GreenLoop.Storage.Postgres;
using GreenLoop.Storage.Sqlite;
using GreenLoop.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace GreenLoop.Cli.Tests;

/// <summary>
/// <c>greenloop store copy</c>: a SQLite installation with something in every table is copied into a fresh PostgreSQL
/// database, and everything reads back the same through the store, ids included.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreCopyCliTests(PostgresServer server) : IDisposable
{
    private static readonly CancellationToken _ct = CancellationToken.None;
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);
    private static readonly DateTimeOffset _day = new(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));
    private readonly TemporaryFolder _folder = new("copy");
    private string Db => Path.Combine(_folder.Path, "greenloop.db");

    public void Dispose() => _folder.Dispose();

    private static SiteDefinition Site(string key) => new()
    {
        Key = key,
        Name = "Copy plant",
        NameZh = "迁移测试工厂",
        TimeZone = "Asia/Shanghai",
        Nodes = [new NodeDefinition { Key = "kiln", Name = "Kiln" }, new NodeDefinition { Key = "kiln.line", Name = "Line", Kind = NodeKind.Line, Parent = "kiln" }],
        Meters =
        [
            new MeterDefinition { Key = key + ".main", Name = "Main", Carrier = "electricity", Unit = "kWh", Multiplier = 2 },
            new MeterDefinition { Key = key + ".gas", Name = "Gas", Node = "kiln.line", Carrier = "natural_gas", Unit = "m3", Kind = MeterKind.Interval },
            new MeterDefinition { Key = key + ".temp", Name = "Temp", Node = "kiln", Carrier = "kiln_temperature", Unit = "degC", Kind = MeterKind.Instantaneous, Quantity = MeterQuantity.ProcessVariable },
        ],
        Events = [new MeterEventDefinition { Meter = key + ".main", Kind = MeterEventKind.Reset, Ts = _day.AddHours(12), OldValue = 1300, NewValue = 0, Note = "reset" }],
    };

    /// <summary>A SQLite installation with rows in every table: two tenants, a day of readings derived, and one of everything else.</summary>
    private async Task PopulateAsync()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 6, 3, 0, 0, 0, TimeSpan.Zero));
        await using var h = await PipelineHarness.OpenAsync(new SqliteStore(new SqliteStoreOptions { Path = Db }), clock);
        var store = h.Store;
        var tenant = h.TenantId;
        var other = await store.EnsureTenantAsync("other", "Other Co", _ct);
        foreach (var (t, key) in new[] { (tenant, "copy"), (other, "theirs") })
        {
            Assert.NotNull((await h.Sites.ApplyAsync(t, Site(key), _ct)).Result);
            var readings = Enumerable.Range(0, 97).SelectMany(q => new[]
            {
                new ReadingInput(key + ".main", _day.AddMinutes(15 * q), q < 48 ? 1000 + 3.5 * q : 2.5 * (q - 48)),
                new ReadingInput(key + ".gas", _day.AddMinutes(15 * q + 15), 1 + q % 4),
                new ReadingInput(key + ".temp", _day.AddMinutes(15 * q), 800 + q % 7),
            }).ToList();
            Assert.Equal(readings.Count, (await h.Ingest.IngestAsync(t, readings, "test", _ct)).Accepted);
        }
        await h.Ingest.IngestAsync(tenant, [new ReadingInput("nope", _day, 1)], "gateway", _ct);
        await h.DeriveAsync();

        var site = (await store.GetSiteAsync(tenant, "copy", _ct))!;
        var gas = site.Meters.Single(m => m.Definition.Key == "copy.gas").Id;
        await store.AddOverrideAsync(site.Id, new StoredOverride(0, "grid", "2026", 0.5, "tCO2/MWh", "published", "zhang", 1), _ct);
        await store.LockPeriodAsync(site.Id, new StoredLock("2026-05", 2, "zhang", """{"co2":1.5}"""), _ct);
        // A web upload waiting to be imported (its record; the copy moves records, not the upload folders).
        await ((Storage.Catalog.ICatalogDb)store).WriteAsync(tenant, async db =>
        {
            db.ImportSessions.Add(new Storage.Catalog.ImportSessionRecord
            {
                Id = "0123456789abcdef01234567", TenantId = tenant, FileName = "june.csv", FilePath = "/data/imports/0123456789abcdef01234567/upload.csv",
                SizeBytes = 1234, UploadedAt = 5, UploadedBy = "zhang", LastTouchedAt = 6, State = "Uploaded",
            });
            return await db.SaveChangesAsync(_ct);
        }, _ct);
        // Optimise: a KPI, a recorded quantity with an evidence file (every byte value), a review and an action.
        await ((Storage.Catalog.ICatalogDb)store).WriteAsync(tenant, async db =>
        {
            db.Kpis.Add(new Storage.Catalog.KpiRecord { TenantId = tenant, SiteId = site.Id, Key = "unit-energy", Definition = """{"key":"unit-energy","formula":"unit_energy()"}""", UpdatedBy = "zhang", UpdatedAt = 7 });
            db.Quantities.Add(new Storage.Catalog.QuantityRecord
            {
                TenantId = tenant, SiteId = site.Id, Key = "waste.solid", FromDate = "2026-05-01", ToDate = "2026-06-01", Value = 12.5, Unit = "t", Note = "地磅单",
                EvidenceName = "ticket.pdf", EvidenceType = "application/pdf", Evidence = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), RecordedBy = "zhang", RecordedAt = 8,
            });
            var review = new Storage.Catalog.ReviewRecord { TenantId = tenant, SiteId = site.Id, Body = """{"title":"Q2"}""", Snapshot = "[]", HeldAt = 9, HeldBy = "zhang", CreatedBy = "zhang", CreatedAt = 8, UpdatedAt = 9 };
            db.Reviews.Add(review);
            await db.SaveChangesAsync(_ct);
            db.Actions.Add(new Storage.Catalog.ActionRecord
            {
                TenantId = tenant, SiteId = site.Id, ReviewId = review.Id, AlarmId = 1, State = "Open", DueDate = "2026-07-31", Body = """{"title":"Tune"}""", History = "[]",
                CreatedBy = "zhang", CreatedAt = 9, UpdatedAt = 9,
            });
            var cpAudit = new Storage.Catalog.CpAuditRecord { TenantId = tenant, SiteId = site.Id, Body = """{"title":"2026 audit","period":"2026"}""", CreatedBy = "zhang", CreatedAt = 9, UpdatedAt = 9 };
            db.CpAudits.Add(cpAudit);
            await db.SaveChangesAsync(_ct);
            db.CpOptions.Add(new Storage.Catalog.CpOptionRecord
            {
                TenantId = tenant, AuditId = cpAudit.Id, Stage = "Screened", Body = """{"title":"Waste heat"}""", History = "[]", CreatedBy = "zhang", CreatedAt = 9, UpdatedAt = 10,
            });
            // A baseline model and the verified project it verifies, with a document (every byte value).
            var mvModel = new Storage.Catalog.MvModelRecord
            {
                TenantId = tenant, SiteId = site.Id, Spec = """{"name":"Air baseline","subject":"meter:copy.main","grain":"day","form":"Linear"}""",
                Fit = """{"usable":true,"method":"greenloop-mv/1"}""", CreatedBy = "zhang", CreatedAt = 11, UpdatedAt = 12,
            };
            db.MvModels.Add(mvModel);
            await db.SaveChangesAsync(_ct);
            var project = new Storage.Catalog.ProjectRecord
            {
                TenantId = tenant, SiteId = site.Id, State = "Verified", Body = """{"title":"空压机节能","category":"energy-saving"}""",
                History = """[{"at":"2026-06-01T00:00:00Z","by":"zhang","what":"registered"}]""", ModelId = mvModel.Id,
                Verification = """{"modelId":1,"annualEnergy":123456.789}""", CreatedBy = "zhang", CreatedAt = 11, UpdatedAt = 13,
            };
            db.Projects.Add(project);
            await db.SaveChangesAsync(_ct);
            db.ProjectDocuments.Add(new Storage.Catalog.ProjectDocumentRecord
            {
                TenantId = tenant, ProjectId = project.Id, Name = "验收报告.pdf", ContentType = "application/pdf",
                Content = Enumerable.Range(0, 256).Select(i => (byte)(255 - i)).ToArray(), UploadedBy = "zhang", UploadedAt = 14,
            });
            // Field work: a template, a round, an inspection with a photo (every byte value), and the work order its failed item opened.
            var template = new Storage.Catalog.ChecklistTemplateRecord
            {
                TenantId = tenant, SiteId = site.Id, Key = "bag-filter", Version = 2, Body = """{"key":"bag-filter","name":"布袋除尘点检","items":[{"key":"dp","type":"Number","unit":"Pa","min":800,"max":1500}]}""",
                Retired = true, CreatedBy = "zhang", CreatedAt = 15,
            };
            db.ChecklistTemplates.Add(template);
            var round = new Storage.Catalog.InspectionRoundRecord
            {
                TenantId = tenant, SiteId = site.Id, Body = """{"name":"Stack round","template":"bag-filter","schedule":{"kind":"Daily","times":["09:00"]}}""", Active = false,
                CreatedBy = "zhang", CreatedAt = 15, UpdatedAt = 16, NotifiedMissedAt = 17,
            };
            db.InspectionRounds.Add(round);
            await db.SaveChangesAsync(_ct);
            var inspection = new Storage.Catalog.InspectionRecord
            {
                TenantId = tenant, SiteId = site.Id, TemplateId = template.Id, RoundId = round.Id, DueLocal = "2026-06-01T09:00", SubmissionId = "6f1c2d9e-phone-0001",
                Answers = """[{"item":"dp","number":1720.5}]""", Outcomes = """[{"item":"dp","failed":true,"reason":"above"}]""", Failed = 1, Location = "22.54N 113.93E",
                DoneBy = "wang", StartedAt = 18, SubmittedAt = 19,
            };
            db.Inspections.Add(inspection);
            await db.SaveChangesAsync(_ct);
            var workOrder = new Storage.Catalog.WorkOrderRecord
            {
                TenantId = tenant, SiteId = site.Id, State = "Done", Priority = "High", DueDate = "2026-06-04", Body = """{"title":"更换滤袋","hours":2.5}""",
                History = """[{"at":"2026-06-01T01:00:00Z","by":"wang","what":"opened"}]""", InspectionId = inspection.Id, Item = "dp", AlarmId = 1, EscalatedAt = 20, ActionId = 1, ProjectId = project.Id,
                CreatedBy = "wang", CreatedAt = 19, UpdatedAt = 21,
            };
            db.WorkOrders.Add(workOrder);
            await db.SaveChangesAsync(_ct);
            db.FieldPhotos.Add(new Storage.Catalog.FieldPhotoRecord
            {
                TenantId = tenant, InspectionId = inspection.Id, Item = "dp", Name = "压差表.jpg", ContentType = "image/jpeg",
                Content = Enumerable.Range(0, 256).Select(i => (byte)((i * 7) % 256)).ToArray(), Thumbnail = [0xFF, 0xD8, 0x00, 0xFF, 0xD9], TakenBy = "wang", TakenAt = 19,
            });
            // Cost: a tariff and the site's electricity account.
            db.Tariffs.Add(new Storage.Catalog.TariffRecord { TenantId = tenant, Key = "gd-10kv", Body = """{"key":"gd-10kv","name":"广东 10 kV 两部制"}""", UpdatedBy = "zhang", UpdatedAt = 22 });
            db.ElectricityAccounts.Add(new Storage.Catalog.ElectricityAccountRecord { TenantId = tenant, SiteId = site.Id, Body = """{"tariff":"gd-10kv","basis":"Demand"}""", UpdatedBy = "zhang", UpdatedAt = 23 });
            db.FieldPhotos.Add(new Storage.Catalog.FieldPhotoRecord
            {
                TenantId = tenant, WorkOrderId = workOrder.Id, Item = "after", Name = "after.png", ContentType = "image/png", Content = [0x89, 0x50, 0x4E, 0x47], TakenBy = "wang", TakenAt = 21,
            });
            return await db.SaveChangesAsync(_ct);
        }, _ct);
        var rule = await store.SaveAlarmRuleAsync(site.Id, new AlarmRule
        {
            Key = "night", Name = "Night load", Subject = AlarmSubject.Meter("copy.main"), Condition = new ConsumptionAbove { Limit = 10 }, Recipients = ["ops"],
        }, 3, _ct);
        var alarm = new Alarm
        {
            SiteId = site.Id, Site = "copy", RuleId = rule.Id, RuleKey = "night", RuleName = "Night load", Subject = "copy.main", Severity = AlarmSeverity.Major,
            StartedAt = 10, RaisedAt = 10, CreatedAt = 11, DetailEn = "over", DetailZh = "超限",
        };
        await store.SaveAlarmWorkAsync(new AlarmWork([new AlarmTrack(rule.Id, "copy.main", 5, 10, false)],
            [new AlarmChange(alarm, [new AlarmHistoryEntry(0, 11, AlarmEventKind.Raised, "system", null)])]), _ct);
        await store.SaveChannelAsync(tenant, new StoredChannel("ops", """{"type":"webhook"}""", 4), _ct);
        await store.AppendDeliveryAsync(tenant, new StoredDelivery(0, "1", "raised", "ops", 1, 12, true, 200, null, null), _ct);
        // A source writes with an ingest key of its own (data_source.api_key_id); a disabled one has none yet.
        var gateway = await store.CreateApiKeyAsync(new StoredApiKey
        {
            TenantId = tenant, Site = "copy", Name = "plc gateway", Prefix = "gl_plcgw", SecretHash = "h2", Permissions = ["ingest"], CreatedBy = "zhang", CreatedAt = 5, ExpiresAt = 50,
        }, _ct);
        await store.SaveDataSourceAsync(tenant, new StoredDataSource("plc", "modbus", """{"host":"10.0.0.5"}""", true, 5) { ApiKeyId = gateway.Id }, _ct);
        await store.SaveDataSourceAsync(tenant, new StoredDataSource("broker", "mqtt", """{"host":"10.0.0.6"}""", false, 6), _ct);
        var entry = (await store.SaveManualEntryAsync(tenant, new ManualEntryDraft { MeterId = gas, Ts = _day.AddDays(2).ToUnixTimeMilliseconds(), Value = 4, EnteredBy = "wang", EnteredAt = 6 }, _ct)).Entry!;
        await store.SaveManualEntryAsync(tenant, new ManualEntryDraft { Corrects = entry.EntryId, Value = 5, EnteredBy = "wang", EnteredAt = 7, Reason = "typo" }, _ct);
        await store.AppendAuditAsync(new AuditDraft(tenant, 8, "zhang", "data-source.save", "data-source:plc", "{}"), _ct);
        await store.AppendAuditAsync(new AuditDraft(other, 9, "system", "tenant.create", "tenant:other", "{}"), _ct);
        await store.CreateUserAsync(new StoredUser { TenantId = tenant, UserName = "zhang", PasswordHash = "hash", CreatedAt = 10, Roles = [new StoredRole("admin", null), new StoredRole("viewer", "copy")] }, _ct);
        await store.CreateApiKeyAsync(new StoredApiKey { TenantId = other, Name = "gw", Prefix = "gl_abc", SecretHash = "h", Permissions = ["ingest"], CreatedBy = "zhang", CreatedAt = 11 }, _ct);
        // The manual entry's reading derived too, and one meter left marked dirty (as a stopped server may leave it).
        await h.DeriveAsync();
        await store.MarkDirtyAsync(new MeterId(gas), new Instant(0), new Instant(1), _ct);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, _json);

    /// <summary>Everything a tenant has, as read through the store, serialised for comparison.</summary>
    private static async Task<List<string>> SnapshotAsync(GreenLoopStore store, long tenant)
    {
        var snapshot = new List<string>();
        var sites = await store.ListSitesAsync(tenant, _ct);
        snapshot.Add(Json(sites));
        foreach (var site in sites)
        {
            foreach (var m in site.Meters)
            {
                snapshot.Add(Json(await store.ReadingsAsync(new MeterId(m.Id), new Instant(0), new Instant(long.MaxValue), false, _ct)));
                snapshot.Add(Json(await store.EventsAsync(m.Id, _ct)));
                snapshot.Add(Json(await store.FindingsAsync(new MeterId(m.Id), new Instant(0), new Instant(long.MaxValue), _ct)));
                foreach (var grain in Enum.GetValues<Grain>()) snapshot.Add(Json(await store.MeterSeriesAsync(new MeterId(m.Id), grain, new Instant(0), new Instant(long.MaxValue), _ct)));
            }
            foreach (var grain in Enum.GetValues<Grain>()) snapshot.Add(Json(await store.NodeTotalsAsync([.. site.Nodes.Select(n => n.Id)], grain, new Instant(0), new Instant(long.MaxValue), _ct)));
            snapshot.Add(Json(await store.OverridesAsync(site.Id, _ct)));
            snapshot.Add(Json(await store.LocksAsync(site.Id, _ct)));
            snapshot.Add(Json(await store.AlarmRulesAsync(site.Id, _ct)));
            snapshot.Add(Json(await store.LastReadingsAsync(site.Id, _ct)));
        }
        var alarms = await store.ListAlarmsAsync(tenant, new AlarmFilter(), _ct);
        snapshot.Add(Json(alarms));
        foreach (var a in alarms) snapshot.Add(Json(await store.AlarmHistoryAsync(a.Id, _ct)));
        snapshot.Add(Json(await store.ListQuarantineAsync(tenant, new GreenLoop.Storage.QuarantineQuery { Limit = 100 }, _ct)));
        snapshot.Add(Json(await store.ChannelsAsync(tenant, _ct)));
        snapshot.Add(Json(await store.DeliveriesAsync(tenant, 100, _ct)));
        snapshot.Add(Json(await store.DataSourcesAsync(tenant, _ct)));
        var entries = await store.ManualEntriesAsync(tenant, null, 100, _ct);
        snapshot.Add(Json(entries));
        foreach (var e in entries) snapshot.Add(Json(await store.ManualEntryHistoryAsync(tenant, e.EntryId, _ct)));
        snapshot.Add(Json(await store.AuditEntriesAsync(tenant, null, 100, _ct)));
        snapshot.Add(Json(await store.ListUsersAsync(tenant, _ct)));
        snapshot.Add(Json(await store.ListApiKeysAsync(tenant, _ct)));
        return snapshot;
    }

    [Fact]
    public async Task StoreCopy_InstallationWithEveryTable_ReadsBackTheSameWithIdsAndNewIdsContinueAfterThem()
    {
        await PopulateAsync();
        var connection = await server.CreateDatabaseAsync("copy");

        var run = await CommandLine.RunAsync("store", "copy", "--from", "sqlite:" + Db, "--to", "postgres:" + connection);

        Assert.True(run.Exit == 0, run.Output + run.Error);
        Assert.Contains("every table has the same number of rows on both sides", run.Output, StringComparison.Ordinal);
        // 2 tenants x (3 meters x 97 readings) + the manual entry's reading = 583 readings.
        Assert.Matches(@"reading\s+583\s+583\s+ok", run.Output);
        Assert.DoesNotContain("DIFFERENT", run.Output, StringComparison.Ordinal);
        await using var sqlite = new SqliteStore(new SqliteStoreOptions { Path = Db });
        await using var postgres = new PostgresStore(new PostgresStoreOptions { ConnectionString = connection });
        var tenants = new[] { await sqlite.EnsureTenantAsync("default", "", _ct), await sqlite.EnsureTenantAsync("other", "", _ct) };
        Assert.Equal((tenants[0], tenants[1]), (await postgres.EnsureTenantAsync("default", "", _ct), await postgres.EnsureTenantAsync("other", "", _ct)));
        foreach (var tenant in tenants)
        {
            var expected = await SnapshotAsync(sqlite, tenant);
            var actual = await SnapshotAsync(postgres, tenant);
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++) Assert.Equal(expected[i], actual[i]);
        }
        foreach (var tenant in await sqlite.AuditTenantsAsync(_ct))
        {
            Assert.Equal(Json(await sqlite.AuditChainAsync(tenant, 0, 100, _ct)), Json(await postgres.AuditChainAsync(tenant, 0, 100, _ct)));
            Assert.True(AuditChain.Verify(await postgres.AuditChainAsync(tenant, 0, 100, _ct)).Intact);
        }
        Assert.Equal(Json(await sqlite.AlarmTracksAsync(_ct)), Json(await postgres.AlarmTracksAsync(_ct)));
        Assert.Equal(Json(await sqlite.FindUsersAsync("ZHANG", 16, _ct)), Json(await postgres.FindUsersAsync("ZHANG", 16, _ct)));
        Assert.Equal(Json(await sqlite.FindApiKeyAsync("gl_abc", _ct)), Json(await postgres.FindApiKeyAsync("gl_abc", _ct)));
        Assert.Equal(Json(await sqlite.GetDirtyAsync(100, _ct)), Json(await postgres.GetDirtyAsync(100, _ct)));
        Assert.Equal(1, await postgres.CountDirtyAsync(_ct));

        // Identity sequences continue after the copied ids: the next row gets the id SQLite would have given it.
        var site = (await sqlite.GetSiteAsync(tenants[0], "copy", _ct))!.Id;
        var nextOverride = new StoredOverride(0, "grid", "2027", 0.6, "tCO2/MWh", "new year", "li", 20);
        Assert.Equal(await sqlite.AddOverrideAsync(site, nextOverride, _ct), await postgres.AddOverrideAsync(site, nextOverride, _ct));
        var next = await postgres.EnsureTenantAsync("third", "Third", _ct);
        Assert.Equal(3, next);
    }

    /// <summary>Every table of the PostgreSQL database (not EF Core's own) with its columns and their types, in column order.</summary>
    private static async Task<SortedDictionary<string, List<(string Name, string Type)>>> PostgresTablesAsync(string connection)
    {
        var tables = new SortedDictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync(_ct);
        await using var cmd = new NpgsqlCommand("""
            SELECT c.table_name, c.column_name, c.data_type
            FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name NOT LIKE '\_\_EF%'
            ORDER BY c.table_name, c.ordinal_position
            """, c);
        await using var r = await cmd.ExecuteReaderAsync(_ct);
        while (await r.ReadAsync(_ct))
        {
            if (!tables.TryGetValue(r.GetString(0), out var columns)) tables[r.GetString(0)] = columns = [];
            columns.Add((r.GetString(1), r.GetString(2)));
        }
        return tables;
    }

    /// <summary>Every table of the SQLite file (not SQLite's or EF Core's own) with its column names, sorted.</summary>
    private static SortedDictionary<string, List<string>> SqliteTables(SqliteConnection sqlite)
    {
        var tables = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        using var cmd = sqlite.CreateCommand();
        cmd.CommandText = """
            SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND m.name NOT LIKE '\_\_EF%' ESCAPE '\'
            """;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            if (!tables.TryGetValue(r.GetString(0), out var columns)) tables[r.GetString(0)] = columns = [];
            columns.Add(r.GetString(1));
        }
        foreach (var columns in tables.Values) columns.Sort(StringComparer.Ordinal);
        return tables;
    }

    /// <summary>
    /// A column value as both providers must agree on it: integers as long, booleans as 0/1 (SQLite stores them so),
    /// doubles as double (bit for bit), text as string, null as null. A type the comparison does not know fails, so a
    /// new column type is compared deliberately rather than loosely.
    /// </summary>
    private static object? Normalise(object value, string type, string where) => value switch
    {
        DBNull => null,
        _ => type switch
        {
            "bigint" or "integer" or "smallint" => value switch
            {
                long l => l,
                int i => (long)i,
                short s => (long)s,
                _ => throw new InvalidOperationException($"{where}: {type} holds a {value.GetType().Name} ({value})"),
            },
            "boolean" => value switch
            {
                bool b => b ? 1L : 0L,
                long l and (0 or 1) => l,
                _ => throw new InvalidOperationException($"{where}: {type} holds a {value.GetType().Name} ({value})"),
            },
            // A REAL column of SQLite may hand back an integral value as an integer.
            "double precision" => value switch
            {
                double d => d,
                long l => (double)l,
                _ => throw new InvalidOperationException($"{where}: {type} holds a {value.GetType().Name} ({value})"),
            },
            "text" => value as string ?? throw new InvalidOperationException($"{where}: {type} holds a {value.GetType().Name} ({value})"),
            "bytea" => value is byte[] bytes ? Convert.ToHexString(bytes) : throw new InvalidOperationException($"{where}: {type} holds a {value.GetType().Name} ({value})"),
            _ => throw new InvalidOperationException($"{where}: column type {type} is not compared yet; add it to Normalise"),
        },
    };

    private static int CompareValues(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (long x, long y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (string x, string y) => string.CompareOrdinal(x, y),
        _ => throw new InvalidOperationException($"cannot order {a!.GetType().Name} against {b!.GetType().Name}"),
    };

    private static int CompareRows(object?[] a, object?[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            var c = CompareValues(a[i], b[i]);
            if (c != 0) return c;
        }
        return 0;
    }

    private static string Show(object? value) => value switch
    {
        null => "NULL",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        string s => "'" + s + "'",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
    };

    /// <summary>Every row of a table, every value normalised, ordered by all columns (in memory: no collation or NULL-ordering difference between the two engines).</summary>
    private static async Task<List<object?[]>> RowsAsync(System.Data.Common.DbConnection connection, string table, List<(string Name, string Type)> columns)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {string.Join(", ", columns.Select(c => $"\"{c.Name}\""))} FROM \"{table}\"";
        await using var r = await cmd.ExecuteReaderAsync(_ct);
        var rows = new List<object?[]>();
        while (await r.ReadAsync(_ct))
        {
            var row = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++) row[i] = Normalise(r.GetValue(i), columns[i].Type, $"{connection.GetType().Name} {table}.{columns[i].Name}");
            rows.Add(row);
        }
        rows.Sort(CompareRows);
        return rows;
    }

    [Fact]
    public async Task StoreCopy_EveryTable_EveryColumnOfEveryRowEqualOnBothSides()
    {
        await PopulateAsync();
        var connection = await server.CreateDatabaseAsync("copy");

        var run = await CommandLine.RunAsync("store", "copy", "--from", "sqlite:" + Db, "--to", "postgres:" + connection);

        Assert.True(run.Exit == 0, run.Output + run.Error);
        var tables = await PostgresTablesAsync(connection);
        await using var sqlite = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Db, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await sqlite.OpenAsync(_ct);
        await using var postgres = new NpgsqlConnection(connection);
        await postgres.OpenAsync(_ct);
        // The same tables with the same columns on both sides: a column one provider lacks is a value the copy loses.
        Assert.Equal(SqliteTables(sqlite).Select(t => (t.Key, string.Join(",", t.Value))),
            tables.Select(t => (t.Key, string.Join(",", t.Value.Select(c => c.Name).Order(StringComparer.Ordinal)))));
        Assert.Contains("data_source", tables.Keys);
        Assert.Contains(("api_key_id", "bigint"), tables["data_source"]);
        var differences = new List<string>();
        var counts = new List<(string Table, int Rows)>();
        foreach (var (table, columns) in tables)
        {
            var expected = await RowsAsync(sqlite, table, columns);
            var actual = await RowsAsync(postgres, table, columns);
            counts.Add((table, expected.Count));
            if (expected.Count != actual.Count) differences.Add($"{table}: {expected.Count} rows in SQLite, {actual.Count} in PostgreSQL");
            for (var row = 0; row < Math.Min(expected.Count, actual.Count); row++)
            {
                for (var i = 0; i < columns.Count; i++)
                {
                    if (!Equals(expected[row][i], actual[row][i]))
                    {
                        differences.Add($"{table} row {row}, {columns[i].Name}: SQLite {Show(expected[row][i])}, PostgreSQL {Show(actual[row][i])} " +
                            $"(SQLite row: {string.Join(", ", expected[row].Select(Show))})");
                    }
                }
            }
        }
        await using var sqliteStore = new SqliteStore(new SqliteStoreOptions { Path = Db });
        await using var postgresStore = new PostgresStore(new PostgresStoreOptions { ConnectionString = connection });
        var tenant = await sqliteStore.EnsureTenantAsync("default", "", _ct);
        var sources = await sqliteStore.DataSourcesAsync(tenant, _ct);
        var copiedSources = await postgresStore.DataSourcesAsync(tenant, _ct);

        Assert.True(differences.Count == 0, $"{differences.Count} differences:\n" + string.Join("\n", differences.Take(50)));
        // PopulateAsync puts rows in every table, so no table passes by being empty on both sides.
        Assert.DoesNotContain(counts, c => c.Rows == 0);
        Assert.True(tables.Count >= 20, $"only {tables.Count} tables: {string.Join(", ", tables.Keys)}");
        var plc = Assert.Single(sources, s => s.Key == "plc");
        Assert.NotNull(plc.ApiKeyId);
        Assert.Equal(plc.ApiKeyId, Assert.Single(copiedSources, s => s.Key == "plc").ApiKeyId);
        Assert.Equal(sources, copiedSources);
    }

    [Fact]
    public async Task StoreCopy_TargetNotEmpty_RefusesAndLeavesItAsItWas()
    {
        await PopulateAsync();
        var connection = await server.CreateDatabaseAsync("copy");
        var first = await CommandLine.RunAsync("store", "copy", "--from", "sqlite:" + Db, "--to", "postgres:" + connection);

        var second = await CommandLine.RunAsync("store", "copy", "--from", "sqlite:" + Db, "--to", "postgres:" + connection);

        Assert.Equal(0, first.Exit);
        Assert.Equal(2, second.Exit);
        Assert.Contains("the target database is not empty", second.Error, StringComparison.Ordinal);
        await using var postgres = new PostgresStore(new PostgresStoreOptions { ConnectionString = connection });
        Assert.Equal(2, (await postgres.ListSitesAsync(1, _ct)).Count + (await postgres.ListSitesAsync(2, _ct)).Count);
    }

    [Fact]
    public async Task StoreCopy_Rederive_CopiesRawDataAndDerivationOnPostgresGivesTheSameFigures()
    {
        await PopulateAsync();
        var connection = await server.CreateDatabaseAsync("copy");

        var run = await CommandLine.RunAsync("store", "copy", "--from", "sqlite:" + Db, "--to", "postgres:" + connection, "--rederive");

        Assert.True(run.Exit == 0, run.Output + run.Error);
        Assert.Matches(@"bucket\s+0\s+0\s+ok", run.Output);
        await using var sqlite = new SqliteStore(new SqliteStoreOptions { Path = Db });
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 6, 3, 0, 0, 0, TimeSpan.Zero));
        await using var h = await PipelineHarness.OpenAsync(new PostgresStore(new PostgresStoreOptions { ConnectionString = connection }), clock);
        var postgres = h.Store;
        // Every meter of both tenants with readings: 6.
        Assert.Equal(6, await postgres.CountDirtyAsync(_ct));
        await h.DeriveAsync();
        var meters = await sqlite.LoadAllMetersAsync(_ct);
        foreach (var m in meters)
        {
            foreach (var grain in Enum.GetValues<Grain>())
            {
                var expected = await sqlite.MeterSeriesAsync(new MeterId(m.Id), grain, new Instant(0), new Instant(long.MaxValue), _ct);
                var actual = await postgres.MeterSeriesAsync(new MeterId(m.Id), grain, new Instant(0), new Instant(long.MaxValue), _ct);
                Assert.Equal(expected.Select(p => (p.Ts, p.CoveredMs, p.Flags, p.Min, p.Max)), actual.Select(p => (p.Ts, p.CoveredMs, p.Flags, p.Min, p.Max)));
                Assert.Equal(expected.Select(p => Math.Round(p.Value ?? double.NaN, 9)), actual.Select(p => Math.Round(p.Value ?? double.NaN, 9)));
            }
        }
    }

    [Fact]
    public async Task StoreCopy_BadArguments_ExplainWhatIsExpected()
    {
        var noSource = await CommandLine.RunAsync("store", "copy", "--to", "postgres:Host=127.0.0.1");
        var badTarget = await CommandLine.RunAsync("store", "copy", "--from", "sqlite:" + Db, "--to", "mysql:x");
        var missingFile = await CommandLine.RunAsync("store", "copy", "--from", "sqlite:" + Db, "--to", "postgres:Host=127.0.0.1;Port=1");

        Assert.Equal(1, noSource.Exit);
        Assert.Contains("--from must be sqlite:PATH", noSource.Error, StringComparison.Ordinal);
        Assert.Equal(1, badTarget.Exit);
        Assert.Contains("--to must be postgres:CONNECTION-STRING", badTarget.Error, StringComparison.Ordinal);
        Assert.Equal(2, missingFile.Exit);
        Assert.Contains("there is no SQLite database at", missingFile.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Db));
    }
}
