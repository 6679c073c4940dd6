using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ShariaFatcaReporting : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AddressCountry",
                table: "accounts",
                type: "character varying(2)",
                maxLength: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UsTin",
                table: "accounts",
                type: "character varying(11)",
                maxLength: 11,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "dividends",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Symbol = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ExDate = table.Column<DateOnly>(type: "date", nullable: false),
                    RecordDate = table.Column<DateOnly>(type: "date", nullable: false),
                    PaymentDate = table.Column<DateOnly>(type: "date", nullable: false),
                    AmountPerShare = table.Column<decimal>(type: "numeric(28,8)", precision: 28, scale: 8, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Source = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dividends", x => x.Id);
                    table.ForeignKey(
                        name: "FK_dividends_instruments_Symbol",
                        column: x => x.Symbol,
                        principalTable: "instruments",
                        principalColumn: "Symbol",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_dividends_ExDate",
                table: "dividends",
                column: "ExDate");

            migrationBuilder.CreateIndex(
                name: "IX_dividends_PaymentDate",
                table: "dividends",
                column: "PaymentDate");

            migrationBuilder.CreateIndex(
                name: "IX_dividends_Symbol_ExDate",
                table: "dividends",
                columns: new[] { "Symbol", "ExDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dividends");

            migrationBuilder.DropColumn(
                name: "AddressCountry",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "UsTin",
                table: "accounts");
        }
    }
}
