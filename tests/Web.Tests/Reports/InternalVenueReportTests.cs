using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Tests.Support;
using static TradSys.Web.Tests.Reports.ReportScenario;

namespace TradSys.Web.Tests.Reports;

/// <summary>
/// The daily trade report of the firm's internal crossing venue: a regulator finds the firm's internal crossings, each with
/// both parties, and the values per currency (the venue crosses Egyptian and Emirati lines), never summed across currencies.
/// </summary>
public sealed class InternalVenueReportTests
{
    [Fact]
    public async Task The_internal_venues_daily_report_lists_its_crossings_with_totals_per_currency()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = MarketTime;
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 80.00m, 100)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80.00m, 100)).Expect(HttpStatusCode.Created);
        (await trader2.SubmitAsync(2001, "FAB.INT", "Sell", 15.50m, 200)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "FAB.INT", "Buy", 15.50m, 200)).Expect(HttpStatusCode.Created);
        // An ADX trade the same day: not the internal venue's.
        (await trader2.SubmitAsync(2001, "FAB", "Sell", 15.50m, 10)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 10)).Expect(HttpStatusCode.Created);

        var regulator = await platform.ClientForAsync("regulator1");
        var catalogue = (await regulator.GetAsync("/api/v1/reports")).Expect(HttpStatusCode.OK).Json.AsArray();
        var scopes = catalogue.Single(r => r!["id"]!.GetValue<string>() == "daily-trades")!["scopes"]!.AsArray();
        Assert.Contains(scopes, s => s!["venue"]!.GetValue<string>() == "INTERNAL");

        var run = await RunAsync(regulator, "daily-trades", new { date = Day, venue = "INTERNAL" });
        Assert.True(run.Status is HttpStatusCode.Accepted or HttpStatusCode.OK, run.Describe());
        await WaitAsync(regulator, run.Long("id"));
        var text = Text(await DownloadAsync(regulator, run.Long("id")));

        List<TradSys.Web.Persistence.Entities.TradeRecord> trades = [];
        await platform.WithDbAsync(async db => trades = await db.Trades.Where(t => t.Symbol.EndsWith(".INT")).OrderBy(t => t.Id).ToListAsync());
        Assert.Equal(2, trades.Count);
        Assert.Contains(Squash("TradSys internal crossing venue (INTERNAL, MIC XOFF)"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("Trades 2"), text, StringComparison.Ordinal);
        // 100 x 80.00 EGP and 200 x 15.50 AED: two totals, one per currency.
        Assert.Contains(Squash("Value traded 3,100.00 AED; 8,000.00 EGP"), text, StringComparison.Ordinal);
        foreach (var t in trades)
        {
            Assert.Contains(Squash($"{t.Id}"), text, StringComparison.Ordinal);
            Assert.Contains(Squash($"{Money(t.Price * t.Quantity)} {t.Currency}"), text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(Squash(" FAB "), Squash(text.Replace("FAB.INT", "", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_internal_venues_scheduled_run_just_after_midnight_reports_the_day_that_ended()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 24, 0, 30, 0, TimeSpan.Zero);
        await using (var scope = platform.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TradSys.Web.Reports.ScheduledReportJob>()
                .RunAsync("daily-trades", "INTERNAL", CancellationToken.None);
        }
        await platform.WithDbAsync(async db =>
        {
            var run = await db.GeneratedReports.SingleAsync();
            Assert.Equal("INTERNAL", run.Scope);
            Assert.Equal(new DateOnly(2026, 11, 23), run.BusinessDate);
        });
    }
}
