using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class VenueCancelReplace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "VenueClOrdId",
                table: "orders",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VenuePending",
                table: "orders",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VenuePendingClOrdId",
                table: "orders",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "VenuePendingPrice",
                table: "orders",
                type: "TEXT",
                precision: 28,
                scale: 8,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "VenuePendingQuantity",
                table: "orders",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "VenueRequests",
                table: "orders",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "VenueClOrdId",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "VenuePending",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "VenuePendingClOrdId",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "VenuePendingPrice",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "VenuePendingQuantity",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "VenueRequests",
                table: "orders");
        }
    }
}
