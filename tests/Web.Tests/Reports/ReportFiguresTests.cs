using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.Tests.Support;
using static TradSys.Web.Tests.Reports.ReportScenario;

namespace TradSys.Web.Tests.Reports;

/// <summary>
/// After a trading day of orders sent through the API, each report read back with PdfPig shows the
/// database's figures: trade counts, quantities, values, totals, blocked and held orders, audit records.
/// </summary>
public sealed class ReportFiguresTests : IClassFixture<ReportFiguresTests.Platform>
{
    public sealed class Platform : PlatformFactory
    {
        public Platform() => Clock.Fixed = MarketTime;

        private readonly SemaphoreSlim gate = new(1, 1);
        private bool traded;

        public async Task TradedAsync()
        {
            await gate.WaitAsync();
            try
            {
                if (!traded)
                {
                    await TradeAsync(this);
                    traded = true;
                }
            }
            finally
            {
                gate.Release();
            }
        }
    }

    private readonly Platform platform;

    public ReportFiguresTests(Platform platform) => this.platform = platform;

    private async Task<byte[]> GenerateAsync(string report, object body)
    {
        await platform.TradedAsync();
        var client = await platform.ClientForAsync("regulator1");
        var run = await RunAsync(client, report, body);
        Assert.True(run.Status is HttpStatusCode.Accepted or HttpStatusCode.OK, run.Describe());
        var done = await WaitAsync(client, run.Long("id"));
        var pdf = await DownloadAsync(client, run.Long("id"));
        // Kept for a person to open (docs/testing.md: look at the reports after a change to their layout).
        var dir = Path.Combine(Path.GetTempPath(), "tradsys-report-tests");
        Directory.CreateDirectory(dir);
        await File.WriteAllBytesAsync(Path.Combine(dir, done.Str("fileName")), pdf);
        return pdf;
    }

    [Theory]
    [InlineData("ADX", "AED")]
    [InlineData("EGX", "EGP")]
    public async Task The_daily_trade_report_shows_every_trade_of_the_venue_and_the_databases_totals(string venue, string currency)
    {
        var text = Text(await GenerateAsync("daily-trades", new { date = Day, venue }));

        List<TradeRecord> trades = [];
        Dictionary<string, Instrument> instruments = [];
        await platform.WithDbAsync(async db =>
        {
            instruments = await db.Instruments.Where(i => i.VenueCode == venue).ToDictionaryAsync(i => i.Symbol);
            var symbols = instruments.Keys.ToList();
            trades = (await db.Trades.Where(t => symbols.Contains(t.Symbol)).ToListAsync()).OrderBy(t => t.Id).ToList();
        });
        Assert.NotEmpty(trades);
        var value = trades.Sum(t => t.Price * t.Quantity);
        var quantity = trades.Sum(t => t.Quantity);
        Assert.Contains(Squash($"Trades {Count(trades.Count)}"), text, StringComparison.Ordinal);
        Assert.Contains(Squash($"Shares traded {Count(quantity)}"), text, StringComparison.Ordinal);
        Assert.Contains(Squash($"Value traded {Money(value)} {currency}"), text, StringComparison.Ordinal);
        // The trades table's totals row: quantity then value.
        Assert.Contains(Squash($"Total {Count(quantity)} {Money(value)}"), text, StringComparison.Ordinal);
        foreach (var t in trades)
        {
            // Each trade's row: id, time, symbol, price, quantity, value.
            var local = TimeZoneInfo.ConvertTimeFromUtc(t.ExecutedAt, TimeZoneInfo.FindSystemTimeZoneById(venue == "ADX" ? "Asia/Dubai" : "Africa/Cairo"));
            Assert.Contains(Squash(string.Create(CultureInfo.InvariantCulture,
                $"{t.Id} {local:HH:mm:ss} {t.Symbol} {t.Price:0.00##} {Count(t.Quantity)} {Money(t.Price * t.Quantity)}")), text, StringComparison.Ordinal);
        }
        // Per instrument: trades, quantity and value as the database sums them.
        foreach (var g in trades.GroupBy(t => t.Symbol))
        {
            Assert.Contains(Squash($"{Count(g.Count())} {Count(g.Sum(t => t.Quantity))} {Money(g.Sum(t => t.Price * t.Quantity))}"), text, StringComparison.Ordinal);
            Assert.Contains(instruments[g.Key].Isin, text, StringComparison.Ordinal);
        }
        // No trade of another venue.
        Assert.DoesNotContain(venue == "ADX" ? "ETEL" : "FAB", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_compliance_report_lists_each_blocked_and_held_order_with_its_rules_and_no_invented_reviewer()
    {
        var text = Text(await GenerateAsync("compliance-decisions", new { date = Day }));
        List<(long Id, string Outcome, string Codes)> decisions = [];
        await platform.WithDbAsync(async db => decisions = (await db.RuleDecisions.Where(d => d.Outcome == "Block" || d.Outcome == "Review")
            .Select(d => new { d.OrderId, d.Outcome, d.ReasonCodes }).ToListAsync()).Select(d => (d.OrderId, d.Outcome, d.ReasonCodes)).ToList());
        Assert.Contains(decisions, d => d.Outcome == "Block" && d.Codes.Contains("FATCA", StringComparison.Ordinal));
        Assert.Contains(decisions, d => d.Outcome == "Review");
        Assert.Contains(Squash($"Orders blocked {decisions.Count(d => d.Outcome == "Block")}"), text, StringComparison.Ordinal);
        Assert.Contains(Squash($"Orders held for review {decisions.Count(d => d.Outcome == "Review")}"), text, StringComparison.Ordinal);
        foreach (var (id, outcome, codes) in decisions)
        {
            Assert.Contains(Squash($"{id}"), text, StringComparison.Ordinal);
            foreach (var code in codes.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.Contains(code, text, StringComparison.Ordinal);
            }
        }
        // A held order without a recorded review says so; a blocked one (final, never reviewed) says it was blocked: each once
        // per order, and once more in the column's explanation above.
        Assert.Equal(decisions.Count(d => d.Outcome == "Review"), CountOf(text, Squash("not reviewed yet")) - 1);
        Assert.Equal(decisions.Count(d => d.Outcome == "Block"), CountOf(text, Squash("none: blocked by the rules")) - 1);
    }

    [Fact]
    public async Task The_audit_extract_shows_the_days_records_and_the_chain_verified_intact()
    {
        var text = Text(await GenerateAsync("audit-trail", new { date = Day }));
        List<AuditRecord> records = [];
        long all = 0;
        await platform.WithDbAsync(async db =>
        {
            var (from, to) = TradSys.Web.Reports.EfReportDataSource.Day(new DateOnly(2026, 11, 23), "Asia/Dubai");
            records = await db.AuditLog.Where(a => a.Timestamp >= from && a.Timestamp < to).OrderBy(a => a.Id).ToListAsync();
            all = await db.AuditLog.CountAsync();
        });
        Assert.NotEmpty(records);
        Assert.Contains(Squash($"Records on the day {Count(records.Count)}"), text, StringComparison.Ordinal);
        // The chain as verified when the report was generated: at least every record up to the day's last.
        Assert.Matches("INTACT:all[0-9,]+recordsofthechainlinkandhashcorrectly", text);
        Assert.True(all >= records.Count);
        foreach (var r in records)
        {
            Assert.Contains(Squash($"{r.Id}") + r.Timestamp.ToString("yyyy-MM-ddHH:mm:ss", CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
            // Whole hashes, not their first 16 digits: every line of 16 of both is on the paper.
            Assert.All(r.Hash.Chunk(16).Concat(r.PreviousHash.Chunk(16)), part => Assert.Contains(new string(part), text, StringComparison.Ordinal));
        }
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
