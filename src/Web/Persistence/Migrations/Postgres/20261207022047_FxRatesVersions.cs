using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ChangedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    UsdPerUnitBefore = table.Column<decimal>(type: "numeric(28,12)", precision: 28, scale: 12, nullable: false),
                    EurPerUnitBefore = table.Column<decimal>(type: "numeric(28,12)", precision: 28, scale: 12, nullable: false),
                    UsdPerUnitAfter = table.Column<decimal>(type: "numeric(28,12)", precision: 28, scale: 12, nullable: false),
                    EurPerUnitAfter = table.Column<decimal>(type: "numeric(28,12)", precision: 28, scale: 12, nullable: false),
                    Source = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
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
            migrationBuilder.Sql(
                "CREATE TRIGGER \"fx_rates_version\" AFTER INSERT OR UPDATE OR DELETE ON \"fx_rates\" " +
                "FOR EACH STATEMENT EXECUTE FUNCTION reference_version_bump('fxrates');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"fx_rates_version\" ON \"fx_rates\";");
            migrationBuilder.DropTable(
                name: "fx_rate_versions");

            migrationBuilder.DeleteData(
                table: "reference_versions",
                keyColumn: "Name",
                keyValue: "fxrates");
        }
    }
}
