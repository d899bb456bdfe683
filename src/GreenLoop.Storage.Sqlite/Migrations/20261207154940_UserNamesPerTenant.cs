using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GreenLoop.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class UserNamesPerTenant : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Sign-in names are unique within a tenant (case-insensitively); two tenants may each have an "admin".
            migrationBuilder.Sql("DROP INDEX IF EXISTS app_user_by_name;");
            migrationBuilder.Sql("CREATE UNIQUE INDEX app_user_by_tenant_name ON app_user(tenant_id, lower(user_name));");
            migrationBuilder.Sql("CREATE INDEX app_user_by_lower_name ON app_user(lower(user_name));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS app_user_by_lower_name;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS app_user_by_tenant_name;");
            migrationBuilder.Sql("CREATE UNIQUE INDEX app_user_by_name ON app_user(lower(user_name));");
        }
    }
}
