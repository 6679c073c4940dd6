using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "AlgoId",
                table: "users",
                type: "TEXT",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "BirthDate",
                table: "users",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FirstName",
                table: "users",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NationalId",
                table: "users",
                type: "TEXT",
                maxLength: 35,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Nationality",
                table: "users",
                type: "TEXT",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PassportNumber",
                table: "users",
                type: "TEXT",
                maxLength: 35,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Surname",
                table: "users",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ExpiresOn",
                table: "instruments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "FirdsCheckedOn",
                table: "instruments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "PriceMultiplier",
                table: "instruments",
                type: "TEXT",
                precision: 28,
                scale: 8,
                nullable: false,
                defaultValue: 1m);

            migrationBuilder.AddColumn<string>(
                name: "ReportingSource",
                table: "instruments",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "TradedOnEuVenue",
                table: "instruments",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "UnderlyingIsin",
                table: "instruments",
                type: "TEXT",
                maxLength: 12,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "Twin",
                table: "generated_reports",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TwinContentType",
                table: "generated_reports",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TwinFileName",
                table: "generated_reports",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TwinSha256",
                table: "generated_reports",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "BirthDate",
                table: "accounts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FirstName",
                table: "accounts",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MifidBranch",
                table: "accounts",
                type: "TEXT",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NationalId",
                table: "accounts",
                type: "TEXT",
                maxLength: 35,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Nationality",
                table: "accounts",
                type: "TEXT",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PassportNumber",
                table: "accounts",
                type: "TEXT",
                maxLength: 35,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Surname",
                table: "accounts",
                type: "TEXT",
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
