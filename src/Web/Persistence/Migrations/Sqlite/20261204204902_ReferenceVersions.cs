using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace TradSys.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReferenceVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "reference_versions",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reference_versions", x => x.Name);
                });

            migrationBuilder.InsertData(
                table: "reference_versions",
                columns: new[] { "Name", "Version" },
                values: new object[,]
                {
                    { "accounts", 0L },
                    { "instruments", 0L }
                });

            // Every change to these tables, whoever makes it, raises the table's counter: the order writer reads the counters per
            // batch and reads the rows again only when one moved (Ordering/ReferenceRows).
            foreach (var table in new[] { "accounts", "instruments" })
            {
                foreach (var change in new[] { "INSERT", "UPDATE", "DELETE" })
                {
                    migrationBuilder.Sql(
                        $"CREATE TRIGGER \"{table}_{change.ToLowerInvariant()}_version\" AFTER {change} ON \"{table}\" " +
                        $"BEGIN UPDATE \"reference_versions\" SET \"Version\" = \"Version\" + 1 WHERE \"Name\" = '{table}'; END;");
                }
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "accounts", "instruments" })
            {
                foreach (var change in new[] { "insert", "update", "delete" })
                {
                    migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{table}_{change}_version\";");
                }
            }
            migrationBuilder.DropTable(
                name: "reference_versions");
        }
    }
}
