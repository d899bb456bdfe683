using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GreenLoop.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AddReviewsAndActions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "improvement_action",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: false),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    review_id = table.Column<long>(type: "INTEGER", nullable: true),
                    alarm_id = table.Column<long>(type: "INTEGER", nullable: true),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    due_date = table.Column<string>(type: "TEXT", nullable: false),
                    body = table.Column<string>(type: "TEXT", nullable: false),
                    history = table.Column<string>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_improvement_action", x => x.id);
                    table.ForeignKey(
                        name: "FK_improvement_action_site_site_id",
                        column: x => x.site_id,
                        principalTable: "site",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "review",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: false),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    body = table.Column<string>(type: "TEXT", nullable: false),
                    snapshot = table.Column<string>(type: "TEXT", nullable: true),
                    held_at = table.Column<long>(type: "INTEGER", nullable: true),
                    held_by = table.Column<string>(type: "TEXT", nullable: true),
                    created_by = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_review", x => x.id);
                    table.ForeignKey(
                        name: "FK_review_site_site_id",
                        column: x => x.site_id,
                        principalTable: "site",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_improvement_action_alarm_id",
                table: "improvement_action",
                column: "alarm_id");

            migrationBuilder.CreateIndex(
                name: "IX_improvement_action_review_id",
                table: "improvement_action",
                column: "review_id");

            migrationBuilder.CreateIndex(
                name: "IX_improvement_action_site_id_state_due_date",
                table: "improvement_action",
                columns: new[] { "site_id", "state", "due_date" });

            migrationBuilder.CreateIndex(
                name: "IX_review_site_id_created_at",
                table: "review",
                columns: new[] { "site_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "improvement_action");

            migrationBuilder.DropTable(
                name: "review");
        }
    }
}
