using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrderTypes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "DisplayQuantity",
                table: "orders",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DisplayedQuantity",
                table: "orders",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ExpireAt",
                table: "orders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "StopPrice",
                table: "orders",
                type: "TEXT",
                precision: 28,
                scale: 8,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "TriggeredAt",
                table: "orders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SelfTradePrevention",
                table: "accounts",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "CancelIncoming");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DisplayQuantity",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "DisplayedQuantity",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "ExpireAt",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "StopPrice",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "TriggeredAt",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "SelfTradePrevention",
                table: "accounts");
        }
    }
}
