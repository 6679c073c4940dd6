using TradSys.Engine.Risk;
using TradSys.Engine.Risk.Options;

namespace TradSys.Engine.Tests.Risk.Options;

public class ImpliedVolatilityTests
{
    [Fact]
    public void Hull_call_price_gives_back_its_20_percent_volatility()
    {
        // OFOD 10th ed., ch. 15: the call of the pricing example (S = 42, K = 40, r = 10%, T = 0.5) is worth
        // 4.759422 at 20% volatility (4.76 in the book); that price must imply 20% again.
        var terms = new OptionTerms(42, 40, 0.10, 0, 0.20, 0.5);
        double price = BlackScholesMerton.Price(OptionRight.Call, terms);

        Assert.Equal(0.20, ImpliedVolatility.Solve(OptionRight.Call, price, terms), 9);
    }

    [Fact]
    public void Round_trip_recovers_the_volatility_over_many_random_terms()
    {
        var random = new Random(42);
        int solved = 0;
        for (int i = 0; i < 1_000; i++)
        {
            var terms = BlackScholesMertonTests.RandomTerms(random);
            var right = (i & 1) == 0 ? OptionRight.Call : OptionRight.Put;
            var value = BlackScholesMerton.Value(right, terms);
            var (lower, _) = BlackScholesMerton.PriceBounds(right, terms.Spot, terms.Strike, terms.Rate, terms.DividendYield, terms.TimeToExpiry);

            // Where the time value is below double precision of the price (deep in or out of the money), the price
            // carries no information about volatility: skip those cases, and count the rest.
            if (value.Price - lower < 1e-6 * Math.Max(1, value.Price) || value.Vega < 1e-6)
            {
                continue;
            }

            double sigma = ImpliedVolatility.Solve(right, value.Price, terms);
            Assert.True(Math.Abs(sigma - terms.Volatility) < 1e-6, $"case {i}: {right} {terms} price {value.Price} implied {sigma}");
            solved++;
        }

        // About 12% of these random terms (spot and strike each anywhere from 1 to 200) are so far from the money that the
        // price carries no volatility; the seed fixes which.
        Assert.True(solved >= 850, $"only {solved} of 1000 cases had a time value to solve");
    }

    [Fact]
    public void Far_out_of_the_money_put_with_a_tiny_vega_still_solves()
    {
        // Newton's method from a usual 20-30% start overshoots here; the bracketed solver does not.
        var terms = new OptionTerms(Spot: 100, Strike: 60, Rate: 0.03, DividendYield: 0.01, Volatility: 0.25, TimeToExpiry: 0.25);
        double price = BlackScholesMerton.Price(OptionRight.Put, terms);

        Assert.InRange(price, 1e-9, 1e-3);
        Assert.Equal(0.25, ImpliedVolatility.Solve(OptionRight.Put, price, terms), 6);
    }

    [Theory]
    [InlineData(OptionRight.Call, 1.5)]   // below S - K e^(-rT) = 42 - 40 e^(-0.05) = 3.951
    [InlineData(OptionRight.Call, 42.0)]  // at the upper bound S
    [InlineData(OptionRight.Put, 40.0)]   // above K e^(-rT) = 38.049
    public void Prices_outside_the_no_arbitrage_bounds_are_refused_with_the_bounds(OptionRight right, double price)
    {
        var e = Assert.Throws<RiskInputException>(() => ImpliedVolatility.Solve(right, price, 42, 40, 0.10, 0, 0.5));

        Assert.Equal("price", e.ParamName);
        Assert.Contains("no-arbitrage bounds", e.Message, StringComparison.Ordinal);
        Assert.Contains("no volatility gives it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_terms_and_a_non_positive_price_are_named_together()
    {
        var e = Assert.Throws<RiskInputException>(() => ImpliedVolatility.Solve(OptionRight.Call, -1, 42, -40, 0.1, 0, -0.5));

        Assert.Equal(["strike", "timeToExpiry", "price"], e.Problems.Select(p => p.Field));
    }
}
