using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RulePacks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "rule_pack_versions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PackId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Json = table.Column<string>(type: "text", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PublishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    PublishedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Comment = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rule_pack_versions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "rule_pack_heads",
                columns: table => new
                {
                    PackId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CurrentVersionId = table.Column<long>(type: "bigint", nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ChangedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rule_pack_heads", x => x.PackId);
                    table.ForeignKey(
                        name: "FK_rule_pack_heads_rule_pack_versions_CurrentVersionId",
                        column: x => x.CurrentVersionId,
                        principalTable: "rule_pack_versions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_rule_pack_heads_CurrentVersionId",
                table: "rule_pack_heads",
                column: "CurrentVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_rule_pack_versions_PackId_Version",
                table: "rule_pack_versions",
                columns: new[] { "PackId", "Version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rule_pack_heads");

            migrationBuilder.DropTable(
                name: "rule_pack_versions");
        }
    }
}
