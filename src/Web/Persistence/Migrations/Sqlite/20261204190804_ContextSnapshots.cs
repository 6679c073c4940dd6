using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ContextSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AccountSnapshotId",
                table: "rule_decisions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "InstrumentSnapshotId",
                table: "rule_decisions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "context_snapshots",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    FirstUsedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_context_snapshots", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_rule_decisions_AccountSnapshotId",
                table: "rule_decisions",
                column: "AccountSnapshotId");

            migrationBuilder.CreateIndex(
                name: "IX_rule_decisions_InstrumentSnapshotId",
                table: "rule_decisions",
                column: "InstrumentSnapshotId");

            migrationBuilder.CreateIndex(
                name: "IX_context_snapshots_Sha256",
                table: "context_snapshots",
                column: "Sha256",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_rule_decisions_context_snapshots_AccountSnapshotId",
                table: "rule_decisions",
                column: "AccountSnapshotId",
                principalTable: "context_snapshots",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_rule_decisions_context_snapshots_InstrumentSnapshotId",
                table: "rule_decisions",
                column: "InstrumentSnapshotId",
                principalTable: "context_snapshots",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_rule_decisions_context_snapshots_AccountSnapshotId",
                table: "rule_decisions");

            migrationBuilder.DropForeignKey(
                name: "FK_rule_decisions_context_snapshots_InstrumentSnapshotId",
                table: "rule_decisions");

            migrationBuilder.DropTable(
                name: "context_snapshots");

            migrationBuilder.DropIndex(
                name: "IX_rule_decisions_AccountSnapshotId",
                table: "rule_decisions");

            migrationBuilder.DropIndex(
                name: "IX_rule_decisions_InstrumentSnapshotId",
                table: "rule_decisions");

            migrationBuilder.DropColumn(
                name: "AccountSnapshotId",
                table: "rule_decisions");

            migrationBuilder.DropColumn(
                name: "InstrumentSnapshotId",
                table: "rule_decisions");
        }
    }
}
