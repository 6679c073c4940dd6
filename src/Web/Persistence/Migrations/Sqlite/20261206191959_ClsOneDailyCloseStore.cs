using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ClsOneDailyCloseStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Move the closes first (the data step): reference_prices becomes the one store of daily closes.
            migrationBuilder.Sql(DailyCloseMerge.Up);

            migrationBuilder.DropTable(
                name: "daily_closes");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "daily_closes",
                columns: table => new
                {
                    Symbol = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Close = table.Column<decimal>(type: "TEXT", precision: 28, scale: 8, nullable: false),
                    EnteredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EnteredBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_daily_closes", x => new { x.Symbol, x.Date });
                });

            migrationBuilder.CreateIndex(
                name: "IX_daily_closes_Date",
                table: "daily_closes",
                column: "Date");

            migrationBuilder.Sql(DailyCloseMerge.Down);
        }
    }
}
