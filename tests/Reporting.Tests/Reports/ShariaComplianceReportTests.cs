using TradSys.Reporting.Data;
using TradSys.Reporting.Reports;
using TradSys.Reporting.Tests.Documents;
using UglyToad.PdfPig;
using static TradSys.Reporting.Tests.Reports.AccountReportSamples;

namespace TradSys.Reporting.Tests.Reports;

public class ShariaComplianceReportTests
{
    private static readonly DateOnly Day = new(2026, 11, 24);

    [Fact]
    public void Purification_is_the_shares_held_at_the_ex_date_times_the_dividend_times_the_non_permissible_share_of_revenue()
    {
        var data = ShariaComplianceReport.Compute(Sharia(Day));
        var line = Assert.Single(data.Accounts.Single().Purification);
        // 100 shares (the 50 bought on or after the ex-date are not entitled) x 7.50 EGP = 750 EGP; 2% of it is 15.00 EGP.
        Assert.Equal(100, line.SharesHeld);
        Assert.Equal(750m, line.GrossDividend);
        Assert.Equal(2m, line.RatioPct);
        Assert.Equal(15.00m, line.Purification);
        Assert.Equal(0.31m, line.PurificationUsd); // 15 x 0.02053 = 0.30795
        Assert.Equal(new DateOnly(2026, 11, 20), line.FxAsOf);
        // AAOIFI variant, information only: non-permissible income per share (20 / 1,000,000) x 100 shares.
        Assert.Equal(0.00m, line.AaoifiVariant);
        var account = data.Accounts.Single();
        Assert.Equal((0.31m, 0.31m, 0.31m), (account.DayUsd, account.MonthToDateUsd, account.YearToDateUsd));
    }

    [Fact]
    public void Each_dividend_is_converted_at_the_rates_of_its_payment_date_and_one_paying_later_at_the_day_s()
    {
        var input = Sharia(Day) with
        {
            Dividends =
            [
                // Paid on 5 November, at that day's stored rate: 15.00 EGP x 0.0210 = 0.315 -> 0.32 USD.
                new DividendFacts(1, "ETEL", "EGSETEL", new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 3), new DateOnly(2026, 11, 5), 7.50m, "EGP", "t"),
                // Paid after the report's day: at the day's rate, 15.00 x 0.02053 = 0.30795 -> 0.31 USD.
                new DividendFacts(2, "ETEL", "EGSETEL", Day, Day.AddDays(1), Day.AddDays(14), 7.50m, "EGP", "t"),
            ],
            DividendFx = new Dictionary<long, IReadOnlyList<FxRateInfo>>
            {
                [1] = [new FxRateInfo("EGP", 0.0210m, new DateOnly(2026, 11, 5), "platform: close")],
                [2] = Fx,
            },
        };
        input = input with { Accounts = [input.Accounts[0] with { Entitlements = [new(1, 100), new(2, 100)] }] };

        var account = ShariaComplianceReport.Compute(input).Accounts.Single();
        var early = account.Purification.Single(l => l.DividendId == 1);
        var late = account.Purification.Single(l => l.DividendId == 2);
        Assert.Equal((0.0210m, new DateOnly(2026, 11, 5), 0.32m), (early.UsdPerUnit, early.FxAsOf, early.PurificationUsd));
        Assert.Equal((0.02053m, new DateOnly(2026, 11, 20), 0.31m), (late.UsdPerUnit, late.FxAsOf, late.PurificationUsd));
        Assert.Equal((0.31m, 0.63m, 0.63m), (account.DayUsd, account.MonthToDateUsd, account.YearToDateUsd));
    }

    [Fact]
    public void A_dividend_the_account_was_not_entitled_to_needs_no_purification()
    {
        // The ABUK dividend of 10 January: no shares held at its ex-date.
        var data = ShariaComplianceReport.Compute(Sharia(Day));
        Assert.DoesNotContain(data.Accounts.Single().Purification, l => l.Symbol == "ABUK");
    }

    [Fact]
    public void Day_month_and_year_to_date_totals_follow_the_ex_dates()
    {
        var input = Sharia(Day) with
        {
            Dividends =
            [
                new DividendFacts(1, "ETEL", "EGSETEL", Day, Day, Day, 7.50m, "EGP", "t"),
                new DividendFacts(2, "ETEL", "EGSETEL", new DateOnly(2026, 11, 2), Day, Day, 7.50m, "EGP", "t"),
                new DividendFacts(3, "ETEL", "EGSETEL", new DateOnly(2026, 3, 2), Day, Day, 7.50m, "EGP", "t"),
            ],
        };
        input = input with
        {
            Accounts = [input.Accounts[0] with { Entitlements = [new(1, 100), new(2, 100), new(3, 100)] }],
        };
        var account = ShariaComplianceReport.Compute(input).Accounts.Single();
        Assert.Equal(3, account.Purification.Count);
        Assert.Equal((0.31m, 0.62m, 0.93m), (account.DayUsd, account.MonthToDateUsd, account.YearToDateUsd));
    }

    [Fact]
    public void A_holding_above_a_limit_or_in_an_excluded_sector_is_flagged_non_compliant_with_the_ratio()
    {
        var abuk = ShariaComplianceReport.Screen(Instrument("ABUK", debtPct: 40m), 200, Aaoifi);
        Assert.False(abuk.Compliant);
        Assert.Equal("Debt / market cap 40.00% above 30.00%", Assert.Single(abuk.Failures));
        Assert.Equal(40m, abuk.Ratios[0].ValuePct);

        var bank = ShariaComplianceReport.Screen(Instrument("COMI", sector: "40101010", incomePct: 60m), 10, Aaoifi);
        Assert.Contains("excluded sector (Conventional banks (40101010))", bank.Failures);
        Assert.Contains("Non-permissible income / revenue 60.00% above 5.00%", bank.Failures);

        Assert.Equal(["no screening figures on file"], ShariaComplianceReport.Screen(Instrument("X", figures: false), 1, Aaoifi).Failures);
    }

    [Fact]
    public void A_ratio_at_the_limit_passes_AAOIFI_but_not_the_strict_SP_screen_as_in_the_pack()
    {
        Assert.True(ShariaComplianceReport.Screen(Instrument("A", debtPct: 30m), 1, Aaoifi).Compliant);
        // S&P divides by the 36-month average (950): 313.5 / 950 = 33% exactly, which S&P requires to be below 33%.
        var sp = ShariaComplianceReport.Screen(Instrument("A", debtPct: 31.35m), 1, Aaoifi with { Methodology = "SP" });
        Assert.False(sp.Compliant);
        Assert.Equal(4, sp.Ratios.Count);
        Assert.Equal(33m, sp.Ratios[0].ValuePct);
    }

    [Fact]
    public async Task The_pdf_shows_the_ratios_the_flag_and_the_purification_figures()
    {
        var generator = new ReportGenerator(new FakeAccounts(), Pdf.Fonts, "TradSys Demo Brokerage");
        var report = await generator.GenerateAsync(ReportGenerator.Check("sharia-compliance", "2026-11-24", null,
            new DateTimeOffset(2026, 11, 24, 20, 0, 0, TimeSpan.Zero)).Request!, "R9-1", DateTimeOffset.UnixEpoch, CancellationToken.None);
        using var pdf = PdfDocument.Open(report.Pdf);
        var text = string.Concat(pdf.GetPages().Select(p => p.Text)).Replace(" ", "", StringComparison.Ordinal);
        Assert.Contains("NON-COMPLIANT:Debt/marketcap40.00%above30.00%", text, StringComparison.Ordinal);
        Assert.Contains("100750.00EGP2.00%15.00EGP0.31", text, StringComparison.Ordinal);
        Assert.Contains("Debt/marketcap:18.00%(max30.00%)", text, StringComparison.Ordinal);
        Assert.Contains("Shariasupervisoryboard", text, StringComparison.Ordinal);
    }

    private sealed class FakeAccounts : IReportDataSource
    {
        public Task<DailyTradeData> GetDailyTradesAsync(string venueCode, DateOnly businessDate, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<ComplianceData> GetComplianceDecisionsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<AuditTrailData> GetAuditTrailAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<ShariaInputData> GetShariaInputsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) => Task.FromResult(Sharia(businessDate));
        public Task<FatcaInputData> GetFatcaInputsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) => Task.FromResult(Fatca(businessDate));

        public Task<DailyRiskData> GetDailyRiskAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) =>
            Task.FromResult(RiskReportSamples.Daily(businessDate, timeZone));
    }
}
