using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrderCancelReason : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CancelReason",
                table: "orders",
                type: "TEXT",
                maxLength: 256,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CancelReason",
                table: "orders");
        }
    }
}
