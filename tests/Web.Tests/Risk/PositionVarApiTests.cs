using System.Globalization;
using System.Net;
using System.Text;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Risk;

/// <summary>
/// VaR of the accounts' own positions through GET /api/v1/risk/var: a hand-computed historical figure over an imported history, the
/// parametric and Monte Carlo figures equal to the calculators' for the same portfolio and history, a clear 422 when the history is too
/// short, and the backtest over the demo data's two years.
/// </summary>
public sealed class PositionVarApiTests
{
    /// <summary>Monday 2026-11-23 09:00 UTC: both venues in continuous trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    /// <summary>41 ADX trading days ending on Monday: the closes of FAB, all 100 but three dips (-4%, -3%, -2%) that recover the next day.</summary>
    private static (List<DateOnly> Days, List<decimal> Closes) Dips()
    {
        var days = new List<DateOnly>();
        for (var d = new DateOnly(2026, 11, 23); days.Count < 41; d = d.AddDays(-1))
        {
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                days.Insert(0, d);
            }
        }
        var closes = Enumerable.Repeat(100m, 41).ToList();
        closes[5] = 96m;
        closes[15] = 97m;
        closes[25] = 98m;
        return (days, closes);
    }

    private static async Task BuyFabAsync(PlatformFactory platform)
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        (await trader2.SubmitAsync(2001, "FAB", "Sell", 15.50m, 300)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 300)).Expect(HttpStatusCode.Created).Str("status"));
    }

    [Fact]
    public async Task Historical_VaR_of_an_account_is_the_tail_of_its_positions_losses_and_the_other_methods_match_the_calculators()
    {
        await using var platform = new PlatformFactory { Settings = { ["Platform:SeedDemoPriceHistory"] = "false" } };
        platform.Clock.Fixed = Monday;
        var risk = await platform.ClientForAsync("risk1");
        var (days, closes) = Dips();
        var csv = new StringBuilder("symbol,date,close\n");
        for (var i = 0; i < days.Count; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"FAB,{days[i]:yyyy-MM-dd},{closes[i]}\n");
        }
        (await PriceHistoryApiTests.PostCsvAsync(risk, csv.ToString())).Expect(HttpStatusCode.OK);
        await BuyFabAsync(platform);
        var trader1 = await platform.ClientForAsync("trader1");

        // 300 FAB at 15.50 = 4,650 AED; 40 daily returns, 3 of them losses: 4% (186), 3% (139.50), 2% (93). At 95%, k = floor(40 x 0.05) = 2:
        // VaR is the second-worst loss, ES the mean of the two worst.
        var h = (await trader1.GetAsync("/api/v1/risk/var?accountId=1001&method=historical&horizon=1&confidence=0.95&currency=AED"))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Equal(("account 1001", "AED", "Historical", 139.5m, 162.75m), (h["scope"]!.GetValue<string>(), h["currency"]!.GetValue<string>(),
            h["method"]!.GetValue<string>(), h["valueAtRisk"]!.GetValue<decimal>(), h["expectedShortfall"]!.GetValue<decimal>()));
        Assert.Equal((40, 40, 2), (h["windowDays"]!.GetValue<int>(), h["scenarios"]!.GetValue<int>(), h["tailScenarios"]!.GetValue<int>()));
        Assert.Equal(("2026-09-29", "2026-11-23"), (h["windowFrom"]!.GetValue<string>(), h["windowTo"]!.GetValue<string>()));
        var position = h["positions"]!.AsArray().Single()!;
        Assert.Equal(("FAB", 300L, 4650m, 41), (position["symbol"]!.GetValue<string>(), position["quantity"]!.GetValue<long>(),
            position["value"]!.GetValue<decimal>(), position["closes"]!.GetValue<int>()));
        Assert.Null(h["backtest"]);
        Assert.Contains(h["notes"]!.AsArray(), n => n!.GetValue<string>().StartsWith("no backtest", StringComparison.Ordinal));

        // Ten days: the one-day figures times sqrt(10).
        var ten = (await trader1.GetAsync("/api/v1/risk/var?accountId=1001&horizon=10&confidence=0.95&currency=AED")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((441.14m, 514.66m, "SquareRootOfTime"), (ten["valueAtRisk"]!.GetValue<decimal>(), ten["expectedShortfall"]!.GetValue<decimal>(),
            ten["scaling"]!.GetValue<string>()));

        // Parametric and Monte Carlo: the same figures as the calculators give for 4,650 over these 41 closes.
        foreach (var (method, extra) in new[] { ("parametric", ""), ("montecarlo", ",\"seed\":1,\"paths\":10000") })
        {
            var mine = (await risk.GetAsync($"/api/v1/risk/var?accountId=1001&method={method}&confidence=0.99&horizon=10&currency=AED"))
                .Expect(HttpStatusCode.OK).Json;
            var prices = string.Join(",", closes.Select(c => $"[{c.ToString(CultureInfo.InvariantCulture)}]"));
            var calculator = (await risk.PostRawAsync("/api/v1/risk/var/what-if",
                $"{{\"method\":\"{method}\",\"confidence\":0.99,\"horizonDays\":10,\"exposures\":[4650],\"prices\":[{prices}],\"days\":40{extra}}}"))
                .Expect(HttpStatusCode.OK).Json;
            Assert.Equal(Math.Round(calculator["valueAtRisk"]!.GetValue<decimal>(), 2), mine["valueAtRisk"]!.GetValue<decimal>());
            Assert.Equal(Math.Round(calculator["expectedShortfall"]!.GetValue<decimal>(), 2), mine["expectedShortfall"]!.GetValue<decimal>());
            Assert.True(mine["valueAtRisk"]!.GetValue<decimal>() > 0);
        }

        // Too short for historical simulation at 99% (100 days of returns needed), and an instrument held without any close.
        var shortHistory = (await risk.GetAsync("/api/v1/risk/var?accountId=1001&confidence=0.99")).Expect(HttpStatusCode.UnprocessableEntity);
        Assert.Equal((40, 100), (shortHistory.Json["daysAvailable"]!.GetValue<int>(), shortHistory.Json["daysNeeded"]!.GetValue<int>()));
        Assert.Contains("needs at least 100 days of returns", shortHistory.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var trader2 = await platform.ClientForAsync("trader2");
        (await trader2.SubmitAsync(2001, "ADCB", "Sell", 10.20m, 100)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "ADCB", "Buy", 10.20m, 100)).Expect(HttpStatusCode.Created);
        var none = (await risk.GetAsync("/api/v1/risk/var?accountId=1001&confidence=0.95")).Expect(HttpStatusCode.UnprocessableEntity).Json;
        Assert.Equal(0, none["daysAvailable"]!.GetValue<int>());
        Assert.Contains("ADCB: 1 close(s), 2026-11-23 to 2026-11-23; FAB: 41 close(s), 2026-09-28 to 2026-11-23", none["detail"]!.GetValue<string>(),
            StringComparison.Ordinal);
        Assert.Contains(none["instruments"]!.AsArray(), i => i!["symbol"]!.GetValue<string>() == "ADCB" && i["closes"]!.GetValue<int>() == 1);
    }

    [Fact]
    public async Task Over_the_demo_history_the_VaR_comes_with_a_250_day_backtest_and_Kupiecs_test_and_the_firm_nets_its_accounts()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        await BuyFabAsync(platform);
        var risk = await platform.ClientForAsync("risk1");
        var trader1 = await platform.ClientForAsync("trader1");

        foreach (var method in new[] { "historical", "parametric", "montecarlo" })
        {
            var v = (await risk.GetAsync($"/api/v1/risk/var?accountId=1001&method={method}&confidence=0.99&currency=AED")).Expect(HttpStatusCode.OK).Json;
            Assert.Equal(250, v["windowDays"]!.GetValue<int>());
            Assert.True(v["valueAtRisk"]!.GetValue<decimal>() > 0 && v["expectedShortfall"]!.GetValue<decimal>() >= v["valueAtRisk"]!.GetValue<decimal>());
            Assert.Contains(v["notes"]!.AsArray(), n => n!.GetValue<string>().Contains("illustrative", StringComparison.Ordinal));
            Assert.Contains(v["sources"]!.AsArray(), s => s!["source"]!.GetValue<string>() == "demo");
            var b = v["backtest"]!;
            var (n, x) = (b["observations"]!.GetValue<int>(), b["exceptions"]!.GetValue<int>());
            Assert.Equal(250, n);
            Assert.Equal(x, b["exceptionDates"]!.AsArray().Count);
            Assert.Equal(2.5, b["expectedExceptions"]!.GetValue<double>(), 9);
            Assert.Equal(Kupiec(n, x, 0.01), b["kupiecStatistic"]!.GetValue<double>(), 6);
            Assert.Equal(x <= 4 ? "Green" : x <= 9 ? "Yellow" : "Red", b["zone"]!.GetValue<string>());
            Assert.Equal("2026-11-23", b["to"]!.GetValue<string>());
            Assert.All(b["exceptionDates"]!.AsArray(), d => Assert.InRange(d!.GetValue<string>(), b["from"]!.GetValue<string>(), "2026-11-23"));
            Assert.Equal(method == "montecarlo" ? 1 : null, v["seed"]?.GetValue<int>());

            // The days behind it (the portal's backtest chart): one per observation, from the first day to the last, an exception exactly
            // when the day's loss exceeds its VaR, on the days the backtest names.
            var days = b["days"]!.AsArray();
            Assert.Equal(n, days.Count);
            Assert.Equal((b["from"]!.GetValue<string>(), "2026-11-23"), (days[0]!["date"]!.GetValue<string>(), days[^1]!["date"]!.GetValue<string>()));
            Assert.All(days, d => Assert.True(d!["valueAtRisk"]!.GetValue<decimal>() > 0));
            Assert.All(days, d => Assert.Equal(-d!["pnl"]!.GetValue<decimal>() > d["valueAtRisk"]!.GetValue<decimal>(), d["exception"]!.GetValue<bool>()));
            Assert.Equal(b["exceptionDates"]!.AsArray().Select(d => d!.GetValue<string>()),
                days.Where(d => d!["exception"]!.GetValue<bool>()).Select(d => d!["date"]!.GetValue<string>()));
        }

        // The firm: 1001's long FAB and 2001's short FAB net to nothing.
        var firm = (await risk.GetAsync("/api/v1/risk/var?currency=AED")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(("accounts", 0m), (firm["scope"]!.GetValue<string>(), firm["valueAtRisk"]!.GetValue<decimal>()));
        Assert.Empty(firm["positions"]!.AsArray());
        Assert.Contains("no positions: nothing is at risk", firm["notes"]!.AsArray().Select(n => n!.GetValue<string>()));

        // A trader reads their own accounts only; every bad parameter is named.
        (await trader1.GetAsync("/api/v1/risk/var?accountId=2001")).Expect(HttpStatusCode.Forbidden);
        var bad = (await risk.GetAsync("/api/v1/risk/var?method=delta&horizon=5&confidence=0.9&currency=XYZ&accountId=0")).Expect(HttpStatusCode.BadRequest);
        foreach (var field in new[] { "method", "horizon", "confidence", "currency", "accountId" })
        {
            Assert.Single(bad.Errors(field));
        }
        (await risk.GetAsync("/api/v1/risk/var?accountId=999999")).Expect(HttpStatusCode.NotFound);
    }

    /// <summary>Kupiec's proportion-of-failures statistic (0 ln 0 = 0).</summary>
    private static double Kupiec(int n, int x, double p)
    {
        static double XLogY(double a, double b) => a == 0 ? 0 : a * Math.Log(b);
        var q = (double)x / n;
        return (-2 * (XLogY(n - x, 1 - p) + XLogY(x, p))) + (2 * (XLogY(n - x, 1 - q) + XLogY(x, q)));
    }
}
