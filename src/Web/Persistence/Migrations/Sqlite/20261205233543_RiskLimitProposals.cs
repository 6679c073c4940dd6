using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RiskLimitProposals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ApprovedBy",
                table: "risk_limits",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ProposalId",
                table: "risk_limits",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "risk_limit_proposals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BasedOnVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    MaxOrderQuantity = table.Column<long>(type: "INTEGER", nullable: true),
                    MaxOrderNotional = table.Column<decimal>(type: "TEXT", precision: 28, scale: 8, nullable: true),
                    PriceCollarPct = table.Column<decimal>(type: "TEXT", precision: 28, scale: 8, nullable: true),
                    MaxOpenOrders = table.Column<int>(type: "INTEGER", nullable: true),
                    MaxOpenNotional = table.Column<decimal>(type: "TEXT", precision: 28, scale: 8, nullable: true),
                    MaxLongPosition = table.Column<long>(type: "INTEGER", nullable: true),
                    MaxShortPosition = table.Column<long>(type: "INTEGER", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    ProposedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ProposedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DecisionReason = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    AppliedVersion = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_risk_limit_proposals", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_risk_limit_proposals_Scope_Key_Id",
                table: "risk_limit_proposals",
                columns: new[] { "Scope", "Key", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_risk_limit_proposals_Status_Id",
                table: "risk_limit_proposals",
                columns: new[] { "Status", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "risk_limit_proposals");

            migrationBuilder.DropColumn(
                name: "ApprovedBy",
                table: "risk_limits");

            migrationBuilder.DropColumn(
                name: "ProposalId",
                table: "risk_limits");
        }
    }
}
