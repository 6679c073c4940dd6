using System.Xml.Linq;
using TradSys.Reporting.TransactionReporting;
using TradSys.Reporting.Tests.Documents;
using UglyToad.PdfPig;
using static TradSys.Reporting.Tests.TransactionReporting.MifidTransactionsTests;

namespace TradSys.Reporting.Tests.TransactionReporting;

/// <summary>EMIR reports over a fake data source: who is a counterparty, the UTI, the notional, and the validation section.</summary>
public sealed class EmirDerivativesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);
    private static readonly ReportingFirm Firm = new("984500TRDSYSDEMOBK62", ["DE"]);
    private static readonly XNamespace Auth030 = Auth030Writer.Namespace;
    private static readonly VenueReference Internal = new("INTERNAL", "XOFF", "AE", false, 6);
    private static readonly InstrumentReference Future =
        new("FAB.F2612", "AETRDFABF262", "FAB future", false, true, false, "Equity", "AEN000101016", new DateOnly(2026, 12, 17), 100m);
    private static readonly ReportingUser Trader = new(3, "trader2", new PersonDetails("Omar", "Khalid", new DateOnly(1985, 1, 30), "AE", null, null), null);

    private static TradeSide Side(long id, bool entity, string? lei, string emirClass) =>
        new(id * 10, new ReportingAccount(id, $"Account {id}", entity, lei,
            entity ? PersonDetails.None : new PersonDetails("Karim", "Mansour", new DateOnly(1984, 3, 9), "EG", null, "A12345678"), null, emirClass, "Adgm"),
            Trader, "None", false, false, false);

    private static ReportedTrade Trade(long id, TradeSide buy, TradeSide sell) =>
        new(id, new DateTime(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc), Internal, Future, 15.50m, 4, "AED", buy, sell);

    [Fact]
    public void Each_legal_entity_side_is_reported_with_one_uti_for_the_trade_and_the_multiplied_notional()
    {
        var day = new TransactionDay(new DateOnly(2026, 11, 23), "Asia/Dubai",
        [
            Trade(41, Side(2003, true, "549300TRDSYSATLCAP25", "Financial"), Side(2001, true, "984500TRDSYSGULFFO83", "NonFinancialMinus")),
            Trade(42, Side(1002, false, null, "None"), Side(1001, true, "5299009TRDSYSNILE056", "Financial")),
        ]);
        var data = EmirDerivatives.Build(day, Firm, NationalClientIdentifiers.Annex2);
        Assert.Equal(3, data.Reports.Count);
        Assert.Equal(1, data.SidesNotReported);
        Assert.Equal(["BYER", "SLLR"], data.Reports.Where(r => r.TradeId == 41).Select(r => r.Direction));
        Assert.All(data.Reports.Where(r => r.TradeId == 41), r => Assert.Equal("984500TRDSYSDEMOBK62E000000000041", r.Uti));
        Assert.All(data.Reports, r => Assert.Equal(15.50m * 4 * 100, r.Notional));
        var withIndividual = Assert.Single(data.Reports, r => r.TradeId == 42);
        Assert.Equal(new PartyIdentification("NATIONAL_ID", "EGA12345678", "CCPT", "Karim", "Mansour", new DateOnly(1984, 3, 9)), withIndividual.OtherCounterparty);
        Assert.All(data.Reports, r => Assert.True(r.IsValid));
    }

    [Fact]
    public async Task An_invalid_lei_and_a_counterparty_without_one_are_listed_in_the_validation_section_and_still_in_the_xml()
    {
        var day = new TransactionDay(new DateOnly(2026, 11, 23), "Asia/Dubai",
            [Trade(51, Side(2003, true, "549300TRDSYSATLCAP26", "Financial"), Side(2001, true, null, "NonFinancialMinus"))]);
        var generator = new ReportGenerator(new NoOtherReports(), Pdf.Fonts, "TradSys Demo Brokerage", new TransactionReportInputs(new Source(day), Firm));
        var report = await generator.GenerateAsync(ReportGenerator.Check("emir-derivatives", "2026-11-23", null, Now).Request!, "R3-1", Now, CancellationToken.None);

        using var pdf = PdfDocument.Open(report.Pdf);
        var text = string.Concat(pdf.GetPages().Select(p => p.Text)).Replace(" ", "", StringComparison.Ordinal);
        Assert.Contains("Invalidreports2", text, StringComparison.Ordinal);
        Assert.Contains("1.4Counterparty1(reportingcounterparty)account2003Account2003:'549300TRDSYSATLCAP26'failsitscheckdigits(ISO7064MOD97-10)",
            text, StringComparison.Ordinal);
        Assert.Contains("1.9Counterparty2account2001Account2001isalegalentitywithoutanLEI:ESMAvalidationCON-011", text, StringComparison.Ordinal);
        var xml = XDocument.Load(new MemoryStream(report.Twin!.Content));
        Assert.Equal(2, xml.Descendants(Auth030 + "Rpt").Count());
        Assert.Equal("emir-derivatives_FIRM_2026-11-23_R3-1.xml", report.Twin.FileName);
    }
}
