using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TradSys.Web.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RulesContext : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Country",
                table: "venues",
                type: "character varying(2)",
                maxLength: 2,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "IsEea",
                table: "venues",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "CounterpartyLei",
                table: "orders",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsAdvised",
                table: "orders",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsCleared",
                table: "orders",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "LocateId",
                table: "orders",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "MarkupBps",
                table: "orders",
                type: "numeric(28,8)",
                precision: 28,
                scale: 8,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<bool>(
                name: "MarkupDisclosed",
                table: "orders",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "RuleOutcome",
                table: "orders",
                type: "character varying(8)",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ShortMarking",
                table: "orders",
                type: "character varying(12)",
                maxLength: 12,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<bool>(
                name: "UsesMargin",
                table: "orders",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Uti",
                table: "orders",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AssetClass",
                table: "instruments",
                type: "character varying(12)",
                maxLength: 12,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<long>(
                name: "AverageDailyVolume",
                table: "instruments",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<decimal>(
                name: "ForeignHoldingPct",
                table: "instruments",
                type: "numeric(28,8)",
                precision: 28,
                scale: 8,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "ForeignOwnershipLimitPct",
                table: "instruments",
                type: "numeric(28,8)",
                precision: 28,
                scale: 8,
                nullable: false,
                defaultValue: 100m);

            migrationBuilder.AddColumn<bool>(
                name: "IsComplex",
                table: "instruments",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsLiquid",
                table: "instruments",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsOnShortSellEligibleList",
                table: "instruments",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsOnThresholdList",
                table: "instruments",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsOtc",
                table: "instruments",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsRestricted",
                table: "instruments",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsUsSource",
                table: "instruments",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateOnly>(
                name: "NextFinancialStatementsOn",
                table: "instruments",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "Sharia_AverageMarketCap36M",
                table: "instruments",
                type: "numeric(28,8)",
                precision: 28,
                scale: 8,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<bool>(
                name: "AppropriatenessAssessed",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "AppropriatenessPassed",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<decimal>(
                name: "BalanceSheetUsd",
                table: "accounts",
                type: "numeric(28,8)",
                precision: 28,
                scale: 8,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "BalanceUsd",
                table: "accounts",
                type: "numeric(28,8)",
                precision: 28,
                scale: 8,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "BorrowedShares",
                table: "accounts",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "EmirClass",
                table: "accounts",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<bool>(
                name: "EmirReportingExempt",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "EnhancedReviewDone",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<decimal>(
                name: "EquityUsd",
                table: "accounts",
                type: "numeric(28,8)",
                precision: 28,
                scale: 8,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "Giin",
                table: "accounts",
                type: "character varying(19)",
                maxLength: 19,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "GiinOnFfiList",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "HasFinanceExperience",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "HasMarginAgreement",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "HasW9",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "InsiderOfIsins",
                table: "accounts",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<bool>(
                name: "IsClassified",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsForeignInvestor",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsGccNational",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsLegalEntity",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsMarginAccount",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsPreexisting",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsTrust",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<decimal>(
                name: "NetAssetsUsd",
                table: "accounts",
                type: "numeric(28,8)",
                precision: 28,
                scale: 8,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "OwnFundsUsd",
                table: "accounts",
                type: "numeric(28,8)",
                precision: 28,
                scale: 8,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<bool>(
                name: "SuitabilityAssessed",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<decimal>(
                name: "TurnoverUsd",
                table: "accounts",
                type: "numeric(28,8)",
                precision: 28,
                scale: 8,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.CreateTable(
                name: "fx_rates",
                columns: table => new
                {
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    UsdPerUnit = table.Column<decimal>(type: "numeric(28,12)", precision: 28, scale: 12, nullable: false),
                    EurPerUnit = table.Column<decimal>(type: "numeric(28,12)", precision: 28, scale: 12, nullable: false),
                    AsOf = table.Column<DateOnly>(type: "date", nullable: false),
                    Source = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fx_rates", x => x.Currency);
                });

            migrationBuilder.CreateTable(
                name: "rule_decisions",
                columns: table => new
                {
                    OrderId = table.Column<long>(type: "bigint", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    ReasonCodes = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    ReportTags = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    Json = table.Column<string>(type: "text", nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rule_decisions", x => x.OrderId);
                    table.ForeignKey(
                        name: "FK_rule_decisions_orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_rule_decisions_Outcome_DecidedAt",
                table: "rule_decisions",
                columns: new[] { "Outcome", "DecidedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "fx_rates");

            migrationBuilder.DropTable(
                name: "rule_decisions");

            migrationBuilder.DropColumn(
                name: "Country",
                table: "venues");

            migrationBuilder.DropColumn(
                name: "IsEea",
                table: "venues");

            migrationBuilder.DropColumn(
                name: "CounterpartyLei",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "IsAdvised",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "IsCleared",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "LocateId",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "MarkupBps",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "MarkupDisclosed",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "RuleOutcome",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "ShortMarking",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "UsesMargin",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "Uti",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "AssetClass",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "AverageDailyVolume",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "ForeignHoldingPct",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "ForeignOwnershipLimitPct",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "IsComplex",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "IsLiquid",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "IsOnShortSellEligibleList",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "IsOnThresholdList",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "IsOtc",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "IsRestricted",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "IsUsSource",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "NextFinancialStatementsOn",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "Sharia_AverageMarketCap36M",
                table: "instruments");

            migrationBuilder.DropColumn(
                name: "AppropriatenessAssessed",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "AppropriatenessPassed",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "BalanceSheetUsd",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "BalanceUsd",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "BorrowedShares",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "EmirClass",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "EmirReportingExempt",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "EnhancedReviewDone",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "EquityUsd",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "Giin",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "GiinOnFfiList",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "HasFinanceExperience",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "HasMarginAgreement",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "HasW9",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "InsiderOfIsins",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "IsClassified",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "IsForeignInvestor",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "IsGccNational",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "IsLegalEntity",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "IsMarginAccount",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "IsPreexisting",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "IsTrust",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "NetAssetsUsd",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "OwnFundsUsd",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "SuitabilityAssessed",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "TurnoverUsd",
                table: "accounts");
        }
    }
}
