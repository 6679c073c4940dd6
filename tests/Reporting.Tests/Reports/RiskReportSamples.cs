using TradSys.Reporting.Data;

namespace TradSys.Reporting.Tests.Reports;

/// <summary>A day of the daily risk report: two breaches, an account with a VaR and backtest exceptions, one without enough history.</summary>
public static class RiskReportSamples
{
    public static readonly PartyInfo Nile = new(1001, "Nile Growth Fund", "صندوق النيل للنمو");
    public static readonly PartyInfo Karim = new(1002, "Karim Mansour", null);

    public static DailyRiskData Daily(DateOnly day, string timeZone = "Asia/Dubai") => new(day, timeZone, "USD",
        [
            new RiskBreachRow(41, new DateTime(2026, 11, 23, 8, 15, 0, DateTimeKind.Utc), Nile, "MaxLongPosition", "FAB", "account 1001", 1_000m, 1_200m,
                "shares", 120m, "risk1"),
            new RiskBreachRow(44, new DateTime(2026, 11, 23, 10, 5, 30, DateTimeKind.Utc), Karim, "MaxVar", null, "account 1002", 5_000m, 6_250.5m,
                "AED", 125.01m, null),
        ],
        [
            new AccountVarRow(Nile, "AED", 2, 250_000m, 7_412.35m, 9_120.8m, 250,
                new VarBacktestRow(250, new DateOnly(2025, 11, 24), new DateOnly(2026, 11, 20), 3,
                    [new DateOnly(2026, 3, 2), new DateOnly(2026, 6, 15), new DateOnly(2026, 10, 1)], 2.5, 0.0949, 0.758, "Green"), null),
            new AccountVarRow(Karim, "EGP", 1, 1_900m, null, null, 0, null,
                "no VaR: 12 day(s) of returns in common, 100 needed; import closes through POST /api/v1/risk/price-history"),
        ],
        [
            new ExposureLine(Nile, "FAB", 1_200, 15.6m, "Last", "AED", 18_720m, 5_097.21m),
            new ExposureLine(Karim, "ETEL", 50, 38m, "Reference", "EGP", 1_900m, 39.01m),
        ],
        ["The history includes the demo data's illustrative closes (source demo): a seeded random walk, not market data."],
        new FirmVarRow("USD", 2, 2, 5_136.22m, 1_950.4m, 2_300.1m, 250,
            new VarBacktestRow(250, new DateOnly(2025, 11, 24), new DateOnly(2026, 11, 20), 2, [new DateOnly(2026, 3, 2), new DateOnly(2026, 6, 15)],
                2.5, 0.1084, 0.742, "Green"), null));
}
