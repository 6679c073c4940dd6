using TradSys.Engine.Risk;
using TradSys.Engine.Risk.Options;

namespace TradSys.Engine.Tests.Risk.Options;

public class BlackScholesMertonTests
{
    // Hull, Options, Futures, and Other Derivatives (OFOD), 10th ed., Pearson 2018, ch. 15 "The Black-Scholes-Merton
    // Model", the worked example of the section on the pricing formulas (Example 15.6 in the editions we recall; the
    // number was not checked against a copy here, the figures were, by the formula): six months to expiry,
    // S = 42, K = 40, r = 10%, sigma = 20%. Hull: d1 = 0.7693, d2 = 0.6278, c = 4.76, p = 0.81.
    private static readonly OptionTerms HullPricing = new(Spot: 42, Strike: 40, Rate: 0.10, DividendYield: 0, Volatility: 0.20, TimeToExpiry: 0.5);

    // OFOD 10th ed., ch. 19 "The Greek Letters": the chapter's running example (each Greek has its own numbered example
    // in the chapter; those numbers were not checked against a copy here), a bank's sold call on a non-dividend
    // stock, S = 49, K = 50, r = 5%, sigma = 20%, T = 20 weeks = 0.3846 years; Black-Scholes value $2.40 a share
    // ($240,000 for 100,000 shares). Hull's figures: delta 0.522, theta -4.31 a year (-0.0118 a calendar day,
    // -0.0171 a trading day), gamma 0.066, vega 12.1 (per 1.00 of volatility, 0.121 per 1%), rho 8.91 (per 1.00 of
    // rate, 0.0891 per 1%).
    private static readonly OptionTerms HullGreeks = new(Spot: 49, Strike: 50, Rate: 0.05, DividendYield: 0, Volatility: 0.20, TimeToExpiry: 0.3846);

    [Fact]
    public void Hull_pricing_example_call_is_4_76_and_put_0_81_to_the_cent()
    {
        var call = BlackScholesMerton.Value(OptionRight.Call, HullPricing);
        var put = BlackScholesMerton.Value(OptionRight.Put, HullPricing);

        Assert.Equal(0.7693, call.D1, 4);
        Assert.Equal(0.6278, call.D2, 4);
        Assert.Equal(4.76, call.Price, 2);
        Assert.Equal(0.81, put.Price, 2);
    }

    [Fact]
    public void Hull_greeks_example_to_the_books_precision()
    {
        var call = BlackScholesMerton.Value(OptionRight.Call, HullGreeks);

        Assert.Equal(2.40, call.Price, 2);
        Assert.Equal(0.522, call.Delta, 3);
        Assert.Equal(0.066, call.Gamma, 3);
        Assert.Equal(12.1, call.Vega, 1);
        Assert.Equal(0.121, call.VegaPerPercent, 3);
        Assert.Equal(-4.31, call.Theta, 2);
        Assert.Equal(-0.0118, call.ThetaPerCalendarDay, 4);
        Assert.Equal(-0.0171, call.ThetaPerTradingDay, 4);
        Assert.Equal(8.91, call.Rho, 2);
        Assert.Equal(0.0891, call.RhoPerPercent, 4);
    }

    [Fact]
    public void Hull_index_option_with_a_dividend_yield_is_51_83()
    {
        // OFOD 10th ed., ch. 17 "Options on Stock Indices and Currencies", the European index call example (numbering
        // varies by edition): two months to expiry, index 930, K = 900, r = 8%, q = 3%, sigma = 20%. Hull: d1 = 0.5444,
        // d2 = 0.4628 (printed to four places, cut rather than rounded: 0.54448 and 0.46283), c = 51.83.
        var call = BlackScholesMerton.Value(OptionRight.Call, new OptionTerms(930, 900, 0.08, 0.03, 0.20, 2.0 / 12));

        Assert.Equal(0.5444, call.D1, tolerance: 1e-4);
        Assert.Equal(0.4628, call.D2, tolerance: 1e-4);
        Assert.Equal(51.83, call.Price, 2);
    }

    [Fact]
    public void Put_call_parity_with_a_dividend_yield_holds_over_many_random_terms()
    {
        // c - p = S e^(-qT) - K e^(-rT) (OFOD ch. 11 and 17) for every term set, not only the worked ones. Seeded, so a
        // failure names a reproducible case.
        var random = new Random(20261205);
        for (int i = 0; i < 2_000; i++)
        {
            var terms = RandomTerms(random);
            double call = BlackScholesMerton.Price(OptionRight.Call, terms);
            double put = BlackScholesMerton.Price(OptionRight.Put, terms);
            double parity = (terms.Spot * Math.Exp(-terms.DividendYield * terms.TimeToExpiry)) - (terms.Strike * Math.Exp(-terms.Rate * terms.TimeToExpiry));

            Assert.True(Math.Abs(call - put - parity) <= 1e-9 * Math.Max(terms.Spot, terms.Strike), $"case {i}: {terms} c={call} p={put} parity={parity}");
            Assert.True(call >= 0 && put >= 0, $"case {i}: {terms} c={call} p={put}");
        }
    }

    [Theory]
    [InlineData(OptionRight.Call)]
    [InlineData(OptionRight.Put)]
    public void Greeks_with_a_dividend_yield_match_finite_differences_of_the_price(OptionRight right)
    {
        // The textbook figures above have q = 0 (but for the price): check each Greek with q != 0 against central
        // differences of the price itself.
        var t = new OptionTerms(Spot: 105, Strike: 100, Rate: 0.04, DividendYield: 0.025, Volatility: 0.3, TimeToExpiry: 0.75);
        var v = BlackScholesMerton.Value(right, t);
        double P(OptionTerms x) => BlackScholesMerton.Price(right, x);
        const double h = 1e-4;

        Assert.Equal((P(t with { Spot = t.Spot + h }) - P(t with { Spot = t.Spot - h })) / (2 * h), v.Delta, 6);
        Assert.Equal((P(t with { Spot = t.Spot + h }) - (2 * v.Price) + P(t with { Spot = t.Spot - h })) / (h * h), v.Gamma, 4);
        Assert.Equal((P(t with { Volatility = t.Volatility + h }) - P(t with { Volatility = t.Volatility - h })) / (2 * h), v.Vega, 5);
        Assert.Equal((P(t with { Rate = t.Rate + h }) - P(t with { Rate = t.Rate - h })) / (2 * h), v.Rho, 5);

        // Theta is the change as calendar time passes, so as T falls.
        Assert.Equal(-(P(t with { TimeToExpiry = t.TimeToExpiry + h }) - P(t with { TimeToExpiry = t.TimeToExpiry - h })) / (2 * h), v.Theta, 5);
    }

    [Fact]
    public void Every_bad_term_is_named_at_once()
    {
        var bad = new OptionTerms(Spot: -1, Strike: 0, Rate: double.NaN, DividendYield: double.PositiveInfinity, Volatility: -0.2, TimeToExpiry: 0);

        var e = Assert.Throws<RiskInputException>(() => BlackScholesMerton.Value(OptionRight.Call, bad));

        Assert.Equal(["spot", "strike", "rate", "dividendYield", "volatility", "timeToExpiry"], e.Problems.Select(p => p.Field));
        Assert.Equal("spot", e.ParamName);
        Assert.Contains("volatility: must be a finite number greater than 0, was -0.2.", e.Message, StringComparison.Ordinal);
        Assert.Equal(e.Problems, bad.Problems());
        Assert.Empty(HullPricing.Problems());
    }

    [Fact]
    public void An_undefined_option_right_is_refused()
    {
        var e = Assert.Throws<RiskInputException>(() => BlackScholesMerton.Value((OptionRight)7, HullPricing));

        Assert.Equal("right", e.ParamName);
    }

    internal static OptionTerms RandomTerms(Random random) => new(
        Spot: 1 + (random.NextDouble() * 199),
        Strike: 1 + (random.NextDouble() * 199),
        Rate: -0.02 + (random.NextDouble() * 0.17),
        DividendYield: random.NextDouble() * 0.08,
        Volatility: 0.02 + (random.NextDouble() * 1.5),
        TimeToExpiry: 0.01 + (random.NextDouble() * 5));
}
