using TradSys.Reporting.Data;

namespace TradSys.Reporting.Tests.Reports;

/// <summary>Facts for the account-level reports, as the port would return them.</summary>
internal static class AccountReportSamples
{
    public static readonly ShariaScreenParameters Aaoifi = new("sharia", "1.0.0", "AAOIFI",
        new Dictionary<string, decimal>
        {
            ["AaoifiDebtMaxPct"] = 30m, ["AaoifiCashMaxPct"] = 30m, ["AaoifiIncomeMaxPct"] = 5m,
            ["SpDebtMaxPct"] = 33m, ["SpCashMaxPct"] = 33m, ["SpReceivablesMaxPct"] = 49m, ["SpIncomeMaxPct"] = 5m,
            ["MsciDebtMaxPct"] = 33.33m, ["MsciCashMaxPct"] = 33.33m, ["MsciReceivablesCashMaxPct"] = 33.33m, ["MsciIncomeMaxPct"] = 5m,
        },
        ["30201010", "40101010"], ["25301020"]);

    public static readonly IReadOnlyList<FxRateInfo> Fx =
        [new("EGP", 0.02053m, new DateOnly(2026, 11, 20), "test"), new("AED", 0.27229m, new DateOnly(2026, 11, 20), "test"), new("USD", 1m, new DateOnly(2026, 11, 20), "test")];

    /// <summary>Debt, cash and income as percentages of a market cap (and revenue) of 1,000.</summary>
    public static InstrumentFacts Instrument(string symbol, string sector = "50101020", decimal debtPct = 18m, decimal cashPct = 12m,
        decimal incomePct = 2m, string currency = "EGP", bool figures = true) =>
        new(symbol, "EGS" + symbol, symbol + " issuer", null, "EGX", currency, sector, false, false, 1_000_000,
            new ShariaFigures(debtPct * 10m, cashPct * 10m, 200m, incomePct * 10m, 1_000m, 1_000m, 950m, 1_200m, currency,
                figures ? new DateOnly(2026, 6, 30) : null, "test figures"));

    public static ShariaInputData Sharia(DateOnly day) => new(day, "Asia/Dubai", Aaoifi,
        [Instrument("ETEL"), Instrument("ABUK", debtPct: 40m), Instrument("COMI", sector: "40101010", incomePct: 60m)],
        [
            new DividendFacts(1, "ETEL", "EGSETEL", day, day.AddDays(1), day.AddDays(14), 7.50m, "EGP", "test"),
            new DividendFacts(2, "ABUK", "EGSABUK", new DateOnly(day.Year, 1, 10), new DateOnly(day.Year, 1, 11), new DateOnly(day.Year, 1, 24), 4m, "EGP", "test"),
        ],
        Fx,
        [
            new ShariaAccountInputs(new PartyInfo(1003, "Huda Ibrahim", "هدى إبراهيم"), [new PositionRow("ETEL", 150), new PositionRow("ABUK", 200)],
                [new DividendEntitlement(1, 100), new DividendEntitlement(2, 0)], []),
        ]);

    public static FatcaAccountFacts Facts(long id, string status = "NonUsPerson", string[]? indicia = null, bool entity = false, bool w9 = false,
        string? tin = null, DateOnly? w8 = null, string? giin = null, bool onList = false, bool preexisting = false, decimal balance = 100_000m,
        bool reviewed = false, string jurisdiction = "UaeOnshore") =>
        new(new PartyInfo(id, $"Holder {id}", null), jurisdiction, "AE", entity, status, indicia ?? [], w9, tin, w8, giin, onList, preexisting, balance, reviewed);

    public static FatcaInputData Fatca(DateOnly day) => new(day, "Asia/Dubai", new DateOnly(day.Year, 1, 1), Fx,
    [
        new FatcaAccountInputs(Facts(2003, "UsPersonW9", ["UsCitizenOrResident"], entity: true, w9: true, tin: "98-0000042"),
            [new ValuedPosition("ALDAR", 60, 8.10m, "last trade", "AED")], [new DividendPaid("ALDAR", day, 100, 0.21m, "AED")],
            [new CurrencyAmount(324m, "AED")]),
        new FatcaAccountInputs(Facts(2002, "IndiciaUncured", ["UsPhone"]), [], [], []),
        new FatcaAccountInputs(Facts(1002, "ForeignCertifiedW8", ["UsBirthplace"], w8: day.AddDays(-1)), [], [], []),
        new FatcaAccountInputs(Facts(1003, preexisting: true, balance: 30_000m, jurisdiction: "Egypt"), [], [], []),
    ]);
}
