using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Postgres
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
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DisplayedQuantity",
                table: "orders",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ExpireAt",
                table: "orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "StopPrice",
                table: "orders",
                type: "numeric(28,8)",
                precision: 28,
                scale: 8,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "TriggeredAt",
                table: "orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SelfTradePrevention",
                table: "accounts",
                type: "character varying(16)",
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
