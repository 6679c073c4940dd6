using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Sqlite
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

            // A publish or rollback moves a pack's head: the order writer reads this counter per batch and brings its packs up to
            // the heads when it moved (RulePackStore.RefreshAsync; issue 18).
            foreach (var change in new[] { "INSERT", "UPDATE", "DELETE" })
            {
                migrationBuilder.Sql(
                    $"CREATE TRIGGER \"rule_pack_heads_{change.ToLowerInvariant()}_version\" AFTER {change} ON \"rule_pack_heads\" " +
                    "BEGIN UPDATE \"reference_versions\" SET \"Version\" = \"Version\" + 1 WHERE \"Name\" = 'rulepacks'; END;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var change in new[] { "insert", "update", "delete" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"rule_pack_heads_{change}_version\";");
            }
            migrationBuilder.DeleteData(
                table: "reference_versions",
                keyColumn: "Name",
                keyValue: "rulepacks");
        }
    }
}
