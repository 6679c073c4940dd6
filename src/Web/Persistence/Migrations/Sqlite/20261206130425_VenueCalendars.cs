using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Sqlite
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
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "HolidayNames",
                table: "venues",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.CreateTable(
                name: "venue_versions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    VenueCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    ChangedFields = table.Column<string>(type: "TEXT", nullable: false),
                    Before = table.Column<string>(type: "TEXT", nullable: false),
                    After = table.Column<string>(type: "TEXT", nullable: false)
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

            // A calendar change, whoever makes it (the API, an operator's SQL), raises the venues counter.
            foreach (var change in new[] { "INSERT", "UPDATE", "DELETE" })
            {
                migrationBuilder.Sql(
                    $"CREATE TRIGGER \"venues_{change.ToLowerInvariant()}_version\" AFTER {change} ON \"venues\" " +
                    "BEGIN UPDATE \"reference_versions\" SET \"Version\" = \"Version\" + 1 WHERE \"Name\" = 'venues'; END;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var change in new[] { "insert", "update", "delete" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"venues_{change}_version\";");
            }
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
