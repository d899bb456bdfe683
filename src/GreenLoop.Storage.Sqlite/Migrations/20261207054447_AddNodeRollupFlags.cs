using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GreenLoop.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AddNodeRollupFlags : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Node and site totals carry the union of the quality flags of the meter periods they are made of. Existing
            // totals get theirs from the stored meter periods (bit by bit: standard SQL both providers read alike).
            migrationBuilder.Sql("""
                ALTER TABLE node_rollup ADD COLUMN flags INTEGER NOT NULL DEFAULT 0;
                UPDATE node_rollup SET flags = coalesce((
                    SELECT max(b.flags & 1) | max(b.flags & 2) | max(b.flags & 4) | max(b.flags & 8) | max(b.flags & 16) | max(b.flags & 32) | max(b.flags & 64)
                    FROM node_meter nm JOIN meter m ON m.id = nm.meter_id JOIN bucket b ON b.meter_id = nm.meter_id
                    WHERE nm.node_id = node_rollup.node_id AND m.carrier = node_rollup.carrier AND m.direction = node_rollup.direction
                      AND b.ts = node_rollup.ts), 0)
                WHERE grain = 0;
                UPDATE node_rollup SET flags = coalesce((
                    SELECT max(r.flags & 1) | max(r.flags & 2) | max(r.flags & 4) | max(r.flags & 8) | max(r.flags & 16) | max(r.flags & 32) | max(r.flags & 64)
                    FROM node_meter nm JOIN meter m ON m.id = nm.meter_id JOIN rollup r ON r.meter_id = nm.meter_id
                    WHERE nm.node_id = node_rollup.node_id AND m.carrier = node_rollup.carrier AND m.direction = node_rollup.direction
                      AND r.grain = node_rollup.grain AND r.ts = node_rollup.ts), 0)
                WHERE grain > 0;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE node_rollup DROP COLUMN flags;");
        }
    }
}
