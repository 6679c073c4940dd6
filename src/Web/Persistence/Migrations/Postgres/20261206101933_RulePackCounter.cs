using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RulePackCounter : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.InsertData(
                table: "reference_versions",
                columns: new[] { "Name", "Version" },
                values: new object[] { "rulepacks", 0L });

            // A publish or rollback moves a pack's head, on whichever node it is made: the order writer reads this counter per
            // batch and brings its packs up to the heads when it moved (RulePackStore.RefreshAsync; issue 18).
            migrationBuilder.Sql(
                "CREATE TRIGGER \"rule_pack_heads_version\" AFTER INSERT OR UPDATE OR DELETE ON \"rule_pack_heads\" " +
                "FOR EACH STATEMENT EXECUTE FUNCTION reference_version_bump('rulepacks');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"rule_pack_heads_version\" ON \"rule_pack_heads\";");
            migrationBuilder.DeleteData(
                table: "reference_versions",
                keyColumn: "Name",
                keyValue: "rulepacks");
        }
    }
}
