using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FxRatesVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "fx_rate_versions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    UsdPerUnitBefore = table.Column<decimal>(type: "TEXT", precision: 28, scale: 12, nullable: false),
                    EurPerUnitBefore = table.Column<decimal>(type: "TEXT", precision: 28, scale: 12, nullable: false),
                    UsdPerUnitAfter = table.Column<decimal>(type: "TEXT", precision: 28, scale: 12, nullable: false),
                    EurPerUnitAfter = table.Column<decimal>(type: "TEXT", precision: 28, scale: 12, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fx_rate_versions", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "reference_versions",
                columns: new[] { "Name", "Version" },
                values: new object[] { "fxrates", 0L });

            migrationBuilder.CreateIndex(
                name: "IX_fx_rate_versions_Currency_Version",
                table: "fx_rate_versions",
                columns: new[] { "Currency", "Version" },
                unique: true);

            // An FX rate change, whoever makes it (the API, reference load, an operator's SQL), raises the fxrates counter: the order
            // writer takes the table again for its next batch and the followers of a cluster for their next read.
            foreach (var change in new[] { "INSERT", "UPDATE", "DELETE" })
            {
                migrationBuilder.Sql(
                    $"CREATE TRIGGER \"fx_rates_{change.ToLowerInvariant()}_version\" AFTER {change} ON \"fx_rates\" " +
                    "BEGIN UPDATE \"reference_versions\" SET \"Version\" = \"Version\" + 1 WHERE \"Name\" = 'fxrates'; END;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var change in new[] { "insert", "update", "delete" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"fx_rates_{change}_version\";");
            }
            migrationBuilder.DropTable(
                name: "fx_rate_versions");

            migrationBuilder.DeleteData(
                table: "reference_versions",
                keyColumn: "Name",
                keyValue: "fxrates");
        }
    }
}
