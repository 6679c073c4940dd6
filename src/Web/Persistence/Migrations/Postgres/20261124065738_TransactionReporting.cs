using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TransactionReporting : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "TimestampDecimals",
                table: "venues",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "AlgoId",
                table: "users",
                type: "character varying(50)",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "BirthDate",
                table: "users",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FirstName",
                table: "users",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NationalId",
                table: "users",
                type: "character varying(35)",
                maxLength: 35,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Nationality",
                table: "users",
                type: "character varying(2)",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PassportNumber",
                table: "users",
                type: "character varying(35)",
                maxLength: 35,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Surname",
                table: "users",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ExpiresOn",
                table: "instruments",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "FirdsCheckedOn",
                table: "instruments",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "PriceMultiplier",
                table: "instruments",
                type: "numeric(28,8)",
                precision: 28,
                scale: 8,
                nullable: false,
                defaultValue: 1m);

            migrationBuilder.AddColumn<string>(
                name: "ReportingSource",
                table: "instruments",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "TradedOnEuVenue",
                table: "instruments",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "UnderlyingIsin",
                table: "instruments",
                type: "character varying(12)",
                maxLength: 12,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "Twin",
                table: "generated_reports",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TwinContentType",
                table: "generated_reports",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TwinFileName",
                table: "generated_reports",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TwinSha256",
                table: "generated_reports",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "BirthDate",
                table: "accounts",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FirstName",
                table: "accounts",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MifidBranch",
                table: "accounts",
                type: "character varying(2)",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NationalId",
                table: "accounts",
                type: "character varying(35)",
                maxLength: 35,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Nationality",
                table: "accounts",
                type: "character varying(2)",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PassportNumber",
                table: "accounts",
                type: "character varying(35)",
                maxLength: 35,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Surname",
                table: "accounts",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TimestampDecimals",
                table: "venues");

            migrationBuilder.DropColumn(
                name: "AlgoId",
                table: "users");

            migrationBuilder.DropColumn(
                name: "BirthDate",
                table: "users");

            migrationBuilder.DropColumn(
                name: "FirstName",
                table: "users");

            migrationBuilder.DropColumn(
                name: "NationalId",
                table: "users");

            migrationBuilder.DropColumn(
                name: "Nationality",
                table: "users");

            migrationBuilder.DropColumn(
                name: "PassportNumber",
                table: "users");

            migrationBuilder.DropColumn(
                name: "Surname",
                table: "users");

            migrationBuilder.DropColumn(
                name: "ExpiresOn",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "FirdsCheckedOn",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "PriceMultiplier",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "ReportingSource",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "TradedOnEuVenue",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "UnderlyingIsin",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "Twin",
                table: "generated_reports");

            migrationBuilder.DropColumn(
                name: "TwinContentType",
                table: "generated_reports");

            migrationBuilder.DropColumn(
                name: "TwinFileName",
                table: "generated_reports");

            migrationBuilder.DropColumn(
                name: "TwinSha256",
                table: "generated_reports");

            migrationBuilder.DropColumn(
                name: "BirthDate",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "FirstName",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "MifidBranch",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "NationalId",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "Nationality",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "PassportNumber",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "Surname",
                table: "accounts");
        }
    }
}
