using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GreenLoop.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "alarm_track",
                columns: table => new
                {
                    rule_id = table.Column<long>(type: "INTEGER", nullable: false),
                    subject = table.Column<string>(type: "TEXT", nullable: false),
                    pending_since = table.Column<long>(type: "INTEGER", nullable: true),
                    cursor = table.Column<long>(type: "INTEGER", nullable: true),
                    suppressed = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alarm_track", x => new { x.rule_id, x.subject });
                });

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: false),
                    seq = table.Column<long>(type: "INTEGER", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    actor = table.Column<string>(type: "TEXT", nullable: false),
                    action = table.Column<string>(type: "TEXT", nullable: false),
                    subject = table.Column<string>(type: "TEXT", nullable: false),
                    detail = table.Column<string>(type: "TEXT", nullable: false),
                    prev_hash = table.Column<string>(type: "TEXT", nullable: false),
                    hash = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_log", x => new { x.tenant_id, x.seq });
                });

            migrationBuilder.CreateTable(
                name: "delivery_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: false),
                    alarm_id = table.Column<string>(type: "TEXT", nullable: false),
                    transition = table.Column<string>(type: "TEXT", nullable: false),
                    channel = table.Column<string>(type: "TEXT", nullable: false),
                    attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    ok = table.Column<bool>(type: "INTEGER", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: true),
                    error = table.Column<string>(type: "TEXT", nullable: true),
                    held_until = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_delivery_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tenant",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tenant", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "api_key",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: false),
                    site = table.Column<string>(type: "TEXT", nullable: true),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    prefix = table.Column<string>(type: "TEXT", nullable: false),
                    secret_hash = table.Column<string>(type: "TEXT", nullable: false),
                    permissions = table.Column<string>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: true),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_used_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_key", x => x.id);
                    table.ForeignKey(
                        name: "FK_api_key_tenant_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenant",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "app_user",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: false),
                    user_name = table.Column<string>(type: "TEXT", nullable: false),
                    display_name = table.Column<string>(type: "TEXT", nullable: true),
                    password_hash = table.Column<string>(type: "TEXT", nullable: false),
                    failed_count = table.Column<int>(type: "INTEGER", nullable: false),
                    locked_until = table.Column<long>(type: "INTEGER", nullable: true),
                    disabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_app_user", x => x.id);
                    table.ForeignKey(
                        name: "FK_app_user_tenant_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenant",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "data_source",
                columns: table => new
                {
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    definition = table.Column<string>(type: "TEXT", nullable: false),
                    enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false),
                    api_key_id = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_source", x => new { x.tenant_id, x.key });
                    table.ForeignKey(
                        name: "FK_data_source_tenant_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenant",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "notification_channel",
                columns: table => new
                {
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    definition = table.Column<string>(type: "TEXT", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notification_channel", x => new { x.tenant_id, x.key });
                    table.ForeignKey(
                        name: "FK_notification_channel_tenant_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenant",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "site",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    definition = table.Column<string>(type: "TEXT", nullable: false),
                    time_zone = table.Column<string>(type: "TEXT", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_site", x => x.id);
                    table.ForeignKey(
                        name: "FK_site_tenant_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenant",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "user_role",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    role = table.Column<string>(type: "TEXT", nullable: false),
                    site = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_role", x => new { x.user_id, x.role, x.site });
                    table.ForeignKey(
                        name: "FK_user_role_app_user_user_id",
                        column: x => x.user_id,
                        principalTable: "app_user",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "alarm",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    rule_id = table.Column<long>(type: "INTEGER", nullable: false),
                    subject = table.Column<string>(type: "TEXT", nullable: false),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    severity = table.Column<string>(type: "TEXT", nullable: false),
                    started_at = table.Column<long>(type: "INTEGER", nullable: false),
                    ended_at = table.Column<long>(type: "INTEGER", nullable: true),
                    body = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alarm", x => x.id);
                    table.ForeignKey(
                        name: "FK_alarm_site_site_id",
                        column: x => x.site_id,
                        principalTable: "site",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "alarm_rule",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    definition = table.Column<string>(type: "TEXT", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alarm_rule", x => x.id);
                    table.ForeignKey(
                        name: "FK_alarm_rule_site_site_id",
                        column: x => x.site_id,
                        principalTable: "site",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "factor_override",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    factor_id = table.Column<string>(type: "TEXT", nullable: false),
                    year = table.Column<string>(type: "TEXT", nullable: true),
                    value = table.Column<double>(type: "REAL", nullable: false),
                    unit = table.Column<string>(type: "TEXT", nullable: false),
                    reason = table.Column<string>(type: "TEXT", nullable: false),
                    by = table.Column<string>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_factor_override", x => x.id);
                    table.ForeignKey(
                        name: "FK_factor_override_site_site_id",
                        column: x => x.site_id,
                        principalTable: "site",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "node",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    name_zh = table.Column<string>(type: "TEXT", nullable: true),
                    kind = table.Column<string>(type: "TEXT", nullable: true),
                    parent_id = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_node", x => x.id);
                    table.ForeignKey(
                        name: "FK_node_node_parent_id",
                        column: x => x.parent_id,
                        principalTable: "node",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_node_site_site_id",
                        column: x => x.site_id,
                        principalTable: "site",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "period_lock",
                columns: table => new
                {
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    period = table.Column<string>(type: "TEXT", nullable: false),
                    locked_at = table.Column<long>(type: "INTEGER", nullable: false),
                    by = table.Column<string>(type: "TEXT", nullable: false),
                    snapshot = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_period_lock", x => new { x.site_id, x.period });
                    table.ForeignKey(
                        name: "FK_period_lock_site_site_id",
                        column: x => x.site_id,
                        principalTable: "site",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "alarm_event",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    alarm_id = table.Column<long>(type: "INTEGER", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    by = table.Column<string>(type: "TEXT", nullable: false),
                    text = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alarm_event", x => x.id);
                    table.ForeignKey(
                        name: "FK_alarm_event_alarm_alarm_id",
                        column: x => x.alarm_id,
                        principalTable: "alarm",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "meter",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: false),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    node_id = table.Column<long>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    carrier = table.Column<string>(type: "TEXT", nullable: false),
                    direction = table.Column<string>(type: "TEXT", nullable: false),
                    definition = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_meter", x => x.id);
                    table.ForeignKey(
                        name: "FK_meter_node_node_id",
                        column: x => x.node_id,
                        principalTable: "node",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_meter_site_site_id",
                        column: x => x.site_id,
                        principalTable: "site",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_meter_tenant_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenant",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "manual_entry",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    entry_id = table.Column<long>(type: "INTEGER", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: false),
                    meter_id = table.Column<long>(type: "INTEGER", nullable: false),
                    ts = table.Column<long>(type: "INTEGER", nullable: false),
                    value = table.Column<double>(type: "REAL", nullable: false),
                    entered_by = table.Column<string>(type: "TEXT", nullable: false),
                    entered_at = table.Column<long>(type: "INTEGER", nullable: false),
                    document = table.Column<string>(type: "TEXT", nullable: true),
                    note = table.Column<string>(type: "TEXT", nullable: true),
                    reason = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_manual_entry", x => x.id);
                    table.ForeignKey(
                        name: "FK_manual_entry_meter_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meter",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_manual_entry_tenant_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenant",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "meter_event",
                columns: table => new
                {
                    meter_id = table.Column<long>(type: "INTEGER", nullable: false),
                    ts = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    old_value = table.Column<double>(type: "REAL", nullable: true),
                    new_value = table.Column<double>(type: "REAL", nullable: false),
                    note = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_meter_event", x => new { x.meter_id, x.ts, x.kind });
                    table.ForeignKey(
                        name: "FK_meter_event_meter_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meter",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "node_meter",
                columns: table => new
                {
                    node_id = table.Column<long>(type: "INTEGER", nullable: false),
                    meter_id = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_node_meter", x => new { x.node_id, x.meter_id });
                    table.ForeignKey(
                        name: "FK_node_meter_meter_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meter",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_node_meter_node_node_id",
                        column: x => x.node_id,
                        principalTable: "node",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "alarm_one_open",
                table: "alarm",
                columns: new[] { "rule_id", "subject" },
                unique: true,
                filter: "state IN ('active', 'acknowledged')");

            migrationBuilder.CreateIndex(
                name: "IX_alarm_rule_id_subject_started_at",
                table: "alarm",
                columns: new[] { "rule_id", "subject", "started_at" });

            migrationBuilder.CreateIndex(
                name: "IX_alarm_site_id_started_at",
                table: "alarm",
                columns: new[] { "site_id", "started_at" });

            migrationBuilder.CreateIndex(
                name: "IX_alarm_event_alarm_id_id",
                table: "alarm_event",
                columns: new[] { "alarm_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_alarm_rule_site_id_key",
                table: "alarm_rule",
                columns: new[] { "site_id", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_api_key_prefix",
                table: "api_key",
                column: "prefix",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_api_key_tenant_id_id",
                table: "api_key",
                columns: new[] { "tenant_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_app_user_tenant_id",
                table: "app_user",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "IX_delivery_log_tenant_id_id",
                table: "delivery_log",
                columns: new[] { "tenant_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_factor_override_site_id_factor_id",
                table: "factor_override",
                columns: new[] { "site_id", "factor_id" });

            migrationBuilder.CreateIndex(
                name: "IX_manual_entry_entry_id_version",
                table: "manual_entry",
                columns: new[] { "entry_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_manual_entry_meter_id_ts",
                table: "manual_entry",
                columns: new[] { "meter_id", "ts" });

            migrationBuilder.CreateIndex(
                name: "IX_manual_entry_tenant_id_entry_id",
                table: "manual_entry",
                columns: new[] { "tenant_id", "entry_id" });

            migrationBuilder.CreateIndex(
                name: "IX_meter_node_id",
                table: "meter",
                column: "node_id");

            migrationBuilder.CreateIndex(
                name: "IX_meter_site_id_id",
                table: "meter",
                columns: new[] { "site_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_meter_tenant_id_key",
                table: "meter",
                columns: new[] { "tenant_id", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_node_parent_id",
                table: "node",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "IX_node_site_id_key",
                table: "node",
                columns: new[] { "site_id", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_node_meter_meter_id_node_id",
                table: "node_meter",
                columns: new[] { "meter_id", "node_id" });

            migrationBuilder.CreateIndex(
                name: "IX_site_tenant_id_key",
                table: "site",
                columns: new[] { "tenant_id", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tenant_key",
                table: "tenant",
                column: "key",
                unique: true);

            // The time series: hand-tuned tables that EF Core does not map (see docs/architecture.md). Never edit
            // this once released: add a migration.
            migrationBuilder.Sql("""
                -- Raw readings: append-only, as received (value before the multiplier).
                CREATE TABLE reading(
                meter_id INTEGER NOT NULL,
                ts INTEGER NOT NULL,
                value REAL NOT NULL,
                received_at INTEGER NOT NULL,
                PRIMARY KEY(meter_id, ts)) WITHOUT ROWID;

                CREATE TABLE quarantine(
                id INTEGER PRIMARY KEY,
                tenant_id INTEGER NOT NULL,
                received_at INTEGER NOT NULL,
                source TEXT NOT NULL,
                meter TEXT,
                ts TEXT,
                value TEXT,
                field TEXT NOT NULL,
                reason TEXT NOT NULL);
                CREATE INDEX quarantine_by_tenant ON quarantine(tenant_id, id);

                -- Meters whose readings changed and are not derived yet; survives a crash.
                CREATE TABLE dirty(
                meter_id INTEGER PRIMARY KEY,
                from_ts INTEGER NOT NULL,
                to_ts INTEGER NOT NULL,
                version INTEGER NOT NULL);

                -- 15-minute UTC buckets per meter; up_ts is the UTC start of the local hour they belong to.
                CREATE TABLE bucket(
                meter_id INTEGER NOT NULL,
                ts INTEGER NOT NULL,
                up_ts INTEGER NOT NULL,
                value REAL,
                min REAL,
                max REAL,
                covered INTEGER NOT NULL,
                flags INTEGER NOT NULL,
                PRIMARY KEY(meter_id, ts)) WITHOUT ROWID;

                -- Local hour (1), day (2) and month (3) roll-ups per meter; up_ts is the next grain's start.
                CREATE TABLE rollup(
                meter_id INTEGER NOT NULL,
                grain INTEGER NOT NULL,
                ts INTEGER NOT NULL,
                up_ts INTEGER NOT NULL,
                value REAL,
                min REAL,
                max REAL,
                covered INTEGER NOT NULL,
                flags INTEGER NOT NULL,
                PRIMARY KEY(meter_id, grain, ts)) WITHOUT ROWID;
                CREATE INDEX rollup_by_up ON rollup(meter_id, grain, up_ts);

                -- Node totals per carrier and direction at every grain (0 = 15 minutes).
                CREATE TABLE node_rollup(
                node_id INTEGER NOT NULL,
                carrier TEXT NOT NULL,
                direction TEXT NOT NULL,
                grain INTEGER NOT NULL,
                ts INTEGER NOT NULL,
                value REAL,
                covered INTEGER NOT NULL,
                meters INTEGER NOT NULL,
                PRIMARY KEY(node_id, grain, ts, carrier, direction)) WITHOUT ROWID;

                CREATE TABLE finding(
                meter_id INTEGER NOT NULL,
                ts INTEGER NOT NULL,
                kind TEXT NOT NULL,
                detail TEXT NOT NULL,
                PRIMARY KEY(meter_id, ts, kind)) WITHOUT ROWID;
                """);

            // Sign-in names are unique whatever their case.
            migrationBuilder.Sql("CREATE UNIQUE INDEX app_user_by_name ON app_user(lower(user_name));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX app_user_by_name; DROP TABLE finding; DROP TABLE node_rollup; DROP TABLE rollup; DROP TABLE bucket; DROP TABLE dirty; DROP TABLE quarantine; DROP TABLE reading;");

            migrationBuilder.DropTable(
                name: "alarm_event");

            migrationBuilder.DropTable(
                name: "alarm_rule");

            migrationBuilder.DropTable(
                name: "alarm_track");

            migrationBuilder.DropTable(
                name: "api_key");

            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "data_source");

            migrationBuilder.DropTable(
                name: "delivery_log");

            migrationBuilder.DropTable(
                name: "factor_override");

            migrationBuilder.DropTable(
                name: "manual_entry");

            migrationBuilder.DropTable(
                name: "meter_event");

            migrationBuilder.DropTable(
                name: "node_meter");

            migrationBuilder.DropTable(
                name: "notification_channel");

            migrationBuilder.DropTable(
                name: "period_lock");

            migrationBuilder.DropTable(
                name: "user_role");

            migrationBuilder.DropTable(
                name: "alarm");

            migrationBuilder.DropTable(
                name: "meter");

            migrationBuilder.DropTable(
                name: "app_user");

            migrationBuilder.DropTable(
                name: "node");

            migrationBuilder.DropTable(
                name: "site");

            migrationBuilder.DropTable(
                name: "tenant");
        }
    }
}
