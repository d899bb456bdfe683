using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GreenLoop.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AddFieldWork : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "checklist_template",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<long>(type: "bigint", nullable: false),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    retired = table.Column<bool>(type: "boolean", nullable: false),
                    created_by = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_checklist_template", x => x.id);
                    table.ForeignKey(
                        name: "FK_checklist_template_site_site_id",
                        column: x => x.site_id,
                        principalTable: "site",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "field_photo",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<long>(type: "bigint", nullable: false),
                    inspection_id = table.Column<long>(type: "bigint", nullable: true),
                    work_order_id = table.Column<long>(type: "bigint", nullable: true),
                    item = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    content_type = table.Column<string>(type: "text", nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false),
                    taken_by = table.Column<string>(type: "text", nullable: false),
                    taken_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_field_photo", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "inspection_round",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<long>(type: "bigint", nullable: false),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    created_by = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false),
                    notified_missed_at = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inspection_round", x => x.id);
                    table.ForeignKey(
                        name: "FK_inspection_round_site_site_id",
                        column: x => x.site_id,
                        principalTable: "site",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "work_order",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<long>(type: "bigint", nullable: false),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    state = table.Column<string>(type: "text", nullable: false),
                    priority = table.Column<string>(type: "text", nullable: false),
                    due_date = table.Column<string>(type: "text", nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    history = table.Column<string>(type: "text", nullable: false),
                    inspection_id = table.Column<long>(type: "bigint", nullable: true),
                    item = table.Column<string>(type: "text", nullable: true),
                    alarm_id = table.Column<long>(type: "bigint", nullable: true),
                    escalated_at = table.Column<long>(type: "bigint", nullable: true),
                    created_by = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_work_order", x => x.id);
                    table.ForeignKey(
                        name: "FK_work_order_site_site_id",
                        column: x => x.site_id,
                        principalTable: "site",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "inspection",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<long>(type: "bigint", nullable: false),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    template_id = table.Column<long>(type: "bigint", nullable: false),
                    round_id = table.Column<long>(type: "bigint", nullable: true),
                    due_local = table.Column<string>(type: "text", nullable: true),
                    submission_id = table.Column<string>(type: "text", nullable: false),
                    answers = table.Column<string>(type: "text", nullable: false),
                    outcomes = table.Column<string>(type: "text", nullable: false),
                    failed = table.Column<int>(type: "integer", nullable: false),
                    location = table.Column<string>(type: "text", nullable: true),
                    done_by = table.Column<string>(type: "text", nullable: false),
                    started_at = table.Column<long>(type: "bigint", nullable: false),
                    submitted_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_inspection", x => x.id);
                    table.ForeignKey(
                        name: "FK_inspection_checklist_template_template_id",
                        column: x => x.template_id,
                        principalTable: "checklist_template",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_inspection_site_site_id",
                        column: x => x.site_id,
                        principalTable: "site",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_checklist_template_site_id_key_version",
                table: "checklist_template",
                columns: new[] { "site_id", "key", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_field_photo_inspection_id",
                table: "field_photo",
                column: "inspection_id");

            migrationBuilder.CreateIndex(
                name: "IX_field_photo_work_order_id",
                table: "field_photo",
                column: "work_order_id");

            migrationBuilder.CreateIndex(
                name: "IX_inspection_round_id_due_local",
                table: "inspection",
                columns: new[] { "round_id", "due_local" });

            migrationBuilder.CreateIndex(
                name: "IX_inspection_site_id_submitted_at",
                table: "inspection",
                columns: new[] { "site_id", "submitted_at" });

            migrationBuilder.CreateIndex(
                name: "IX_inspection_template_id",
                table: "inspection",
                column: "template_id");

            migrationBuilder.CreateIndex(
                name: "IX_inspection_tenant_id_submission_id",
                table: "inspection",
                columns: new[] { "tenant_id", "submission_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_inspection_round_site_id",
                table: "inspection_round",
                column: "site_id");

            migrationBuilder.CreateIndex(
                name: "IX_work_order_alarm_id",
                table: "work_order",
                column: "alarm_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_work_order_inspection_id",
                table: "work_order",
                column: "inspection_id");

            migrationBuilder.CreateIndex(
                name: "IX_work_order_site_id_state_due_date",
                table: "work_order",
                columns: new[] { "site_id", "state", "due_date" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "field_photo");

            migrationBuilder.DropTable(
                name: "inspection");

            migrationBuilder.DropTable(
                name: "inspection_round");

            migrationBuilder.DropTable(
                name: "work_order");

            migrationBuilder.DropTable(
                name: "checklist_template");
        }
    }
}
