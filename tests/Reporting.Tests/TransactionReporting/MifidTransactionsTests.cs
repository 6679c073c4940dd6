using System.Xml.Linq;
using TradSys.Reporting.TransactionReporting;
using TradSys.Reporting.Data;
using TradSys.Reporting.Tests.Documents;
using UglyToad.PdfPig;

namespace TradSys.Reporting.Tests.TransactionReporting;

/// <summary>The scope rule, the records and the validation section of the MiFID II transaction report over a fake data source.</summary>
public sealed class MifidTransactionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);
    private static readonly ReportingFirm Firm = new("984500TRDSYSDEMOBK62", ["DE"]);
    private static readonly XNamespace Auth016 = Auth016Writer.Namespace;

    private static readonly VenueReference Egx = new("EGX", "XCAI", "EG", false, 3);
    private static readonly VenueReference Internal = new("INTERNAL", "XOFF", "AE", false, 6);
    private static readonly InstrumentReference Comi = new("COMI", "EGS60121C018", "CIB", true, false, false, "None", null, null, 1m);
    private static readonly InstrumentReference ComiInt = Comi with { Symbol = "COMI.INT" };
    private static readonly InstrumentReference Etel = new("ETEL", "EGS48031C016", "Telecom Egypt", false, false, false, "None", null, null, 1m);
    private static readonly ReportingUser Trader = new(2, "trader1", new PersonDetails("Amira", "Saleh", new DateOnly(1988, 4, 12), "EG", null, "A23456789"), null);

    private static ReportingAccount Person(long id, string? branch) =>
        new(id, "Lukas Weber", false, null, new PersonDetails("Lukas", "Weber", new DateOnly(1979, 5, 14), "DE", null, null), branch, "None", "Eu");

    private static ReportingAccount Entity(long id, string? lei, string? branch = null) =>
        new(id, $"Fund {id}", true, lei, PersonDetails.None, branch, "Financial", "Adgm");

    private static TradeSide Side(ReportingAccount account, string marking = "None", bool borrowed = false) =>
        new(account.AccountId * 10, account, Trader, marking, false, borrowed, false);

    private static ReportedTrade Trade(long id, VenueReference venue, InstrumentReference instrument, TradeSide buy, TradeSide sell) =>
        new(id, new DateTime(2026, 11, 23, 9, 0, 1, DateTimeKind.Utc).AddTicks(1_234_567), venue, instrument, 80m, 100, "EGP", buy, sell);

    [Fact]
    public void Only_sides_of_eu_traded_instruments_for_clients_of_a_configured_branch_are_reported()
    {
        var lukas = Person(1004, "DE");
        var day = new TransactionDay(new DateOnly(2026, 11, 23), "Asia/Dubai",
        [
            Trade(1, Egx, Comi, Side(lukas), Side(Entity(1001, "5299009TRDSYSNILE056"))),
            Trade(2, Egx, Etel, Side(lukas), Side(Entity(1001, "5299009TRDSYSNILE056"))),
            Trade(3, Egx, Comi, Side(Entity(1001, "5299009TRDSYSNILE056")), Side(Entity(2001, "984500TRDSYSGULFFO83"))),
            Trade(4, Egx, Comi, Side(Person(1005, "FR")), Side(Entity(2001, "984500TRDSYSGULFFO83"))),
        ]);
        var data = MifidTransactions.Build(day, Firm, NationalClientIdentifiers.Annex2);
        var record = Assert.Single(data.Records);
        Assert.Equal("TS20261123T1B", record.Trn);
        Assert.Equal(3, data.TradesNotInScope);
        Assert.Equal(new PartyIdentification("MIC", "XCAI"), record.Seller);
        Assert.Equal("2026-11-23T09:00:01.123Z", record.TradingDateTime);
        Assert.Equal("1", record.Tvtic);
        Assert.True(record.IsValid);
    }

    [Theory]
    [InlineData("Long", false, "SELL")]
    [InlineData("Short", true, "SESH")]
    [InlineData("ShortExempt", false, "SSEX")]
    [InlineData("None", false, "SELL")]
    [InlineData("None", true, "UNDI")]
    public void The_short_selling_indicator_comes_from_the_orders_marking_and_the_accounts_borrowed_shares(string marking, bool borrowed, string expected)
    {
        var trade = Trade(7, Internal, ComiInt, Side(Entity(2001, "984500TRDSYSGULFFO83")), Side(Person(1004, "DE"), marking, borrowed));
        var record = Assert.Single(MifidTransactions.Build(new TransactionDay(new DateOnly(2026, 11, 23), "Etc/UTC", [trade]), Firm,
            NationalClientIdentifiers.Annex2).Records);
        Assert.Equal("SELL", record.Side);
        Assert.Equal(expected, record.ShortSelling);
        Assert.Null(record.Tvtic);
        Assert.Equal("2026-11-23T09:00:01.123456Z", record.TradingDateTime);
    }

    [Fact]
    public async Task An_invalid_lei_and_a_legal_entity_without_one_are_listed_in_the_validation_section_and_still_reported()
    {
        // Two internal-venue trades where the branch client's counterparties are a fund with a mistyped LEI and one with none.
        var lukas = Person(1004, "DE");
        var source = new Source(new TransactionDay(new DateOnly(2026, 11, 23), "Asia/Dubai",
        [
            Trade(11, Internal, ComiInt, Side(lukas), Side(Entity(2001, "984500TRDSYSGULFFO84"))),
            Trade(12, Internal, ComiInt, Side(Entity(2003, null)), Side(lukas)),
        ]));
        var generator = new ReportGenerator(new NoOtherReports(), Pdf.Fonts, "TradSys Demo Brokerage", new TransactionReportInputs(source, Firm));
        var request = ReportGenerator.Check("mifid-transactions", "2026-11-23", null, Now).Request!;
        var report = await generator.GenerateAsync(request, "R9-1", Now, CancellationToken.None);

        using var pdf = PdfDocument.Open(report.Pdf);
        var text = string.Concat(pdf.GetPages().Select(p => p.Text)).Replace(" ", "", StringComparison.Ordinal);
        Assert.Contains("InvalidRecords2".ToUpperInvariant(), text.ToUpperInvariant(), StringComparison.Ordinal);
        Assert.Contains("TS20261123T11B16Selleridentificationcodeaccount2001Fund2001:'984500TRDSYSGULFFO84'failsitscheckdigits(ISO7064MOD97-10)",
            text, StringComparison.Ordinal);
        Assert.Contains("TS20261123T12S7Buyeridentificationcodeaccount2003Fund2003isalegalentitywithoutanLEI:ESMAvalidationCON-011", text,
            StringComparison.Ordinal);

        var xml = XDocument.Load(new MemoryStream(report.Twin!.Content));
        var txs = xml.Root!.Element(Auth016 + "FinInstrmRptgTxRpt")!.Elements(Auth016 + "Tx").ToList();
        Assert.Equal(["TS20261123T11B", "TS20261123T12S"], txs.Select(t => t.Element(Auth016 + "New")!.Element(Auth016 + "TxId")!.Value));
        Assert.Equal("mifid-transactions_FIRM_2026-11-23_R9-1.xml", report.Twin.FileName);
    }

    [Fact]
    public async Task An_invalid_firm_lei_stops_the_report_with_the_configuration_key_to_fix()
    {
        var generator = new ReportGenerator(new NoOtherReports(), Pdf.Fonts, "TradSys Demo Brokerage",
            new TransactionReportInputs(new Source(new TransactionDay(new DateOnly(2026, 11, 23), "Asia/Dubai", [])), new ReportingFirm("NOT-AN-LEI", ["DE"])));
        var request = ReportGenerator.Check("mifid-transactions", "2026-11-23", null, Now).Request!;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => generator.GenerateAsync(request, "R1-1", Now, CancellationToken.None));
        Assert.StartsWith("Reporting:FirmLei is invalid: 'NOT-AN-LEI' has 10 characters", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The other reports' port: the transaction report never reads it.</summary>
    internal sealed class NoOtherReports : IReportDataSource
    {
        public Task<DailyTradeData> GetDailyTradesAsync(string venueCode, DateOnly businessDate, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<ComplianceData> GetComplianceDecisionsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<AuditTrailData> GetAuditTrailAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<ShariaInputData> GetShariaInputsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<FatcaInputData> GetFatcaInputsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DailyRiskData> GetDailyRiskAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    internal sealed class Source(TransactionDay day) : ITransactionReportSource
    {
        public Task<TransactionDay> GetTransactionsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken) => Task.FromResult(day);
    }
}
