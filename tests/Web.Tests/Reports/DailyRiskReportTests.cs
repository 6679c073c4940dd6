using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Ordering.Risk;
using TradSys.Web.Tests.Support;
using static TradSys.Web.Tests.Reports.ReportScenario;

namespace TradSys.Web.Tests.Reports;

/// <summary>
/// The daily risk report through the reports API over a real day: a FAB position limit breached (raised by the risk alert monitor),
/// positions over the demo price history, and the report read back: the breach, each account's VaR and backtest exceptions equal to
/// GET /api/v1/risk/var for the same account, and the positions as the largest exposures.
/// </summary>
public sealed class DailyRiskReportTests
{
    [Fact]
    public async Task The_daily_risk_report_shows_the_days_breach_each_accounts_VaR_with_its_backtest_as_the_VaR_API_computes_it_and_the_largest_exposures()
    {
        await using var platform = new PlatformFactory { Settings = new() { ["Risk:AlertIntervalSeconds"] = "0" } };
        platform.Clock.Fixed = MarketTime;
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        var risk = await platform.ClientForAsync("risk1");
        var monitor = platform.Services.GetRequiredService<RiskAlertMonitor>();
        (await MakerChecker.SetLimitsAsync(platform, risk, "instrument", "FAB", new { currency = "AED", maxLongPosition = 300, reason = "cap", version = 0 }))
            .Expect(HttpStatusCode.OK);
        (await trader2.SubmitAsync(2001, "FAB", "Sell", 15.50m, 300)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 300)).Expect(HttpStatusCode.Created);
        var breach = Assert.Single(await monitor.CheckAsync(CancellationToken.None));
        Assert.Equal(TradSys.Web.Persistence.Entities.RiskAlertLevel.Breached, breach.Level);

        var regulator = await platform.ClientForAsync("regulator1");
        var run = await RunAsync(regulator, "daily-risk", new { date = Day });
        Assert.True(run.Status is HttpStatusCode.Accepted or HttpStatusCode.OK, run.Describe());
        await WaitAsync(regulator, run.Long("id"));
        var text = Text(await DownloadAsync(regulator, run.Long("id")));
        var data = (await regulator.GetAsync($"/api/v1/reports/runs/{run.Long("id")}/data")).Expect(HttpStatusCode.OK).Json;

        // The breach: 300 of 300 shares, 100%, raised at 13:00 Dubai time.
        var row = Assert.Single(data["breaches"]!.AsArray())!;
        Assert.Equal((breach.Id, 1001L, "MaxLongPosition", "FAB"), (row["alertId"]!.GetValue<long>(), row["account"]!["accountId"]!.GetValue<long>(),
            row["limit"]!.GetValue<string>(), row["symbol"]!.GetValue<string>()));
        Assert.Contains(Squash($"{breach.Id} 13:00:00 1001"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("MaxLongPosition FAB instrument FAB 300 shares 300 shares 100% not yet"), text, StringComparison.Ordinal);

        // Each account's VaR and backtest are the VaR API's for that account (historical, 1 day, 99%, its base currency).
        var accounts = data["accounts"]!.AsArray();
        Assert.Equal([1001L, 2001L], accounts.Select(a => a!["account"]!["accountId"]!.GetValue<long>()).Order());
        foreach (var account in accounts)
        {
            var id = account!["account"]!["accountId"]!.GetValue<long>();
            var currency = account["currency"]!.GetValue<string>();
            var api = (await risk.GetAsync($"/api/v1/risk/var?accountId={id}&method=historical&horizon=1&confidence=0.99&currency={currency}"))
                .Expect(HttpStatusCode.OK).Json;
            var (var, es) = (api["valueAtRisk"]!.GetValue<decimal>(), api["expectedShortfall"]!.GetValue<decimal>());
            Assert.True(var > 0);
            Assert.Equal((var, es, 250), (account["valueAtRisk"]!.GetValue<decimal>(), account["expectedShortfall"]!.GetValue<decimal>(),
                account["windowDays"]!.GetValue<int>()));
            var backtest = account["backtest"]!;
            Assert.Equal(api["backtest"]!["exceptions"]!.GetValue<int>(), backtest["exceptions"]!.GetValue<int>());
            Assert.Equal(api["backtest"]!["exceptionDates"]!.AsArray().Select(d => d!.GetValue<string>()),
                backtest["exceptionDates"]!.AsArray().Select(d => d!.GetValue<string>()));
            Assert.Equal(api["backtest"]!["kupiecStatistic"]!.GetValue<double>(), backtest["kupiecStatistic"]!.GetValue<double>(), 12);
            var exceptions = backtest["exceptions"]!.GetValue<int>();
            Assert.Contains(Squash($"{Money(var)} {Money(es)} 250 {exceptions} of 250 (2.5)"), text, StringComparison.Ordinal);
            Assert.Contains(Squash(api["backtest"]!["zone"]!.GetValue<string>()), text, StringComparison.Ordinal);
        }

        // The firm: 1001's 300 FAB long and 2001's 300 short net to nothing, so the firm-wide VaR is zero, under the accounts' VaRs together.
        var firm = data["firm"]!;
        Assert.Equal(("USD", 2, 0, 0m), (firm["currency"]!.GetValue<string>(), firm["accounts"]!.GetValue<int>(), firm["instruments"]!.GetValue<int>(),
            firm["valueAtRisk"]!.GetValue<decimal>()));
        Assert.True(firm["valueAtRisk"]!.GetValue<decimal>() <= accounts.Sum(a => a!["valueAtRisk"]!.GetValue<decimal>()));
        Assert.Contains(Squash("Firm VaR 99% 1d (USD) 0.00"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("firm: the firm's positions net to zero in every instrument"), text, StringComparison.Ordinal);

        // The largest exposures: the long and the short FAB, 300 at the day's last trade, 4,650 AED each way.
        var exposures = data["largestExposures"]!.AsArray();
        Assert.Equal([(1001L, 300L), (2001L, -300L)], exposures.Select(e => (e!["account"]!["accountId"]!.GetValue<long>(), e["quantity"]!.GetValue<long>()))
            .Order());
        Assert.All(exposures, e => Assert.Equal(("Last", 15.5m), (e!["priceSource"]!.GetValue<string>(), e["price"]!.GetValue<decimal>())));
        Assert.Contains(Squash($"FAB {Count(300)} 15.50 Last {Money(4650m)} AED"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("illustrative closes (source demo)"), text, StringComparison.Ordinal);
    }
}
