using System.Text.Json;
using TradSys.Reporting.Data;
using TradSys.Reporting.Documents;
using TradSys.Reporting.Reports;
using TradSys.Reporting.Tests.Documents;
using UglyToad.PdfPig;
using static TradSys.Reporting.Tests.Reports.RiskReportSamples;

namespace TradSys.Reporting.Tests.Reports;

public class DailyRiskReportTests
{
    private static readonly DateOnly Day = new(2026, 11, 23);
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero); // 19:00 in Dubai, after the 18:00 run

    private static string Squash(string s) => s.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);

    private static string Text(IReadOnlyList<Block> blocks) =>
        Squash(string.Concat(Pdf.PageTexts(Pdf.Render(new ReportDocument(Pdf.Template("Daily risk report"), blocks)).Bytes)));

    [Fact]
    public void Each_breach_is_listed_with_its_limit_the_figures_local_time_and_who_acknowledged_it()
    {
        var text = Text(DailyRiskReport.Build(Daily(Day)));
        Assert.Contains(Squash("Limits breached 2"), text, StringComparison.Ordinal);
        // 08:15 UTC is 12:15 in Dubai.
        Assert.Contains(Squash("41 12:15:00 1001 Nile Growth Fund"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("MaxLongPosition FAB account 1001 1,000 shares 1,200 shares 120% risk1"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("44 14:05:30 1002 Karim Mansour MaxVar account 1002 5,000 AED 6,250.5 AED 125.01% not yet"), text, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_account_shows_its_VaR_and_ES_with_the_backtest_exceptions_Kupiec_and_the_zone()
    {
        var text = Text(DailyRiskReport.Build(Daily(Day)));
        Assert.Contains(Squash("Accounts with positions 2"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("Accounts with a VaR 1"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("Backtest exceptions 3 over 1 account(s); 0 outside the green zone"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("AED 2 250,000.00 7,412.35 9,120.80 250 3 of 250 (2.5) 0.095 (0.758) Green"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("2025-11-24 to 2026-11-20 2026-03-02, 2026-06-15, 2026-10-01"), text, StringComparison.Ordinal);
        // The account without enough history: no figure, and the reason in the notes.
        Assert.Contains(Squash("EGP 1 1,900.00 n/a n/a no backtest"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("account 1002: no VaR: 12 day(s) of returns in common, 100 needed"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("a seeded random walk, not market data"), text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_firm_wide_VaR_is_the_last_row_of_the_VaR_table_and_in_the_summary_and_a_firm_netting_to_zero_says_so()
    {
        var text = Text(DailyRiskReport.Build(Daily(Day)));
        Assert.Contains(Squash("Firm VaR 99% 1d (USD) 1,950.40"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("Firm: 2 account(s) aggregated USD 2 5,136.22 1,950.40 2,300.10 250 2 of 250 (2.5) 0.108 (0.742) Green"), text,
            StringComparison.Ordinal);

        var netted = Daily(Day) with
        {
            Firm = new FirmVarRow("USD", 2, 0, 0m, 0m, 0m, 0, null, "the firm's positions net to zero in every instrument"),
        };
        var zero = Text(DailyRiskReport.Build(netted));
        Assert.Contains(Squash("Firm VaR 99% 1d (USD) 0.00"), zero, StringComparison.Ordinal);
        Assert.Contains(Squash("Firm: 2 account(s) aggregated USD 0 0.00 0.00 0.00 no backtest"), zero, StringComparison.Ordinal);
        Assert.Contains(Squash("firm: the firm's positions net to zero in every instrument"), zero, StringComparison.Ordinal);
        Assert.Contains(Squash("Firm VaR 99% 1d (USD) no positions"), Text(DailyRiskReport.Build(Daily(Day) with { Firm = null })), StringComparison.Ordinal);
    }

    [Fact]
    public void The_largest_exposures_show_the_mark_its_source_and_both_values()
    {
        var text = Text(DailyRiskReport.Build(Daily(Day)));
        Assert.Contains(Squash("Largest exposures (USD)"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("FAB 1,200 15.60 Last 18,720.00 AED 5,097.21"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("ETEL 50 38.00 Reference 1,900.00 EGP 39.01"), text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quiet_day_is_still_a_report_saying_there_was_nothing()
    {
        var quiet = new DailyRiskData(Day, "Asia/Dubai", "USD", [], [], [], []);
        var text = Text(DailyRiskReport.Build(quiet));
        Assert.Contains(Squash("Limits breached 0"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("no backtest: the history is too short"), text, StringComparison.Ordinal);
        Assert.Contains("(norows)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_generator_renders_it_for_the_firm_with_its_data_as_the_machine_readable_twin()
    {
        var check = ReportGenerator.Check("daily-risk", "2026-11-23", null, Now);
        Assert.NotNull(check.Request);
        Assert.Equal("Firm risk management and compliance; SCA and FRA on request", check.Request.Scope.Regulator);
        var generator = new ReportGenerator(new Source(), Pdf.Fonts, "TradSys Demo Brokerage");
        var report = await generator.GenerateAsync(check.Request, "R9-1", Now, CancellationToken.None);
        Assert.Equal("daily-risk_FIRM_2026-11-23_R9-1.pdf", report.FileName);
        var data = JsonSerializer.Deserialize<DailyRiskData>(report.Data, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(7_412.35m, data.Accounts[0].ValueAtRisk);
        Assert.Equal(3, data.Accounts[0].Backtest!.Exceptions);
        Assert.Equal(["MaxLongPosition", "MaxVar"], data.Breaches.Select(b => b.Limit));
        using var pdf = PdfDocument.Open(report.Pdf);
        var text = string.Concat(pdf.GetPages().Select(p => p.Text));
        Assert.Contains("Daily risk report", text, StringComparison.Ordinal);
        Assert.Contains($"Data SHA-256 {report.DataSha256}", text, StringComparison.Ordinal);
    }

    private sealed class Source : IReportDataSource
    {
        public Task<DailyRiskData> GetDailyRiskAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) =>
            Task.FromResult(Daily(businessDate, timeZone));

        public Task<DailyTradeData> GetDailyTradesAsync(string venueCode, DateOnly businessDate, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<ComplianceData> GetComplianceDecisionsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<AuditTrailData> GetAuditTrailAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<ShariaInputData> GetShariaInputsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<FatcaInputData> GetFatcaInputsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
