namespace TradSys.Engine.Risk.Portfolio;

/// <summary>A VaR figure of held positions over the stored price history, with the window it used and its backtest when the history allows one.</summary>
/// <param name="Estimate">VaR and ES over the last <paramref name="WindowDays"/> days of returns.</param>
/// <param name="WindowFrom">The first day whose return is in the window.</param>
/// <param name="WindowTo">The last day of the history (the figure is for the day after).</param>
/// <param name="WindowDays">Days of returns behind the figure (at most 250).</param>
/// <param name="Backtest">The one-day VaR of each of the last days before which a whole window of returns exists, against the
/// P&amp;L those positions would have made that day; null when the history is too short for one.</param>
/// <param name="BacktestDates">The days compared (the day of each P&amp;L), in order.</param>
/// <param name="BacktestVar">The one-day VaR set for each of those days (a positive loss), in the same order; empty without a backtest.</param>
/// <param name="BacktestPnl">The P&amp;L of each of those days (negative for a loss), in the same order; empty without a backtest.</param>
public sealed record PositionVarResult(VarEstimate Estimate, DateOnly WindowFrom, DateOnly WindowTo, int WindowDays, VarBacktestResult? Backtest,
    IReadOnlyList<DateOnly> BacktestDates, IReadOnlyList<double> BacktestVar, IReadOnlyList<double> BacktestPnl);

/// <summary>
/// VaR of today's positions over the daily price history (the host's stored closes) with the engine's methods
/// (<see cref="HistoricalVar"/>, <see cref="ParametricVar"/>, <see cref="MonteCarloVar"/>), and a backtest of the one-day figure
/// (<see cref="VarBacktest"/>, Kupiec's test): hypothetical P&amp;L, the positions held fixed at today's values, as the Basel
/// framework allows for a backtest (the realised P&amp;L would mix in the day's trading). Pure: everything is passed in.
/// </summary>
public static class PositionVar
{
    /// <summary>The window: a year of trading days.</summary>
    public const int WindowDays = HistoricalVar.DefaultDays;

    /// <summary>The fewest days of returns any method is run on: a covariance or a tail from fewer says little.</summary>
    public const int MinReturns = 20;

    /// <summary>The seed of the Monte Carlo paths: the same positions and history give the same figure.</summary>
    public const int Seed = 1;

    /// <summary>Days of returns the method needs at the confidence: 20, or for historical simulation enough that one lies in the tail.</summary>
    public static int ReturnsNeeded(VarMethod method, double confidence) =>
        method == VarMethod.Historical ? Math.Max(MinReturns, (int)Math.Ceiling((1 / (1 - confidence)) - 1e-9)) : MinReturns;

    /// <summary>Computes the figure and its backtest. <paramref name="prices"/>[day, instrument] are aligned closes (oldest first) of
    /// the instruments whose <paramref name="exposures"/> (today's market values, negative for short) are given.</summary>
    /// <exception cref="RiskInputException">The history is shorter than <see cref="ReturnsNeeded"/> or not prices.</exception>
    public static PositionVarResult Compute(double[] exposures, DateOnly[] dates, double[,] prices, VarMethod method, double confidence, int horizonDays)
    {
        var history = ReturnHistory.FromPrices(prices);
        var n = history.Days;
        var window = Math.Min(WindowDays, n);
        var estimate = Estimate(exposures, history, window, method, confidence, horizonDays);

        var backtestDays = Math.Min(WindowDays, n - window);
        if (backtestDays < 1)
        {
            return new PositionVarResult(estimate, dates[n - window + 1], dates[^1], window, null, [], [], []);
        }
        var m = exposures.Length;
        var vars = new double[backtestDays];
        var pnl = new double[backtestDays];
        var backtestDates = new DateOnly[backtestDays];
        for (var b = 0; b < backtestDays; b++)
        {
            var t = n - backtestDays + b; // the day tested (a return index); its window is the returns [t - window, t)
            var past = new double[window, m];
            for (var d = 0; d < window; d++)
            {
                for (var i = 0; i < m; i++)
                {
                    past[d, i] = history[t - window + d, i];
                }
            }
            vars[b] = Estimate(exposures, ReturnHistory.FromReturns(past), window, method, confidence, 1).ValueAtRisk;
            double day = 0;
            for (var i = 0; i < m; i++)
            {
                day += exposures[i] * history[t, i];
            }
            pnl[b] = day;
            backtestDates[b] = dates[t + 1];
        }
        return new PositionVarResult(estimate, dates[n - window + 1], dates[^1], window, VarBacktest.Run(vars, pnl, confidence), backtestDates,
            vars, pnl);
    }

    private static VarEstimate Estimate(double[] exposures, ReturnHistory history, int window, VarMethod method, double confidence, int horizonDays) =>
        method switch
        {
            VarMethod.Historical => HistoricalVar.Estimate(exposures, history, confidence, horizonDays,
                horizonDays == 1 ? HorizonScaling.None : HorizonScaling.SquareRootOfTime, window),
            VarMethod.Parametric => ParametricVar.Estimate(exposures, CovarianceMatrix.FromReturns(history, window), confidence, horizonDays),
            _ => MonteCarloVar.Estimate(exposures, CovarianceMatrix.FromReturns(history, window), confidence, horizonDays, Seed),
        };
}
