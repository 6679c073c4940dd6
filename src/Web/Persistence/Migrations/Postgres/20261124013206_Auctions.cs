using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Auctions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ClosingVwapMinutes",
                table: "venues",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "MarketOrdersInAuctions",
                table: "venues",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<int>(
                name: "SuspensionMinutes",
                table: "venues",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "VolatilityBandBps",
                table: "venues",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<decimal>(
                name: "ClosingPrice",
                table: "instruments",
                type: "numeric(28,8)",
                precision: 28,
                scale: 8,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ClosingPriceOn",
                table: "instruments",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SuspendedUntil",
                table: "instruments",
                type: "timestamp with time zone",
                nullable: true);

            // Existing venues get the rules of DOMAIN.md (new databases are seeded with them): ADX takes no market orders in
            // its auctions; EGX suspends a stock for 10 minutes after a 10% move and falls back to the 30-minute VWAP close.
            migrationBuilder.Sql("UPDATE venues SET \"MarketOrdersInAuctions\" = false WHERE \"Code\" = 'ADX'");
            migrationBuilder.Sql("UPDATE venues SET \"VolatilityBandBps\" = 1000, \"SuspensionMinutes\" = 10, \"ClosingVwapMinutes\" = 30 WHERE \"Code\" = 'EGX'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClosingVwapMinutes",
                table: "venues");

            migrationBuilder.DropColumn(
                name: "MarketOrdersInAuctions",
                table: "venues");

            migrationBuilder.DropColumn(
                name: "SuspensionMinutes",
                table: "venues");

            migrationBuilder.DropColumn(
                name: "VolatilityBandBps",
                table: "venues");

            migrationBuilder.DropColumn(
                name: "ClosingPrice",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "ClosingPriceOn",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "SuspendedUntil",
                table: "instruments");
        }
    }
}
