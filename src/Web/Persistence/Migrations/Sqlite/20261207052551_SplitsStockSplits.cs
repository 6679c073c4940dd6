using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SplitsStockSplits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "position_adjustments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<long>(type: "INTEGER", nullable: false),
                    Symbol = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    QuantityBefore = table.Column<long>(type: "INTEGER", nullable: false),
                    Quantity = table.Column<long>(type: "INTEGER", nullable: false),
                    RatioNew = table.Column<int>(type: "INTEGER", nullable: false),
                    RatioOld = table.Column<int>(type: "INTEGER", nullable: false),
                    CashInLieu = table.Column<decimal>(type: "TEXT", precision: 28, scale: 8, nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    EnteredBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EnteredAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_position_adjustments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_position_adjustments_accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "stock_splits",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Symbol = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    NewShares = table.Column<int>(type: "INTEGER", nullable: false),
                    OldShares = table.Column<int>(type: "INTEGER", nullable: false),
                    EffectiveDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CancelReason = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AppliedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AppliedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stock_splits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_stock_splits_instruments_Symbol",
                        column: x => x.Symbol,
                        principalTable: "instruments",
                        principalColumn: "Symbol",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_position_adjustments_AccountId_Symbol_Reference",
                table: "position_adjustments",
                columns: new[] { "AccountId", "Symbol", "Reference" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_position_adjustments_Reference",
                table: "position_adjustments",
                column: "Reference");

            migrationBuilder.CreateIndex(
                name: "IX_stock_splits_EffectiveDate",
                table: "stock_splits",
                column: "EffectiveDate");

            migrationBuilder.CreateIndex(
                name: "IX_stock_splits_Symbol_EffectiveDate",
                table: "stock_splits",
                columns: new[] { "Symbol", "EffectiveDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "position_adjustments");

            migrationBuilder.DropTable(
                name: "stock_splits");
        }
    }
}
