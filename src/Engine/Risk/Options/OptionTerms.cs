namespace TradSys.Engine.Risk.Options;

/// <summary>Call or put.</summary>
public enum OptionRight
{
    /// <summary>The right to buy at the strike.</summary>
    Call,

    /// <summary>The right to sell at the strike.</summary>
    Put,
}

/// <summary>
/// The terms of a European option for Black-Scholes-Merton. Rates and yields are continuously compounded, per year
/// (0.05 for 5%); the volatility is per year (0.20 for 20%); time is in years (0.5 for six months). The spot, strike and
/// the option's price are in the same currency per unit of the underlying.
/// </summary>
/// <param name="Spot">The underlying's price now, above 0.</param>
/// <param name="Strike">Above 0.</param>
/// <param name="Rate">The risk-free rate r, any finite number (negative rates exist).</param>
/// <param name="DividendYield">The continuous dividend yield q, any finite number (0 for none; the foreign rate for a currency).</param>
/// <param name="Volatility">sigma, above 0.</param>
/// <param name="TimeToExpiry">T, above 0 (at expiry the value is the payoff, which needs no model).</param>
public sealed record OptionTerms(double Spot, double Strike, double Rate, double DividendYield, double Volatility, double TimeToExpiry)
{
    /// <summary>Every problem with these terms, empty when they are valid.</summary>
    public IReadOnlyList<RiskInputProblem> Problems() => Check(includeVolatility: true).Problems;

    internal RiskInputCheck Check(bool includeVolatility)
    {
        var check = new RiskInputCheck();
        check.Positive(Spot, "spot");
        check.Positive(Strike, "strike");
        check.Finite(Rate, "rate");
        check.Finite(DividendYield, "dividendYield");
        if (includeVolatility)
        {
            check.Positive(Volatility, "volatility");
        }

        check.Positive(TimeToExpiry, "timeToExpiry");
        return check;
    }
}
