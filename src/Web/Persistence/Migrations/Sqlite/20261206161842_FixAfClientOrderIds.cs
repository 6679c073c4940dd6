using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FixAfClientOrderIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "fix_client_order_ids",
                columns: table => new
                {
                    ClientCompId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ClOrdId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OrderId = table.Column<long>(type: "INTEGER", nullable: false),
                    MsgType = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    OrigClOrdId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fix_client_order_ids", x => new { x.ClientCompId, x.ClOrdId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_fix_client_order_ids_ClientCompId_Sequence",
                table: "fix_client_order_ids",
                columns: new[] { "ClientCompId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_fix_client_order_ids_OrderId",
                table: "fix_client_order_ids",
                column: "OrderId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "fix_client_order_ids");
        }
    }
}
