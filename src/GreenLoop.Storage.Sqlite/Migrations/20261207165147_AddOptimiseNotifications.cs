using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GreenLoop.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AddOptimiseNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "notified_status",
                table: "kpi",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "reminded_at",
                table: "improvement_action",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "notified_status",
                table: "kpi");

            migrationBuilder.DropColumn(
                name: "reminded_at",
                table: "improvement_action");
        }
    }
}
