namespace TradSys.Engine.Risk.Portfolio;

/// <summary>How a VaR figure was obtained.</summary>
public enum VarMethod
{
    /// <summary>Historical simulation: today's exposures revalued under each past day's returns.</summary>
    Historical,

    /// <summary>Variance-covariance (delta-normal): a normal P&amp;L with the portfolio's standard deviation, zero mean.</summary>
    Parametric,

    /// <summary>Monte Carlo: seeded normal draws correlated with the covariance matrix's Cholesky factor.</summary>
    MonteCarlo,
}

/// <summary>How a figure for a horizon of more than one day was obtained.</summary>
public enum HorizonScaling
{
    /// <summary>A one-day figure: nothing scaled.</summary>
    None,

    /// <summary>The one-day figure times the square root of the horizon in days (independent, identically distributed
    /// daily P&amp;L with zero mean; the scaling Basel's 1996 amendment allowed for the 10-day figure).</summary>
    SquareRootOfTime,

    /// <summary>Historical only: each scenario is the sum of the P&amp;L of h consecutive days of the window
    /// (overlapping windows: n - h + 1 scenarios, not independent of one another).</summary>
    OverlappingReturns,
}

/// <summary>
/// A VaR and expected shortfall figure. Sign convention: both are losses stated as positive amounts in the exposures'
/// currency (a VaR of 1,000 means a loss of 1,000 is exceeded with probability 1 - confidence over the horizon). A
/// negative figure means that even the tail of the distribution is a gain. ES is never below VaR.
/// </summary>
/// <param name="Method">Historical, parametric or Monte Carlo.</param>
/// <param name="Confidence">E.g. 0.99.</param>
/// <param name="HorizonDays">1 or 10, or any number of trading days.</param>
/// <param name="ValueAtRisk">The loss not exceeded with probability <paramref name="Confidence"/>.</param>
/// <param name="ExpectedShortfall">The mean loss in the tail beyond the VaR.</param>
/// <param name="Scaling">How the horizon was reached.</param>
/// <param name="Scenarios">Scenarios behind the figure (days or paths); 0 for the parametric method.</param>
/// <param name="TailScenarios">The k worst scenarios that define VaR and ES (k = floor(n x (1 - confidence))); 0 for the parametric method.</param>
/// <param name="JitterAdded">What was added to each diagonal element of the covariance matrix to make it positive
/// definite (Monte Carlo only; 0 when the matrix was positive definite as given).</param>
public sealed record VarEstimate(
    VarMethod Method,
    double Confidence,
    int HorizonDays,
    double ValueAtRisk,
    double ExpectedShortfall,
    HorizonScaling Scaling,
    int Scenarios,
    int TailScenarios,
    double JitterAdded);
