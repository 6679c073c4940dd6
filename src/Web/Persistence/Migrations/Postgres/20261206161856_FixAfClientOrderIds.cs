using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Postgres
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
                    ClientCompId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ClOrdId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OrderId = table.Column<long>(type: "bigint", nullable: false),
                    MsgType = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    OrigClOrdId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
