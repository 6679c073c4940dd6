using MathNet.Numerics.Distributions;

namespace TradSys.Engine.Risk.Portfolio;

/// <summary>The Basel Committee's traffic-light zones for a backtest of 99% VaR.</summary>
public enum TrafficLightZone
{
    /// <summary>The zones are defined for 99% VaR only; another confidence gets no zone.</summary>
    NotApplicable,

    /// <summary>As many exceptions as an accurate model would give with probability below 95% (0-4 in 250 days).</summary>
    Green,

    /// <summary>Cumulative probability from 95% to below 99.99% (5-9 in 250 days): the capital multiplier is raised.</summary>
    Yellow,

    /// <summary>Cumulative probability 99.99% or more (10 or more in 250 days): the model is presumed inaccurate.</summary>
    Red,
}

/// <summary>The outcome of a backtest of daily VaR against realised P&amp;L.</summary>
/// <param name="Observations">Days compared.</param>
/// <param name="Exceptions">Days whose loss exceeded that day's VaR.</param>
/// <param name="ExceptionDays">Their indices (0 = the first day given).</param>
/// <param name="ExpectedExceptions">Observations x (1 - confidence).</param>
/// <param name="KupiecStatistic">Kupiec's proportion-of-failures likelihood ratio, chi-square with 1 degree of freedom
/// under the hypothesis that the VaR's exception probability is 1 - confidence.</param>
/// <param name="PValue">P(chi-square(1) &gt;= the statistic): below 0.05, the model is rejected at the 5% level.</param>
/// <param name="Zone">The Basel traffic-light zone (99% VaR only).</param>
public sealed record VarBacktestResult(
    int Observations,
    int Exceptions,
    IReadOnlyList<int> ExceptionDays,
    double ExpectedExceptions,
    double KupiecStatistic,
    double PValue,
    TrafficLightZone Zone);

/// <summary>
/// Backtest of daily VaR: a day is an exception when its realised loss is strictly greater than the VaR set for it
/// (VaR a positive loss, P&amp;L negative for a loss, so when -pnl &gt; VaR).
/// <para>
/// Kupiec's proportion-of-failures test (P. Kupiec, "Techniques for verifying the accuracy of risk measurement
/// models", Journal of Derivatives 3(2), 1995), with n days, x exceptions and p = 1 - confidence:
/// LR = -2 ln[(1 - p)^(n - x) p^x] + 2 ln[(1 - x/n)^(n - x) (x/n)^x], asymptotically chi-square(1); 0 ln 0 is taken as 0.
/// </para>
/// <para>
/// The traffic light (Basel Committee on Banking Supervision, "Supervisory framework for the use of backtesting in
/// conjunction with the internal models approach to market risk capital requirements", January 1996, Table 2): with
/// x exceptions, green when the binomial(n, 0.01) probability of at most x is below 95%, yellow below 99.99%, red
/// otherwise. For 250 days that is green 0-4, yellow 5-9, red 10 or more, as the table states; for other n the same
/// cumulative-probability boundaries are applied (the table itself is given for 250 days).
/// </para>
/// </summary>
public static class VarBacktest
{
    /// <summary>Compares each day's VaR with that day's realised P&amp;L.</summary>
    /// <param name="dailyVar">The one-day VaR set for each day, a positive loss.</param>
    /// <param name="realisedPnl">Each day's realised P&amp;L (negative for a loss), same days in the same order.</param>
    /// <param name="confidence">The confidence the VaR was computed at, e.g. 0.99.</param>
    /// <exception cref="RiskInputException">Empty or mismatched series, a value that is not finite, or a confidence outside (0, 1).</exception>
    public static VarBacktestResult Run(ReadOnlySpan<double> dailyVar, ReadOnlySpan<double> realisedPnl, double confidence)
    {
        var check = new RiskInputCheck();
        check.Confidence(confidence, nameof(confidence));
        if (dailyVar.Length == 0)
        {
            check.Add(nameof(dailyVar), "must hold at least one day, was empty.");
        }

        if (dailyVar.Length != realisedPnl.Length)
        {
            check.Add(nameof(realisedPnl), RiskInputCheck.Invariant($"must hold one P&L per VaR day: {realisedPnl.Length} P&L figures for {dailyVar.Length} VaR figures."));
        }

        for (int i = 0; i < dailyVar.Length; i++)
        {
            check.Finite(dailyVar[i], RiskInputCheck.Invariant($"{nameof(dailyVar)}[{i}]"));
        }

        for (int i = 0; i < realisedPnl.Length; i++)
        {
            check.Finite(realisedPnl[i], RiskInputCheck.Invariant($"{nameof(realisedPnl)}[{i}]"));
        }

        check.ThrowIfAny();
        var days = new List<int>();
        for (int i = 0; i < dailyVar.Length; i++)
        {
            if (-realisedPnl[i] > dailyVar[i])
            {
                days.Add(i);
            }
        }

        int n = dailyVar.Length, x = days.Count;
        double lr = KupiecStatistic(n, x, 1 - confidence);
        return new VarBacktestResult(n, x, days, n * (1 - confidence), lr, 1 - ChiSquared.CDF(1, lr), Zone(n, x, confidence));
    }

    /// <summary>Kupiec's proportion-of-failures statistic for x exceptions in n days at exception probability p.</summary>
    /// <exception cref="RiskInputException">n below 1, x outside [0, n], or p outside (0, 1).</exception>
    public static double KupiecStatistic(int observations, int exceptions, double probability)
    {
        var check = new RiskInputCheck();
        check.AtLeast(observations, 1, nameof(observations));
        if (exceptions < 0 || exceptions > observations)
        {
            check.Add(nameof(exceptions), RiskInputCheck.Invariant($"must be between 0 and the {observations} observations, was {exceptions}."));
        }

        check.Confidence(probability, nameof(probability));
        check.ThrowIfAny();
        double n = observations, x = exceptions, observed = x / n;
        double nullLog = XLogY(n - x, 1 - probability) + XLogY(x, probability);
        double altLog = XLogY(n - x, 1 - observed) + XLogY(x, observed);
        return Math.Max(0, -2 * (nullLog - altLog));
    }

    /// <summary>The Basel zone of x exceptions in n days of 99% VaR.</summary>
    public static TrafficLightZone Zone(int observations, int exceptions, double confidence)
    {
        if (Math.Abs(confidence - 0.99) > 1e-12 || observations < 1)
        {
            return TrafficLightZone.NotApplicable;
        }

        double cumulative = Binomial.CDF(0.01, observations, exceptions);
        return cumulative < 0.95 ? TrafficLightZone.Green
            : cumulative < 0.9999 ? TrafficLightZone.Yellow
            : TrafficLightZone.Red;
    }

    /// <summary>x ln y with 0 ln 0 = 0 (the limit), as the likelihoods need when there are no exceptions or only exceptions.</summary>
    private static double XLogY(double x, double y) => x == 0 ? 0 : x * Math.Log(y);
}
