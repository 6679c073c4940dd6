using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SymChgSymbolChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "CarriedAverageCost",
                table: "position_adjustments",
                type: "numeric(28,8)",
                precision: 28,
                scale: 8,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "symbol_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Symbol = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    NewSymbol = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    NewIsin = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: true),
                    NewName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    EffectiveDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Source = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CancelReason = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AppliedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    AppliedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_symbol_changes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_symbol_changes_instruments_Symbol",
                        column: x => x.Symbol,
                        principalTable: "instruments",
                        principalColumn: "Symbol",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_symbol_changes_EffectiveDate",
                table: "symbol_changes",
                column: "EffectiveDate");

            migrationBuilder.CreateIndex(
                name: "IX_symbol_changes_NewSymbol",
                table: "symbol_changes",
                column: "NewSymbol");

            migrationBuilder.CreateIndex(
                name: "IX_symbol_changes_Symbol_EffectiveDate",
                table: "symbol_changes",
                columns: new[] { "Symbol", "EffectiveDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "symbol_changes");

            migrationBuilder.DropColumn(
                name: "CarriedAverageCost",
                table: "position_adjustments");
        }
    }
}
