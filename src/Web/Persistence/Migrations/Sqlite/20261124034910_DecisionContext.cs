using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DecisionContext : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ContextJson",
                table: "rule_decisions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "rule_pack_replays",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PackId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DraftVersion = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DraftJson = table.Column<string>(type: "TEXT", nullable: false),
                    From = table.Column<DateTime>(type: "TEXT", nullable: false),
                    To = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AccountId = table.Column<long>(type: "INTEGER", nullable: true),
                    Symbol = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    Processed = table.Column<int>(type: "INTEGER", nullable: false),
                    Changed = table.Column<int>(type: "INTEGER", nullable: false),
                    SkippedNoContext = table.Column<int>(type: "INTEGER", nullable: false),
                    SkippedRefused = table.Column<int>(type: "INTEGER", nullable: false),
                    BaselineDiffersFromStored = table.Column<int>(type: "INTEGER", nullable: false),
                    LastOrderIdInRange = table.Column<long>(type: "INTEGER", nullable: false),
                    Cursor = table.Column<long>(type: "INTEGER", nullable: false),
                    BaselineVersions = table.Column<string>(type: "TEXT", nullable: true),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rule_pack_replays", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "rule_pack_replay_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ReplayId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderId = table.Column<long>(type: "INTEGER", nullable: false),
                    AccountId = table.Column<long>(type: "INTEGER", nullable: false),
                    Symbol = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Side = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Quantity = table.Column<long>(type: "INTEGER", nullable: false),
                    Price = table.Column<decimal>(type: "TEXT", precision: 28, scale: 8, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StoredOutcome = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    BaselineOutcome = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    DraftOutcome = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    NewlyFiredJson = table.Column<string>(type: "TEXT", nullable: false),
                    NoLongerFiredJson = table.Column<string>(type: "TEXT", nullable: false),
                    BaselineFault = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    DraftFault = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rule_pack_replay_changes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_rule_pack_replay_changes_rule_pack_replays_ReplayId",
                        column: x => x.ReplayId,
                        principalTable: "rule_pack_replays",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_rule_pack_replay_changes_ReplayId_OrderId",
                table: "rule_pack_replay_changes",
                columns: new[] { "ReplayId", "OrderId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_rule_pack_replays_RequestedAt",
                table: "rule_pack_replays",
                column: "RequestedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rule_pack_replay_changes");

            migrationBuilder.DropTable(
                name: "rule_pack_replays");

            migrationBuilder.DropColumn(
                name: "ContextJson",
                table: "rule_decisions");
        }
    }
}
