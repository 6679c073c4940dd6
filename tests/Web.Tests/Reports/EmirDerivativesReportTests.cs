using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.Tests.Support;
using static TradSys.Web.Tests.Reports.ReportScenario;

namespace TradSys.Web.Tests.Reports;

/// <summary>
/// The EMIR derivatives report after demo orders in the illustrative FAB single-stock future sent through the API: the PDF and its
/// auth.030 XML twin show one report per trade and counterparty side with the database's figures; the Sharia pack blocks the future.
/// </summary>
public sealed class EmirDerivativesReportTests : IClassFixture<EmirDerivativesReportTests.Platform>
{
    private const string Future = "FAB.F2612";
    private static readonly XNamespace Auth030 = "urn:iso:std:iso:20022:tech:xsd:auth.030.001.03";

    public sealed class Platform : PlatformFactory
    {
        public Platform() => Clock.Fixed = MarketTime;

        private readonly SemaphoreSlim gate = new(1, 1);
        private (byte[] Pdf, byte[] Xml, Reply ShariaOrder)? report;

        /// <summary>2001 (NFC-) sells the future to 2003 (FC); 1001 (FC) sells it to Karim Mansour (1002, an individual); Huda (1003, Sharia-only) tries to buy.</summary>
        public async Task<(byte[] Pdf, byte[] Xml, Reply ShariaOrder)> ReportAsync()
        {
            await gate.WaitAsync();
            try
            {
                if (report is { } done)
                {
                    return done;
                }
                var trader1 = await ClientForAsync("trader1");
                var trader2 = await ClientForAsync("trader2");
                (await trader2.SubmitAsync(2001, Future, "Sell", 15.50m, 5)).Expect(HttpStatusCode.Created);
                (await trader2.SubmitAsync(2003, Future, "Buy", 15.50m, 5)).Expect(HttpStatusCode.Created);
                (await trader1.SubmitAsync(1001, Future, "Sell", 15.60m, 2)).Expect(HttpStatusCode.Created);
                (await trader1.SubmitAsync(1002, Future, "Buy", 15.60m, 2)).Expect(HttpStatusCode.Created);
                var sharia = (await trader1.SubmitAsync(1003, Future, "Buy", 15.60m, 1)).Expect(HttpStatusCode.Created);

                var client = await ClientForAsync("regulator1");
                var run = await RunAsync(client, "emir-derivatives", new { date = Day });
                Assert.True(run.Status is HttpStatusCode.Accepted or HttpStatusCode.OK, run.Describe());
                var finished = await WaitAsync(client, run.Long("id"));
                var pdf = await DownloadAsync(client, run.Long("id"));
                using var response = await client.Http.GetAsync($"/api/v1/reports/runs/{run.Long("id")}/twin");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var xml = await response.Content.ReadAsByteArrayAsync();
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(xml)), response.Headers.GetValues("X-Content-SHA256").Single());
                var dir = Path.Combine(Path.GetTempPath(), "tradsys-report-tests");
                Directory.CreateDirectory(dir);
                await File.WriteAllBytesAsync(Path.Combine(dir, finished.Str("fileName")), pdf);
                await File.WriteAllBytesAsync(Path.Combine(dir, Path.ChangeExtension(finished.Str("fileName"), ".xml")), xml);
                report = (pdf, xml, sharia);
                return report.Value;
            }
            finally
            {
                gate.Release();
            }
        }
    }

    private readonly Platform platform;

    public EmirDerivativesReportTests(Platform platform) => this.platform = platform;

    /// <summary>Reportable sides from the database: derivative trades, legal-entity accounts.</summary>
    private async Task<List<(TradeRecord Trade, string Direction, Account Account, Account Other, Instrument Instrument)>> ExpectedAsync()
    {
        var rows = new List<(TradeRecord, string, Account, Account, Instrument)>();
        await platform.WithDbAsync(async db =>
        {
            var accounts = await db.Accounts.ToDictionaryAsync(a => a.Id);
            var instruments = await db.Instruments.ToDictionaryAsync(i => i.Symbol);
            foreach (var t in (await db.Trades.ToListAsync()).Where(t => instruments[t.Symbol].IsDerivative).OrderBy(t => t.Id))
            {
                foreach (var (direction, mine, other) in new[] { ("BYER", t.BuyAccountId, t.SellAccountId), ("SLLR", t.SellAccountId, t.BuyAccountId) })
                {
                    if (accounts[mine].IsLegalEntity)
                    {
                        rows.Add((t, direction, accounts[mine], accounts[other], instruments[t.Symbol]));
                    }
                }
            }
        });
        return rows;
    }

    [Fact]
    public async Task The_sharia_pack_blocks_the_future_for_a_sharia_only_account()
    {
        var (_, _, order) = await platform.ReportAsync();
        Assert.Equal("Rejected", order.Str("status"));
        Assert.Contains("SHARIA.DERIVATIVE", order.Str("rejectReason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pdf_shows_one_report_per_trade_and_counterparty_side_with_the_databases_notional()
    {
        var (pdf, _, _) = await platform.ReportAsync();
        var text = Text(pdf);
        var expected = await ExpectedAsync();
        // Two trades: 2001 to 2003 (both sides reported), 1001 to the individual 1002 (only 1001's side).
        Assert.Equal(3, expected.Count);
        Assert.Contains(Squash("Derivative trades 2"), text, StringComparison.Ordinal);
        Assert.Contains(Squash($"Trade reports {Count(expected.Count)}"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("Individuals' sides 1 (not EMIR counterparties: not reported)"), text, StringComparison.Ordinal);
        foreach (var (trade, _, account, _, instrument) in expected)
        {
            Assert.Contains($"984500TRDSYSDEMOBK62E{trade.Id:D12}", text, StringComparison.Ordinal);
            Assert.Contains(Squash($"{Money(trade.Price * trade.Quantity * instrument.PriceMultiplier)} {trade.Currency}"), text, StringComparison.Ordinal);
            Assert.Contains(account.Lei!, text, StringComparison.Ordinal);
        }
        var notional = expected.Sum(e => e.Trade.Price * e.Trade.Quantity * e.Instrument.PriceMultiplier);
        Assert.Contains(Squash($"AED {Count(expected.Count)} {Count(expected.Sum(e => e.Trade.Quantity))} {Money(notional)}"), text, StringComparison.Ordinal);
        Assert.Contains("individualCCPTEGA12345678", text, StringComparison.Ordinal);
        Assert.Contains(Squash($"All {Count(expected.Count)} reports passed."), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_xml_twin_has_one_report_per_side_with_uti_counterparties_direction_and_terms_from_the_database()
    {
        var (_, xml, _) = await platform.ReportAsync();
        var doc = XDocument.Load(new MemoryStream(xml));
        Assert.Equal(Auth030 + "Document", doc.Root!.Name);
        var reports = doc.Root.Descendants(Auth030 + "Rpt").Select(r => r.Element(Auth030 + "New")!).ToList();
        var expected = await ExpectedAsync();
        Assert.Equal(expected.Count, reports.Count);
        foreach (var (trade, direction, account, other, instrument) in expected)
        {
            var r = Assert.Single(reports, r =>
                r.Descendants(Auth030 + "UnqTxIdr").Single().Value == $"984500TRDSYSDEMOBK62E{trade.Id:D12}" &&
                r.Descendants(Auth030 + "DrctnOfTheFrstLeg").Single().Value == direction);
            var reporting = r.Descendants(Auth030 + "RptgCtrPty").Single();
            Assert.Equal(account.Lei, reporting.Descendants(Auth030 + "LEI").Single().Value);
            Assert.Equal(account.EmirClass.ToString(), reporting.Element(Auth030 + "Ntr")!.Value);
            var otherParty = r.Descendants(Auth030 + "OthrCtrPty").Single();
            Assert.Equal(other.IsLegalEntity ? other.Lei : "EGA12345678",
                (otherParty.Descendants(Auth030 + "LEI").SingleOrDefault() ?? otherParty.Descendants(Auth030 + "Ntrl").Single().Element(Auth030 + "Id")!.Element(Auth030 + "Id"))!.Value);
            var tx = r.Descendants(Auth030 + "TxData").Single();
            Assert.Equal("NEWT", tx.Element(Auth030 + "ActnTp")!.Value);
            Assert.Equal("XOFF", tx.Element(Auth030 + "PltfmIdr")!.Value);
            Assert.Equal(trade.Price, decimal.Parse(tx.Element(Auth030 + "TxPric")!.Descendants(Auth030 + "Amt").Single().Value, CultureInfo.InvariantCulture));
            Assert.Equal(trade.Price * trade.Quantity * instrument.PriceMultiplier,
                decimal.Parse(tx.Element(Auth030 + "NtnlAmt")!.Descendants(Auth030 + "Amt").Single().Value, CultureInfo.InvariantCulture));
            Assert.Equal("AED", tx.Element(Auth030 + "NtnlAmt")!.Descendants(Auth030 + "Amt").Single().Attribute("Ccy")!.Value);
            Assert.Equal(trade.Quantity, long.Parse(tx.Element(Auth030 + "NtnlQty")!.Value, CultureInfo.InvariantCulture));
            Assert.Equal("2026-12-17", tx.Element(Auth030 + "XprtnDt")!.Value);
            Assert.Equal("false", tx.Descendants(Auth030 + "ClrSts").Single().Value);
            var contract = r.Descendants(Auth030 + "CtrctData").Single();
            Assert.Equal("EQUI", contract.Element(Auth030 + "AsstClss")!.Value);
            Assert.Equal(instrument.Isin, contract.Element(Auth030 + "PdctId")!.Element(Auth030 + "ISIN")!.Value);
            Assert.Equal("AEN000101016", contract.Element(Auth030 + "UndrlygInstrm")!.Element(Auth030 + "ISIN")!.Value);
        }
    }
}
