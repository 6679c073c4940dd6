using System.Security.Cryptography;
using System.Text.Json;
using TradSys.Reporting.Catalogue;
using TradSys.Reporting.Data;
using TradSys.Reporting.Tests.Documents;
using UglyToad.PdfPig;

namespace TradSys.Reporting.Tests.Reports;

public class ReportGeneratorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 21, 30, 0, TimeSpan.Zero); // 01:30 on the 24th in Dubai, 23:30 on the 23rd in Cairo

    [Fact]
    public void The_future_is_judged_in_the_scopes_time_zone()
    {
        // At 21:30 UTC it is already the 24th in Abu Dhabi but still the 23rd in Cairo.
        Assert.NotNull(ReportGenerator.Check("daily-trades", "2026-11-24", "ADX", Now).Request);
        var egx = ReportGenerator.Check("daily-trades", "2026-11-24", "EGX", Now);
        Assert.Null(egx.Request);
        Assert.Equal(400, egx.Status);
        Assert.Equal("2026-11-24 is in the future: today in Africa/Cairo is 2026-11-23", egx.Errors["date"]);
    }

    [Fact]
    public void A_request_names_every_field_at_fault_at_once()
    {
        var check = ReportGenerator.Check("daily-trades", "tomorrow", "DFM", Now);
        Assert.Equal(400, check.Status);
        Assert.Equal("'DFM' is not covered by 'daily-trades': it covers ADX, EGX, INTERNAL", check.Errors["venue"]);
        Assert.Equal("'tomorrow' is not a date in the form yyyy-MM-dd", check.Errors["date"]);
    }

    [Fact]
    public void Venue_codes_are_matched_without_regard_to_case_and_firm_wide_reports_take_the_firm_scope()
    {
        Assert.Equal("ADX", ReportGenerator.Check("daily-trades", "2026-11-23", "adx", Now).Request!.Scope.Code);
        Assert.Equal(ReportScope.Firm, ReportGenerator.Check("audit-trail", "2026-11-23", null, Now).Request!.Scope.Code);
        Assert.Equal(ReportScope.Firm, ReportGenerator.Check("audit-trail", "2026-11-23", "FIRM", Now).Request!.Scope.Code);
    }

    [Fact]
    public void Every_scope_has_a_time_zone_the_runtime_knows_and_a_run_time_after_its_venues_close()
    {
        foreach (var report in ReportCatalogue.All)
        {
            // The daily risk report is also the firm's risk officers'; every other report is the report readers' only.
            Assert.Equal(report.Id == ReportCatalogue.DailyRisk ? ["regulator", "compliance", "admin", "risk"] : ["regulator", "compliance", "admin"],
                report.Roles);
            foreach (var scope in report.Scopes)
            {
                Assert.NotNull(TimeZoneInfo.FindSystemTimeZoneById(scope.TimeZone));
                Assert.NotEmpty(scope.Days);
            }
        }
        var daily = ReportCatalogue.Find("daily-trades")!;
        Assert.True(daily.Scope("ADX")!.RunAt > new TimeOnly(15, 0)); // ADX trade-at-last ends 15:00
        Assert.True(daily.Scope("EGX")!.RunAt > new TimeOnly(14, 30)); // EGX trade-at-close ends 14:30
        Assert.DoesNotContain(DayOfWeek.Friday, daily.Scope("EGX")!.Days);
        Assert.DoesNotContain(DayOfWeek.Sunday, daily.Scope("ADX")!.Days);
    }

    [Fact]
    public async Task The_footer_carries_the_SHA256_of_the_reports_JSON_data_and_the_pdf_checksum_is_of_its_bytes()
    {
        var source = new FakeSource();
        var generator = new ReportGenerator(source, Pdf.Fonts, "TradSys Demo Brokerage");
        var request = ReportGenerator.Check("daily-trades", "2026-11-23", "ADX", Now).Request!;
        var report = await generator.GenerateAsync(request, "R7-1", Now, CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(report.Pdf)), report.Sha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(report.Data)), report.DataSha256);
        var data = JsonSerializer.Deserialize<DailyTradeData>(report.Data, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(source.Trades.Trades.Count, data.Trades.Count);
        Assert.Equal("daily-trades_ADX_2026-11-23_R7-1.pdf", report.FileName);
        using var pdf = PdfDocument.Open(report.Pdf);
        Assert.Equal(report.Pages, pdf.NumberOfPages);
        var text = pdf.GetPage(1).Text;
        Assert.Contains($"Data SHA-256 {report.DataSha256}", text, StringComparison.Ordinal);
        Assert.Contains("SCA — Securities and Commodities Authority (UAE)", text, StringComparison.Ordinal);
        // The same data renders to the same data hash (the generation time only changes the PDF).
        var again = await generator.GenerateAsync(request, "R7-1", Now.AddMinutes(5), CancellationToken.None);
        Assert.Equal(report.DataSha256, again.DataSha256);
    }

    [Fact]
    public async Task A_broken_audit_chain_is_reported_as_broken_with_the_first_bad_record()
    {
        var source = new FakeSource { Verification = new ChainVerification(false, 41, 42, "hash does not match the record's fields") };
        var generator = new ReportGenerator(source, Pdf.Fonts, "TradSys Demo Brokerage");
        var report = await generator.GenerateAsync(ReportGenerator.Check("audit-trail", "2026-11-23", null, Now).Request!, "R1-1", Now, CancellationToken.None);
        using var pdf = PdfDocument.Open(report.Pdf);
        // The verdict wraps over two lines; compare without the spacing.
        Assert.Contains("BROKENatrecord42:hashdoesnotmatchtherecord'sfields(41recordscheckedbeforeit).",
            pdf.GetPage(1).Text.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_compliance_report_without_recorded_reviews_says_not_reviewed_yet_and_shows_each_rules_inputs()
    {
        var generator = new ReportGenerator(new FakeSource(), Pdf.Fonts, "TradSys Demo Brokerage");
        var report = await generator.GenerateAsync(ReportGenerator.Check("compliance-decisions", "2026-11-23", null, Now).Request!, "R2-1", Now, CancellationToken.None);
        using var pdf = PdfDocument.Open(report.Pdf);
        var text = string.Concat(pdf.GetPages().Select(p => p.Text));
        Assert.Contains("not reviewed yet", text, StringComparison.Ordinal);
        Assert.Contains("Account.HasW9=false", text, StringComparison.Ordinal);
        Assert.Contains("FATCA-6002", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_day_without_trades_is_still_a_report_saying_so()
    {
        var source = new FakeSource { Trades = new DailyTradeData(FakeSource.Adx, new DateOnly(2026, 11, 23), []) };
        var generator = new ReportGenerator(source, Pdf.Fonts, "TradSys Demo Brokerage");
        var report = await generator.GenerateAsync(ReportGenerator.Check("daily-trades", "2026-11-23", "ADX", Now).Request!, "R3-1", Now, CancellationToken.None);
        using var pdf = PdfDocument.Open(report.Pdf);
        var text = pdf.GetPage(1).Text;
        Assert.Contains("(no rows)", text, StringComparison.Ordinal);
        Assert.Contains("Value traded0.00 AED", text, StringComparison.Ordinal);
    }

    private sealed class FakeSource : IReportDataSource
    {
        public static readonly VenueInfo Adx = new("ADX", "XADS", "Abu Dhabi Securities Exchange", "AED", "Asia/Dubai");

        public DailyTradeData Trades { get; init; } = new(Adx, new DateOnly(2026, 11, 23),
        [
            new TradeRow(1, new DateTime(2026, 11, 23, 7, 0, 0, DateTimeKind.Utc), "FAB", "AEN000101016", "First Abu Dhabi Bank", "بنك أبوظبي الأول",
                15.50m, 300, "AED", new PartyInfo(1001, "Nile Growth Fund", "صندوق النيل للنمو"), new PartyInfo(2001, "Gulf Family Office", null), "Buy"),
            new TradeRow(2, new DateTime(2026, 11, 23, 7, 5, 0, DateTimeKind.Utc), "ALDAR", "AEA002001013", "Aldar Properties", "الدار العقارية",
                8.10m, 1000, "AED", new PartyInfo(1002, "Karim Mansour", "كريم منصور"), new PartyInfo(2001, "Gulf Family Office", null), "Sell"),
        ]);

        public ChainVerification Verification { get; init; } = new(true, 10, null, null);

        public Task<DailyTradeData> GetDailyTradesAsync(string venueCode, DateOnly businessDate, CancellationToken cancellationToken) => Task.FromResult(Trades);

        public Task<ComplianceData> GetComplianceDecisionsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) =>
            Task.FromResult(new ComplianceData(businessDate, timeZone,
            [
                new DecisionRow(9, new DateTime(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc), new PartyInfo(2002, "Layla Haddad", "ليلى حداد"), "FAB", "Buy", 10, 15.50m,
                    "Block", "Rejected", null,
                    [new FiredRule("fatca", "1.0.0", "FATCA.INDICIA_UNCURED", "Block", "FATCA-6002", "US indicia (UsPhone) are not cured by a W-9 or a valid W-8BEN.",
                        "Treas. Reg. 1.1471-4(c)(5)(iv)(B)", ["Account.HasW9=false", "Account.UsIndicia=UsPhone"])], null),
            ]));

        public Task<AuditTrailData> GetAuditTrailAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) =>
            Task.FromResult(new AuditTrailData(businessDate, timeZone,
                [new AuditRow(1, new DateTime(2026, 11, 23, 8, 0, 0, DateTimeKind.Utc), "system", "rulepack.published", "fatca", new string('a', 64), new string('0', 64))],
                Verification));

        public Task<ShariaInputData> GetShariaInputsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) =>
            Task.FromResult(AccountReportSamples.Sharia(businessDate));

        public Task<FatcaInputData> GetFatcaInputsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) =>
            Task.FromResult(AccountReportSamples.Fatca(businessDate));

        public Task<DailyRiskData> GetDailyRiskAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) =>
            Task.FromResult(RiskReportSamples.Daily(businessDate, timeZone));
    }
}
