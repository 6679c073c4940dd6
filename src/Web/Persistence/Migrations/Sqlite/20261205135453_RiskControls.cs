using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RiskControls : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "risk_limits",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    MaxOrderQuantity = table.Column<long>(type: "INTEGER", nullable: true),
                    MaxOrderNotional = table.Column<decimal>(type: "TEXT", precision: 28, scale: 8, nullable: true),
                    PriceCollarPct = table.Column<decimal>(type: "TEXT", precision: 28, scale: 8, nullable: true),
                    MaxOpenOrders = table.Column<int>(type: "INTEGER", nullable: true),
                    MaxOpenNotional = table.Column<decimal>(type: "TEXT", precision: 28, scale: 8, nullable: true),
                    MaxLongPosition = table.Column<long>(type: "INTEGER", nullable: true),
                    MaxShortPosition = table.Column<long>(type: "INTEGER", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_risk_limits", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "trading_statuses",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    SetBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SetAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_trading_statuses", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_risk_limits_Scope_Key_Version",
                table: "risk_limits",
                columns: new[] { "Scope", "Key", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_trading_statuses_Scope_Key_Id",
                table: "trading_statuses",
                columns: new[] { "Scope", "Key", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "risk_limits");

            migrationBuilder.DropTable(
                name: "trading_statuses");
        }
    }
}
