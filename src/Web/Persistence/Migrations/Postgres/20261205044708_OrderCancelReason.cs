using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Postgres
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
                type: "character varying(256)",
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
