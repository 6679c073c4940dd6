using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RulePackDrafts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ContentSha256",
                table: "rule_pack_replays",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "rule_pack_drafts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PackId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Author = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    BasedOnVersion = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SavedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Revision = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rule_pack_drafts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_rule_pack_replays_PackId_ContentSha256",
                table: "rule_pack_replays",
                columns: new[] { "PackId", "ContentSha256" });

            migrationBuilder.CreateIndex(
                name: "IX_rule_pack_drafts_Author",
                table: "rule_pack_drafts",
                column: "Author");

            migrationBuilder.CreateIndex(
                name: "IX_rule_pack_drafts_PackId_Author",
                table: "rule_pack_drafts",
                columns: new[] { "PackId", "Author" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rule_pack_drafts");

            migrationBuilder.DropIndex(
                name: "IX_rule_pack_replays_PackId_ContentSha256",
                table: "rule_pack_replays");

            migrationBuilder.DropColumn(
                name: "ContentSha256",
                table: "rule_pack_replays");
        }
    }
}
