using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class VenueRouting : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RoutedSession",
                table: "orders",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VenueOrderId",
                table: "orders",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "venue_executions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Session = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ExecId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OrderId = table.Column<long>(type: "bigint", nullable: false),
                    ExecType = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    OrderState = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    LastQuantity = table.Column<long>(type: "bigint", nullable: false),
                    LastPrice = table.Column<decimal>(type: "numeric(28,8)", precision: 28, scale: 8, nullable: true),
                    TradeId = table.Column<long>(type: "bigint", nullable: true),
                    Text = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    AppliedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_venue_executions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_venue_executions_OrderId",
                table: "venue_executions",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_venue_executions_Session_ExecId",
                table: "venue_executions",
                columns: new[] { "Session", "ExecId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "venue_executions");

            migrationBuilder.DropColumn(
                name: "RoutedSession",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "VenueOrderId",
                table: "orders");
        }
    }
}
