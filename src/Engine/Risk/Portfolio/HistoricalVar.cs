using MathNet.Numerics.LinearAlgebra;

namespace TradSys.Engine.Risk.Portfolio;

/// <summary>
/// Historical simulation: today's exposures revalued under each of the last N days' returns (N = 250 by default), each
/// day an equally likely scenario; VaR and ES by the convention of <see cref="ScenarioLosses"/>.
/// <para>
/// Horizons beyond a day, two ways (the caller says which; the estimate records it):
/// <see cref="HorizonScaling.SquareRootOfTime"/> (the default) scales the one-day figures by sqrt(h), as Basel's 1996
/// amendment allowed and as Hull presents for the 10-day figure; <see cref="HorizonScaling.OverlappingReturns"/> sums
/// the P&amp;L of h consecutive days of the window, giving N - h + 1 overlapping (so correlated) scenarios: 241 ten-day
/// scenarios from 250 days, fewer for the tail than the one-day figure has.
/// </para>
/// </summary>
public static class HistoricalVar
{
    /// <summary>The default window: a year of trading days.</summary>
    public const int DefaultDays = 250;

    /// <summary>The one-day losses of the portfolio under each of the last <paramref name="days"/> days.</summary>
    /// <exception cref="RiskInputException">Exposures do not match the history's instruments, or the window is longer than the history.</exception>
    public static ScenarioLosses DailyLosses(ReadOnlySpan<double> exposures, ReturnHistory history, int days = DefaultDays)
    {
        ArgumentNullException.ThrowIfNull(history);
        var check = new RiskInputCheck();
        PortfolioExposures.Check(exposures, history.Instruments, "return history", check);
        var window = history.Window(days, check, nameof(days));
        check.ThrowIfAny();
        return new ScenarioLosses(Losses(window, exposures));
    }

    /// <summary>The h-day losses of the portfolio over each run of <paramref name="horizonDays"/> consecutive days of the
    /// last <paramref name="days"/> days (days - h + 1 overlapping scenarios).</summary>
    /// <exception cref="RiskInputException">As <see cref="DailyLosses"/>, or a horizon below 1 or longer than the window.</exception>
    public static ScenarioLosses OverlappingLosses(ReadOnlySpan<double> exposures, ReturnHistory history, int horizonDays, int days = DefaultDays)
    {
        ArgumentNullException.ThrowIfNull(history);
        var check = new RiskInputCheck();
        PortfolioExposures.Check(exposures, history.Instruments, "return history", check);
        var window = history.Window(days, check, nameof(days));
        if (horizonDays < 1 || horizonDays > days)
        {
            check.Add(nameof(horizonDays), RiskInputCheck.Invariant($"must be between 1 and the window of {days} days, was {horizonDays}."));
        }

        check.ThrowIfAny();
        double[] daily = Losses(window, exposures);
        var summed = new double[daily.Length - horizonDays + 1];
        double running = 0;
        for (int d = 0; d < daily.Length; d++)
        {
            running += daily[d];
            if (d >= horizonDays)
            {
                running -= daily[d - horizonDays];
            }

            if (d >= horizonDays - 1)
            {
                summed[d - horizonDays + 1] = running;
            }
        }

        return new ScenarioLosses(summed);
    }

    /// <summary>VaR and ES at one confidence and horizon.</summary>
    /// <exception cref="RiskInputException">Any input problem, listed together.</exception>
    public static VarEstimate Estimate(
        ReadOnlySpan<double> exposures,
        ReturnHistory history,
        double confidence,
        int horizonDays = 1,
        HorizonScaling scaling = HorizonScaling.SquareRootOfTime,
        int days = DefaultDays)
    {
        var check = new RiskInputCheck();
        check.Confidence(confidence, nameof(confidence));
        check.AtLeast(horizonDays, 1, nameof(horizonDays));
        if (scaling == HorizonScaling.None && horizonDays != 1)
        {
            check.Add(nameof(scaling), RiskInputCheck.Invariant($"must say how to reach {horizonDays} days: square root of time or overlapping returns, was None."));
        }

        check.ThrowIfAny();
        if (horizonDays == 1)
        {
            return DailyLosses(exposures, history, days).Estimate(VarMethod.Historical, confidence, 1, HorizonScaling.None, 0);
        }

        return scaling == HorizonScaling.OverlappingReturns
            ? OverlappingLosses(exposures, history, horizonDays, days).Estimate(VarMethod.Historical, confidence, horizonDays, scaling, 0)
            : DailyLosses(exposures, history, days).Estimate(VarMethod.Historical, confidence, horizonDays, HorizonScaling.SquareRootOfTime, 0);
    }

    /// <summary>Loss of each day of the window: -(returns x exposures).</summary>
    private static double[] Losses(Matrix<double> window, ReadOnlySpan<double> exposures)
    {
        var pnl = window * Vector<double>.Build.DenseOfArray(exposures.ToArray());
        var losses = new double[pnl.Count];
        for (int d = 0; d < losses.Length; d++)
        {
            losses[d] = -pnl[d];
        }

        return losses;
    }
}
