using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace TradSys.Web.Persistence.Migrations.Postgres
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
                    Name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
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

            // Every change to these tables, whoever makes it, raises the table's counter (once per statement): the order writer
            // reads the counters per batch and reads the rows again only when one moved (Ordering/ReferenceRows).
            migrationBuilder.Sql("""
                CREATE FUNCTION reference_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE "reference_versions" SET "Version" = "Version" + 1 WHERE "Name" = TG_ARGV[0];
                    RETURN NULL;
                END $$;
                """);
            foreach (var table in new[] { "accounts", "instruments" })
            {
                migrationBuilder.Sql(
                    $"CREATE TRIGGER \"{table}_version\" AFTER INSERT OR UPDATE OR DELETE ON \"{table}\" " +
                    $"FOR EACH STATEMENT EXECUTE FUNCTION reference_version_bump('{table}');");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "accounts", "instruments" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{table}_version\" ON \"{table}\";");
            }
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS reference_version_bump();");
            migrationBuilder.DropTable(
                name: "reference_versions");
        }
    }
}
