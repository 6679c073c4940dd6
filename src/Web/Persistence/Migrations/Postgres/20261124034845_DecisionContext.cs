using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Postgres
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
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "rule_pack_replays",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PackId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DraftVersion = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DraftJson = table.Column<string>(type: "text", nullable: false),
                    From = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    To = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AccountId = table.Column<long>(type: "bigint", nullable: true),
                    Symbol = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    RequestedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Total = table.Column<int>(type: "integer", nullable: false),
                    Processed = table.Column<int>(type: "integer", nullable: false),
                    Changed = table.Column<int>(type: "integer", nullable: false),
                    SkippedNoContext = table.Column<int>(type: "integer", nullable: false),
                    SkippedRefused = table.Column<int>(type: "integer", nullable: false),
                    BaselineDiffersFromStored = table.Column<int>(type: "integer", nullable: false),
                    LastOrderIdInRange = table.Column<long>(type: "bigint", nullable: false),
                    Cursor = table.Column<long>(type: "bigint", nullable: false),
                    BaselineVersions = table.Column<string>(type: "text", nullable: true),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Error = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rule_pack_replays", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "rule_pack_replay_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ReplayId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrderId = table.Column<long>(type: "bigint", nullable: false),
                    AccountId = table.Column<long>(type: "bigint", nullable: false),
                    Symbol = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Side = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Quantity = table.Column<long>(type: "bigint", nullable: false),
                    Price = table.Column<decimal>(type: "numeric(28,8)", precision: 28, scale: 8, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StoredOutcome = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    BaselineOutcome = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    DraftOutcome = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    NewlyFiredJson = table.Column<string>(type: "text", nullable: false),
                    NoLongerFiredJson = table.Column<string>(type: "text", nullable: false),
                    BaselineFault = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    DraftFault = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true)
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
