using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Risk;

/// <summary>
/// The risk calculators through the API, checked against worked figures (Hull, Options, Futures and Other Derivatives, 10th
/// ed.: the call of chapter 15's example, S=42, K=40, r=10%, sigma=20%, T=0.5: call 4.76; VaR of a USD 10m position with a
/// daily volatility of 2%: 99% 10-day VaR 10m x 0.02 x sqrt(10) x 2.3263 = 1,471,312 with the exact normal quantile).
/// </summary>
public sealed class RiskAnalyticsApiTests : IDisposable
{
    private readonly PlatformFactory _platform = new();

    public void Dispose() => _platform.Dispose();

    [Fact]
    public async Task An_option_is_priced_with_its_greeks_and_its_market_price_gives_back_its_volatility()
    {
        var risk = await _platform.ClientForAsync("risk1");
        var call = (await risk.PostJsonAsync("/api/v1/risk/options/analytics",
            new { right = "Call", spot = 42.0, strike = 40.0, rate = 0.10, volatility = 0.20, timeToExpiry = 0.5 })).Expect(HttpStatusCode.OK);
        Assert.Equal(4.76, Math.Round(call.Json["price"]!.GetValue<double>(), 2));
        Assert.Equal(0.7693, Math.Round(call.Json["d1"]!.GetValue<double>(), 4));
        Assert.Null(call.Json["impliedVolatility"]);

        var implied = (await risk.PostJsonAsync("/api/v1/risk/options/analytics",
            new { right = "put", spot = 42.0, strike = 40.0, rate = 0.10, timeToExpiry = 0.5, price = 0.8086 })).Expect(HttpStatusCode.OK);
        Assert.Equal(0.20, Math.Round(implied.Json["impliedVolatility"]!.GetValue<double>(), 3));
        Assert.Equal(implied.Json["impliedVolatility"]!.GetValue<double>(), implied.Json["volatility"]!.GetValue<double>());
        Assert.True(implied.Json["delta"]!.GetValue<double>() < 0, "a put's delta is negative");
    }

    [Fact]
    public async Task Bad_option_terms_get_every_problem_at_once()
    {
        var risk = await _platform.ClientForAsync("risk1");
        var missing = (await risk.PostJsonAsync("/api/v1/risk/options/analytics", new { right = "Straddle", strike = 40.0 })).Expect(HttpStatusCode.BadRequest);
        Assert.Single(missing.Errors("right"));
        Assert.Single(missing.Errors("spot"));
        Assert.Single(missing.Errors("rate"));
        Assert.Single(missing.Errors("timeToExpiry"));
        Assert.Contains("implied volatility", Assert.Single(missing.Errors("volatility")), StringComparison.Ordinal);

        var outOfBounds = (await risk.PostJsonAsync("/api/v1/risk/options/analytics",
            new { right = "Call", spot = 42.0, strike = 40.0, rate = 0.10, timeToExpiry = 0.5, price = 50.0 })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("no-arbitrage bounds", Assert.Single(outOfBounds.Errors("price")), StringComparison.Ordinal);
        var negative = (await risk.PostJsonAsync("/api/v1/risk/options/analytics",
            new { right = "Call", spot = -1.0, strike = 40.0, rate = 0.10, volatility = -0.2, timeToExpiry = 0.5 })).Expect(HttpStatusCode.BadRequest);
        Assert.Single(negative.Errors("spot"));
        Assert.Single(negative.Errors("volatility"));
    }

    [Fact]
    public async Task A_what_if_var_matches_the_worked_figure_and_monte_carlo_comes_close_to_it()
    {
        var risk = await _platform.ClientForAsync("risk1");
        var parametric = (await risk.PostJsonAsync("/api/v1/risk/var/what-if", new
        {
            method = "parametric", confidence = 0.99, horizonDays = 10, exposures = new[] { 10_000_000.0 }, dailyVolatilities = new[] { 0.02 },
            correlations = new[] { new[] { 1.0 } },
        })).Expect(HttpStatusCode.OK);
        var var99 = parametric.Json["valueAtRisk"]!.GetValue<double>();
        Assert.Equal(1_471_312, Math.Round(var99));
        Assert.True(parametric.Json["expectedShortfall"]!.GetValue<double>() > var99);

        var monteCarlo = (await risk.PostJsonAsync("/api/v1/risk/var/what-if", new
        {
            method = "montecarlo", confidence = 0.99, horizonDays = 10, exposures = new[] { 10_000_000.0 }, dailyVolatilities = new[] { 0.02 },
            correlations = new[] { new[] { 1.0 } }, seed = 7, paths = 50_000,
        })).Expect(HttpStatusCode.OK);
        Assert.InRange(monteCarlo.Json["valueAtRisk"]!.GetValue<double>(), var99 * 0.96, var99 * 1.04);
        Assert.Equal(50_000, monteCarlo.Json["scenarios"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_historical_what_if_takes_the_kth_worst_loss_of_the_days_given()
    {
        var risk = await _platform.ClientForAsync("risk1");
        // 100 daily returns of one instrument: -10%, -9%, ..., -1% once each, then 90 days of +1%. At 95%, k = floor(100 x 0.05) = 5:
        // the 5th worst loss of a 1,000 exposure is 60 (a -6% day); ES is the mean of the 5 worst, (100+90+80+70+60)/5 = 80.
        var returns = Enumerable.Range(1, 10).Select(i => new[] { -i / 100.0 }).Concat(Enumerable.Repeat(new[] { 0.01 }, 90)).ToArray();
        var historical = (await risk.PostJsonAsync("/api/v1/risk/var/what-if", new
        {
            method = "historical", confidence = 0.95, exposures = new[] { 1_000.0 }, returns,
        })).Expect(HttpStatusCode.OK);
        Assert.Equal(60, Math.Round(historical.Json["valueAtRisk"]!.GetValue<double>(), 6));
        Assert.Equal(80, Math.Round(historical.Json["expectedShortfall"]!.GetValue<double>(), 6));
        Assert.Equal(100, historical.Json["scenarios"]!.GetValue<int>());

        var bad = (await risk.PostJsonAsync("/api/v1/risk/var/what-if", new
        {
            method = "historical", exposures = new[] { 1_000.0, 2_000.0 }, returns, scaling = "cubic",
        })).Expect(HttpStatusCode.BadRequest);
        Assert.Single(bad.Errors("returns"));
        Assert.Single(bad.Errors("scaling"));
        var trader = await _platform.ClientForAsync("trader1");
        Assert.Equal(HttpStatusCode.Forbidden, (await trader.PostJsonAsync("/api/v1/risk/var/what-if", new { method = "parametric" })).Status);
    }
}
