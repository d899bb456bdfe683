using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GreenLoop.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AddCleanerProductionAudits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cp_audit",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: false),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    body = table.Column<string>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cp_audit", x => x.id);
                    table.ForeignKey(
                        name: "FK_cp_audit_site_site_id",
                        column: x => x.site_id,
                        principalTable: "site",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "cp_option",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: false),
                    audit_id = table.Column<long>(type: "INTEGER", nullable: false),
                    stage = table.Column<string>(type: "TEXT", nullable: false),
                    body = table.Column<string>(type: "TEXT", nullable: false),
                    history = table.Column<string>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cp_option", x => x.id);
                    table.ForeignKey(
                        name: "FK_cp_option_cp_audit_audit_id",
                        column: x => x.audit_id,
                        principalTable: "cp_audit",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_cp_audit_site_id_created_at",
                table: "cp_audit",
                columns: new[] { "site_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_cp_option_audit_id_stage",
                table: "cp_option",
                columns: new[] { "audit_id", "stage" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cp_option");

            migrationBuilder.DropTable(
                name: "cp_audit");
        }
    }
}
