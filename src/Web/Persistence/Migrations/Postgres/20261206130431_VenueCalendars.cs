using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class VenueCalendars : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "HalfDays",
                table: "venues",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "HolidayNames",
                table: "venues",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.CreateTable(
                name: "venue_versions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    VenueCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ChangedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    ChangedFields = table.Column<string>(type: "text", nullable: false),
                    Before = table.Column<string>(type: "text", nullable: false),
                    After = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_venue_versions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_venue_versions_venues_VenueCode",
                        column: x => x.VenueCode,
                        principalTable: "venues",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                table: "reference_versions",
                columns: new[] { "Name", "Version" },
                values: new object[] { "venues", 0L });

            migrationBuilder.CreateIndex(
                name: "IX_venue_versions_VenueCode_Version",
                table: "venue_versions",
                columns: new[] { "VenueCode", "Version" },
                unique: true);

            // A calendar change, whoever makes it (the API on any node, an operator's SQL), raises the venues counter.
            migrationBuilder.Sql(
                "CREATE TRIGGER \"venues_version\" AFTER INSERT OR UPDATE OR DELETE ON \"venues\" " +
                "FOR EACH STATEMENT EXECUTE FUNCTION reference_version_bump('venues');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"venues_version\" ON \"venues\";");
            migrationBuilder.DropTable(
                name: "venue_versions");

            migrationBuilder.DeleteData(
                table: "reference_versions",
                keyColumn: "Name",
                keyValue: "venues");

            migrationBuilder.DropColumn(
                name: "HalfDays",
                table: "venues");

            migrationBuilder.DropColumn(
                name: "HolidayNames",
                table: "venues");
        }
    }
}
