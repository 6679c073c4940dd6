using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using TradSys.Rules.Context;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.Tests.Support;
using static TradSys.Web.Tests.Reports.ReportScenario;

namespace TradSys.Web.Tests.Reports;

/// <summary>
/// Two trading days through the API, dividends and onboarding facts set in the database, then the Sharia compliance and
/// FATCA account reports read back with PdfPig: their figures equal a hand computation from the database's rows.
/// </summary>
public sealed class ShariaFatcaReportTests : IClassFixture<ShariaFatcaReportTests.Platform>
{
    /// <summary>Monday 2026-11-23 09:00 UTC: ADX and EGX both in continuous trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly ExDate = new(2026, 11, 24);

    public sealed class Platform : PlatformFactory
    {
        public Platform() => Clock.Fixed = Monday;

        private readonly SemaphoreSlim gate = new(1, 1);
        private bool done;

        public async Task ReadyAsync()
        {
            await gate.WaitAsync();
            try
            {
                if (!done)
                {
                    await ScenarioAsync();
                    done = true;
                }
            }
            finally
            {
                gate.Release();
            }
        }

        private async Task ScenarioAsync()
        {
            var trader1 = await ClientForAsync("trader1");
            var trader2 = await ClientForAsync("trader2");
            var long_ = new Dictionary<string, object?> { ["shortMarking"] = "Long" };
            // Monday: the Sharia-only account 1003 buys 100 ETEL and 200 ABUK; the US account 2003 buys 100 FAB on the internal line (the FAB dividend is on the ISIN).
            (await trader2.SubmitAsync(2001, "ETEL", "Sell", 38.00m, 150)).Expect(HttpStatusCode.Created);
            (await trader1.SubmitAsync(1003, "ETEL", "Buy", 38.00m, 100)).Expect(HttpStatusCode.Created);
            (await trader2.SubmitAsync(2001, "ABUK", "Sell", 55.00m, 200)).Expect(HttpStatusCode.Created);
            (await trader1.SubmitAsync(1003, "ABUK", "Buy", 55.00m, 200)).Expect(HttpStatusCode.Created);
            (await trader2.SubmitAsync(2001, "FAB.INT", "Sell", 15.50m, 100)).Expect(HttpStatusCode.Created);
            (await trader2.SubmitAsync(2003, "FAB.INT", "Buy", 15.50m, 100)).Expect(HttpStatusCode.Created);
            // Tuesday, the ex-date: 1003 buys 50 more ETEL (not entitled), tries a conventional bank (blocked by the Sharia pack);
            // 2003 sells 40 FAB.
            Clock.Fixed = Monday.AddDays(1);
            (await trader1.SubmitAsync(1003, "ETEL", "Buy", 38.00m, 50)).Expect(HttpStatusCode.Created);
            (await trader1.SubmitAsync(1003, "COMI", "Buy", 80.00m, 10)).Expect(HttpStatusCode.Created);
            (await trader2.SubmitAsync(2003, "FAB.INT", "Sell", 15.60m, 40, extra: long_)).Expect(HttpStatusCode.Created);
            (await trader1.SubmitAsync(1001, "FAB.INT", "Buy", 15.60m, 40)).Expect(HttpStatusCode.Created);
            await WithDbAsync(async db =>
            {
                db.Dividends.Add(new Dividend
                {
                    Symbol = "ETEL", ExDate = ExDate, RecordDate = ExDate.AddDays(1), PaymentDate = ExDate.AddDays(1), AmountPerShare = 7.50m,
                    Currency = "EGP", Source = "test",
                });
                db.Dividends.Add(new Dividend
                {
                    Symbol = "FAB", ExDate = ExDate, RecordDate = ExDate.AddDays(1), PaymentDate = ExDate.AddDays(1), AmountPerShare = 0.21m,
                    Currency = "AED", Source = "test",
                });
                // ABUK's new figures: debt at 40% of market cap, above AAOIFI's 30%.
                var abuk = await db.Instruments.SingleAsync(i => i.Symbol == "ABUK");
                abuk.Sharia.TotalDebt = abuk.Sharia.MarketCap * 0.40m;
                // 1002: a US birthplace found, and the W-8BEN that cured it expired on 31 October.
                var karim = await db.Accounts.SingleAsync(a => a.Id == 1002);
                karim.FatcaStatus = FatcaStatus.ForeignCertifiedW8;
                karim.UsIndicia = UsIndicia.UsBirthplace;
                karim.W8BenExpiresOn = new DateOnly(2026, 10, 31);
                await db.SaveChangesAsync();
            });
            Clock.Fixed = Monday.AddDays(2).AddHours(3);
        }
    }

    private readonly Platform platform;

    public ShariaFatcaReportTests(Platform platform) => this.platform = platform;

    private async Task<string> GenerateAsync(string report, string date)
    {
        await platform.ReadyAsync();
        var client = await platform.ClientForAsync("regulator1");
        var run = await RunAsync(client, report, new { date });
        Assert.True(run.Status is HttpStatusCode.Accepted or HttpStatusCode.OK, run.Describe());
        var done = await WaitAsync(client, run.Long("id"));
        var pdf = await DownloadAsync(client, run.Long("id"));
        var dir = Path.Combine(Path.GetTempPath(), "tradsys-report-tests");
        Directory.CreateDirectory(dir);
        await File.WriteAllBytesAsync(Path.Combine(dir, done.Str("fileName")), pdf);
        return Text(pdf);
    }

    [Fact]
    public async Task The_sharia_report_purifies_the_shares_held_at_the_ex_date_flags_the_non_compliant_holding_and_lists_the_block()
    {
        var text = await GenerateAsync("sharia-compliance", "2026-11-24");
        long etelHeld = 0, comiOrder = 0;
        Instrument etel = null!;
        FxRate egp = null!;
        await platform.WithDbAsync(async db =>
        {
            etelHeld = (await db.Trades.Where(t => t.Symbol == "ETEL" && t.BuyAccountId == 1003).Select(t => t.Quantity).ToListAsync()).Sum();
            etel = await db.Instruments.SingleAsync(i => i.Symbol == "ETEL");
            egp = await db.FxRates.SingleAsync(r => r.Currency == "EGP");
            comiOrder = await db.Orders.Where(o => o.AccountId == 1003 && o.Symbol == "COMI").Select(o => o.Id).SingleAsync();
            Assert.Contains("SHARIA-5001", (await db.RuleDecisions.SingleAsync(d => d.OrderId == comiOrder)).ReasonCodes, StringComparison.Ordinal);
        });
        // 150 ETEL held at the day's end, of which only the 100 bought before the ex-date are entitled.
        Assert.Equal(150, etelHeld);
        var ratio = etel.Sharia.NonPermissibleIncome / etel.Sharia.TotalRevenue;
        var purification = Math.Round(100 * 7.50m * ratio, 2, MidpointRounding.AwayFromZero);
        var usd = Math.Round(purification * egp.UsdPerUnit, 2, MidpointRounding.AwayFromZero);
        var pct = Math.Round(ratio * 100, 4).ToString("0.00##", CultureInfo.InvariantCulture) + "%";
        Assert.Contains(Squash($"{Count(100)} {Money(750m)} EGP {pct} {Money(purification)} EGP {Money(usd)}"), text, StringComparison.Ordinal);
        // The demo's ETEL dividend that went ex on 2026-04-15, before 1003 bought any ETEL: no purification line.
        Assert.DoesNotContain("2026-04-15", text, StringComparison.Ordinal);
        // Totals for the day, month and year to date (the ex-date is the report's day).
        Assert.Contains(Squash($"{Money(usd)} {Money(usd)} {Money(usd)}"), text, StringComparison.Ordinal);
        Assert.Contains(Squash($"(rate of {egp.AsOf:yyyy-MM-dd})"), text, StringComparison.Ordinal);
        // Holdings: ETEL compliant, ABUK flagged with its ratio.
        Assert.Contains(Squash($"Integrated telecommunication services (50101020) {Count(150)}"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("NON-COMPLIANT: Debt / market cap 40.00% above 30.00%"), text, StringComparison.Ordinal);
        // The day's Sharia block with its rule.
        Assert.Contains(Squash($"{comiOrder}"), text, StringComparison.Ordinal);
        Assert.Contains("SHARIA-5001SHARIA.EXCLUDED_SECTOR", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_FATCA_report_gives_the_form_8966_amounts_and_flags_uncured_indicia_and_an_expired_W8BEN()
    {
        var text = await GenerateAsync("fatca-accounts", "2026-11-25");
        List<TradeRecord> fab = [];
        decimal aed = 0;
        await platform.WithDbAsync(async db =>
        {
            fab = (await db.Trades.Where(t => t.Symbol == "FAB.INT" && (t.BuyAccountId == 2003 || t.SellAccountId == 2003)).ToListAsync())
                .OrderBy(t => t.Id).ToList();
            aed = (await db.FxRates.SingleAsync(r => r.Currency == "AED")).UsdPerUnit;
        });
        Assert.Equal(2, fab.Count);
        var held = fab.Sum(t => t.BuyAccountId == 2003 ? t.Quantity : -t.Quantity);
        var balance = Math.Round(held * fab[^1].Price * aed, 2, MidpointRounding.AwayFromZero);
        var dividends = Math.Round(fab[0].Quantity * 0.21m * aed, 2, MidpointRounding.AwayFromZero);
        var proceeds = Math.Round(fab.Where(t => t.SellAccountId == 2003).Sum(t => t.Price * t.Quantity) * aed, 2, MidpointRounding.AwayFromZero);
        Assert.Contains(Squash($"98-0000042 {Money(balance)} {Money(dividends)} {Money(proceeds)}"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("Reportable: specified US person (W-9 on file)"), text, StringComparison.Ordinal);
        // 2002: US phone, no W-9 or W-8BEN; 1002: its W-8BEN expired, so its US birthplace is no longer cured.
        Assert.Contains(Squash("US indicia (UsPhone) not cured"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("W-8BEN expired on 2026-10-31: obtain a new one"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("US indicia (UsBirthplace) not cured"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("Reportable accounts 3"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("Egypt: IGA status unverified"), text, StringComparison.Ordinal);
    }
}
