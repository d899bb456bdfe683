using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GreenLoop.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AddQuarantineProvenance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Every quarantined row keeps who sent it and the sites that sender was limited to, so a replay applies the
            // original scope; a field too long to keep whole is kept cut, with its original length. Newest first needs
            // (tenant_id, id), which the existing index gives.
            migrationBuilder.Sql("""
                ALTER TABLE quarantine ADD COLUMN sender TEXT;
                ALTER TABLE quarantine ADD COLUMN scope TEXT;
                ALTER TABLE quarantine ADD COLUMN raw_length integer;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE quarantine DROP COLUMN raw_length; ALTER TABLE quarantine DROP COLUMN scope; ALTER TABLE quarantine DROP COLUMN sender;");
        }
    }
}
