using MathNet.Numerics.RootFinding;

namespace TradSys.Engine.Risk.Options;

/// <summary>
/// The volatility at which Black-Scholes-Merton gives a market price. A European option's price rises strictly with
/// volatility (vega &gt; 0), from the no-arbitrage lower bound as sigma approaches 0 to the upper bound as sigma grows,
/// so inside the bounds there is exactly one root. It is found with MathNet's Brent solver (bracketed: inverse quadratic
/// interpolation safeguarded by bisection, so it converges wherever the bracket holds a sign change, unlike Newton's
/// method, whose steps overshoot far from the money where vega is tiny), on [<see cref="MinVolatility"/>,
/// <see cref="MaxVolatility"/>].
/// </summary>
public static class ImpliedVolatility
{
    /// <summary>The bracket's low end: 0.0001% a year.</summary>
    public const double MinVolatility = 1e-6;

    /// <summary>The bracket's high end: 1,000% a year.</summary>
    public const double MaxVolatility = 10;

    /// <summary>Solve to this tolerance in volatility (1e-10 = 0.00000001 percentage points).</summary>
    private const double Accuracy = 1e-10;

    /// <summary>The implied volatility of a European option's price.</summary>
    /// <param name="right">Call or put.</param>
    /// <param name="price">The option's market price per unit of the underlying.</param>
    /// <param name="spot">The underlying's price, above 0.</param>
    /// <param name="strike">Above 0.</param>
    /// <param name="rate">Continuously compounded risk-free rate per year.</param>
    /// <param name="dividendYield">Continuous dividend yield per year.</param>
    /// <param name="timeToExpiry">Years, above 0.</param>
    /// <exception cref="RiskInputException">A term out of range, or a price outside the no-arbitrage bounds (no
    /// volatility gives it), or one whose volatility lies outside the solver's bracket; the message gives the bounds.</exception>
    public static double Solve(OptionRight right, double price, double spot, double strike, double rate, double dividendYield, double timeToExpiry)
    {
        BlackScholesMerton.CheckRight(right);
        var check = new OptionTerms(spot, strike, rate, dividendYield, 0, timeToExpiry).Check(includeVolatility: false);
        check.Positive(price, nameof(price));
        check.ThrowIfAny();

        var (lower, upper) = BlackScholesMerton.PriceBounds(right, spot, strike, rate, dividendYield, timeToExpiry);
        if (price <= lower || price >= upper)
        {
            throw RiskInputCheck.Error(nameof(price), RiskInputCheck.Invariant(
                $"{price} is outside the no-arbitrage bounds of this {right.ToString().ToLowerInvariant()}, which lie strictly between {lower} and {upper}: no volatility gives it."));
        }

        double Error(double sigma) => BlackScholesMerton.Compute(right, spot, strike, rate, dividendYield, sigma, timeToExpiry).Price - price;
        double atMin = Error(MinVolatility), atMax = Error(MaxVolatility);
        if (atMin > 0 || atMax < 0)
        {
            double bound = atMin > 0 ? MinVolatility : MaxVolatility;
            throw RiskInputCheck.Error(nameof(price), RiskInputCheck.Invariant(
                $"{price} implies a volatility {(atMin > 0 ? "below" : "above")} {bound} a year, outside the solver's range [{MinVolatility}, {MaxVolatility}] (prices {price - atMin} to {price - atMax})."));
        }

        if (atMin == 0)
        {
            return MinVolatility;
        }

        if (atMax == 0)
        {
            return MaxVolatility;
        }

        if (!Brent.TryFindRoot(Error, MinVolatility, MaxVolatility, Accuracy, 200, out double root))
        {
            throw new InvalidOperationException(RiskInputCheck.Invariant(
                $"Brent's method did not converge on an implied volatility for price {price} within 200 iterations, though the bracket [{MinVolatility}, {MaxVolatility}] holds a root."));
        }

        return root;
    }

    /// <summary>The implied volatility of a price for terms whose <see cref="OptionTerms.Volatility"/> is ignored.</summary>
    /// <exception cref="RiskInputException">As the other overload.</exception>
    public static double Solve(OptionRight right, double price, OptionTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return Solve(right, price, terms.Spot, terms.Strike, terms.Rate, terms.DividendYield, terms.TimeToExpiry);
    }
}
