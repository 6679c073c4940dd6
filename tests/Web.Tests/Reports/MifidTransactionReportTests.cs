using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.Tests.Support;
using static TradSys.Web.Tests.Reports.ReportScenario;

namespace TradSys.Web.Tests.Reports;

/// <summary>
/// The MiFID II transaction report after a trading day of demo orders sent through the API: the PDF (read back with PdfPig)
/// and its auth.016 XML twin list exactly the trade sides the reference data makes reportable, with the database's values.
/// </summary>
public sealed class MifidTransactionReportTests : IClassFixture<MifidTransactionReportTests.Platform>
{
    private static readonly XNamespace Auth016 = "urn:iso:std:iso:20022:tech:xsd:auth.016.001.01";

    public sealed class Platform : PlatformFactory
    {
        public Platform() => Clock.Fixed = MarketTime;

        private readonly SemaphoreSlim gate = new(1, 1);
        private (long RunId, byte[] Pdf, byte[] Xml)? report;

        /// <summary>
        /// Lukas Weber (1004, served by the demo firm's German branch) buys COMI on EGX and sells COMI.INT on the internal venue;
        /// trades that are not reportable sit beside them: COMI between two clients outside the branch, ETEL (not EU-traded).
        /// </summary>
        public async Task<(long RunId, byte[] Pdf, byte[] Xml)> ReportAsync()
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
                (await trader1.SubmitAsync(1001, "COMI", "Sell", 80.00m, 500)).Expect(HttpStatusCode.Created);
                (await trader1.SubmitAsync(1004, "COMI", "Buy", 80.00m, 300)).Expect(HttpStatusCode.Created);
                (await trader1.SubmitAsync(1002, "COMI", "Buy", 80.00m, 200)).Expect(HttpStatusCode.Created);
                (await trader2.SubmitAsync(2001, "COMI.INT", "Buy", 80.00m, 100)).Expect(HttpStatusCode.Created);
                (await trader1.SubmitAsync(1004, "COMI.INT", "Sell", 80.00m, 100)).Expect(HttpStatusCode.Created);
                (await trader1.SubmitAsync(1004, "ETEL", "Buy", 38.00m, 50)).Expect(HttpStatusCode.Created);
                (await trader2.SubmitAsync(2001, "ETEL", "Sell", 38.00m, 50)).Expect(HttpStatusCode.Created);

                var client = await ClientForAsync("regulator1");
                var run = await RunAsync(client, "mifid-transactions", new { date = Day });
                Assert.True(run.Status is HttpStatusCode.Accepted or HttpStatusCode.OK, run.Describe());
                var finished = await WaitAsync(client, run.Long("id"));
                var pdf = await DownloadAsync(client, run.Long("id"));
                using var response = await client.Http.GetAsync($"/api/v1/reports/runs/{run.Long("id")}/twin");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
                var xml = await response.Content.ReadAsByteArrayAsync();
                var sha = Convert.ToHexStringLower(SHA256.HashData(xml));
                Assert.Equal(sha, response.Headers.GetValues("X-Content-SHA256").Single());
                Assert.Equal(sha, finished.Str("twinSha256"));
                var dir = Path.Combine(Path.GetTempPath(), "tradsys-report-tests");
                Directory.CreateDirectory(dir);
                await File.WriteAllBytesAsync(Path.Combine(dir, finished.Str("fileName")), pdf);
                await File.WriteAllBytesAsync(Path.Combine(dir, Path.ChangeExtension(finished.Str("fileName"), ".xml")), xml);
                report = (run.Long("id"), pdf, xml);
                return report.Value;
            }
            finally
            {
                gate.Release();
            }
        }
    }

    private readonly Platform platform;

    public MifidTransactionReportTests(Platform platform) => this.platform = platform;

    /// <summary>The reportable sides, straight from the database: EU-traded instrument and a client of a configured branch ("DE").</summary>
    private async Task<List<(TradeRecord Trade, string Side, Account Account, Instrument Instrument, Venue Venue, OrderRecord Order)>> ExpectedAsync()
    {
        var rows = new List<(TradeRecord, string, Account, Instrument, Venue, OrderRecord)>();
        await platform.WithDbAsync(async db =>
        {
            var accounts = await db.Accounts.ToDictionaryAsync(a => a.Id);
            var instruments = await db.Instruments.ToDictionaryAsync(i => i.Symbol);
            var venues = await db.Venues.ToDictionaryAsync(v => v.Code);
            var orders = await db.Orders.ToDictionaryAsync(o => o.Id);
            foreach (var t in (await db.Trades.ToListAsync()).OrderBy(t => t.Id))
            {
                var i = instruments[t.Symbol];
                foreach (var (side, accountId, orderId) in new[] { ("B", t.BuyAccountId, t.BuyOrderId), ("S", t.SellAccountId, t.SellOrderId) })
                {
                    if (i.TradedOnEuVenue && accounts[accountId].MifidBranch == "DE")
                    {
                        rows.Add((t, side, accounts[accountId], i, venues[i.VenueCode], orders[orderId]));
                    }
                }
            }
        });
        return rows;
    }

    private static string Trn(TradeRecord t, string side) => $"TS{t.ExecutedAt:yyyyMMdd}T{t.Id}{side}";

    [Fact]
    public async Task The_pdf_lists_every_reportable_trade_side_with_the_databases_figures_and_passes_validation()
    {
        var (_, pdf, _) = await platform.ReportAsync();
        var text = Text(pdf);
        var expected = await ExpectedAsync();
        var tradesOnDay = 0;
        await platform.WithDbAsync(async db => tradesOnDay = await db.Trades.CountAsync());

        // Two of the four trades have a reportable side (COMI on EGX bought by 1004, COMI.INT sold by 1004); ETEL is not EU-traded
        // and the other COMI trade has no branch client.
        Assert.Equal(2, expected.Count);
        Assert.Equal(4, tradesOnDay);
        Assert.Contains(Squash($"Trades on the day {Count(tradesOnDay)}"), text, StringComparison.Ordinal);
        Assert.Contains(Squash($"Reportable transactions {Count(expected.Count)}"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("Executing / submitting LEI 984500TRDSYSDEMOBK62"), text, StringComparison.Ordinal);
        foreach (var (trade, side, _, instrument, venue, _) in expected)
        {
            Assert.Contains(Trn(trade, side), text, StringComparison.Ordinal);
            Assert.Contains(instrument.Isin, text, StringComparison.Ordinal);
            Assert.Contains(Squash($"{trade.Price:0.00} {trade.Currency}"), text, StringComparison.Ordinal);
            Assert.Contains(venue.Mic, text, StringComparison.Ordinal);
        }
        Assert.Contains("CONCATDE19790514LUKASWEBER", text, StringComparison.Ordinal);
        Assert.Contains(Squash($"Total {Count(expected.Sum(e => e.Trade.Quantity))}"), text, StringComparison.Ordinal);
        Assert.Contains(Squash($"All {Count(expected.Count)} records passed."), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_xml_twin_is_auth016_with_one_transaction_per_reportable_side_and_the_databases_values()
    {
        var (_, _, xml) = await platform.ReportAsync();
        var doc = XDocument.Load(new MemoryStream(xml));
        Assert.Equal(Auth016 + "Document", doc.Root!.Name);
        var txs = doc.Root.Element(Auth016 + "FinInstrmRptgTxRpt")!.Elements(Auth016 + "Tx").Select(t => t.Element(Auth016 + "New")!).ToList();
        var expected = await ExpectedAsync();
        Assert.Equal(expected.Count, txs.Count);
        foreach (var (trade, side, account, instrument, venue, _) in expected)
        {
            var tx = Assert.Single(txs, t => t.Element(Auth016 + "TxId")!.Value == Trn(trade, side));
            Assert.Equal("984500TRDSYSDEMOBK62", tx.Element(Auth016 + "ExctgPty")!.Value);
            Assert.Equal("984500TRDSYSDEMOBK62", tx.Element(Auth016 + "SubmitgPty")!.Value);
            Assert.Equal("true", tx.Element(Auth016 + "InvstmtPtyInd")!.Value);
            var t = tx.Element(Auth016 + "Tx")!;
            Assert.Equal(trade.ExecutedAt.ToString(venue.TimestampDecimals == 6 ? "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'",
                System.Globalization.CultureInfo.InvariantCulture), t.Element(Auth016 + "TradDt")!.Value);
            Assert.Equal("AOTC", t.Element(Auth016 + "TradgCpcty")!.Value);
            Assert.Equal(trade.Quantity, long.Parse(t.Element(Auth016 + "Qty")!.Element(Auth016 + "Unit")!.Value, System.Globalization.CultureInfo.InvariantCulture));
            var amount = t.Descendants(Auth016 + "Amt").Single();
            Assert.Equal(trade.Price, decimal.Parse(amount.Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(trade.Currency, amount.Attribute("Ccy")!.Value);
            Assert.Equal(venue.Mic, t.Element(Auth016 + "TradVn")!.Value);
            Assert.Equal("DE", t.Element(Auth016 + "CtryOfBrnch")!.Value);
            Assert.Equal(instrument.Isin, tx.Element(Auth016 + "FinInstrm")!.Element(Auth016 + "Id")!.Value);

            // The client (1004, a German national: CONCAT) on its side; on EGX the counterparty is the venue's MIC, on the internal
            // venue the other client (2001, by its LEI).
            var client = tx.Element(Auth016 + (side == "B" ? "Buyr" : "Sellr"))!.Descendants(Auth016 + "Othr").Single();
            Assert.Equal("DE19790514LUKASWEBER", client.Element(Auth016 + "Id")!.Value);
            Assert.Equal("CONCAT", client.Descendants(Auth016 + "Prtry").Single().Value);
            Assert.Equal(1004, account.Id);
            var other = tx.Element(Auth016 + (side == "B" ? "Sellr" : "Buyr"))!.Descendants(Auth016 + "Id").First().Elements().Single();
            if (venue.Mic == "XOFF")
            {
                Assert.Equal(Auth016 + "LEI", other.Name);
                Assert.Equal("984500TRDSYSGULFFO83", other.Value);
                Assert.Null(t.Element(Auth016 + "TradPlcMtchgId"));
            }
            else
            {
                Assert.Equal(Auth016 + "MIC", other.Name);
                Assert.Equal(venue.Mic, other.Value);
                Assert.Equal(trade.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Element(Auth016 + "TradPlcMtchgId")!.Value);
            }
            // Field 59: trader1 (Amira Saleh, Egyptian) entered the orders: her passport (CCPT). Field 57 absent: the client decided.
            var executor = tx.Element(Auth016 + "ExctgPrsn")!.Descendants(Auth016 + "Othr").Single();
            Assert.Equal("EGA23456789", executor.Element(Auth016 + "Id")!.Value);
            Assert.Equal("CCPT", executor.Descendants(Auth016 + "Prtry").Single().Value);
            Assert.Null(tx.Element(Auth016 + "InvstmtDcsnPrsn"));
            // Field 62 for the client's sale: unmarked, no borrowed COMI on file, so a sale of owned shares.
            var ssi = tx.Element(Auth016 + "AddtlAttrbts")!.Element(Auth016 + "ShrtSellgInd");
            Assert.Equal(side == "S" ? "SELL" : null, ssi?.Value);
        }
    }

    [Fact]
    public async Task A_report_without_a_twin_answers_404_with_a_problem_that_says_so()
    {
        await platform.ReportAsync();
        var client = await platform.ClientForAsync("regulator1");
        var run = await RunAsync(client, "daily-trades", new { date = Day, venue = "EGX" });
        await WaitAsync(client, run.Long("id"));
        var reply = (await client.GetAsync($"/api/v1/reports/runs/{run.Long("id")}/twin")).Expect(HttpStatusCode.NotFound);
        Assert.Contains("has no machine-readable twin", reply.Str("detail"), StringComparison.Ordinal);
        Assert.Null((await client.GetAsync($"/api/v1/reports/runs/{run.Long("id")}")).Expect(HttpStatusCode.OK).Json["twinUrl"]);
    }
}
