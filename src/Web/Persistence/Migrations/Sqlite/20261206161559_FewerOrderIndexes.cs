using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FewerOrderIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_rule_decisions_AccountSnapshotId",
                table: "rule_decisions");

            migrationBuilder.DropIndex(
                name: "IX_rule_decisions_InstrumentSnapshotId",
                table: "rule_decisions");

            migrationBuilder.DropIndex(
                name: "IX_orders_UserId_CreatedAt",
                table: "orders");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_rule_decisions_AccountSnapshotId",
                table: "rule_decisions",
                column: "AccountSnapshotId");

            migrationBuilder.CreateIndex(
                name: "IX_rule_decisions_InstrumentSnapshotId",
                table: "rule_decisions",
                column: "InstrumentSnapshotId");

            migrationBuilder.CreateIndex(
                name: "IX_orders_UserId_CreatedAt",
                table: "orders",
                columns: new[] { "UserId", "CreatedAt" });
        }
    }
}
