using MathNet.Numerics.Distributions;

namespace TradSys.Engine.Risk.Options;

/// <summary>
/// A European option's value and Greeks under Black-Scholes-Merton with a continuous dividend yield q.
/// Units: <see cref="Vega"/> and <see cref="Rho"/> per 1.00 (100 percentage points) change of volatility and rate, as
/// the formulas give them; <see cref="VegaPerPercent"/> and <see cref="RhoPerPercent"/> per 1 percentage point (divided
/// by 100), as traders quote them. <see cref="Theta"/> per year; <see cref="ThetaPerCalendarDay"/> (divided by 365) and
/// <see cref="ThetaPerTradingDay"/> (divided by 252), the two daily forms Hull gives. Delta per unit of the underlying;
/// gamma per unit of the underlying, squared.
/// </summary>
/// <param name="Right">Call or put.</param>
/// <param name="Price">The option's value per unit of the underlying.</param>
/// <param name="Delta">dV/dS.</param>
/// <param name="Gamma">d2V/dS2.</param>
/// <param name="Vega">dV/dsigma per 1.00 of volatility.</param>
/// <param name="Theta">dV/dt per year (calendar time passing, T falling).</param>
/// <param name="Rho">dV/dr per 1.00 of rate.</param>
/// <param name="D1">d1 of the formula.</param>
/// <param name="D2">d2 = d1 - sigma sqrt(T).</param>
public sealed record OptionValuation(OptionRight Right, double Price, double Delta, double Gamma, double Vega, double Theta, double Rho, double D1, double D2)
{
    /// <summary>Vega per 1 percentage point of volatility.</summary>
    public double VegaPerPercent => Vega / 100;

    /// <summary>Rho per 1 percentage point of rate.</summary>
    public double RhoPerPercent => Rho / 100;

    /// <summary>Theta per calendar day (per year / 365).</summary>
    public double ThetaPerCalendarDay => Theta / 365;

    /// <summary>Theta per trading day (per year / 252).</summary>
    public double ThetaPerTradingDay => Theta / 252;
}

/// <summary>
/// Black-Scholes-Merton for European calls and puts on an underlying with continuous dividend yield q (Merton 1973),
/// in the form of Hull, <i>Options, Futures, and Other Derivatives</i>, 10th ed., Pearson 2018: ch. 15 (prices),
/// ch. 17 (the dividend yield) and ch. 19 "The Greek Letters" (the Greeks with a yield q):
/// <code>
/// d1 = (ln(S/K) + (r - q + sigma^2/2) T) / (sigma sqrt(T)),  d2 = d1 - sigma sqrt(T)
/// c  = S e^(-qT) N(d1) - K e^(-rT) N(d2)            p = K e^(-rT) N(-d2) - S e^(-qT) N(-d1)
/// delta: call e^(-qT) N(d1), put e^(-qT) (N(d1) - 1)
/// gamma = e^(-qT) N'(d1) / (S sigma sqrt(T))        vega = S e^(-qT) N'(d1) sqrt(T)   (same for call and put)
/// theta: call -S e^(-qT) N'(d1) sigma / (2 sqrt(T)) + q S e^(-qT) N(d1) - r K e^(-rT) N(d2)
///        put  -S e^(-qT) N'(d1) sigma / (2 sqrt(T)) - q S e^(-qT) N(-d1) + r K e^(-rT) N(-d2)
/// rho:   call K T e^(-rT) N(d2), put -K T e^(-rT) N(-d2)
/// </code>
/// N and N' are MathNet's standard normal distribution and density.
/// </summary>
public static class BlackScholesMerton
{
    /// <summary>The option's price and Greeks.</summary>
    /// <exception cref="RiskInputException">Any term out of range (all listed at once).</exception>
    public static OptionValuation Value(OptionRight right, OptionTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        CheckRight(right);
        terms.Check(includeVolatility: true).ThrowIfAny();
        return Compute(right, terms.Spot, terms.Strike, terms.Rate, terms.DividendYield, terms.Volatility, terms.TimeToExpiry);
    }

    /// <summary>The option's price alone.</summary>
    /// <exception cref="RiskInputException">Any term out of range.</exception>
    public static double Price(OptionRight right, OptionTerms terms) => Value(right, terms).Price;

    /// <summary>
    /// The no-arbitrage bounds of a European option's price with a dividend yield: a call lies in
    /// [max(S e^(-qT) - K e^(-rT), 0), S e^(-qT)], a put in [max(K e^(-rT) - S e^(-qT), 0), K e^(-rT)]
    /// (Hull, ch. 11 and 17). Every volatility above 0 gives a price strictly inside them.
    /// </summary>
    public static (double Lower, double Upper) PriceBounds(OptionRight right, double spot, double strike, double rate, double dividendYield, double timeToExpiry)
    {
        double forwardSpot = spot * Math.Exp(-dividendYield * timeToExpiry);
        double discountedStrike = strike * Math.Exp(-rate * timeToExpiry);
        return right == OptionRight.Call
            ? (Math.Max(forwardSpot - discountedStrike, 0), forwardSpot)
            : (Math.Max(discountedStrike - forwardSpot, 0), discountedStrike);
    }

    internal static void CheckRight(OptionRight right)
    {
        if (right is not (OptionRight.Call or OptionRight.Put))
        {
            throw RiskInputCheck.Error("right", RiskInputCheck.Invariant($"must be Call or Put, was {(int)right}."));
        }
    }

    /// <summary>The formulas, on terms already checked (the implied-volatility solver calls this in its loop).</summary>
    internal static OptionValuation Compute(OptionRight right, double s, double k, double r, double q, double sigma, double t)
    {
        double sqrtT = Math.Sqrt(t);
        double d1 = (Math.Log(s / k) + ((r - q + (0.5 * sigma * sigma)) * t)) / (sigma * sqrtT);
        double d2 = d1 - (sigma * sqrtT);
        double growth = Math.Exp(-q * t), discount = Math.Exp(-r * t);
        double density = Normal.PDF(0, 1, d1);
        double gamma = growth * density / (s * sigma * sqrtT);
        double vega = s * growth * density * sqrtT;
        double decay = -s * growth * density * sigma / (2 * sqrtT);
        if (right == OptionRight.Call)
        {
            double nd1 = Normal.CDF(0, 1, d1), nd2 = Normal.CDF(0, 1, d2);
            return new OptionValuation(
                right,
                Price: (s * growth * nd1) - (k * discount * nd2),
                Delta: growth * nd1,
                Gamma: gamma,
                Vega: vega,
                Theta: decay + (q * s * growth * nd1) - (r * k * discount * nd2),
                Rho: k * t * discount * nd2,
                d1,
                d2);
        }

        double nMinusD1 = Normal.CDF(0, 1, -d1), nMinusD2 = Normal.CDF(0, 1, -d2);
        return new OptionValuation(
            right,
            Price: (k * discount * nMinusD2) - (s * growth * nMinusD1),
            Delta: -growth * nMinusD1,
            Gamma: gamma,
            Vega: vega,
            Theta: decay - (q * s * growth * nMinusD1) + (r * k * discount * nMinusD2),
            Rho: -k * t * discount * nMinusD2,
            d1,
            d2);
    }
}
