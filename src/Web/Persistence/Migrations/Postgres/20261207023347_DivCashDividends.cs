using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DivCashDividends : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CancelReason",
                table: "dividends",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "CreatedAt",
                table: "dividends",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<string>(
                name: "CreatedBy",
                table: "dividends",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "system");

            migrationBuilder.AddColumn<DateTime>(
                name: "PaidAt",
                table: "dividends",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PaidBy",
                table: "dividends",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "dividends",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Announced");

            migrationBuilder.AddColumn<DateTime>(
                name: "UpdatedAt",
                table: "dividends",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<string>(
                name: "UpdatedBy",
                table: "dividends",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "system");

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "dividends",
                type: "integer",
                nullable: false,
                defaultValue: 1);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CancelReason",
                table: "dividends");

            migrationBuilder.DropColumn(
                name: "CreatedAt",
                table: "dividends");

            migrationBuilder.DropColumn(
                name: "CreatedBy",
                table: "dividends");

            migrationBuilder.DropColumn(
                name: "PaidAt",
                table: "dividends");

            migrationBuilder.DropColumn(
                name: "PaidBy",
                table: "dividends");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "dividends");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "dividends");

            migrationBuilder.DropColumn(
                name: "UpdatedBy",
                table: "dividends");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "dividends");
        }
    }
}
